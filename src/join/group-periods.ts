/**
 * Matched customers' finance per group and period (month, quarter or year), for the time-lagged
 * linkage: per group and period the customers with a row, their revenue and cost, and the
 * customers whose last row falls in that period (churned there). Revenue and cost come from the
 * group sums made while the finance rows streamed; customers and churn from each customer's
 * period bitset.
 */
import { DataError } from "../errors.js";
import { toUnit, type TrendUnit } from "../metrics/trend.js";
import { periodsOf, type FinanceTotals } from "./customer-finance.js";

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
 * Sums per group and period of the customers given (each with its group, the same group the
 * finance totals summed its money under).
 * @throws {DataError} when the finance periods are coarser than the unit (quarters cannot make months)
 */
export function groupPeriodMoney(customers: Iterable<{ customerId: string; group: string | null }>, totals: FinanceTotals, unit: TrendUnit): GroupPeriods | null {
  if (totals.granularity === null || totals.firstPeriod === null || totals.lastPeriod === null) return null;
  const granularity = totals.granularity;
  const rank = { month: 0, quarter: 1, year: 2 };
  if (rank[granularity] > rank[unit]) {
    throw new DataError(`the finance periods are ${granularity}s, so they cannot be split into ${unit}s`, { hint: `use --period ${granularity} (or coarser)` });
  }
  const first = toUnit(totals.firstPeriod, granularity, unit);
  const last = toUnit(totals.lastPeriod, granularity, unit);
  const byGroup = new Map<string, Map<number, GroupPeriodMoney>>();
  const slot = (group: string, u: number) => {
    let periods = byGroup.get(group);
    if (!periods) byGroup.set(group, (periods = new Map()));
    let sums = periods.get(u);
    if (!sums) periods.set(u, (sums = { customers: 0, revenue: 0, cost: 0, churned: null }));
    return sums;
  };
  for (const [group, periods] of totals.groupPeriods) {
    for (const [ordinal, money] of periods) {
      const sums = slot(group, toUnit(ordinal, granularity, unit));
      sums.revenue += money.revenue;
      sums.cost = sums.cost === null || money.cost === null ? null : sums.cost + money.cost;
    }
  }
  for (const { customerId, group } of customers) {
    // read before the next customer's (peekPeriodsAt reuses one object)
    const c = totals.customers.numberOf(customerId);
    if (group === null || c === undefined) continue;
    const money = totals.customers.peekPeriodsAt(c);
    if (money.lastPeriod === null) continue;
    let previous: number | null = null;
    for (const ordinal of periodsOf(money)) {
      const u = toUnit(ordinal, granularity, unit);
      if (u !== previous) slot(group, u).customers += 1;
      previous = u;
    }
    const lastUnit = toUnit(money.lastPeriod, granularity, unit);
    const sums = slot(group, lastUnit);
    if (lastUnit < last) sums.churned = (sums.churned ?? 0) + 1;
  }
  // a period before the last in which no one churned has churned = 0, not unknown
  for (const periods of byGroup.values()) for (const [u, sums] of periods) if (u < last && sums.churned === null) sums.churned = 0;
  return { unit, first, last, byGroup };
}
