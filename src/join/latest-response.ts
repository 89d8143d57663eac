/**
 * Each customer's latest response (shared/DESIGN.md section 3): by response date; on a tie, or
 * without dates, the later row of the file. Responses without a date count as earlier than
 * any dated one.
 */
import type { SurveyResponse, SurveyResponses } from "../normalise/survey.js";
import { IdTable } from "../read/id-table.js";
import type { SharedIds } from "./customer-store.js";

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

/** Whether a response (date, order) is later than another: by date (none is earliest), then by order. */
export function isLater(dateA: number | null, orderA: number, dateB: number | null, orderB: number): boolean {
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
 * it without one. The ids are kept in an IdTable (no Map lookup per finance customer, see
 * id-table.ts).
 */
export class LatestResponses {
  private readonly table = new IdTable();
  /** The customers, numbered in the order they first answered: the index of each one's latest response. */
  private latest = new Int32Array(1024);
  private customers = 0;
  /** Customers with more than one response, and per customer whether it has been counted there. */
  private repeats = 0;
  private repeated = new Uint8Array(1024);

  constructor(readonly responses: SurveyResponses) {
    const ids = responses.customerIds;
    for (let i = 0; i < responses.length; i++) {
      const id = ids[i]!;
      if (id === null) continue;
      const k = this.find(id);
      if (k < 0) {
        const made = this.customers++;
        if (made === this.latest.length) this.grow();
        this.latest[made] = i;
        this.table.addString(id, made);
      } else {
        if (this.repeated[k] === 0) {
          this.repeated[k] = 1;
          this.repeats += 1;
        }
        if (isLater(responses.dateOf(i), i, responses.dateOf(this.latest[k]!), this.latest[k]!)) this.latest[k] = i;
      }
    }
  }

  private grow(): void {
    const latest = new Int32Array(2 * this.latest.length);
    latest.set(this.latest);
    this.latest = latest;
    const repeated = new Uint8Array(2 * this.repeated.length);
    repeated.set(this.repeated);
    this.repeated = repeated;
  }

  /** Customers with more than one response. */
  get repeatRespondents(): number {
    return this.repeats;
  }

  /** The id's number, -1 for an id that did not answer (the table may hold others: sharedIds). */
  private find(id: string): number {
    const k = this.table.findString(id);
    return k < this.customers ? k : -1;
  }

  /**
   * The ids' table for a finance store to share (CustomerStore, SharedIds): the respondents are
   * its entries 0 to size − 1; the store adds the finance customers who did not answer, which
   * this class then never counts as respondents.
   */
  sharedIds(): SharedIds {
    return {
      table: this.table,
      idOf: (e) => {
        if (e >= this.customers) throw new Error("internal: the id of an entry that is not a respondent");
        return this.responses.customerIds[this.latest[e]!]!;
      },
      respondentOf: (e) => (e < this.customers ? this.latest[e]! : -1),
    };
  }

  get size(): number {
    return this.customers;
  }

  has(id: string): boolean {
    return this.find(id) >= 0;
  }

  /** The index of the customer's latest response; undefined for an id that did not answer. */
  indexOf(id: string): number | undefined {
    const k = this.find(id);
    return k < 0 ? undefined : this.latest[k];
  }

  get(id: string): SurveyResponse | undefined {
    const i = this.indexOf(id);
    return i === undefined ? undefined : this.responses.at(i);
  }

  /** The ids, in the order they first answered (each one's id as its latest response holds it). */
  *keys(): IterableIterator<string> {
    for (let k = 0; k < this.customers; k++) yield this.responses.customerIds[this.latest[k]!]!;
  }

  /** Each id with the index of its latest response, in the order the ids first answered. */
  *entries(): IterableIterator<[string, number]> {
    for (let k = 0; k < this.customers; k++) {
      const i = this.latest[k]!;
      yield [this.responses.customerIds[i]!, i];
    }
  }
}
