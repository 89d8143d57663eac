import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Absolute path of a file under fixtures/. */
export function fixturePath(...parts: string[]): string {
  return fileURLToPath(new URL(`../../fixtures/${parts.join("/")}`, import.meta.url));
}

/** A JSON fixture, parsed. */
export function readJsonFixture<T = unknown>(...parts: string[]): T {
  return JSON.parse(readFileSync(fixturePath(...parts), "utf8")) as T;
}

/**
 * A simple numeric CSV fixture (no embedded delimiters or newlines), as header + rows.
 * Used only for the R data sets (swiss), whose first column is a quoted label.
 */
export function readSimpleCsv(...parts: string[]): { header: string[]; rows: string[][] } {
  const lines = readFileSync(fixturePath(...parts), "utf8").trim().split(/\r?\n/);
  const split = (line: string) => line.split(",").map((cell) => cell.replace(/^"|"$/g, ""));
  return { header: split(lines[0]!), rows: lines.slice(1).map(split) };
}

/** expect(actual).toBeCloseTo(expected) with a relative tolerance, for values of any magnitude. */
export function relativeError(actual: number, expected: number): number {
  if (expected === 0) return Math.abs(actual);
  return Math.abs(actual - expected) / Math.abs(expected);
}
