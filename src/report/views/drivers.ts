/** The drivers of the score: the regression, the importance of each driver, and the quadrant. */
import { interval, styled, type Block, type Cell, type Section } from "../document.js";
import { dash, num, pValue } from "../format.js";
import type { Report } from "../report.js";

type Drivers = NonNullable<Report["drivers"]>;

/** "3 with a missing rating left out", and the rows with an invalid rating when there are any. */
function leftOutText(d: Drivers): string {
  const missing = `${num(d.droppedIncomplete)} with a missing rating`;
  return d.droppedInvalidRating > 0 ? `${missing} and ${num(d.droppedInvalidRating)} with an invalid one left out` : `${missing} left out`;
}

function modelSentence(d: Drivers): string {
  const leftOut = leftOutText(d);
  if (d.model === "logistic") {
    return (
      `logistic regression of promoter (9-10) or not on ${d.drivers.length} drivers, n = ${num(d.n)} complete responses (${leftOut}): ` +
      `McFadden R² ${d.rSquared.toFixed(3)}, likelihood ratio χ² ${d.lrChiSquare!.toFixed(1)} on ${d.dfModel} df, p ${pValue(d.lrP)}; 95% intervals are Wald intervals`
    );
  }
  return (
    `OLS of ${d.outcome} on ${d.drivers.length} drivers, n = ${num(d.n)} complete responses (${leftOut}): ` +
    `R² ${d.rSquared.toFixed(3)}, adjusted ${d.adjRSquared!.toFixed(3)}, F ${d.f === null ? dash : d.f.toFixed(1)} on ${d.dfModel} and ${d.dfResidual} df, p ${pValue(d.fP)}`
  );
}

