/**
 * Locale-aware number parsing for CSV cells. Never `Number(text)`: `Number("")` is 0 and
 * `Number("1,5")` is NaN, and both would silently misread a cell.
 */

export type DecimalMark = "." | ",";

/**
 * The largest magnitude loyalty accepts in a numeric cell: beyond about 1e15 a sum of a few
 * thousand values loses whole units (doubles hold 15-16 digits), and near 1e308 it overflows to
 * Infinity. A larger value is a rejected cell, never a number in a report.
 */
export const MAX_MAGNITUDE = 1e15;

/** Space, no-break space and narrow no-break space: thousands separators in Nordic locales. */
const SPACE_GROUPS = /^\d{1,3}([ \u00a0\u202f]\d{3})+$/;
const COMMA_GROUPS = /^\d{1,3}(,\d{3})+$/;
const DOT_GROUPS = /^\d{1,3}(\.\d{3})+$/;
const PLAIN_POINT = /^[+-]?\d+(?:\.\d+)?$/;
const PLAIN_COMMA = /^[+-]?\d+(?:,\d+)?$/;

/**
 * A plain number, as most exports write one: an optional sign, digits, and the decimal mark with
 * digits after it (what the PLAIN_POINT and PLAIN_COMMA patterns match), read without a regular
 * expression or a string made on the way for a decimal point. NaN for anything else, which then
 * takes the general path (parseNumber, parseMoney); NaN also when the digits overflow to Infinity.
 * @example plainNumber("-12.50", ".") // => -12.5
 * @example plainNumber("12,50", ",") // => 12.5
 * @example plainNumber(" 12", ".") // => NaN
 */
export function plainNumber(text: string, decimal: DecimalMark): number {
  const n = text.length;
  let i = 0;
  let c = text.charCodeAt(0);
  if (c === 43 || c === 45) i = 1;
  const digits = i;
  while (i < n && (c = text.charCodeAt(i)) >= 48 && c <= 57) i++;
  if (i === digits) return NaN;
  let mark = -1;
  if (i < n) {
    if (c !== (decimal === "." ? 46 : 44)) return NaN;
    mark = i++;
    const fraction = i;
    while (i < n && (c = text.charCodeAt(i)) >= 48 && c <= 57) i++;
    if (i === fraction || i < n) return NaN;
  }
  const value = Number(mark >= 0 && decimal === "," ? `${text.slice(0, mark)}.${text.slice(mark + 1)}` : text);
  return Number.isFinite(value) ? value : NaN;
}

/**
 * Parses a number written with the given decimal mark. Accepts a leading + or - (also the
 * Unicode minus U+2212), thousands separated by spaces (any kind) or by the other mark, always
 * in groups of three, and an exponent. Returns null for anything else, including blank text.
 * @example parseNumber("1 234,50", ",") // => 1234.5
 * @example parseNumber("1,234.50", ".") // => 1234.5
 * @example parseNumber("12,5", ".") // => null (ambiguous under a "." decimal mark)
 */
export function parseNumber(text: string, decimal: DecimalMark = "."): number | null {
  // the common case first (a plain number, as most exports write it): the general path below is slow on millions of cells
  const plain = plainNumber(text, decimal);
  if (plain === plain) return plain;
  // 400 digits are a valid pattern but Infinity as a number
  if ((decimal === "." ? PLAIN_POINT : PLAIN_COMMA).test(text)) return null;
  let s = text.trim().replace(/^\u2212/, "-");
  const sign = s.startsWith("-") ? "-" : "";
  if (s.startsWith("-") || s.startsWith("+")) s = s.slice(1);
  const exponentAt = s.search(/[eE]/);
  const exponent = exponentAt === -1 ? "" : s.slice(exponentAt);
  const mantissa = exponentAt === -1 ? s : s.slice(0, exponentAt);
  const parts = mantissa.split(decimal);
  if (parts.length > 2) return null;
  let [integer, fraction] = parts as [string, string | undefined];
  if (!/^\d*$/.test(integer)) {
    const groups = decimal === "." ? COMMA_GROUPS : DOT_GROUPS;
    if (!SPACE_GROUPS.test(integer) && !groups.test(integer)) return null;
    integer = integer.replace(/\D/g, "");
  }
  if (fraction !== undefined && !/^\d*$/.test(fraction)) return null;
  if (integer === "" && !fraction) return null;
  if (exponent !== "" && !/^[eE][+-]?\d+$/.test(exponent)) return null;
  const value = Number(`${sign}${integer || "0"}${fraction ? `.${fraction}` : ""}${exponent}`);
  return Number.isFinite(value) ? value : null;
}

const CURRENCIES: Record<string, string> = { kr: "kr", "kr.": "kr", sek: "SEK", nok: "NOK", dkk: "DKK", eur: "EUR", "€": "EUR", usd: "USD", $: "USD", gbp: "GBP", "£": "GBP" };
const CURRENCY_BEFORE = /^(kr\.?|sek|nok|dkk|eur|usd|gbp|€|\$|£)\s*/i;
const CURRENCY_AFTER = /\s*(kr\.?|sek|nok|dkk|eur|usd|gbp|€|\$|£)$/i;

export interface Money {
  value: number;
  /** The currency written with the amount (SEK, EUR, kr…), or null. */
  currency: string | null;
}

/**
 * An amount of money: a number (see parseNumber) with an optional currency before or after it.
 * @example parseMoney("1 234,50 kr", ",") // => { value: 1234.5, currency: "kr" }
 * @example parseMoney("€1,234.50", ".") // => { value: 1234.5, currency: "EUR" }
 */
export function parseMoney(text: string, decimal: DecimalMark): Money | null {
  let s = text.trim();
  let currency: string | null = null;
  const before = CURRENCY_BEFORE.exec(s);
  if (before) {
    currency = CURRENCIES[before[1]!.toLowerCase()]!;
    s = s.slice(before[0].length);
  } else {
    const after = CURRENCY_AFTER.exec(s);
    if (after) {
      currency = CURRENCIES[after[1]!.toLowerCase()]!;
      s = s.slice(0, s.length - after[0].length);
    }
  }
  const value = parseNumber(s, decimal);
  return value === null ? null : { value, currency };
}

/**
 * The decimal mark of a column from its values: a value with both marks ends in the decimal one;
 * a value with one mark not followed by exactly three digits ("12,5", "1234.56") uses it as the
 * decimal mark; "1,234" alone tells nothing. With no evidence, `fallback`.
 * @returns the mark, or `{ conflict }` with one example of each when the values disagree
 */
export function inferDecimalMark(values: Iterable<string>, fallback: DecimalMark): DecimalMark | { conflict: [string, string] } {
  let dot: string | null = null;
  let comma: string | null = null;
  for (const raw of values) {
    const text = raw.trim().replace(CURRENCY_BEFORE, "").replace(CURRENCY_AFTER, "");
    const lastDot = text.lastIndexOf(".");
    const lastComma = text.lastIndexOf(",");
    let vote: DecimalMark | null = null;
    if (lastDot !== -1 && lastComma !== -1) vote = lastDot > lastComma ? "." : ",";
    else if (lastComma !== -1) vote = /^[+\-−]?\d{1,3}(,\d{3})+$/.test(text) ? null : ",";
    else if (lastDot !== -1) vote = /^[+\-−]?\d{1,3}(\.\d{3})+$/.test(text) ? null : ".";
    if (vote === ".") dot ??= raw.trim();
    if (vote === ",") comma ??= raw.trim();
  }
  if (dot !== null && comma !== null) return { conflict: [dot, comma] };
  return dot !== null ? "." : comma !== null ? "," : fallback;
}
