/**
 * Finance summed per customer over the analysis window, built row by row so that memory grows
 * with the number of customers, never with the number of finance rows: per customer a few sums,
 * its revenue in its own first and last period, and a bitset of the periods it has rows in.
 * Money per group and period (for the group linkage's halves and the lag) is summed as the rows
 * stream, when the customers' groups are known beforehand (from the survey).
 */
import type { Period, PeriodGranularity } from "../read/parse-date.js";
import { toUnit } from "../metrics/trend.js";
import { CustomerStore, RELEASED, type MonthRun, type SharedIds } from "./customer-store.js";

export interface CustomerFinance {
  revenue: number;
  /** null when the finance file has no cost column. */
  cost: number | null;
  rows: number;
  /** Ordinals of the first and last period with a row; null without a period column. */
  firstPeriod: number | null;
  lastPeriod: number | null;
  /** Revenue in the customer's first and in its last period with a row. */
  firstRevenue: number;
  lastRevenue: number;
  /** The periods seen, as a bitset from `periodBase` (32 periods a word). */
  periodBits: number[];
  periodBase: number;
  /** Periods far before the base (an unsorted file), kept exactly. */
  earlyPeriods: Set<number> | null;
  /** The customer's group in the finance file (its last non-blank value), null without a group column. */
  group: string | null;
  /** The churn flag on the customer's latest row (its last row without periods); null when blank or without a flag column. */
  churnFlag?: boolean | null;
  /**
   * The customer's periods with rows among the 13 up to its last, and its revenue in each, oldest
   * first: the file's last 13 periods lie within them (for the run-rate and the 12-month cohort).
   */
  recentPeriods: number[];
  recentRevenue: number[];
  /** The period of the customer's latest answer (in the file's periods); null when it did not answer or without periods. */
  responsePeriod?: number | null;
  /** Its first period with a row after the answer, and its revenue in the repurchase window after it. */
  nextAfterResponse?: number | null;
  revenueAfterResponse?: number;
  /** The group its money is summed under per period (`FinanceTotals.groupOf`, asked once per customer). */
  sumGroup?: string | null;
}

/** Revenue and cost of one group in one period. */
export interface PeriodSums {
  revenue: number;
  /** null without a cost column. */
  cost: number | null;
}

export interface FinanceTotals {
  /** Per customer, in columns; `get` and iteration give `CustomerFinance` snapshots. */
  customers: CustomerStore;
  granularity: PeriodGranularity | null;
  firstPeriod: number | null;
  lastPeriod: number | null;
  /** Rows for a customer and period that already had a row (summed, and warned about). */
  repeatedPeriodRows: number;
  /** A branch P&L's customer counts summed over its periods, per group (empty for customer rows). */
  customerCounts: Map<string, number>;
  /**
   * The index of a customer's latest answer in the survey (-1: none), asked once per customer at its
   * first row, before groupOf and responseMonthOf, and kept by the store (CustomerStore.respondentOf)
   * for the join, which then needs no lookup of its own.
   */
  respondentOf?: ((customerId: string) => number) | undefined;
  /** The group a customer's money is summed under per period (null: not summed); absent: no group sums. */
  groupOf: ((customerId: string) => string | null) | null;
  /**
   * The month ordinal (year · 12 + month − 1) of each respondent's latest answer, and the periods
   * after it that count for a repurchase: each customer then keeps its first period with a row after
   * the answer and its revenue in the `repurchaseWindow` periods after it.
   */
  responseMonthOf?: ((customerId: string) => number | null) | undefined;
  repurchaseWindow?: number | undefined;
  /** group → period ordinal → sums, for the customers `groupOf` places. */
  groupPeriods: Map<string, Map<number, PeriodSums>>;
  /**
   * The same sums by the store's code of the group (CustomerStore.sumGroupCode), to find them
   * without hashing per row: the group's map, and its sums in an array by period from `base`
   * (the same objects as in the map; a period outside the array is looked up in the map).
   */
  periodsByCode: (CodePeriods | undefined)[];
  /**
   * Finance aggregates (--finance-aggregates): the store holds the respondents only, and what needs
   * every customer (the coverage, the one-off buyers' share, the customers in all) is summed here by
   * the engine that made them. Absent for a finance file.
   */
  wholeTable?: WholeTable | undefined;
}

