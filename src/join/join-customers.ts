/**
 * The customer join: respondents (latest response each) matched to finance customers by
 * trimmed string id. `00123` matches `00123 ` but never `123`.
 */
import { NPS_CATEGORIES, type NpsCategory } from "../metrics/nps.js";
import type { LatestResponses } from "./latest-response.js";
import { cohortStart, endRevenue, isChurned, monthsAtRisk, periodsWithRows, revenueIn, runRate, startRevenue, type CustomerFinance, type FinanceTotals } from "./customer-finance.js";

export interface MatchReport {
  /** Distinct customer ids with at least one scored response. */
  respondents: number;
  financeCustomers: number;
  matched: number;
  unmatchedRespondents: number;
  /** Finance customers who never answered. */
  unmatchedFinanceCustomers: number;
  /** matched / respondents; null without respondents. */
  matchRate: number | null;
}

export interface MatchedCustomer {
  customerId: string;
  category: NpsCategory;
  score: number;
  group: string | null;
  revenue: number;
  cost: number | null;
  /** null when the finance file has no periods. */
  churned: boolean | null;
  /** Date of the latest response (UTC milliseconds), null without dates. */
  lastResponseDate: number | null;
  /** Periods with a finance row; null without periods. */
  periodsActive: number | null;
  /** Customer-months at risk: first period with a row through the last, in months; null without periods. */
  monthsAtRisk: number | null;
  /** Revenue in the window's first period; null when the customer has no row there (not in the start cohort). */
  startRevenue: number | null;
  /** Revenue in the window's last period (0 without a row there); null without periods. */
  endRevenue: number | null;
  /** Ordinal of the customer's last period with a finance row; null without periods. */
  lastPeriod: number | null;
  /** Annualised revenue over the file's last three periods (see runRate); null without periods. */
  runRate: number | null;
  /** Revenue in the customer's own first period with a row; null without periods. */
  firstRevenue: number | null;
  /** The period of the latest answer, the first period with a row after it, and the revenue in the repurchase window (when tracked). */
  responsePeriod: number | null;
  nextPurchase: number | null;
  revenueAfter: number;
  /** Revenue in the 12-month cohort's first period (null without a row there: not in the cohort) and in the file's last. */
  cohortStartRevenue: number | null;
  cohortEndRevenue: number | null;
}

/**
 * The matched customers in columns, in id order: customer i's fields at index i. A missing number
 * is NaN; `category` holds the index into NPS_CATEGORIES, `churned` −1 (unknown), 0 or 1. About
 * 150 bytes a customer, where an object per customer took about 380. Iteration and `at` hand out
 * `MatchedCustomer` objects, made on demand, for code that wants one.
 */
export class MatchedCustomers implements Iterable<MatchedCustomer> {
  length = 0;
  readonly ids: string[] = [];
  readonly groups: (string | null)[] = [];
  readonly category: Uint8Array;
  readonly score: Float64Array;
  readonly revenue: Float64Array;
  readonly cost: Float64Array;
  readonly churned: Int8Array;
  readonly lastResponseDate: Float64Array;
  readonly periodsActive: Float64Array;
  readonly monthsAtRisk: Float64Array;
  readonly startRevenue: Float64Array;
  readonly endRevenue: Float64Array;
  readonly lastPeriod: Float64Array;
  readonly runRate: Float64Array;
  readonly firstRevenue: Float64Array;
  readonly responsePeriod: Float64Array;
  readonly nextPurchase: Float64Array;
  readonly revenueAfter: Float64Array;
  readonly cohortStartRevenue: Float64Array;
  readonly cohortEndRevenue: Float64Array;

  /** Room for `capacity` customers. */
  constructor(capacity: number) {
    this.category = new Uint8Array(capacity);
    this.churned = new Int8Array(capacity);
    const f64 = () => new Float64Array(capacity);
    this.score = f64();
    this.revenue = f64();
    this.cost = f64();
    this.lastResponseDate = f64();
    this.periodsActive = f64();
    this.monthsAtRisk = f64();
    this.startRevenue = f64();
    this.endRevenue = f64();
    this.lastPeriod = f64();
    this.runRate = f64();
    this.firstRevenue = f64();
    this.responsePeriod = f64();
    this.nextPurchase = f64();
    this.revenueAfter = f64();
    this.cohortStartRevenue = f64();
    this.cohortEndRevenue = f64();
  }

  /** Adds a customer (after the last one). */
  push(c: MatchedCustomer): void {
    const i = this.length++;
    const put = (column: Float64Array, value: number | null) => (column[i] = value ?? Number.NaN);
    this.ids.push(c.customerId);
    this.groups.push(c.group);
    this.category[i] = NPS_CATEGORIES.indexOf(c.category);
    this.churned[i] = c.churned === null ? -1 : c.churned ? 1 : 0;
    this.score[i] = c.score;
    this.revenue[i] = c.revenue;
    put(this.cost, c.cost);
    put(this.lastResponseDate, c.lastResponseDate);
    put(this.periodsActive, c.periodsActive);
    put(this.monthsAtRisk, c.monthsAtRisk);
    put(this.startRevenue, c.startRevenue);
    put(this.endRevenue, c.endRevenue);
    put(this.lastPeriod, c.lastPeriod);
    put(this.runRate, c.runRate);
    put(this.firstRevenue, c.firstRevenue);
    put(this.responsePeriod, c.responsePeriod);
    put(this.nextPurchase, c.nextPurchase);
    this.revenueAfter[i] = c.revenueAfter;
    put(this.cohortStartRevenue, c.cohortStartRevenue);
    put(this.cohortEndRevenue, c.cohortEndRevenue);
  }

