/**
 * The time-lagged linkage (shared/METHODS.md b5, "with lag k"): each group's NPS in period t
 * against its customers' revenue and margin per active customer and churn rate in period t + K,
 * pooled over groups and periods, with the same across-row statistics as the group linkage.
 */
import { kpiLinkage, LINKAGE_KPIS, type KpiLinkage, type LinkageGroup } from "./linkage.js";
import { addCategoryToNpsTally, emptyNpsTally, npsSummary, type NpsCategory, type NpsTally } from "./nps.js";
import { periodLabel, periodOrdinal, type TrendUnit } from "./trend.js";

export interface LagRow extends LinkageGroup {
  /** The period of the NPS. */
  period: string;
  /** The period of the money: period + K. */
  kpiPeriod: string;
}

export interface LagLinkage {
  lag: number;
  unit: TrendUnit;
  rows: LagRow[];
  byKpi: KpiLinkage[];
}

/** What the lag needs of each group and period's money (join/group-periods.ts computes it). */
export interface PeriodMoney {
  customers: number;
  revenue: number;
  cost: number | null;
  churned: number | null;
}

/**
 * Pairs every group's NPS in a period with its money K periods later. Rows whose later period
 * has no customers with finance (beyond the window, or a gap) are left out.
 * @example with K = 1, the NPS of Oslo in 2025-03 meets Oslo's revenue in 2025-04
 */
export function lagLinkage(
  responses: Iterable<{ group: string | null; date: number | null; category: NpsCategory; weight: number }>,
  money: ReadonlyMap<string, ReadonlyMap<number, PeriodMoney>>,
  unit: TrendUnit,
  lag: number,
  groupOrder: (a: string, b: string) => number,
): LagLinkage {
  const tallies = new Map<string, Map<number, NpsTally>>();
  for (const r of responses) {
    if (r.group === null || r.date === null) continue;
    const ordinal = periodOrdinal(r.date, unit);
    let periods = tallies.get(r.group);
    if (!periods) tallies.set(r.group, (periods = new Map()));
    let tally = periods.get(ordinal);
    if (!tally) periods.set(ordinal, (tally = emptyNpsTally()));
    addCategoryToNpsTally(tally, r.category, r.weight);
  }
  const rows: LagRow[] = [];
  for (const group of [...tallies.keys()].sort(groupOrder)) {
    const periods = tallies.get(group)!;
    for (const ordinal of [...periods.keys()].sort((a, b) => a - b)) {
      const tally = periods.get(ordinal)!;
      const later = money.get(group)?.get(ordinal + lag);
      if (tally.weight === 0 || !later || later.customers === 0) continue;
      const summary = npsSummary(tally);
      rows.push({
        group,
        period: periodLabel(ordinal, unit),
        kpiPeriod: periodLabel(ordinal + lag, unit),
        responses: summary.n,
        nps: summary.nps,
        customers: later.customers,
        revenuePerCustomer: later.revenue / later.customers,
        marginPerCustomer: later.cost === null ? null : (later.revenue - later.cost) / later.customers,
        churnRate: later.churned === null ? null : later.churned / later.customers,
      });
    }
  }
  return { lag, unit, rows, byKpi: LINKAGE_KPIS.map((kpi) => kpiLinkage(rows, kpi)) };
}