/** Every finance customer's sums, per finance group (null: no group), from finance aggregates. */
export interface WholeTable {
  customers: number;
  singlePeriodCustomers: number;
  byGroup: { group: string | null; customers: number; revenue: number; respondents: number; respondentRevenue: number }[];
}

/** A group's period sums for the row loop: its map, and an index of the same objects by period. */
interface CodePeriods {
  map: Map<number, PeriodSums>;
  base: number;
  byPeriod: (PeriodSums | undefined)[];
}

/** A row's money added to its group's sums for its period (made at the period's first row). */
function addPeriodSums(periods: CodePeriods, ordinal: number, revenue: number, cost: number | null): void {
  const at = ordinal - periods.base;
  const indexed = at >= 0 && at < periods.byPeriod.length;
  const sums = indexed ? periods.byPeriod[at] : periods.map.get(ordinal);
  if (!sums) {
    const made = { revenue, cost };
    periods.map.set(ordinal, made);
    if (indexed) periods.byPeriod[at] = made;
  } else {
    sums.revenue += revenue;
    sums.cost = sums.cost === null || cost === null ? null : sums.cost + cost;
  }
}

/** Periods on either side of a group's first in its array index (CodePeriods): 21 years of months. */
const INDEXED_PERIODS = 256;

/** `sharedIds`: the store's ids in one table with the survey's respondents (CustomerStore, SharedIds). */
export function emptyFinanceTotals(groupOf: FinanceTotals["groupOf"] = null, sharedIds: SharedIds | null = null): FinanceTotals {
  return { customers: new CustomerStore(sharedIds), granularity: null, firstPeriod: null, lastPeriod: null, repeatedPeriodRows: 0, customerCounts: new Map(), groupOf, groupPeriods: new Map(), periodsByCode: [] };
}

/** Months in one period of the granularity. */
export function monthsPerPeriod(granularity: PeriodGranularity): number {
  return granularity === "year" ? 12 : granularity === "quarter" ? 3 : 1;
}

/** The ordinals of the periods the customer has rows in, in increasing order. */
export function periodsOf(customer: Pick<CustomerFinance, "periodBits" | "periodBase" | "earlyPeriods">): number[] {
  const periods = [...(customer.earlyPeriods ?? [])].sort((a, b) => a - b);
  customer.periodBits.forEach((word, w) => {
    for (let b = 0; b < 32; b++) if (word & (1 << b)) periods.push(customer.periodBase + w * 32 + b);
  });
  return periods;
}

/** Throws for a snapshot taken after the store let its recent revenue go (CustomerStore.releaseRecent): a bug of ours, never a 0 made up. */
function recentKept(customer: CustomerFinance): void {
  if (customer.recentPeriods === RELEASED) throw new Error("internal: the customers' recent revenue was read after the store released it");
}

/** The run-rate's periods: the file's last three. (The revenue of the 13 periods up to each customer's last is kept: customer-store.ts.) */
const RUN_RATE_PERIODS = 3;

/**
 * The annualised run-rate of a customer still there: its revenue per period over its periods among
 * the file's last three (from its first period, when that is later), × periods per year. null
 * without periods.
 */
export function runRate(customer: CustomerFinance, totals: FinanceTotals): number | null {
  recentKept(customer);
  return runRateOf(customer.firstPeriod, (p) => revenueInOrNull(customer, p), totals);
}

/**
 * runRate from the customer's first period and its revenue per recent period (null: no row there),
 * as `revenueAt` gives it: from a snapshot, or read in place (CustomerStore.recentRevenueAt).
 */
export function runRateOf(firstPeriod: number | null, revenueAt: (period: number) => number | null, totals: FinanceTotals): number | null {
  if (firstPeriod === null || totals.lastPeriod === null || totals.granularity === null) return null;
  const from = Math.max(firstPeriod, totals.lastPeriod - (RUN_RATE_PERIODS - 1));
  let revenue = 0;
  // oldest first, the periods with a row only: the additions of the customer's recent periods in order
  for (let p = from; p <= totals.lastPeriod; p++) {
    const r = revenueAt(p);
    if (r !== null) revenue += r;
  }
  return (revenue / (totals.lastPeriod - from + 1)) * (12 / monthsPerPeriod(totals.granularity));
}

