/**
 * Each customer's latest response (shared/DESIGN.md section 3): by response date; on a tie, or
 * without dates, the later row of the file. Responses without a date count as earlier than
 * any dated one.
 */
import type { SurveyResponse } from "../normalise/survey.js";

/**
 * The latest response per customer id. Responses without a customer id are skipped.
 * @example latestResponse([{ customerId: "a", date: 2, order: 0 }, { customerId: "a", date: 1, order: 1 }]).get("a").date // => 2
 */
export function latestResponse<R extends Pick<SurveyResponse, "customerId" | "date" | "order">>(responses: readonly R[]): Map<string, R> {
  const latest = new Map<string, R>();
  for (const response of responses) {
    if (response.customerId === null) continue;
    const current = latest.get(response.customerId);
    if (!current || isLater(response, current)) latest.set(response.customerId, response);
  }
  return latest;
}

function isLater(a: Pick<SurveyResponse, "date" | "order">, b: Pick<SurveyResponse, "date" | "order">): boolean {
  const dateA = a.date ?? -Infinity;
  const dateB = b.date ?? -Infinity;
  if (dateA !== dateB) return dateA > dateB;
  return a.order > b.order;
}
