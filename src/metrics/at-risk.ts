/**
 * The rescue list: the matched customers whose latest answer was a detractor (or passive, when
 * asked), ranked by the revenue at stake, so someone can call the valuable ones first.
 */
import type { MatchedCustomer } from "../join/join-customers.js";
import type { NpsCategory } from "./nps.js";

export interface AtRiskCustomer {
  rank: number;
  customerId: string;
  category: NpsCategory;
  score: number;
  group: string | null;
  /** Date of the latest response (UTC milliseconds); null without dates. */
  lastResponseDate: number | null;
  revenue: number;
  margin: number | null;
  /** Months (periods) with a finance row. */
  monthsActive: number | null;
  churned: boolean | null;
  /** The customer's latest comment; null without one. */
  comment: string | null;
}

/**
 * Detractors (and passives with `includePassives`) ranked by revenue over the window, highest
 * first; ties by customer id. At most `top` customers.
 * @example atRisk(customers, { top: 200 })[0].rank // => 1
 */
export function atRisk(customers: readonly MatchedCustomer[], options: { top: number; includePassives?: boolean; comments?: ReadonlyMap<string, { text: string }> }): AtRiskCustomer[] {
  const wanted = new Set<NpsCategory>(options.includePassives ? ["detractor", "passive"] : ["detractor"]);
  return customers
    .filter((c) => wanted.has(c.category))
    .sort((a, b) => b.revenue - a.revenue || (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0))
    .slice(0, options.top)
    .map((c, index) => ({
      rank: index + 1,
      customerId: c.customerId,
      category: c.category,
      score: c.score,
      group: c.group,
      lastResponseDate: c.lastResponseDate,
      revenue: c.revenue,
      margin: c.cost === null ? null : c.revenue - c.cost,
      monthsActive: c.periodsActive,
      churned: c.churned,
      comment: options.comments?.get(c.customerId)?.text ?? null,
    }));
}
