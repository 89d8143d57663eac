/**
 * Each customer's latest response (shared/DESIGN.md section 3): by response date; on a tie, or
 * without dates, the later row of the file. Responses without a date count as earlier than
 * any dated one.
 */
import type { SurveyResponse, SurveyResponses } from "../normalise/survey.js";

/**
 * The latest of n responses per customer id, as the index of each: `idOf(i)` null skips a
 * response, `later(a, b)` says whether response a is later than response b.
 */
function latestIndices(n: number, idOf: (i: number) => string | null, later: (a: number, b: number) => boolean): Map<string, number> {
  const latest = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const id = idOf(i);
    if (id === null) continue;
    const current = latest.get(id);
    if (current === undefined || later(i, current)) latest.set(id, i);
  }
  return latest;
}

function isLater(dateA: number | null, orderA: number, dateB: number | null, orderB: number): boolean {
  const a = dateA ?? -Infinity;
  const b = dateB ?? -Infinity;
  if (a !== b) return a > b;
  return orderA > orderB;
}

/**
 * The latest response per customer id. Responses without a customer id are skipped.
 * @example latestResponse([{ customerId: "a", date: 2, order: 0 }, { customerId: "a", date: 1, order: 1 }]).get("a").date // => 2
 */
export function latestResponse<R extends Pick<SurveyResponse, "customerId" | "date" | "order">>(responses: readonly R[]): Map<string, R> {
  const indices = latestIndices(
    responses.length,
    (i) => responses[i]!.customerId,
    (a, b) => isLater(responses[a]!.date, responses[a]!.order, responses[b]!.date, responses[b]!.order),
  );
  return new Map(Array.from(indices, ([id, i]) => [id, responses[i]!]));
}

/**
 * Each customer's latest response among responses in columns, by its index there (the same rule
 * as latestResponse). `get` makes the response object on demand; `indexOf` and the columns read
 * it without one.
 */
export class LatestResponses {
  private readonly index: Map<string, number>;

  constructor(readonly responses: SurveyResponses) {
    const dateOf = (i: number) => responses.dateOf(i);
    this.index = latestIndices(
      responses.length,
      (i) => responses.customerIds[i]!,
      (a, b) => isLater(dateOf(a), a, dateOf(b), b),
    );
  }

  get size(): number {
    return this.index.size;
  }

  has(id: string): boolean {
    return this.index.has(id);
  }

  /** The index of the customer's latest response; undefined for an id that did not answer. */
  indexOf(id: string): number | undefined {
    return this.index.get(id);
  }

  get(id: string): SurveyResponse | undefined {
    const i = this.index.get(id);
    return i === undefined ? undefined : this.responses.at(i);
  }

  keys(): IterableIterator<string> {
    return this.index.keys();
  }

  /** Each id with the index of its latest response, in the order the ids first answered. */
  entries(): IterableIterator<[string, number]> {
    return this.index.entries();
  }
}
