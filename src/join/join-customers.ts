/**
 * The customer join: respondents (latest response each) matched to finance customers by
 * trimmed string id. `00123` matches `00123 ` but never `123`.
 */
import type { NpsCategory } from "../metrics/nps.js";
import type { SurveyResponse } from "../normalise/survey.js";
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

export interface CustomerJoin {
  report: MatchReport;
  /** Matched customers sorted by id (code-unit order) so results never depend on row order. */
  customers: MatchedCustomer[];
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

export function joinCustomers(latest: ReadonlyMap<string, SurveyResponse>, finance: FinanceTotals, options: JoinOptions = {}): CustomerJoin {
  const customers: MatchedCustomer[] = [];
  const start = cohortStart(finance);
  // in id order (the order of sort() on strings is that of < and >), so no sort of the customers after
  for (const customerId of [...latest.keys()].sort()) {
    const response = latest.get(customerId)!;
    // read before the next customer's (peek reuses one object)
    const money = finance.customers.peek(customerId);
    if (!money) continue;
    customers.push({
      customerId,
      category: response.category,
      score: response.score,
      group: response.group,
      revenue: money.revenue,
      cost: money.cost,
      churned: options.measureChurn === false ? null : options.churnFlag ? options.churnFlag(customerId, money) : isChurned(money, finance, options.churnAfter),
      lastResponseDate: response.date,
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
  };
}
