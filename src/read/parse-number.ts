/**
 * Locale-aware number parsing for CSV cells. Never `Number(text)`: `Number("")` is 0 and
 * `Number("1,5")` is NaN, and both would silently misread a cell.
 */

export type DecimalMark = "." | ",";

/** Space, no-break space and narrow no-break space: thousands separators in Nordic locales. */
const SPACE_GROUPS = /^\d{1,3}([ \u00a0\u202f]\d{3})+$/;
const COMMA_GROUPS = /^\d{1,3}(,\d{3})+$/;
const DOT_GROUPS = /^\d{1,3}(\.\d{3})+$/;

/**
 * Parses a number written with the given decimal mark. Accepts a leading + or - (also the
 * Unicode minus U+2212), thousands separated by spaces (any kind) or by the other mark, always
 * in groups of three, and an exponent. Returns null for anything else, including blank text.
 * @example parseNumber("1 234,50", ",") // => 1234.5
 * @example parseNumber("1,234.50", ".") // => 1234.5
 * @example parseNumber("12,5", ".") // => null (ambiguous under a "." decimal mark)
 */
export function parseNumber(text: string, decimal: DecimalMark = "."): number | null {
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
