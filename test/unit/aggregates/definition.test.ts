import { describe, expect, it } from "vitest";
import { AGGREGATE_FILES, parsePeriodList } from "../../../src/aggregates/definition.js";

describe("the periods cell of customers.csv", () => {
  it("reads period:revenue:cost entries, the cost empty without a cost column, any spacing between", () => {
    expect(parsePeriodList("2025-01:10.5:4 2025-02:3:")).toEqual([
      { period: "2025-01", revenue: 10.5, cost: 4 },
      { period: "2025-02", revenue: 3, cost: null },
    ]);
    expect(parsePeriodList("  2025-Q1:-1.25:0\t2025-Q2:1e-7:2.5  \n")).toEqual([
      { period: "2025-Q1", revenue: -1.25, cost: 0 },
      { period: "2025-Q2", revenue: 1e-7, cost: 2.5 },
    ]);
    expect(parsePeriodList("")).toEqual([]);
    // DuckDB's shortest text of a double
    expect(parsePeriodList("2025-03:0.30000000000000004:1.2345678901234568e+16")).toEqual([{ period: "2025-03", revenue: 0.30000000000000004, cost: 12345678901234568 }]);
  });
  it("reads each amount as Number() does, to the last bit (plain decimals without a string, the rest by Number)", () => {
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const texts = ["0", "-0", "1.", ".5", "-.25", "+3", "1e3", "007.10", "123456789012345", "1234567890123456", "0.1", "0.30000000000000004", "-99999999999.9999"];
    for (let k = 0; k < 5000; k++) {
      const whole = String(Math.floor(next() * 10 ** Math.floor(next() * 12)));
      const decimals = Math.floor(next() * 8);
      const fraction = decimals === 0 ? "" : `.${String(Math.floor(next() * 10 ** decimals)).padStart(decimals, "0")}`;
      texts.push(`${next() < 0.3 ? "-" : ""}${whole}${fraction}`);
    }
    const list = parsePeriodList(texts.map((t, i) => `2025-01:${t}:${texts[texts.length - 1 - i]}`).join(" "));
    expect(Array.isArray(list)).toBe(true);
    (list as { revenue: number; cost: number | null }[]).forEach((entry, i) => {
      expect(Object.is(entry.revenue, Number(texts[i])), texts[i]).toBe(true);
      expect(Object.is(entry.cost, Number(texts[texts.length - 1 - i])), texts[texts.length - 1 - i]).toBe(true);
    });
    expect(parsePeriodList("2025-01:-:1")).toBe('expected a revenue in "2025-01:-:1", got "-"');
    expect(parsePeriodList("2025-01:.:1")).toBe('expected a revenue in "2025-01:.:1", got "."');
    expect(parsePeriodList("2025-01:1.2.3:1")).toBe('expected a revenue in "2025-01:1.2.3:1", got "1.2.3"');
  });
  it("says what is wrong with an entry", () => {
    expect(parsePeriodList("2025-01:10")).toBe('expected "period:revenue:cost" entries separated by spaces, got "2025-01:10"');
    expect(parsePeriodList("2025-01:1:2:3")).toBe('expected "period:revenue:cost" entries separated by spaces, got "2025-01:1:2:3"');
    expect(parsePeriodList("2025-01:1:2 2025-02")).toBe('expected "period:revenue:cost" entries separated by spaces, got "2025-02"');
    expect(parsePeriodList("2025-01::2")).toBe('expected a revenue in "2025-01::2", got ""');
    expect(parsePeriodList("2025-01:1,5:2")).toBe('expected a revenue in "2025-01:1,5:2", got "1,5"');
    expect(parsePeriodList("2025-01:1:x")).toBe('expected a cost (or nothing) in "2025-01:1:x", got "x"');
  });
  it("names every column of every file once", () => {
    for (const file of AGGREGATE_FILES) expect(new Set(file.columns.map((c) => c.name)).size).toBe(file.columns.length);
    expect(AGGREGATE_FILES.map((f) => f.name)).toEqual(["customers", "coverage", "summary"]);
  });
});
