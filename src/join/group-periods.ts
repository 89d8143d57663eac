/**
 * Matched customers' finance summed per group and period (month, quarter or year), for the
 * time-lagged linkage: per group and period the customers with a row, their revenue and cost,
 * and the customers whose last row falls in that period (churned there).
 */
import { DataError } from "../errors.js";
import { toUnit, type TrendUnit } from "../metrics/trend.js";
import { costIn, revenueIn, type FinanceTotals } from "./customer-finance.js";

export interface GroupPeriodMoney {
  customers: number;
  revenue: number;
  /** null without a cost column. */
  cost: number | null;
  /** Customers whose last finance row is in this period; null in the window's last period (churn is not yet visible). */
  churned: number | null;
}

export interface GroupPeriods {
  unit: TrendUnit;
  /** The window's first and last period in the unit. */
  first: number;
  last: number;
  /** group → period ordinal (in the unit) → sums. */
  byGroup: Map<string, Map<number, GroupPeriodMoney>>;
}

/**
 * Sums per group and period of the customers given (each with its group).
 * @throws {DataError} when the finance periods are coarser than the unit (quarters cannot make months)
 */
export function groupPeriodMoney(customers: readonly { customerId: string; group: string | null }[], totals: FinanceTotals, unit: TrendUnit): GroupPeriods | null {
  if (totals.granularity === null || totals.firstPeriod === null || totals.lastPeriod === null) return null;
  const granularity = totals.granularity;
  const rank = { month: 0, quarter: 1, year: 2 };
  if (rank[granularity] > rank[unit]) {
    throw new DataError(`the finance periods are ${granularity}s, so they cannot be split into ${unit}s`, { hint: `use --period ${granularity} (or coarser)` });
  }
  const first = toUnit(totals.firstPeriod, granularity, unit);
  const last = toUnit(totals.lastPeriod, granularity, unit);
  const byGroup = new Map<string, Map<number, GroupPeriodMoney>>();
  const hasCost = [...totals.customers.values()].every((c) => c.cost !== null);
  for (const { customerId, group } of customers) {
    const money = totals.customers.get(customerId);
    if (group === null || !money || money.firstPeriod === null || money.lastPeriod === null) continue;
    let periods = byGroup.get(group);
    if (!periods) byGroup.set(group, (periods = new Map()));
    const seen = new Set<number>();
    for (let ordinal = money.firstPeriod; ordinal <= money.lastPeriod; ordinal++) {
      const revenue = revenueIn(money, ordinal);
      if (revenue === null) continue;
      const u = toUnit(ordinal, granularity, unit);
      let sums = periods.get(u);
      if (!sums) periods.set(u, (sums = { customers: 0, revenue: 0, cost: hasCost ? 0 : null, churned: null }));
      if (!seen.has(u)) {
        seen.add(u);
        sums.customers += 1;
      }
      sums.revenue += revenue;
      if (sums.cost !== null) sums.cost += costIn(money, ordinal) ?? 0;
    }
    const lastUnit = toUnit(money.lastPeriod, granularity, unit);
    const sums = periods.get(lastUnit)!;
    if (lastUnit < last) sums.churned = (sums.churned ?? 0) + 1;
  }
  // a period before the last in which no one churned has churned = 0, not unknown
  for (const periods of byGroup.values()) for (const [u, sums] of periods) if (u < last && sums.churned === null) sums.churned = 0;
  return { unit, first, last, byGroup };
}
