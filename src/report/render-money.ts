/**
 * The table renderings of the money sections: retention and lifetime value, money at stake,
 * coverage, the NPS trend, the time-lagged linkage and the service-profit chain. Each returns
 * lines; render-table.ts places them.
 */
import type { ChalkInstance } from "chalk";
import { dash, fixed, makeTable, num, pct, pValue, signedOrDash as signedNum } from "./format.js";
import type { Report } from "./report.js";


export function renderRetention(r: NonNullable<Report["retention"]>, chalk: ChalkInstance): string[] {
  const t = makeTable(["category", "customers", "mean revenue", "median revenue", "GRR", "NRR", "monthly churn", "annual churn", "lifetime (months)", `${r.basis} / month`, "lifetime value"], chalk);
  for (const c of [...r.byCategory.map((row) => ({ label: row.category, ...row })), { label: chalk.bold("all"), ...r.overall }]) {
    t.push([
      c.label,
      num(c.customers),
      num(c.revenuePerCustomer),
      num(c.revenueMedian),
      pct(c.grossRevenueRetention),
      pct(c.netRevenueRetention),
      pct(c.monthlyHazard, 2),
      pct(c.annualChurn),
      num(c.expectedLifetimeMonths, 1),
      num(c.monthlyValue),
      num(c.lifetimeValue),
    ]);
  }
  const out = [t.toString()];
  out.push(
    `revenue-weighted NPS ${signedNum(r.revenueWeightedNps, 1)}; GRR/NRR: the customers with revenue in the window's first period, their revenue in its last period against its first; ` +
      `monthly churn = churned / customer-months at risk; lifetime value = ${r.basis} per customer-month / monthly churn (undiscounted)`,
  );
  if (r.ltvRatio) out.push(chalk.bold(r.ltvRatio.summary) + (r.ltvRatio.resamples > 0 ? ` — ${num(r.ltvRatio.resamples)} bootstrap resamples, seed ${r.ltvRatio.seed}` : ""));
  return out;
}

export function renderValue(v: NonNullable<Report["value"]>, chalk: ChalkInstance): string[] {
  const out: string[] = [];
  const risk = makeTable(["category", "customers", "revenue", "churn rate", "revenue at risk"], chalk);
  for (const c of v.revenueAtRisk.byCategory) risk.push([c.category, num(c.customers), num(c.revenue), pct(c.churnRate), num(c.revenueAtRisk)]);
  risk.push([chalk.bold("total"), "", "", "", num(v.revenueAtRisk.total)]);
  out.push(`revenue at risk = the category's revenue over the window${v.windowMonths === null ? "" : ` (${v.windowMonths} months)`} × its churn rate`, risk.toString());
  const scenarios = makeTable(["scenario", "customers", "one-year revenue", "one-year margin", "lifetime value"], chalk);
  for (const s of v.scenarios) scenarios.push([s.name, num(s.customers, 1), signedNum(s.oneYearRevenue), signedNum(s.oneYearMargin), signedNum(s.lifetimeValue)]);
  out.push(scenarios.toString());
  for (const s of v.scenarios) {
    out.push(chalk.bold(`${s.name} rests on:`));
    for (const a of s.assumptions) out.push(`  - ${a}`);
  }
  return out;
}

export function renderCoverage(c: NonNullable<Report["coverage"]>, chalk: ChalkInstance, label: (s: string) => string): string[] {
  const o = c.overall;
  const out = [`${num(o.respondents)} of ${num(o.customers)} finance customers answered (${pct(o.customerShare)}), holding ${pct(o.revenueShare)} of revenue`];
  if (c.byGroup) {
    const t = makeTable([label(c.groupBy ?? "group"), "customers", "answered", "share", "revenue share answered"], chalk);
    for (const g of c.byGroup) t.push([label(g.group), num(g.customers), num(g.respondents), pct(g.customerShare), pct(g.revenueShare)]);
    out.push(t.toString());
  } else out.push("per group: the finance file has no group column, so non-respondents have no group (name it with --finance-group)");
  return out;
}

