/** The NPS section: the overall score with its interval, and the score per group. */
import { interval, styled, type Block, type Section } from "../document.js";
import { num, pct, signed } from "../format.js";
import type { Report } from "../report.js";

export function npsSentence(report: Report): string {
  const o = report.nps.overall;
  return (
    `NPS ${signed(o.nps)} (95% CI ${signed(o.ciLow)} to ${signed(o.ciHigh)}; n = ${num(o.n)}: ${pct(o.promoterShare)} promoters, ` +
    `${pct(o.passives / o.n)} passives, ${pct(o.detractorShare)} detractors${o.effectiveN !== o.n ? `; weighted, effective n ${num(o.effectiveN, 1)}` : ""})`
  );
}

export function npsView(report: Report): Section {
  const nps = report.nps;
  const blocks: Block[] = [{ kind: "sentence", text: npsSentence(report), strong: true }];
  if (nps.byGroup.length > 0) {
    const group = nps.groupBy ?? "group";
    blocks.push({
      kind: "table",
      id: "by-group",
      columns: [
        { key: "group", label: group, unit: "text" },
        { key: "n", label: "n", unit: "count" },
        { key: "promoters", label: "promoters", unit: "count", drop: 2 },
        { key: "passives", label: "passives", unit: "count", drop: 3 },
        { key: "detractors", label: "detractors", unit: "count", drop: 2 },
        { key: "nps", label: "NPS", unit: "points" },
        { key: "ci", label: "95% CI", unit: "points", interval: true },
        { key: "small_sample", label: "small sample", unit: "text", only: "csv" },
      ],
      rows: nps.byGroup.map((g) => [
        styled(g.group, g.smallSample ? "warn" : null, g.smallSample ? "*" : ""),
        g.n,
        g.promoters,
        g.passives,
        g.detractors,
        g.nps,
        interval(g.ciLow, g.ciHigh),
        g.smallSample ? "yes" : "no",
      ]),
    });
    if (nps.byGroup.some((g) => g.smallSample)) blocks.push({ kind: "note", text: `* fewer than ${num(nps.minN)} responses: too uncertain to rank (adjusted-Wald interval)` });
    blocks.push({
      kind: "chart",
      id: "nps-by-group",
      title: `NPS by ${group} with 95% intervals`,
      chart: {
        type: "intervals",
        axis: "NPS",
        points: nps.byGroup.map((g) => ({ label: g.group, value: g.nps, low: g.ciLow, high: g.ciHigh, faded: g.smallSample })),
        reference: { value: nps.overall.nps, label: `overall ${signed(nps.overall.nps)}` },
      },
    });
  }
  return { id: "nps", title: "Net Promoter Score", blocks };
}
