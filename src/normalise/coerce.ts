/**
 * Cell text → typed values, with the policy for missing and invalid values in one place.
 * `null` means "not answered"; `undefined` means "invalid" (the row is rejected).
 */
import { parseNumber, type DecimalMark } from "../read/parse-number.js";
import { isMissing } from "./column-roles.js";

/**
 * A 0-10 likelihood-to-recommend answer. "9", " 9 ", "9.0" and "9,0" are 9; blank, NA, N/A and
 * #N/A are null (not answered, never 0); 11, -1, 7.5 or text are undefined (invalid).
 * @example parseScore("9.0") // => 9
 */
export function parseScore(text: string): number | null | undefined {
  if (isMissing(text)) return null;
  const match = /^\+?(\d{1,2})(?:[.,]0+)?$/.exec(text.trim());
  if (!match) return undefined;
  const score = Number(match[1]);
  return score <= 10 ? score : undefined;
}

/** A numeric cell: null when not answered, undefined when not a number. */
export function parseNumericCell(text: string, decimal: DecimalMark): number | null | undefined {
  if (isMissing(text)) return null;
  return parseNumber(text, decimal) ?? undefined;
}

/** Quotes a cell value for a message, shortened and with control characters made visible. */
export function quoteValue(text: string): string {
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return JSON.stringify(shown);
}
