import { describe, expect, it } from "vitest";
import { driverRegression } from "../../../src/metrics/drivers.js";
import { rowsWhere, rowsWithValues } from "../../../src/metrics/driver-importance.js";
import { createRandom } from "../../../src/stats/random.js";

const outcome = [9, 4, 7, 10, 6, 8, 3, 9, 5, 7];
const service = [8, 3, 6, 10, 5, 8, 2, 9, 5, 6];
const price = [7, 5, 6, 9, 6, 7, 4, 8, 4, 7];

describe("driverRegression", () => {
  it("deletes incomplete rows listwise and counts them", () => {
    const analysis = driverRegression("nps", outcome, [
      { name: "service", values: [...service.slice(0, 9), null] },
      { name: "price", values: [null, ...price.slice(1)] },
    ]);
    expect(analysis.model!.n).toBe(8);
    expect(analysis.model!.droppedIncomplete).toBe(2);
    expect(analysis.model!.missingByDriver).toEqual([
      { driver: "service", missing: 1 },
      { driver: "price", missing: 1 },
    ]);
  });

  it("leaves out a constant driver with a warning naming it", () => {
    const analysis = driverRegression("nps", outcome, [
      { name: "service", values: service },
      { name: "parking", values: outcome.map(() => 5) },
    ]);
    expect(analysis.model!.drivers).toEqual(["service"]);
    expect(analysis.model!.excluded).toEqual([{ driver: "parking", reason: "constant" }]);
    expect(analysis.warnings[0]!.message).toMatch(/driver "parking" has the same value/);
    expect(JSON.stringify(analysis)).not.toMatch(/NaN|Infinity/);
  });

  it("leaves out a driver that is a linear combination of earlier ones, naming both", () => {
    const analysis = driverRegression("nps", outcome, [
      { name: "service", values: service },
      { name: "price", values: price },
      { name: "overall", values: service.map((s, i) => (s + price[i]!) / 2) },
    ]);
    expect(analysis.model!.drivers).toEqual(["service", "price"]);
    expect(analysis.warnings[0]!.code).toBe("driver-collinear");
    expect(analysis.warnings[0]!.message).toMatch(/"overall" is an exact linear combination of "service", "price"/);
  });

  it("gives no model, and says why, when there are too few complete rows", () => {
    const analysis = driverRegression("nps", [9, 4, 7], [
      { name: "service", values: [8, 3, 6] },
      { name: "price", values: [7, 5, 6] },
    ]);
    expect(analysis.model).toBeNull();
    expect(analysis.warnings[0]!.message).toMatch(/only 3 responses answer every driver/);
  });
});

describe("rowsWithValues", () => {
  it("keeps the rows rowsWhere keeps with a test over the columns: every column with a value, or any", () => {
    const random = createRandom(4);
    for (let trial = 0; trial < 50; trial++) {
      const n = random.integer(0, 300);
      const columns = Array.from({ length: random.integer(0, 6) }, () => Float64Array.from({ length: n }, () => (random.next() < 0.2 ? Number.NaN : random.integer(0, 10))));
      const every = (row: number) => columns.every((c) => !Number.isNaN(c[row]!));
      const any = (row: number) => columns.some((c) => !Number.isNaN(c[row]!));
      expect(rowsWithValues(columns, n, true)).toEqual(rowsWhere(n, every));
      expect(rowsWithValues(columns, n, false)).toEqual(rowsWhere(n, any));
    }
  });
});