/** The customer's revenue in a period among the 13 up to its last; null without a row there. */
export function revenueInOrNull(customer: CustomerFinance, ordinal: number): number | null {
  recentKept(customer);
  const at = customer.recentPeriods.indexOf(ordinal);
  return at < 0 ? null : customer.recentRevenue[at]!;
}

/** The first period of the 12-month cohort: a year before the file's last; null when the window is shorter. */
export function cohortStart(totals: FinanceTotals): number | null {
  if (totals.lastPeriod === null || totals.firstPeriod === null || totals.granularity === null) return null;
  const start = totals.lastPeriod - 12 / monthsPerPeriod(totals.granularity);
  return start >= totals.firstPeriod ? start : null;
}

/** Adds one finance row (already validated) to the per-customer sums. */
export function addFinanceRow(
  totals: FinanceTotals,
  customerId: string,
  revenue: number,
  cost: number | null,
  period: Period | null,
  group: string | null = null,
  churnFlag?: boolean | null,
): void {
  const c = totals.customers.slot(customerId, cost === null);
  addFinanceRowAt(totals, c, revenue, cost, period ? period.granularity : null, period ? period.ordinal : 0, group, churnFlag);
}

/**
 * addFinanceRow for the customer numbered `c` in `totals.customers` (CustomerStore.slot or
 * slotOfBytes), with the period as its granularity (null: no period) and ordinal.
 */
export function addFinanceRowAt(
  totals: FinanceTotals,
  c: number,
  revenue: number,
  cost: number | null,
  granularity: PeriodGranularity | null,
  ordinal: number,
  group: string | null = null,
  churnFlag?: boolean | null,
): void {
  const store = totals.customers;
  // a new customer: its answer, and the group its money is summed under, asked once
  // (a store that shares the survey's ids knows each customer's answer already)
  if (totals.respondentOf && store.respondentOf(c) === undefined) store.setRespondent(c, totals.respondentOf(store.idOf(c)));
  if (totals.groupOf && store.sumGroupUnasked(c)) store.setSumGroup(c, totals.groupOf(store.idOf(c)) ?? null);
  store.addMoney(c, revenue, cost, group);
  // the flag of the latest period wins (of the last row when there are no periods)
  if (churnFlag !== undefined) {
    const last = store.lastPeriodOf(c);
    if (granularity === null || last === null || ordinal >= last) store.setChurnFlag(c, churnFlag);
  }
  if (granularity === null) return;
  totals.granularity = granularity;
  const seen = store.markPeriod(c, ordinal);
  if (seen) totals.repeatedPeriodRows += 1;
  store.addRecent(c, ordinal, revenue, seen);
  if (totals.responseMonthOf) {
    let r = store.responsePeriodOf(c);
    if (r === undefined) {
      const month = totals.responseMonthOf(store.idOf(c));
      r = month === null ? null : toUnit(month, "month", granularity);
      store.setResponsePeriod(c, r);
    }
    if (r !== null && ordinal > r) store.addAfterResponse(c, ordinal, revenue, totals.repurchaseWindow ?? 6);
  }
  store.addPeriod(c, ordinal, revenue);
  if (totals.firstPeriod === null || ordinal < totals.firstPeriod) totals.firstPeriod = ordinal;
  if (totals.lastPeriod === null || ordinal > totals.lastPeriod) totals.lastPeriod = ordinal;
  const code = store.sumGroupCode(c);
  if (code >= 0) {
    let periods = totals.periodsByCode[code];
    if (!periods) {
      const sumGroup = store.sumGroupOf(c)!;
      // a group's code is made with its name (one code per name), so its map is new here
      const map = new Map<number, PeriodSums>();
      totals.groupPeriods.set(sumGroup, map);
      const byPeriod = new Array<PeriodSums | undefined>(2 * INDEXED_PERIODS).fill(undefined);
      totals.periodsByCode[code] = periods = { map, base: ordinal - INDEXED_PERIODS, byPeriod };
    }
    addPeriodSums(periods, ordinal, revenue, cost);
  }
}