export function renderTrend(tr: NonNullable<Report["trend"]>, chalk: ChalkInstance): string[] {
  const t = makeTable([tr.unit, "n", "NPS", "95% CI", "change", "p", "paired customers", "paired change", "paired p"], chalk);
  tr.periods.forEach((p, i) => {
    const change = i === 0 ? null : tr.changes[i - 1]!;
    t.push([
      p.period,
      num(p.n),
      signedNum(p.nps, 1),
      `${signedNum(p.ciLow, 1)} to ${signedNum(p.ciHigh, 1)}`,
      change ? signedNum(change.change, 1) : "",
      change ? pValue(change.p) : "",
      change?.paired ? num(change.paired.customers) : change ? dash : "",
      change?.paired ? signedNum(change.paired.change, 1) : change ? dash : "",
      change?.paired ? pValue(change.paired.p) : change ? dash : "",
    ]);
  });
  const out = [t.toString(), "change: against the period before (independent samples, Wald z); paired: the customers who answered in both periods (paired t on answers coded +1/0/−1)"];
  if (tr.undated > 0) out.push(`${num(tr.undated)} responses without a date are not in the trend`);
  return out;
}

export function renderLag(l: NonNullable<Report["lag"]>, chalk: ChalkInstance): string[] {
  const out = [`each ${l.groupBy} group's NPS in a ${l.unit} against its customers' money ${l.lag} ${l.unit}${l.lag === 1 ? "" : "s"} later (${num(l.rows.length)} group-${l.unit}s)`];
  const stats = makeTable(["KPI", "slope per NPS point", "p", "R²", "Pearson r (p)", "Spearman ρ (p)", "n"], chalk);
  const labels: Record<string, string> = { revenuePerCustomer: "revenue / customer", marginPerCustomer: "margin / customer", churnRate: "churn rate", revenueGrowth: "revenue growth" };
  for (const k of l.byKpi) {
    stats.push([
      labels[k.kpi]!,
      k.slope === null ? dash : k.kpi === "churnRate" ? `${fixed(k.slope * 100, 3)} pp` : fixed(k.slope, 2),
      pValue(k.slopeP),
      k.rSquared === null ? dash : k.rSquared.toFixed(2),
      k.pearsonR === null ? dash : `${fixed(k.pearsonR, 2)} (${pValue(k.pearsonP)})`,
      k.spearmanRho === null ? dash : `${fixed(k.spearmanRho, 2)} (${pValue(k.spearmanP)})`,
      num(k.n),
    ]);
  }
  out.push(stats.toString());
  for (const k of l.byKpi) if (k.summary) out.push(k.summary);
  return out;
}

export function renderEmployees(e: NonNullable<Report["employees"]>, chalk: ChalkInstance, label: (s: string) => string, groupBy: string): string[] {
  const measure = e.measure === "enps" ? "eNPS" : "engagement";
  const out = [
    `${label(e.path)} — ${num(e.rowsRead)} rows read = ${num(e.rowsAccepted)} accepted + ${num(e.rowsRejected)} rejected${e.rowsExcluded > 0 ? ` + ${num(e.rowsExcluded)} excluded` : ""}; ` +
      (e.mode === "respondents" ? `eNPS computed from the 0-10 answers in "${label(e.columns.score)}"` : `${measure} per group from "${label(e.columns.score)}"`),
  ];
  const t = makeTable([label(groupBy), e.mode === "respondents" ? "employees" : "rows", measure, "customer NPS", `${e.moneyBasis} / customer`], chalk);
  for (const g of e.groups) t.push([label(g.group), num(g.employeeRows), e.measure === "enps" ? signedNum(g.employee, 1) : fixed(g.employee, 2), signedNum(g.nps, 1), num(g.money)]);
  out.push(t.toString());
  const names = { employee: measure, nps: "customer NPS", money: `${e.moneyBasis} per customer` };
  const chain = makeTable(["link", "groups", "r", "95% CI (Fisher z)", "p"], chalk);
  for (const link of e.chain) {
    chain.push([`${names[link.from]} → ${names[link.to]}`, num(link.n), link.r === null ? dash : fixed(link.r, 2), link.ciLow === null ? dash : `${fixed(link.ciLow, 2)} to ${fixed(link.ciHigh!, 2)}`, pValue(link.p)]);
  }
  out.push(chain.toString());
  return out;
}
