/**
 * Locale-aware number parsing for CSV cells. Never `Number(text)`: `Number("")` is 0 and
 * `Number("1,5")` is NaN, and both would silently misread a cell.
 */

export type DecimalMark = "." | ",";

/** Space, no-break space and narrow no-break space: thousands separators in Nordic locales. */
const SPACES = /[ \u00a0\u202f]/g;

/**
 * Parses a number written with the given decimal mark. Accepts a leading + or - (also the
 * Unicode minus U+2212), thousands separated by spaces (any kind) or by the other mark in
 * groups of three, and an exponent. Returns null for anything else, including blank text.
 * @example parseNumber("1 234,50", ",") // => 1234.5
 * @example parseNumber("1,234.50", ".") // => 1234.5
 * @example parseNumber("12,5", ".") // => null (ambiguous under a "." decimal mark)
 */
export function parseNumber(text: string, decimal: DecimalMark = "."): number | null {
  let s = text.trim().replace(/^\u2212/, "-");
  if (s === "") return null;
  s = s.replace(SPACES, "");
  const thousands = decimal === "." ? "," : ".";
  if (s.includes(thousands)) {
    // thousands separators only in proper groups of three before any decimal mark
    const [integerPart] = s.split(decimal);
    const grouped = new RegExp(`^[+-]?\\d{1,3}(\\${thousands}\\d{3})+$`);
    if (!grouped.test(integerPart!)) return null;
    s = s.split(thousands).join("");
  }
  if (decimal === ",") s = s.replace(",", ".");
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return null;
  const value = Number(s);
  return Number.isFinite(value) ? value : null;
}
