/**
 * Dates and finance periods from CSV cells, as sortable numbers. No `Date.parse`: it guesses
 * formats and time zones; everything here is explicit and time-zone free (UTC).
 */

function validDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const days = [31, year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return day <= days[month - 1]!;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * A response date as milliseconds since 1970 (UTC, local times taken as written).
 * Accepts YYYY-MM-DD with an optional time `hh:mm[:ss]` after a space or T.
 * Returns null for blank text; throws nothing, returns undefined for text that is not a date.
 * @example parseDate("2025-03-01 09:15:00") // => 1740820500000
 */
export function parseDate(text: string): number | null | undefined {
  const s = text.trim();
  if (s === "") return null;
  const match = ISO_DATE.exec(s);
  if (!match) return undefined;
  const [year, month, day, hour = 0, minute = 0, second = 0] = match.slice(1).map((part) => (part === undefined ? undefined : Number(part)));
  if (!validDay(year!, month!, day!) || hour > 23 || minute > 59 || second > 59) return undefined;
  return Date.UTC(year!, month! - 1, day!, hour, minute, second);
}

/** The number written by the ASCII digits text[from..to), or -1 when one is not a digit. */
function digitsAt(text: string, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    value = value * 10 + c;
  }
  return value;
}

export type PeriodGranularity = "month" | "quarter" | "year";

export interface Period {
  granularity: PeriodGranularity;
  /** Consecutive periods have consecutive ordinals: year·12 + month − 1, year·4 + quarter − 1, or the year. */
  ordinal: number;
}

/**
 * A finance period: YYYY-MM (month), YYYY-Qn or YYYYQn (quarter), YYYY (year), or a date
 * YYYY-MM-DD (its month). Returns undefined for anything else.
 * @example parsePeriod("2025-03") // => { granularity: "month", ordinal: 24302 }
 */
export function parsePeriod(text: string): Period | undefined {
  // YYYY-MM, the common case, without a regular expression
  if (text.length === 7 && text.charCodeAt(4) === 45) {
    const year = digitsAt(text, 0, 4);
    const month = digitsAt(text, 5, 7);
    if (year >= 0 && month >= 0) return month >= 1 && month <= 12 ? { granularity: "month", ordinal: year * 12 + month - 1 } : undefined;
  }
  const s = text.trim();
  let match = /^(\d{4})-(\d{2})$/.exec(s);
  if (match) {
    const month = Number(match[2]);
    return month >= 1 && month <= 12 ? { granularity: "month", ordinal: Number(match[1]) * 12 + month - 1 } : undefined;
  }
  match = /^(\d{4})-?[Qq]([1-4])$/.exec(s);
  if (match) return { granularity: "quarter", ordinal: Number(match[1]) * 4 + Number(match[2]) - 1 };
  if (/^\d{4}$/.test(s)) return { granularity: "year", ordinal: Number(s) };
  const date = parseDate(s);
  if (typeof date === "number") {
    const d = new Date(date);
    return { granularity: "month", ordinal: d.getUTCFullYear() * 12 + d.getUTCMonth() };
  }
  return undefined;
}

/** The text form of a period: 2025-03, 2025-Q1 or 2025. */
export function formatPeriod(period: Period): string {
  if (period.granularity === "year") return String(period.ordinal);
  if (period.granularity === "quarter") return `${Math.floor(period.ordinal / 4)}-Q${(period.ordinal % 4) + 1}`;
  return `${Math.floor(period.ordinal / 12)}-${String((period.ordinal % 12) + 1).padStart(2, "0")}`;
}

/** Date formats loyalty reads; each may carry a time `h:mm[:ss]`, with AM/PM for the slash formats. */
export type DateFormat = "YYYY-MM-DD" | "DD.MM.YYYY" | "MM/DD/YYYY" | "DD/MM/YYYY" | "DD-MM-YYYY";

export const DATE_FORMATS: readonly DateFormat[] = ["YYYY-MM-DD", "DD.MM.YYYY", "MM/DD/YYYY", "DD/MM/YYYY", "DD-MM-YYYY"];

const TIME = String.raw`(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*([AaPp][Mm])?)?`;
const PATTERNS: Record<Exclude<DateFormat, "YYYY-MM-DD">, RegExp> = {
  "DD.MM.YYYY": new RegExp(String.raw`^(\d{1,2})\.(\d{1,2})\.(\d{4})${TIME}$`),
  "MM/DD/YYYY": new RegExp(String.raw`^(\d{1,2})/(\d{1,2})/(\d{4})${TIME}$`),
  "DD/MM/YYYY": new RegExp(String.raw`^(\d{1,2})/(\d{1,2})/(\d{4})${TIME}$`),
  "DD-MM-YYYY": new RegExp(String.raw`^(\d{1,2})-(\d{1,2})-(\d{4})${TIME}$`),
};

/**
 * A date in the given format as UTC milliseconds; null for blank text, undefined when it does
 * not match or is impossible (31.02.2025, 13:00 PM).
 * @example parseDateAs("01/02/2025 9:15:31 AM", "MM/DD/YYYY") // => Date.UTC(2025, 0, 2, 9, 15, 31)
 */
export function parseDateAs(text: string, format: DateFormat): number | null | undefined {
  const s = text.trim();
  if (s === "") return null;
  if (format === "YYYY-MM-DD") return parseDate(s);
  const match = PATTERNS[format].exec(s);
  if (!match) return undefined;
  const [a, b, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const [month, day] = format === "MM/DD/YYYY" ? [a, b] : [b, a];
  let hour = match[4] === undefined ? 0 : Number(match[4]);
  const minute = match[5] === undefined ? 0 : Number(match[5]);
  const second = match[6] === undefined ? 0 : Number(match[6]);
  const meridiem = match[7]?.toUpperCase();
  if (meridiem) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (meridiem === "PM" ? 12 : 0);
  }
  if (!validDay(year, month, day) || hour > 23 || minute > 59 || second > 59) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

export type DateFormatInference = { format: DateFormat } | { ambiguous: DateFormat[]; example: string } | { unknown: string };

/**
 * The date format of a column from its values: the one format that reads every non-blank value.
 * Day/month order is told from values above 12; when nothing tells (01/02/2025 only), it is
 * ambiguous and the user must say (--date-format). Never guessed silently.
 */
export function inferDateFormat(values: Iterable<string>): DateFormatInference {
  let candidates = [...DATE_FORMATS];
  let example = "";
  // a text seen before reads as it did then: each distinct date is tried once
  const seen = new Set<string>();
  for (const text of values) {
    if (seen.has(text)) continue;
    if (seen.size < 100_000) seen.add(text);
    if (text.trim() === "") continue;
    if (example === "") example = text.trim();
    candidates = candidates.filter((format) => typeof parseDateAs(text, format) === "number");
    if (candidates.length === 0) return { unknown: text.trim() };
  }
  if (candidates.length === 0 || example === "") return { format: "YYYY-MM-DD" };
  if (candidates.length === 1) return { format: candidates[0]! };
  return { ambiguous: candidates, example };
}
