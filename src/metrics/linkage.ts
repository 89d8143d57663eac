/**
 * The group-level link between loyalty and money (shared/DESIGN.md section 3, "Linkage"): per
 * group (branch, region, segment…) its NPS over all its responses against its matched customers'
 * revenue per customer, margin per customer and churn rate; across groups the OLS slope of each
 * KPI on NPS with its SE and p, R², Pearson's r and Spearman's ρ with p (t approximation, n − 2 df).
 */
import { pearson, spearman } from "../stats/correlation.js";
import { ols } from "../stats/ols.js";

export type LinkageKpi = "revenuePerCustomer" | "marginPerCustomer" | "churnRate";

export const LINKAGE_KPIS: readonly LinkageKpi[] = ["revenuePerCustomer", "marginPerCustomer", "churnRate"];

export interface LinkageGroup {
  group: string;
  nps: number;
  /** Matched customers whose latest response is in the group. */
  customers: number;
  revenuePerCustomer: number | null;
  marginPerCustomer: number | null;
  churnRate: number | null;
}

export interface KpiLinkage {
  kpi: LinkageKpi;
  /** Groups with a value of the KPI. */
  n: number;
  slope: number | null;
  slopeStdError: number | null;
  slopeP: number | null;
  slopeCiLow: number | null;
  slopeCiHigh: number | null;
  intercept: number | null;
  rSquared: number | null;
  pearsonR: number | null;
  pearsonP: number | null;
  spearmanRho: number | null;
  spearmanP: number | null;
}

/** Per-group sums from which the KPIs follow. */
export interface GroupMoney {
  group: string;
  nps: number;
  customers: number;
  revenue: number;
  /** null without a cost column. */
  margin: number | null;
  /** null without periods. */
  churned: number | null;
}

/** The per-group KPIs: revenue and margin per customer, churn rate (null for a group without customers). */
export function linkageGroups(groups: readonly GroupMoney[]): LinkageGroup[] {
  return groups.map((g) => ({
    group: g.group,
    nps: g.nps,
    customers: g.customers,
    revenuePerCustomer: g.customers === 0 ? null : g.revenue / g.customers,
    marginPerCustomer: g.customers === 0 || g.margin === null ? null : g.margin / g.customers,
    churnRate: g.customers === 0 || g.churned === null ? null : g.churned / g.customers,
  }));
}

/**
 * The across-group statistics of one KPI against NPS. With fewer than 3 groups, or a constant NPS
 * or KPI, the statistics are null (there is no slope to estimate).
 */
export function kpiLinkage(groups: readonly LinkageGroup[], kpi: LinkageKpi): KpiLinkage {
  const usable = groups.filter((g) => g[kpi] !== null);
  const x = usable.map((g) => g.nps);
  const y = usable.map((g) => g[kpi]!);
  const empty = { slope: null, slopeStdError: null, slopeP: null, slopeCiLow: null, slopeCiHigh: null, intercept: null, rSquared: null };
  const correlation = pearson(x, y);
  const rank = spearman(x, y);
  const base = { kpi, n: usable.length, pearsonR: correlation.r, pearsonP: correlation.p, spearmanRho: rank.r, spearmanP: rank.p };
  if (usable.length < 3 || correlation.r === null) return { ...base, ...empty };
  const fit = ols(y, [x]);
  const slope = fit.terms[1]!;
  return {
    ...base,
    slope: slope.estimate,
    slopeStdError: slope.stdError,
    slopeP: slope.p,
    slopeCiLow: slope.ciLow,
    slopeCiHigh: slope.ciHigh,
    intercept: fit.terms[0]!.estimate,
    rSquared: fit.rSquared,
  };
}
