/**
 * Lists to act on beside the rescue list (issue "Act on it", item 3): the loyal customers who buy
 * less than their peers (upsell), and the promoters to ask for a referral (ambassadors). Pure:
 * works on matched customers, responses and hazards already computed.
 */
import { median } from "simple-statistics";
import type { MatchedCustomer } from "../join/join-customers.js";
import { isLater, latestResponse } from "../join/latest-response.js";
import type { SurveyResponse, SurveyResponses } from "../normalise/survey.js";
import type { NpsCategory } from "./nps.js";

export interface LatestComment {
  text: string;
  /** Date of the response it came with (UTC milliseconds), null without dates. */
  date: number | null;
}

/** Each customer's latest comment: of the responses with a comment, the latest (as for the latest response). */
export function latestComments(responses: readonly Pick<SurveyResponse, "customerId" | "date" | "order" | "comment">[]): Map<string, LatestComment> {
  const withComment = responses.filter((r) => r.comment !== null);
  const latest = latestResponse(withComment);
  return new Map([...latest].map(([id, r]) => [id, { text: r.comment!, date: r.date }]));
}

/**
 * latestComments for the customers `ids` only, from the responses in columns (no object made per
 * response): for a list of a few hundred customers out of a million responses.
 */
export function latestCommentsOf(responses: SurveyResponses, ids: ReadonlySet<string>): Map<string, LatestComment> {
  const latest = new Map<string, number>();
  for (let i = 0; i < responses.length; i++) {
    const id = responses.customerIds[i]!;
    if (id === null || responses.commentOf(i) === null || !ids.has(id)) continue;
    const current = latest.get(id);
    if (current === undefined || isLater(responses.dateOf(i), i, responses.dateOf(current), current)) latest.set(id, i);
  }
  return new Map(Array.from(latest, ([id, i]) => [id, { text: responses.commentOf(i)!, date: responses.dateOf(i) }]));
}

/** The rows of a list with each one's latest comment (latestCommentsOf its customers). */
export function withLatestComments<T extends { customerId: string; comment: string | null }>(rows: readonly T[], responses: SurveyResponses): T[] {
  const comments = latestCommentsOf(responses, new Set(rows.map((r) => r.customerId)));
  return rows.map((r) => ({ ...r, comment: comments.get(r.customerId)?.text ?? null }));
}

/**
 * Expected months a customer stays within `horizon` months when it leaves each month with
 * probability `hazard`: Σ_{k=1..H} (1 − h)^(k−1) = (1 − (1 − h)^H) / h, and H when h = 0.
 * @example expectedMonthsRemaining(0, 60) // => 60
 */
export function expectedMonthsRemaining(hazard: number, horizon: number): number {
  const h = Math.min(1, Math.max(0, hazard));
  return h === 0 ? horizon : (1 - (1 - h) ** horizon) / h;
}

/** What the lists need of a matched customer. */
export type ListInput = Pick<MatchedCustomer, "customerId" | "category" | "score" | "group" | "lastResponseDate" | "revenue" | "periodsActive" | "churned">;

export interface UpsellCustomer {
  rank: number;
  customerId: string;
  category: NpsCategory;
  score: number;
  group: string | null;
  lastResponseDate: number | null;
  /** The customer's revenue per month with a finance row (per period ÷ months per period). */
  revenuePerMonth: number;
  /** The median revenue per month of the group's matched customers. */
  groupMedian: number;
  /** groupMedian − revenuePerMonth (> 0). */
  headroom: number;
  /** Expected months left within the horizon at the category's monthly hazard; null without a hazard. */
  monthsRemaining: number | null;
  /** headroom × monthsRemaining: the revenue a customer raised to the median would add; null without a hazard. */
  potential: number | null;
  comment: string | null;
}

export interface UpsellOptions {
  top: number;
  includePassives?: boolean;
  /** Monthly churn hazard per category; null (or a missing category) when churn is not measured. */
  hazards: ReadonlyMap<NpsCategory, number | null>;
  horizonMonths: number;
  monthsPerPeriod: number;
  comments: ReadonlyMap<string, LatestComment>;
}

const byId = (a: { customerId: string }, b: { customerId: string }) => (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0);