/**
 * addFinanceRowAt for rows from..to−1 of a run of monthly rows of customer c after one of its rows
 * (so its sum group and response period are asked already), without a group change or a churn
 * flag: revenue at values[2i], cost at values[2i + 1] (null without `withCost`), the month ordinal
 * at months[i]. The same sums, added in the same order, as one call a row; stops before a row
 * whose period the store keeps apart. Returns how many rows it added.
 */
export function addMonthRunAt(totals: FinanceTotals, c: number, values: Float64Array, months: Int32Array, from: number, to: number, withCost: boolean): number {
  const store = totals.customers;
  const run: MonthRun = { repeated: 0, low: totals.firstPeriod ?? Infinity, high: totals.lastPeriod ?? -Infinity };
  const done = store.addMonthRun(c, values, months, from, to, withCost, totals.responseMonthOf !== undefined && totals.responseMonthOf !== null, totals.repurchaseWindow ?? 6, run);
  if (done === 0) return 0;
  totals.repeatedPeriodRows += run.repeated;
  totals.firstPeriod = run.low;
  totals.lastPeriod = run.high;
  const code = store.sumGroupCode(c);
  const periods = code >= 0 ? totals.periodsByCode[code] : undefined;
  if (!periods) return done;
  for (let i = from; i < from + done; i++) {
    const ordinal = months[i]!;
    const revenue = values[2 * i]!;
    const cost = withCost ? values[2 * i + 1]! : null;
    addPeriodSums(periods, ordinal, revenue, cost);
  }
  return done;
}

/** Revenue in the window's first period; null when the customer has no row there (not in the start cohort). */
export function startRevenue(customer: CustomerFinance, totals: FinanceTotals): number | null {
  return totals.firstPeriod !== null && customer.firstPeriod === totals.firstPeriod ? customer.firstRevenue : null;
}

/** Revenue in the window's last period (0 without a row there); null without periods. */
export function endRevenue(customer: CustomerFinance, totals: FinanceTotals): number | null {
  if (totals.lastPeriod === null) return null;
  return customer.lastPeriod === totals.lastPeriod ? customer.lastRevenue : 0;
}

/**
 * Churned (derived rule, shared/DESIGN.md section 3): the customer's last period with a finance
 * row is before the last period of the whole finance file (with `after` K: before the file's last
 * K periods). null when there are no periods.
 */
export function isChurned(customer: CustomerFinance, totals: FinanceTotals, after = 1): boolean | null {
  if (customer.lastPeriod === null || totals.lastPeriod === null) return null;
  // --churn-after K: no row in the file's last K periods
  return customer.lastPeriod <= totals.lastPeriod - after;
}

/** How many distinct periods the customer has finance rows in; null without periods. */
export function periodsWithRows(customer: CustomerFinance): number | null {
  if (customer.lastPeriod === null) return null;
  let count = customer.earlyPeriods?.size ?? 0;
  for (let word of customer.periodBits) {
    while (word !== 0) {
      word &= word - 1;
      count++;
    }
  }
  return count;
}

/**
 * Customer-months at risk of churning: the months from the customer's first period with a row
 * through its last, inclusive (a customer is at risk from when it is first seen until it leaves or
 * the window ends). null without periods.
 * @example a customer with rows in 2025-01 and 2025-06 of a monthly file → 6
 */
export function monthsAtRisk(customer: CustomerFinance, granularity: PeriodGranularity | null): number | null {
  if (customer.firstPeriod === null || customer.lastPeriod === null || granularity === null) return null;
  return (customer.lastPeriod - customer.firstPeriod + 1) * monthsPerPeriod(granularity);
}

/**
 * A group's revenue in the first and in the second half of the window's periods (an odd middle
 * period is left out, so both halves are equally long). null without periods or with a one-period
 * window.
 */
export function groupHalfRevenues(group: string, totals: FinanceTotals): { first: number; second: number } | null {
  if (totals.firstPeriod === null || totals.lastPeriod === null || totals.lastPeriod === totals.firstPeriod) return null;
  const periods = totals.groupPeriods.get(group);
  const half = Math.floor((totals.lastPeriod - totals.firstPeriod + 1) / 2);
  let first = 0;
  let second = 0;
  for (let k = 0; k < half; k++) {
    first += periods?.get(totals.firstPeriod + k)?.revenue ?? 0;
    second += periods?.get(totals.lastPeriod - k)?.revenue ?? 0;
  }
  return { first, second };
}
