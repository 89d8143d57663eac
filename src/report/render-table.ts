/**
 * The human rendering: section headings and cli-table3 tables, rounded for reading. Colour
 * is passed in (a chalk instance of the right level), never taken from a global. Control
 * characters in labels from the data are made visible so a crafted group name cannot move
 * the cursor or change the terminal title.
 */
import { Chalk, type ChalkInstance } from "chalk";
import type { Report } from "./report.js";
import { dash, fixed, makeTable, num, pct, pValue, signed } from "./format.js";
import { renderCoverage, renderEmployees, renderLag, renderRetention, renderTrend, renderValue } from "./render-money.js";

export interface TableOptions {
  color: boolean;
  /** "drivers" leaves out the NPS and money sections (loyalty drivers). Default "all". */
  sections?: "all" | "drivers";
}

/** Escapes terminal control characters (ANSI/OSC escapes, BEL, bidi overrides) in data labels. */
export function safeLabel(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

type DriversSection = NonNullable<Report["drivers"]>;

function bar(share: number, width = 20): string {
  const cells = Math.round(Math.min(1, Math.max(0, share)) * width * 2) / 2;
  return "█".repeat(Math.floor(cells)) + (cells % 1 ? "▌" : "");
}

/** "3 with a missing rating left out", and the rows with an invalid rating when there are any. */
function leftOutText(d: DriversSection): string {
  const missing = `${num(d.droppedIncomplete)} with a missing rating`;
  return d.droppedInvalidRating > 0 ? `${missing} and ${num(d.droppedInvalidRating)} with an invalid one left out` : `${missing} left out`;
}

function renderImportance(d: DriversSection, chalk: ChalkInstance): string[] {
  const out: string[] = [];
  const meta = d.importanceMeta!;
  const method =
    meta.importanceMethod === "exact" ? "LMG (Shapley value of R², exact)" : `LMG estimated from ${num(meta.permutations)} random orderings`;
  const dropped = meta.bootstrap ? Math.max(meta.bootstrap.dropped.importance, meta.bootstrap.dropped.vsRandom) : 0;
  const boot = meta.bootstrap
    ? `; 95% intervals from ${num(meta.bootstrap.resamples - dropped)} bootstrap resamples (seed ${meta.bootstrap.seed}${dropped > 0 ? `; ${num(dropped)} degenerate ones left out` : ""})`
    : "";
  const explained = d.model === "logistic" ? `McFadden R² ${d.rSquared.toFixed(3)}` : `R² ${d.rSquared.toFixed(3)}`;
  out.push("", chalk.bold(d.model === "logistic" ? "What makes a promoter" : "What drives the score"), `share of the explained variation (${explained}) by ${method}${boot}; ${meta.missing} deletion, n = ${num(meta.importanceN)}`);
  const table = makeTable(["rank", "driver", "importance", "share", "95% CI", "rel. weight", "mean", "performance", "quadrant", "sign", "vs random"], chalk);
  table.options.colAligns = ["right", "left", "left", "right", "right", "right", "right", "right", "left", "left", "left"];
  for (const row of [...d.importance].sort((a, b) => a.rank - b.rank)) {
    table.push([
      String(row.rank),
      safeLabel(row.driver),
      bar(row.lmgShare),
      pct(row.lmgShare),
      row.lmgShareCiLow === null ? dash : `${pct(row.lmgShareCiLow)} to ${pct(row.lmgShareCiHigh)}`,
      row.relativeWeightShare === null ? dash : pct(row.relativeWeightShare),
      `${row.mean.toFixed(2)} of ${row.scaleMin}-${row.scaleMax}`,
      row.performance.toFixed(0),
      row.quadrant === "fix first" ? chalk.red(row.quadrant) : row.quadrant,
      (row.sign < 0 ? "−" : "+") + (row.signConflict ? chalk.yellow(" (!)") : ""),
      row.significant === null ? dash : row.significant ? "significant" : chalk.dim("not significant"),
    ]);
  }
  out.push(table.toString());
  out.push(
    `quadrant: importance and performance split at their ${meta.quadrantCut}s; ` +
      (d.model === "logistic"
        ? "relative weights and the random-variable test are defined for the linear model (--outcome score)"
        : `"vs random": whether the driver's relative weight beats an added random variable (95% bootstrap interval above 0)`) +
      (meta.conditionNumber === null ? "" : `; condition number ${meta.conditionNumber.toFixed(1)}`),
  );
  if (d.byGroup.length > 0) {
    out.push("", chalk.bold(`Importance by ${safeLabel(d.groupBy ?? "group")} (LMG share)`));
    const groups = d.byGroup;
    const byGroup = makeTable(["driver", ...groups.map((g) => `${safeLabel(g.group)}${g.status === "analysed" ? "" : "*"}`)], chalk);
    for (const driver of d.drivers) {
      byGroup.push([
        safeLabel(driver),
        ...groups.map((g) => {
          const row = g.importance.find((r) => r.driver === driver);
          return row ? pct(row.lmgShare, 0) : dash;
        }),
      ]);
    }
    byGroup.push([chalk.dim("n / R²"), ...groups.map((g) => `${num(g.n)} / ${g.rSquared === null ? dash : g.rSquared.toFixed(2)}`)]);
    out.push(byGroup.toString());
    if (groups.some((g) => g.status !== "analysed")) out.push(`* too few complete responses (at least ${num(groups[0]!.minimumN)}) for a driver analysis`);
  }
  return out;
}

export function renderTable(report: Report, options: TableOptions): string {
  const chalk = new Chalk({ level: options.color ? 1 : 0 });
  const out: string[] = [];
  const heading = (text: string) => out.push("", chalk.bold.underline(text));
  const { survey, finance } = report.inputs;

  out.push(chalk.bold(`loyalty ${report.tool.version}`));
  heading("Inputs");
  const describeInput = (name: string, input: Report["inputs"]["survey"] | NonNullable<Report["inputs"]["finance"]>) =>
    `${name}: ${safeLabel(input.path)} — ${num(input.rowsRead)} rows read = ${num(input.rowsAccepted)} accepted + ${num(input.rowsRejected)} rejected` +
    (input.rowsExcluded > 0 ? ` + ${num(input.rowsExcluded)} excluded` : "") +
    (input.format.container === "xlsx"
      ? ` (Excel workbook, sheet ${JSON.stringify(input.format.sheet)})`
      : ` (${input.format.encoding}, delimiter ${JSON.stringify(input.format.delimiter)}, decimal ${JSON.stringify(input.format.decimal)}${input.format.layout === "plain" ? "" : `, ${input.format.layout} layout`})`);
  out.push(describeInput("survey ", survey));
  const roles = survey.columns;
  out.push(
    `         score "${safeLabel(roles.score)}", customer ${roles.customerId ? `"${safeLabel(roles.customerId)}"` : dash}, date ${roles.date ? `"${safeLabel(roles.date)}"` : dash}, ` +
      `group ${roles.group ? `"${safeLabel(roles.group)}"` : dash}, drivers ${roles.drivers.length > 0 ? roles.drivers.map(safeLabel).join(", ") : dash}`,
  );
  if (finance) {
    out.push(describeInput("finance", finance));
    out.push(
      `         ${finance.columns.customerId ? `customer "${safeLabel(finance.columns.customerId)}"` : `per group "${safeLabel(finance.columns.group ?? "")}", customers "${safeLabel(finance.columns.customers ?? "")}"`}, revenue "${safeLabel(finance.columns.revenue)}", cost ${finance.columns.cost ? `"${safeLabel(finance.columns.cost)}"` : dash}, ` +
        `periods ${finance.firstPeriod ?? dash} to ${finance.lastPeriod ?? dash}`,
    );
  }

  const all = options.sections !== "drivers";
  const nps = report.nps;
  if (all) {
    heading("Net Promoter Score");
    const o = nps.overall;
    out.push(
      `${chalk.bold(`NPS ${signed(o.nps)}`)}  95% CI ${signed(o.ciLow)} to ${signed(o.ciHigh)}  (n = ${num(o.n)}: ${pct(o.promoterShare)} promoters, ` +
        `${pct(o.passives / o.n)} passives, ${pct(o.detractorShare)} detractors${o.effectiveN !== o.n ? `; weighted, effective n ${num(o.effectiveN, 1)}` : ""})`,
    );
    if (nps.byGroup.length > 0) {
      const table = makeTable([safeLabel(nps.groupBy ?? "group"), "n", "promoters", "passives", "detractors", "NPS", "95% CI", ""], chalk);
      for (const g of nps.byGroup) {
        table.push([
          safeLabel(g.group),
          num(g.n),
          num(g.promoters),
          num(g.passives),
          num(g.detractors),
          signed(g.nps),
          `${signed(g.ciLow)} to ${signed(g.ciHigh)}`,
          g.smallSample ? chalk.yellow(`n < ${nps.minN}`) : "",
        ]);
      }
      out.push(table.toString());
    }

    if (report.join) {
      const j = report.join;
      heading("Survey × finance");
      out.push(
        `${num(j.respondents)} respondents, ${num(j.financeCustomers)} finance customers, ${num(j.matched)} matched (${pct(j.matchRate)} of respondents); ` +
          `customer-level figures use each customer's latest response`,
      );
    }
    if (report.revenue) {
      heading("Revenue, margin and churn by category (matched customers)");
      const churn = new Map(report.churn?.byCategory.map((c) => [c.category, c]));
      const table = makeTable(["category", "customers", "revenue", "per customer", "margin", "per customer", "revenue share", "churned", "churn rate"], chalk);
      for (const row of report.revenue.byCategory) {
        const c = churn.get(row.category);
        table.push([
          row.category,
          num(row.customers),
          num(row.revenue),
          num(row.revenuePerCustomer),
          num(row.margin),
          num(row.marginPerCustomer),
          pct(row.revenueShare),
          c ? num(c.churned) : dash,
          c ? pct(c.churnRate) : dash,
        ]);
      }
      const t = report.revenue.total;
      const overall = report.churn?.overall;
      table.push([
        chalk.bold("all"),
        num(t.customers),
        num(t.revenue),
        num(t.customers === 0 ? null : t.revenue / t.customers),
        num(t.margin),
        num(t.margin === null || t.customers === 0 ? null : t.margin / t.customers),
        pct(1),
        overall ? num(overall.churned) : dash,
        overall ? pct(overall.churnRate) : dash,
      ]);
      out.push(table.toString());
      if (report.churn) {
        out.push(`churned = no finance rows in the file's last period (${report.churn.lastPeriod})`);
        const ratios = report.churn.byCategory.filter((c) => c.category !== "promoter" && c.ratioToPromoters !== null);
        if (ratios.length > 0) {
          out.push(`churn against promoters': ${ratios.map((c) => `${c.category}s ${c.ratioToPromoters!.toFixed(2)}× (95% CI ${c.ratioCiLow!.toFixed(2)} to ${c.ratioCiHigh!.toFixed(2)})`).join(", ")}`);
        }
      }
    }
    if (report.retention) {
      heading("Retention and lifetime value by category");
      out.push(...renderRetention(report.retention, chalk));
    }
    if (report.value) {
      heading("Money at stake");
      out.push(...renderValue(report.value, chalk));
    }
    if (report.coverage) {
      heading("Survey coverage");
      out.push(...renderCoverage(report.coverage, chalk, safeLabel));
    }
    if (report.trend) {
      heading(`NPS by ${report.trend.unit}`);
      out.push(...renderTrend(report.trend, chalk));
    }
  }

  if (all && report.linkage) {
    const l = report.linkage;
    heading(`NPS and money across ${safeLabel(l.groupBy)} groups`);
    const table = makeTable([safeLabel(l.groupBy), "NPS", "responses", l.level === "groups" ? "customers (mean)" : "customers", "revenue / customer", "margin / customer", "churn rate", "revenue growth"], chalk);
    for (const g of [...l.groups].sort((a, b) => b.nps - a.nps)) {
      table.push([safeLabel(g.group), signed(g.nps), num(g.responses), num(g.customers), num(g.revenuePerCustomer), num(g.marginPerCustomer), pct(g.churnRate), pct(g.revenueGrowth)]);
    }
    out.push(table.toString());
    if (l.level === "groups") out.push("from a finance file per group (branch P&L): money per customer = the window's money / the mean customers per period");
    const labels = { revenuePerCustomer: "revenue / customer", marginPerCustomer: "margin / customer", churnRate: "churn rate", revenueGrowth: "revenue growth" } as const;
    const kpiTable = (kpis: typeof l.byKpi) => {
      const stats = makeTable(["KPI", "slope per NPS point", "p", "R²", "Pearson r (p)", "Spearman ρ (p)"], chalk);
      for (const k of kpis) {
        stats.push([
          labels[k.kpi],
          k.slope === null ? dash : k.kpi === "churnRate" || k.kpi === "revenueGrowth" ? `${fixed(k.slope * 100, 2)} pp` : fixed(k.slope, 1),
          pValue(k.slopeP),
          k.rSquared === null ? dash : k.rSquared.toFixed(2),
          k.pearsonR === null ? dash : `${fixed(k.pearsonR, 2)} (${pValue(k.pearsonP)})`,
          k.spearmanRho === null ? dash : `${fixed(k.spearmanRho, 2)} (${pValue(k.spearmanP)})`,
        ]);
      }
      return stats.toString();
    };
    out.push(kpiTable(l.byKpi));
    for (const k of l.byKpi) if (k.summary) out.push(k.summary);
    if (l.weighted) {
      out.push("", chalk.bold("weighted by each group's responses (weighted least squares; Spearman unweighted)"), kpiTable(l.weighted));
      for (const k of l.weighted) if (k.summary) out.push(k.summary);
    }
  }
  if (all && report.lag) {
    heading(`NPS now, money later (lag ${report.lag.lag} ${report.lag.unit}${report.lag.lag === 1 ? "" : "s"})`);
    out.push(...renderLag(report.lag, chalk));
  }
  if (all && report.employees) {
    heading("Employees → customers → money (the service-profit chain)");
    out.push(...renderEmployees(report.employees, chalk, safeLabel, report.nps.groupBy ?? "group"));
  }

  const d = report.drivers;
  heading("Drivers of the score");
  if (d) {
    const leftOut = leftOutText(d);
    if (d.model === "logistic") {
      out.push(
        `logistic regression of promoter (9-10) or not on ${d.drivers.length} drivers, n = ${num(d.n)} complete responses (${leftOut}): ` +
          `McFadden R² ${d.rSquared.toFixed(3)}, likelihood ratio χ² ${d.lrChiSquare!.toFixed(1)} on ${d.dfModel} df, p ${pValue(d.lrP)}; 95% intervals are Wald intervals`,
      );
    } else {
      out.push(
        `OLS of ${safeLabel(d.outcome)} on ${d.drivers.length} drivers, n = ${num(d.n)} complete responses (${leftOut}): ` +
          `R² ${d.rSquared.toFixed(3)}, adjusted ${d.adjRSquared!.toFixed(3)}, F ${d.f === null ? dash : d.f.toFixed(1)} on ${d.dfModel} and ${d.dfResidual} df, p ${pValue(d.fP)}`,
      );
    }
    const logisticModel = d.model === "logistic";
    const table = makeTable(["term", logisticModel ? "log-odds" : "estimate", "std error", logisticModel ? "z" : "t", "p", "95% CI", "std beta", "VIF"], chalk);
    for (const term of d.terms) {
      table.push([
        safeLabel(term.term),
        fixed(term.estimate, 3),
        term.stdError === null ? dash : fixed(term.stdError, 3),
        (term.t ?? term.z) === null ? dash : fixed((term.t ?? term.z)!, 2),
        pValue(term.p),
        term.ciLow === null || term.ciHigh === null ? dash : `${fixed(term.ciLow, 3)} to ${fixed(term.ciHigh, 3)}`,
        term.stdBeta === null ? "" : fixed(term.stdBeta, 3),
        term.vif === null ? "" : term.vif.toFixed(2),
      ]);
    }
    out.push(table.toString());
    if (d.importance.length > 0) out.push(...renderImportance(d, chalk));
  } else {
    out.push("no driver model (see warnings)");
  }

  if (report.warnings.length > 0) {
    heading("Warnings");
    for (const w of report.warnings) out.push(chalk.yellow(`! ${safeLabel(w.message)}`));
  }
  return `${out.join("\n")}\n`;
}
