/**
 * The customer join: respondents (latest response each) matched to finance customers by
 * trimmed string id. `00123` matches `00123 ` but never `123`.
 */
import { NPS_CATEGORIES, type NpsCategory } from "../metrics/nps.js";
import type { LatestResponses } from "./latest-response.js";
import { cohortStart, endRevenue, isChurned, monthsAtRisk, periodsWithRows, runRateOf, startRevenue, type CustomerFinance, type FinanceTotals } from "./customer-finance.js";
import { Names, type SurveyResponses } from "../normalise/survey.js";

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
 * is NaN; `category` holds the index into NPS_CATEGORIES, `churned` −1 (unknown), 0 or 1; the score
 * and date are the latest answer's, read from the responses. About 115 bytes a customer, where an
 * object per customer took about 380. Iteration and `at` hand out
 * `MatchedCustomer` objects, made on demand, for code that wants one.
 */
export class MatchedCustomers implements Iterable<MatchedCustomer> {
  length = 0;
  /** Made at its length at once (pushes would copy it as it grows: twice the memory on the way). */
  readonly ids: string[];
  /** Per customer the code of its group (−1: none): a number, not a string slot each. */
  private readonly groupCode: Int32Array;
  private readonly groupNames = new Names();
  readonly category: Uint8Array;
  /** Per customer the index of its latest answer among the responses: its score and date are read there, not copied. */
  private readonly response: Int32Array;
  readonly revenue: Float64Array;
  readonly cost: Float64Array;
  readonly churned: Int8Array;
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

  /**
   * Room for `capacity` customers; `filled`: columns of that length made already (their values are
   * written again by push); `spare`: memory no one else uses, in which columns are made while it
   * has room (a million customers' columns: about 100 MB not allocated anew). push writes every
   * column of every customer, so its stale bytes are never read.
   */
  constructor(
    private readonly responses: SurveyResponses,
    capacity: number,
    filled: { runRate?: Float64Array; cohortStartRevenue?: Float64Array; cohortEndRevenue?: Float64Array } = {},
    spare: ArrayBuffer | null = null,
  ) {
    let used = 0;
    const room = spare?.byteLength ?? 0;
    const f64 = () => {
      if (used + 8 * capacity > room) return new Float64Array(capacity);
      const column = new Float64Array(spare!, used, capacity);
      used += 8 * capacity;
      return column;
    };
    this.revenue = f64();
    this.cost = f64();
    this.periodsActive = f64();
    this.monthsAtRisk = f64();
    this.startRevenue = f64();
    this.endRevenue = f64();
    this.lastPeriod = f64();
    this.runRate = filled.runRate ?? f64();
    this.firstRevenue = f64();
    this.responsePeriod = f64();
    this.nextPurchase = f64();
    this.revenueAfter = f64();
    this.cohortStartRevenue = filled.cohortStartRevenue ?? f64();
    this.cohortEndRevenue = filled.cohortEndRevenue ?? f64();
    // (the one-byte columns, the group codes and the answers are made anew: 10 bytes a customer)
    this.category = new Uint8Array(capacity);
    this.churned = new Int8Array(capacity);
    this.groupCode = new Int32Array(capacity);
    this.response = new Int32Array(capacity);
    this.ids = new Array<string>(capacity);
  }

  /** Customer i's score (its latest answer's). */
  scoreAt(i: number): number {
    return this.responses.score[this.response[i]!]!;
  }

  /** The date of customer i's latest answer; null without one. */
  lastResponseDateAt(i: number): number | null {
    return this.responses.dateOf(this.response[i]!);
  }

  /** Customer i's group; null without one. */
  groupAt(i: number): string | null {
    return this.groupNames.name(this.groupCode[i]!);
  }

