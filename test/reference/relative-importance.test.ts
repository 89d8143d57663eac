import { describe, expect, it } from "vitest";
import { correlationMatrix } from "../../src/stats/correlation.js";
import { relativeImportance } from "../../src/stats/relative-importance.js";
import { readJsonFixture, readSimpleCsv, relativeError } from "../support/fixtures.js";

type Measure = Record<string, number>;
interface SwissExpected {
  outcome: string;
  drivers: string[];
  r_squared: number;
  importance: {
    lmg: Measure;
    lmg_share: Measure;
    relative_weights: Measure;
    relative_weights_share: Measure;
    first: Measure;
    last: Measure;
    pratt: Measure;
  };
}
interface Vectors {
  attitude: { outcome: string; drivers: string[]; r_squared: number; importance: Record<"lmg" | "first" | "last" | "pratt" | "genizi", Measure> };
  mtcars: { outcome: string; drivers: string[]; r_squared: number; importance: Record<"lmg" | "genizi", Measure> };
}

function importanceOf(file: string, outcome: string, drivers: string[]) {
  const { header, rows } = readSimpleCsv("reference", file);
  const column = (name: string) => rows.map((row) => Number(row[header.indexOf(name)]));
  return relativeImportance(correlationMatrix([...drivers.map(column), column(outcome)]));
}

// R: relaimpo::calc.relimp(lm(Fertility ~ ., swiss), type = c("lmg", "genizi", "first", "last", "pratt")), rela = FALSE and TRUE
describe("relative importance on swiss (shared/reference/swiss-expected.json)", () => {
  const expected = readJsonFixture<SwissExpected>("reference", "swiss-expected.json");
  const result = importanceOf("swiss.csv", expected.outcome, expected.drivers);
  const check = (values: number[], want: Measure, what: string) =>
    expected.drivers.forEach((driver, j) => expect(relativeError(values[j]!, want[driver]!), `${what} ${driver}`).toBeLessThan(1e-9));
  const shares = (values: number[]) => values.map((v) => v / values.reduce((a, b) => a + b, 0));

  it("R²", () => expect(relativeError(result.rSquared, expected.r_squared)).toBeLessThan(1e-12));
  it("LMG raw and shares", () => {
    check(result.lmg, expected.importance.lmg, "lmg");
    check(shares(result.lmg), expected.importance.lmg_share, "lmg share");
  });
  it("Johnson's relative weights raw and shares", () => {
    check(result.relativeWeights, expected.importance.relative_weights, "rw");
    check(shares(result.relativeWeights), expected.importance.relative_weights_share, "rw share");
  });
  it("first, last and Pratt", () => {
    check(result.first, expected.importance.first, "first");
    check(result.last, expected.importance.last, "last");
    check(result.pratt, expected.importance.pratt, "pratt");
  });
  it("LMG and relative weights each sum to R²", () => {
    expect(result.lmg.reduce((a, b) => a + b, 0)).toBeCloseTo(result.rSquared, 12);
    expect(result.relativeWeights.reduce((a, b) => a + b, 0)).toBeCloseTo(result.rSquared, 12);
    expect(result.pratt.reduce((a, b) => a + b, 0)).toBeCloseTo(result.rSquared, 12);
  });
});

// Values printed by relaimpo 2.2-7 to 10 decimals (shared/METHODS.md b3, KD-2 and KD-3), so compared to 1e-9 absolute.
describe("relative importance on attitude and mtcars (METHODS.md b3)", () => {
  const vectors = readJsonFixture<Vectors>("reference", "relaimpo-vectors.json");
  it("attitude: lmg, first, last, pratt, genizi", () => {
    const { outcome, drivers, r_squared, importance } = vectors.attitude;
    const result = importanceOf("attitude.csv", outcome, drivers);
    expect(result.rSquared).toBeCloseTo(r_squared, 9);
    const pairs = [
      [result.lmg, importance.lmg],
      [result.first, importance.first],
      [result.last, importance.last],
      [result.pratt, importance.pratt],
      [result.relativeWeights, importance.genizi],
    ] as const;
    for (const [values, want] of pairs) drivers.forEach((driver, j) => expect(values[j], driver).toBeCloseTo(want[driver]!, 9));
  });
  it("mtcars: Johnson's relative weights (rwa README) and lmg", () => {
    const { outcome, drivers, r_squared, importance } = vectors.mtcars;
    const result = importanceOf("mtcars.csv", outcome, drivers);
    expect(result.rSquared).toBeCloseTo(r_squared, 9);
    drivers.forEach((driver, j) => {
      expect(result.relativeWeights[j], driver).toBeCloseTo(importance.genizi[driver]!, 10);
      expect(result.lmg[j], driver).toBeCloseTo(importance.lmg[driver]!, 10);
    });
  });
});
