/**
 * The JSON rendering: full precision, the Report's own stable key order, two-space indent,
 * a final newline. -0 is written as 0; NaN and Infinity cannot occur (the schema forbids them)
 * and would be an error here rather than a silent `null`.
 */
import type { Report } from "./report.js";

export function renderJson(report: Report): string {
  return `${JSON.stringify(
    report,
    (_key, value: unknown) => {
      if (typeof value === "number") {
        if (!Number.isFinite(value)) throw new RangeError(`report holds a non-finite number (${value})`);
        return Object.is(value, -0) ? 0 : value;
      }
      return value;
    },
    2,
  )}\n`;
}