  /**
   * Adds a customer (after the last one), whose latest answer is response `response` (its score,
   * date and category are those of the answer); `c` is read here and may be reused by the caller.
   */
  push(c: Omit<MatchedCustomer, "score" | "lastResponseDate">, response: number): void {
    const i = this.length++;
    this.response[i] = response;
    this.ids[i] = c.customerId;
    this.groupCode[i] = this.groupNames.code(c.group);
    this.category[i] = NPS_CATEGORIES.indexOf(c.category);
    this.churned[i] = c.churned === null ? -1 : c.churned ? 1 : 0;
    this.revenue[i] = c.revenue;
    // (a missing number is NaN)
    this.cost[i] = c.cost ?? Number.NaN;
    this.periodsActive[i] = c.periodsActive ?? Number.NaN;
    this.monthsAtRisk[i] = c.monthsAtRisk ?? Number.NaN;
    this.startRevenue[i] = c.startRevenue ?? Number.NaN;
    this.endRevenue[i] = c.endRevenue ?? Number.NaN;
    this.lastPeriod[i] = c.lastPeriod ?? Number.NaN;
    this.runRate[i] = c.runRate ?? Number.NaN;
    this.firstRevenue[i] = c.firstRevenue ?? Number.NaN;
    this.responsePeriod[i] = c.responsePeriod ?? Number.NaN;
    this.nextPurchase[i] = c.nextPurchase ?? Number.NaN;
    this.revenueAfter[i] = c.revenueAfter;
    this.cohortStartRevenue[i] = c.cohortStartRevenue ?? Number.NaN;
    this.cohortEndRevenue[i] = c.cohortEndRevenue ?? Number.NaN;
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

  /** What the customer lists read of customer i (ListInput), without the rest of `at`'s object. */
  pickAt(i: number): Pick<MatchedCustomer, "customerId" | "category" | "score" | "group" | "lastResponseDate" | "revenue" | "periodsActive" | "churned"> {
    return {
      customerId: this.ids[i]!,
      category: this.categoryAt(i),
      score: this.scoreAt(i),
      group: this.groupAt(i),
      lastResponseDate: this.lastResponseDateAt(i),
      revenue: this.revenue[i]!,
      periodsActive: MatchedCustomers.valueAt(this.periodsActive, i),
      churned: this.churnedAt(i),
    };
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
      score: this.scoreAt(i),
      group: this.groupAt(i),
      revenue: this.revenue[i]!,
      cost: get(this.cost),
      churned: churned < 0 ? null : churned === 1,
      lastResponseDate: this.lastResponseDateAt(i),
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
  /**
   * Let the store's recent revenue go once read (CustomerStore.releaseRecent), for a caller that
   * reads no customer's recent periods after the join: the matched customers' columns are then made
   * in the memory it took (13 numbers a customer of the store: room for 13 columns).
   */
  releaseRecent?: boolean | undefined;
  /** Narrow the store once the join is made (CustomerStore.narrow), for a caller that needs only what it keeps afterwards. */
  narrow?: boolean | undefined;
}

export function joinCustomers(latest: LatestResponses, finance: FinanceTotals, options: JoinOptions = {}): CustomerJoin {
  const store = finance.customers;
  const answered = new Uint8Array(store.size);
  // each finance customer that answered, with its latest response: one lookup by id per finance
  // customer (typed arrays: a million customers' numbers take 8 MB, not 16 to 32 in arrays of numbers)
  // (no more matches than customers on either side: made once, at that size)
  const most = Math.min(store.size, latest.size);
  const matchedCustomer = new Int32Array(most);
  const matchedResponse = new Int32Array(most);
  let matched = 0;
  for (let c = 0; c < store.size; c++) {
    // asked while the file was read (FinanceTotals.respondentOf), or here
    const asked = store.respondentOf(c);
    const i = asked === undefined ? latest.indexOf(store.idOf(c)) : asked < 0 ? undefined : asked;
    if (i === undefined) continue;
    matchedCustomer[matched] = c;
    matchedResponse[matched++] = i;
  }
  // in id order (that of < and > on strings, as sort() orders them), so no sort of the customers
  // after: the finance file's order when it already is (a file sorted by customer), else sorted
  // (the ids differ, so any sort gives this one order)
  const idAt = (j: number) => store.idOf(matchedCustomer[j]!);
  const order = new Int32Array(matched);
  for (let j = 0; j < matched; j++) order[j] = j;
  let sorted = true;
  for (let j = 1; sorted && j < order.length; j++) sorted = idAt(j - 1) < idAt(j);
  if (!sorted) order.sort((a, b) => (idAt(a) < idAt(b) ? -1 : 1));
  const start = cohortStart(finance);
  // first what is read of the customers' recent revenue (13 numbers each in the store), which then
  // goes before the matched customers' columns are made: the two never take memory together
  const recent = { runRate: new Float64Array(order.length), cohortStartRevenue: new Float64Array(order.length), cohortEndRevenue: new Float64Array(order.length) };
  // (read in place, not from a snapshot of each customer: three or four numbers of it)
  for (let k = 0; k < order.length; k++) {
    const c = matchedCustomer[order[k]!]!;
    recent.runRate[k] = runRateOf(store.firstPeriodAt(c), (p) => store.recentRevenueAt(c, p), finance) ?? Number.NaN;
    recent.cohortStartRevenue[k] = start === null ? Number.NaN : (store.recentRevenueAt(c, start) ?? Number.NaN);
    recent.cohortEndRevenue[k] = start === null ? Number.NaN : (store.recentRevenueAt(c, finance.lastPeriod!) ?? 0);
  }
  const spare = options.releaseRecent ? store.releaseRecent() : null;
  const customers = new MatchedCustomers(latest.responses, order.length, recent, spare);
  const responses = latest.responses;
  // one object, filled for each customer and read by push (as peek fills one snapshot)
  const row: Omit<MatchedCustomer, "score" | "lastResponseDate"> = { customerId: "", category: "passive", group: null, revenue: 0, cost: null, churned: null, periodsActive: null, monthsAtRisk: null, startRevenue: null, endRevenue: null, lastPeriod: null, runRate: null, firstRevenue: null, responsePeriod: null, nextPurchase: null, revenueAfter: 0, cohortStartRevenue: null, cohortEndRevenue: null };
  for (let k = 0; k < order.length; k++) {
    const j = order[k]!;
    const c = matchedCustomer[j]!;
    const i = matchedResponse[j]!;
    const customerId = store.idOf(c);
    answered[c] = 1;
    // read before the next customer's (peek reuses one object)
    const money = store.peekAt(c);
    row.customerId = customerId;
    row.category = responses.categoryOf(i);
    row.group = responses.groupOf(i);
    row.revenue = money.revenue;
    row.cost = money.cost;
    row.churned = options.measureChurn === false ? null : options.churnFlag ? options.churnFlag(customerId, money) : isChurned(money, finance, options.churnAfter);
    row.periodsActive = periodsWithRows(money);
    row.monthsAtRisk = monthsAtRisk(money, finance.granularity);
    row.startRevenue = startRevenue(money, finance);
    row.endRevenue = endRevenue(money, finance);
    row.lastPeriod = money.lastPeriod;
    row.runRate = MatchedCustomers.valueAt(recent.runRate, k);
    row.firstRevenue = money.firstPeriod === null ? null : money.firstRevenue;
    row.responsePeriod = money.responsePeriod ?? null;
    row.nextPurchase = money.nextAfterResponse ?? null;
    row.revenueAfter = money.revenueAfterResponse ?? 0;
    row.cohortStartRevenue = MatchedCustomers.valueAt(recent.cohortStartRevenue, k);
    row.cohortEndRevenue = MatchedCustomers.valueAt(recent.cohortEndRevenue, k);
    customers.push(row, i);
  }
  if (options.narrow) store.narrow();
  const respondents = latest.size;
  const financeCustomers = finance.wholeTable?.customers ?? finance.customers.size;
  return {
    report: {
      respondents,
      financeCustomers,
      matched: customers.length,
      unmatchedRespondents: respondents - customers.length,
      unmatchedFinanceCustomers: financeCustomers - customers.length,
      matchRate: respondents === 0 ? null : customers.length / respondents,
    },
    customers,
    answered,
  };
}