function importanceBlocks(d: Drivers): Block[] {
  const meta = d.importanceMeta!;
  const method = meta.importanceMethod === "exact" ? "LMG (Shapley value of R², exact)" : `LMG estimated from ${num(meta.permutations)} random orderings`;
  const dropped = meta.bootstrap ? Math.max(meta.bootstrap.dropped.importance, meta.bootstrap.dropped.vsRandom) : 0;
  const boot = meta.bootstrap
    ? `; 95% intervals from ${num(meta.bootstrap.resamples - dropped)} bootstrap resamples (${meta.bootstrap.resampling === "poisson" ? "Poisson, " : ""}seed ${meta.bootstrap.seed}${dropped > 0 ? `; ${num(dropped)} degenerate ones left out` : ""})`
    : "";
  const explained = d.model === "logistic" ? `McFadden R² ${d.rSquared.toFixed(3)}` : `R² ${d.rSquared.toFixed(3)}`;
  const ranked = [...d.importance].sort((a, b) => a.rank - b.rank);
  const blocks: Block[] = [
    { kind: "subheading", text: d.model === "logistic" ? "What makes a promoter" : "What drives the score" },
    { kind: "note", text: `share of the explained variation (${explained}) by ${method}${boot}; ${meta.missing} deletion, n = ${num(meta.importanceN)}` },
    {
      kind: "table",
      id: "importance",
      columns: [
        { key: "rank", label: "rank", unit: "count" },
        { key: "driver", label: "driver", unit: "text" },
        { key: "bar", label: "importance", unit: "bar", only: "people", drop: 5 },
        { key: "lmg_share", label: "share", unit: "share" },
        { key: "lmg_share_ci", label: "95% CI", unit: "share", interval: true, drop: 2 },
        { key: "relative_weight_share", label: "rel. weight", unit: "share", drop: 3 },
        { key: "mean", label: "mean", unit: "number", decimals: 2, drop: 4 },
        { key: "scale", label: "of", unit: "text", drop: 4 },
        { key: "performance", label: "performance", unit: "number", decimals: 0, drop: 1 },
        { key: "quadrant", label: "quadrant", unit: "text" },
        { key: "sign", label: "sign", unit: "text", drop: 3 },
        { key: "vs_random", label: "vs random", unit: "text", drop: 2 },
      ],
      rows: ranked.map((row): Cell[] => [
        row.rank,
        row.driver,
        row.lmgShare,
        row.lmgShare,
        row.lmgShareCiLow === null ? null : interval(row.lmgShareCiLow, row.lmgShareCiHigh),
        row.relativeWeightShare,
        row.mean,
        `${row.scaleMin}-${row.scaleMax}`,
        row.performance,
        styled(row.quadrant, row.quadrant === "fix first" ? "bad" : null),
        styled(row.sign < 0 ? "−" : "+", row.signConflict ? "warn" : null, row.signConflict ? " (!)" : ""),
        row.significant === null ? null : styled(row.significant ? "significant" : "not significant", row.significant ? null : "muted"),
      ]),
    },
    {
      kind: "note",
      text:
        `quadrant: importance and performance split at their ${meta.quadrantCut}s; ` +
        (d.model === "logistic"
          ? "relative weights and the random-variable test are defined for the linear model (--outcome score)"
          : `"vs random": whether the driver's relative weight beats an added random variable (95% bootstrap interval above 0)`) +
        (meta.conditionNumber === null ? "" : `; condition number ${meta.conditionNumber.toFixed(1)}`) +
        (ranked.some((r) => r.signConflict) ? "; (!) the coefficient's sign differs from the driver's correlation with the outcome" : ""),
    },
  ];
  blocks.push({
    kind: "chart",
    id: "importance-performance",
    title: "Importance against performance: fix first what matters most and scores lowest",
    chart: {
      type: "quadrant",
      points: ranked.map((r) => ({ label: r.driver, x: r.lmgShare, y: r.performance, quadrant: r.quadrant })),
      xLabel: "importance (% of the explained variation)",
      yLabel: "performance (mean rating on 0-100)",
      xCut: meta.quadrantCuts.importance,
      yCut: meta.quadrantCuts.performance,
    },
  });
  if (d.byGroup.length > 0) {
    const groups = d.byGroup;
    blocks.push(
      { kind: "subheading", text: `Importance by ${d.groupBy ?? "group"} (LMG share)` },
      {
        kind: "table",
        id: "importance-by-group",
        split: true,
        columns: [
          { key: "driver", label: "driver", unit: "text" },
          ...groups.map((g, i) => ({ key: `group_${i + 1}`, label: `${g.group}${g.status === "analysed" ? "" : "*"}`, unit: "share" as const, decimals: 0 })),
        ],
        rows: [
          ...d.drivers.map((driver): Cell[] => [driver, ...groups.map((g) => g.importance.find((r) => r.driver === driver)?.lmgShare ?? null)]),
          [styled("n", "muted"), ...groups.map((g): Cell => ({ value: g.n, tone: null, unit: "count", mark: ` / ${g.rSquared === null ? dash : g.rSquared.toFixed(2)}` }))],
        ],
      },
      { kind: "note", text: `last row: complete responses / R² per group${groups.some((g) => g.status !== "analysed") ? `; * too few complete responses (at least ${num(groups[0]!.minimumN)}) for a driver analysis` : ""}` },
    );
  }
  return blocks;
}

export function driversView(report: Report): Section {
  const d = report.drivers;
  if (!d) return { id: "drivers", title: "Drivers of the score", blocks: [{ kind: "sentence", text: "no driver model (see the warnings)" }] };
  const logistic = d.model === "logistic";
  const blocks: Block[] = [
    { kind: "sentence", text: modelSentence(d) },
    {
      kind: "table",
      id: "terms",
      columns: [
        { key: "term", label: "term", unit: "text" },
        { key: "estimate", label: logistic ? "log-odds" : "estimate", unit: "number", decimals: 3 },
        { key: "std_error", label: "std error", unit: "number", decimals: 3, drop: 2 },
        { key: logistic ? "z" : "t", label: logistic ? "z" : "t", unit: "number", decimals: 2, drop: 3 },
        { key: "p", label: "p", unit: "pValue" },
        { key: "ci", label: "95% CI", unit: "number", decimals: 3, interval: true },
        { key: "std_beta", label: "std beta", unit: "number", decimals: 3, drop: 1 },
        { key: "vif", label: "VIF", unit: "number", decimals: 2, drop: 1 },
      ],
      rows: d.terms.map((t) => [t.term, t.estimate, t.stdError, t.t ?? t.z, t.p, t.ciLow === null || t.ciHigh === null ? null : interval(t.ciLow, t.ciHigh), t.stdBeta, t.vif]),
    },
  ];
  if (d.importance.length > 0) blocks.push(...importanceBlocks(d));
  return { id: "drivers", title: "Drivers of the score", blocks };
}