  /** Customer i's category, churn and a number column's value (null for NaN), without the object `at` makes: for a pass over every customer. */
  categoryAt(i: number): NpsCategory {
    return NPS_CATEGORIES[this.category[i]!]!;
  }

  churnedAt(i: number): boolean | null {
    const churned = this.churned[i]!;
    return churned < 0 ? null : churned === 1;
  }

  static valueAt(column: Float64Array, i: number): number | null {
    const value = column[i]!;
    return Number.isNaN(value) ? null : value;
  }

  /** Customer i as an object. */
  at(i: number): MatchedCustomer {
    const get = (column: Float64Array) => {
      const value = column[i]!;
      return Number.isNaN(value) ? null : value;
    };
    const churned = this.churned[i]!;
    return {
      customerId: this.ids[i]!,
      category: NPS_CATEGORIES[this.category[i]!]!,
      score: this.score[i]!,
      group: this.groups[i]!,
      revenue: this.revenue[i]!,
      cost: get(this.cost),
      churned: churned < 0 ? null : churned === 1,
      lastResponseDate: get(this.lastResponseDate),
      periodsActive: get(this.periodsActive),
      monthsAtRisk: get(this.monthsAtRisk),
      startRevenue: get(this.startRevenue),
      endRevenue: get(this.endRevenue),
      lastPeriod: get(this.lastPeriod),
      runRate: get(this.runRate),
      firstRevenue: get(this.firstRevenue),
      responsePeriod: get(this.responsePeriod),
      nextPurchase: get(this.nextPurchase),
      revenueAfter: this.revenueAfter[i]!,
      cohortStartRevenue: get(this.cohortStartRevenue),
      cohortEndRevenue: get(this.cohortEndRevenue),
    };
  }

  *[Symbol.iterator](): IterableIterator<MatchedCustomer> {
    for (let i = 0; i < this.length; i++) yield this.at(i);
  }
}

export interface CustomerJoin {
  report: MatchReport;
  /** Matched customers sorted by id (code-unit order) so results never depend on row order. */
  customers: MatchedCustomers;
  /** Per finance customer (by its number in the store), 1 when it answered: the join matched it. */
  answered: Uint8Array;
}

export interface JoinOptions {
  /**
   * false when the data cannot show anyone leave (one-off buyers, a single period without a flag):
   * then every customer's `churned` is null, never a "left" the rule would make up.
   */
  measureChurn?: boolean | undefined;
  /** --churn-after K: churned when the customer has no row in the file's last K periods (default 1). */
  churnAfter?: number | undefined;
  /** An explicit churn flag per customer (from the finance or the survey file), instead of the derived rule; null: unknown. */
  churnFlag?: ((customerId: string, finance: CustomerFinance) => boolean | null) | undefined;
}

export function joinCustomers(latest: LatestResponses, finance: FinanceTotals, options: JoinOptions = {}): CustomerJoin {
  const customers = new MatchedCustomers(latest.size);
  const answered = new Uint8Array(finance.customers.size);
  const start = cohortStart(finance);
  // in id order (the order of sort() on strings is that of < and >), so no sort of the customers after
  for (const customerId of [...latest.keys()].sort()) {
    const i = latest.indexOf(customerId)!;
    const responses = latest.responses;
    // read before the next customer's (peek reuses one object)
    const c = finance.customers.numberOf(customerId);
    if (c === undefined) continue;
    answered[c] = 1;
    const money = finance.customers.peekAt(c);
    customers.push({
      customerId,
      category: responses.categoryOf(i),
      score: responses.score[i]!,
      group: responses.groupOf(i),
      revenue: money.revenue,
      cost: money.cost,
      churned: options.measureChurn === false ? null : options.churnFlag ? options.churnFlag(customerId, money) : isChurned(money, finance, options.churnAfter),
      lastResponseDate: responses.dateOf(i),
      periodsActive: periodsWithRows(money),
      monthsAtRisk: monthsAtRisk(money, finance.granularity),
      startRevenue: startRevenue(money, finance),
      endRevenue: endRevenue(money, finance),
      lastPeriod: money.lastPeriod,
      runRate: runRate(money, finance),
      firstRevenue: money.firstPeriod === null ? null : money.firstRevenue,
      responsePeriod: money.responsePeriod ?? null,
      nextPurchase: money.nextAfterResponse ?? null,
      revenueAfter: money.revenueAfterResponse ?? 0,
      cohortStartRevenue: start === null || !money.recentPeriods.includes(start) ? null : revenueIn(money, start),
      cohortEndRevenue: start === null ? null : revenueIn(money, finance.lastPeriod!),
    });
  }
  const respondents = latest.size;
  return {
    report: {
      respondents,
      financeCustomers: finance.customers.size,
      matched: customers.length,
      unmatchedRespondents: respondents - customers.length,
      unmatchedFinanceCustomers: finance.customers.size - customers.length,
      matchRate: respondents === 0 ? null : customers.length / respondents,
    },
    customers,
    answered,
  };
}
