import { describe, expect, it } from "vitest";
import { formatPeriod, parseDate, parsePeriod } from "../../../src/read/parse-date.js";
import { parseNumber, plainNumber } from "../../../src/read/parse-number.js";

describe("parseNumber", () => {
  it("parses plain and grouped numbers for either decimal mark", () => {
    expect(parseNumber("1234.5")).toBe(1234.5);
    expect(parseNumber(" -12 ")).toBe(-12);
    expect(parseNumber("1,234.50")).toBe(1234.5);
    expect(parseNumber("1 234,50", ",")).toBe(1234.5);
    expect(parseNumber("1\u00a0234,50", ",")).toBe(1234.5);
    expect(parseNumber("1\u202f234,50", ",")).toBe(1234.5);
    expect(parseNumber("1.234,50", ",")).toBe(1234.5);
    expect(parseNumber("\u221212,5", ",")).toBe(-12.5);
    expect(parseNumber("1e3")).toBe(1000);
    expect(parseNumber(".5")).toBe(0.5);
    expect(parseNumber("5.")).toBe(5);
    expect(parseNumber("1 234 567")).toBe(1234567);
    expect(parseNumber("-0,5", ",")).toBe(-0.5);
  });
  it("returns null for blank, text and ambiguous or malformed groupings, never 0 or NaN", () => {
    for (const text of ["", "  ", "TBD", "#N/A", "NaN", "Infinity", "12,5", "1,23.4", "1.2.3", "--1", "1e999", "1 0", "12 34", "1 234 5", ".", "-", "1e", "1,234 567.5"]) {
      expect(parseNumber(text), text).toBeNull();
    }
    expect(parseNumber("12.5", ",")).toBeNull();
  });
});

describe("parseDate", () => {
  it("reads ISO dates with optional times, as UTC milliseconds", () => {
    expect(parseDate("2025-03-01")).toBe(Date.UTC(2025, 2, 1));
    expect(parseDate("2025-03-01 09:15:31")).toBe(Date.UTC(2025, 2, 1, 9, 15, 31));
    expect(parseDate("2025-03-01T09:15")).toBe(Date.UTC(2025, 2, 1, 9, 15));
    expect(parseDate("")).toBeNull();
  });
  it("refuses impossible or other-format dates", () => {
    for (const text of ["2025-02-29", "2025-13-01", "01/02/2025", "2025-3-1", "yesterday"]) expect(parseDate(text), text).toBeUndefined();
    expect(parseDate("2024-02-29")).toBe(Date.UTC(2024, 1, 29));
  });
});

describe("parsePeriod", () => {
  it("reads months, quarters, years and dates (as their month)", () => {
    expect(parsePeriod("2025-03")).toEqual({ granularity: "month", ordinal: 2025 * 12 + 2 });
    expect(parsePeriod("2025-Q2")).toEqual({ granularity: "quarter", ordinal: 2025 * 4 + 1 });
    expect(parsePeriod("2025")).toEqual({ granularity: "year", ordinal: 2025 });
    expect(parsePeriod("2025-03-17")).toEqual(parsePeriod("2025-03"));
    expect(parsePeriod("2025-13")).toBeUndefined();
    expect(parsePeriod("March")).toBeUndefined();
    expect(formatPeriod(parsePeriod("2025-12")!)).toBe("2025-12");
    expect(formatPeriod(parsePeriod("2025Q4")!)).toBe("2025-Q4");
  });
});

describe("the fast paths read exactly what the patterns did", () => {
  // the patterns parseNumber and parsePeriod used before their fast paths; random strings of the characters that matter
  const PLAIN = { ".": /^[+-]?\d+(?:\.\d+)?$/, ",": /^[+-]?\d+(?:,\d+)?$/ } as const;
  const random = (() => {
    let a = 7;
    return () => ((a = (Math.imul(a, 1103515245) + 12345) >>> 0) / 4294967296);
  })();
  const text = (alphabet: string, max: number) => Array.from({ length: Math.floor(random() * max) }, () => alphabet[Math.floor(random() * alphabet.length)]).join("");

  it("plainNumber: the plain pattern's numbers, NaN for the rest, on 20,000 strings", () => {
    for (let k = 0; k < 20_000; k++) {
      const s = text("0123456789.,+- e", 9);
      for (const mark of [".", ","] as const) {
        const expected = PLAIN[mark].test(s) ? Number(mark === "," ? s.replace(",", ".") : s) : NaN;
        expect(plainNumber(s, mark), JSON.stringify(s)).toBe(expected);
      }
    }
    expect(plainNumber("9".repeat(400), ".")).toBeNaN();
    expect(parseNumber("9".repeat(400))).toBeNull();
    expect(parseNumber("-0012.50")).toBe(-12.5);
  });

  it("parsePeriod: YYYY-MM read from its characters as by the pattern", () => {
    for (let k = 0; k < 20_000; k++) {
      const s = k % 2 ? text("0123456789-", 8) : `${text("0123456789", 5)}-${text("0123456789a", 3)}`;
      const match = /^(\d{4})-(\d{2})$/.exec(s.trim());
      const period = parsePeriod(s);
      if (match) {
        const month = Number(match[2]);
        expect(period, s).toEqual(month >= 1 && month <= 12 ? { granularity: "month", ordinal: Number(match[1]) * 12 + month - 1 } : undefined);
      } else if (s.length === 7 && s[4] === "-") expect(period?.granularity === "month" && /^\d{4}-\d{2}$/.test(s), s).toBe(false);
    }
  });
});
