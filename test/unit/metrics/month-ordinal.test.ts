import { describe, expect, it } from "vitest";
import { monthOrdinalOf } from "../../../src/metrics/trend.js";
import { createRandom } from "../../../src/stats/random.js";

// the definition: the UTC month of the Date at that time
const byDate = (time: number) => {
  const day = new Date(time);
  return day.getUTCFullYear() * 12 + day.getUTCMonth();
};

describe("monthOrdinalOf", () => {
  it("gives Date's UTC month at every month's first and last millisecond from 1600 to 2400, and at random times", () => {
    for (let year = 1600; year <= 2400; year++) {
      for (let month = 0; month < 12; month++) {
        const start = Date.UTC(year, month, 1);
        for (const time of [start, start - 1, start + 1, start + 86_399_999, Date.UTC(year, month + 1, 1) - 1]) expect(monthOrdinalOf(time), new Date(time).toISOString()).toBe(byDate(time));
      }
    }
    const random = createRandom(7);
    for (let k = 0; k < 100_000; k++) {
      const time = Math.round((random.next() * 2 - 1) * 8.64e15);
      expect(monthOrdinalOf(time)).toBe(byDate(time));
    }
    // negative years, and the ends of Date's range
    for (const time of [Date.UTC(-1, 1, 29), Date.UTC(-400, 2, 1) - 1, 8.64e15, -8.64e15]) expect(monthOrdinalOf(time)).toBe(byDate(time));
  });

  it("is NaN where Date is invalid", () => {
    for (const time of [8.64e15 + 1, -8.64e15 - 1, Number.NaN, Infinity]) {
      expect(monthOrdinalOf(time)).toBeNaN();
      expect(byDate(time)).toBeNaN();
    }
  });
});