/**
 * Promoters (and passives) still with the company whose revenue per month is below their group's
 * median, ranked by headroom × months remaining at their category's hazard (by headroom alone
 * when churn is not measured); ties by customer id. The median is over every matched customer of
 * the group with a finance period, whatever their answer.
 */
export function upsell(customers: readonly ListInput[], options: UpsellOptions): { eligible: number; customers: UpsellCustomer[] } {
  const perMonth = (c: ListInput) => c.revenue / (c.periodsActive! * options.monthsPerPeriod);
  const peers = new Map<string, number[]>();
  for (const c of customers) {
    if (c.periodsActive === null || c.periodsActive === 0) continue;
    const key = c.group ?? "";
    if (!peers.has(key)) peers.set(key, []);
    peers.get(key)!.push(perMonth(c));
  }
  const medians = new Map([...peers].map(([group, values]) => [group, median(values)]));
  const wanted = new Set<NpsCategory>(options.includePassives ? ["promoter", "passive"] : ["promoter"]);
  const rows: Omit<UpsellCustomer, "rank">[] = [];
  for (const c of customers) {
    if (!wanted.has(c.category) || c.churned === true || c.periodsActive === null || c.periodsActive === 0) continue;
    const groupMedian = medians.get(c.group ?? "")!;
    const revenuePerMonth = perMonth(c);
    const headroom = groupMedian - revenuePerMonth;
    if (!(headroom > 0)) continue;
    const hazard = options.hazards.get(c.category) ?? null;
    const monthsRemaining = hazard === null ? null : expectedMonthsRemaining(hazard, options.horizonMonths);
    rows.push({
      customerId: c.customerId,
      category: c.category,
      score: c.score,
      group: c.group,
      lastResponseDate: c.lastResponseDate,
      revenuePerMonth,
      groupMedian,
      headroom,
      monthsRemaining,
      potential: monthsRemaining === null ? null : headroom * monthsRemaining,
      comment: options.comments.get(c.customerId)?.text ?? null,
    });
  }
  rows.sort((a, b) => (b.potential ?? b.headroom) - (a.potential ?? a.headroom) || byId(a, b));
  return { eligible: rows.length, customers: rows.slice(0, options.top).map((r, i) => ({ rank: i + 1, ...r })) };
}

export interface AmbassadorInput {
  customerId: string;
  category: NpsCategory;
  score: number;
  group: string | null;
  lastResponseDate: number | null;
  /** Revenue over the window; null without finance. */
  revenue: number | null;
  churned: boolean | null;
}

export interface Ambassador {
  rank: number;
  customerId: string;
  score: number;
  group: string | null;
  lastResponseDate: number | null;
  /** The calendar month of the answer (YYYY-MM), the recency the ranking uses; null without dates. */
  answerMonth: string | null;
  revenue: number | null;
  comment: string | null;
}

/**
 * Promoters still with the company (all promoters without finance), for referral asks: ranked by
 * score (10 before 9), then by the month of their latest answer (recent first: they remember it),
 * then by revenue (a valuable customer's word carries), then by customer id.
 */
export function ambassadors(customers: readonly AmbassadorInput[], options: { top: number; comments: ReadonlyMap<string, LatestComment> }): { eligible: number; customers: Ambassador[] } {
  const monthOf = (date: number | null) => (date === null ? null : new Date(date).toISOString().slice(0, 7));
  const rows = customers
    .filter((c) => c.category === "promoter" && c.churned !== true)
    .map((c) => ({
      customerId: c.customerId,
      score: c.score,
      group: c.group,
      lastResponseDate: c.lastResponseDate,
      answerMonth: monthOf(c.lastResponseDate),
      revenue: c.revenue,
      comment: options.comments.get(c.customerId)?.text ?? null,
    }));
  rows.sort((a, b) => b.score - a.score || (b.answerMonth ?? "").localeCompare(a.answerMonth ?? "") || (b.revenue ?? 0) - (a.revenue ?? 0) || byId(a, b));
  return { eligible: rows.length, customers: rows.slice(0, options.top).map((r, i) => ({ rank: i + 1, ...r })) };
}
