// The byte-keyed id table (join/id-table.ts) against a Map, and the store and the latest responses
// that keep their ids in it: an id is the same customer however it comes (as bytes or as a
// string), and ids that are not ASCII (kept in a Map beside the table) are found as well.
import { describe, expect, it } from "vitest";
import { hashBytes, IdTable } from "../../../src/read/id-table.js";
import { CustomerStore } from "../../../src/join/customer-store.js";
import { LatestResponses, latestResponse } from "../../../src/join/latest-response.js";
import { SurveyResponses, type SurveyResponse } from "../../../src/normalise/survey.js";
import { categoryOf } from "../../../src/metrics/nps.js";
import { createRandom } from "../../../src/stats/random.js";

describe("IdTable", () => {
  it("finds every id it holds, as bytes and as a string, past many doublings, and no other", () => {
    const random = createRandom(11);
    const table = new IdTable();
    const want = new Map<string, number>();
    // prefixes of one another (C1, C10, C100), other lengths, and the empty id
    const ids = ["", "C1", "C10", "C100", ...Array.from({ length: 20_000 }, (_, i) => `C${i * 7}-${random.integer(0, 99)}`)];
    ids.forEach((id) => {
      if (want.has(id)) return;
      const value = random.integer(0, 1e9);
      want.set(id, value);
      if (random.chance(0.5)) table.addString(id, value);
      else {
        const bytes = Buffer.from(`..${id}..`, "latin1");
        table.addBytes(bytes, 2, 2 + id.length, hashBytes(bytes, 2, 2 + id.length), value);
      }
    });
    expect(table.size).toBe(want.size);
    for (const [id, value] of want) {
      expect(table.findString(id)).toBe(value);
      const bytes = Buffer.from(`x${id}`, "latin1");
      expect(table.findBytes(bytes, 1, bytes.length, hashBytes(bytes, 1, bytes.length))).toBe(value);
    }
    for (const absent of ["C", "C1000000", "C7-", "c1", "C1 "]) {
      expect(table.findString(absent)).toBe(-1);
      const bytes = Buffer.from(absent, "latin1");
      expect(table.findBytes(bytes, 0, bytes.length, hashBytes(bytes, 0, bytes.length))).toBe(-1);
    }
    // ids that are not ASCII (kept apart in a Map), beside ASCII ids that share their bytes up to the first
    expect(table.findString("C1é")).toBe(-1);
    table.addString("C1é", 7);
    table.addString("Åbo-1", 8);
    expect(table.findString("C1é")).toBe(7);
    expect(table.findString("Åbo-1")).toBe(8);
    expect(table.findString("C1")).toBe(want.get("C1"));
    expect(table.findString("Åbo-2")).toBe(-1);
    expect(table.size).toBe(want.size + 2);
  });
});

describe("CustomerStore ids", () => {
  it("gives an id the same number as bytes and as a string, and keeps ids that are not ASCII apart", () => {
    const store = new CustomerStore();
    const bytes = Buffer.from("C1,C2,Åbo-3", "utf8");
    const byString = store.slot("C2", false);
    const byBytes = store.slotOfBytes(bytes, 0, 2, false);
    expect(byBytes).not.toBe(byString);
    expect(store.slotOfBytes(bytes, 3, 5, false)).toBe(byString);
    expect(store.slot("C1", false)).toBe(byBytes);
    const other = store.slot("Åbo-3", false);
    expect(store.slot("Åbo-3", false)).toBe(other);
    expect(store.size).toBe(3);
    expect([...store.keys()]).toEqual(["C2", "C1", "Åbo-3"]);
    expect(store.numberOf("Åbo-3")).toBe(other);
    expect(store.numberOf("C1")).toBe(byBytes);
    expect(store.has("Åbo-4")).toBe(false);
    expect(store.numberOf("C3")).toBeUndefined();
    expect(store.get("Åbo-3")!.rows).toBe(0);
  });
});

describe("LatestResponses ids", () => {
  it("picks the same responses as latestResponse for ASCII and other ids, in the order they first answered", () => {
    const response = (customerId: string | null, score: number, date: number | null, order: number): SurveyResponse => ({
      line: order + 2, order, customerId, score, category: categoryOf(score), date, group: null, drivers: [], weight: 1, outcome: null, comment: null, owner: null, ratingsValid: true,
    });
    const random = createRandom(5);
    // ids that answer many times, and some that answer once or twice (more customers than the first columns hold)
    const names = ["a", "Åsa", "b", "Øystein", "ü", "c", "d1", "d10", ...Array.from({ length: 3000 }, (_, i) => `once${i}`)];
    const list = Array.from({ length: 4000 }, (_, i) => response(random.chance(0.05) ? null : random.pick(names), random.integer(0, 10), random.chance(0.3) ? null : random.integer(1, 9), i));
    const columns = new SurveyResponses(list.length, 0);
    for (const r of list) columns.push(r);
    const latest = new LatestResponses(columns);
    const objects = latestResponse(list);
    expect([...latest.keys()]).toEqual([...objects.keys()]);
    expect([...latest.entries()]).toEqual([...objects].map(([id, r]) => [id, r.order]));
    expect(latest.size).toBe(objects.size);
    for (const [id, r] of objects) expect(latest.indexOf(id)).toBe(r.order);
    const counts = new Map<string, number>();
    for (const r of list) if (r.customerId !== null) counts.set(r.customerId, (counts.get(r.customerId) ?? 0) + 1);
    expect(latest.repeatRespondents).toBe([...counts.values()].filter((n) => n > 1).length);
    expect(new LatestResponses(columns).repeatRespondents).toBeGreaterThan(0);
    expect(latest.indexOf("Åsa2")).toBeUndefined();
    expect(latest.has("e")).toBe(false);
  });
});
