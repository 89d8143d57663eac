/**
 * Cell text → typed values, with the policy for missing and invalid values in one place.
 * `null` means "not answered"; `undefined` means "invalid" (the row is rejected).
 */
import { MAX_MAGNITUDE, parseNumber, type DecimalMark } from "../read/parse-number.js";
import { isMissing } from "./column-roles.js";

/**
 * A likelihood-to-recommend answer on a scale (0-10 by default). "9", " 9 ", "9.0" and "9,0" are
 * 9, and so is the choice text "9 - Very likely" that survey tools export; blank, NA, N/A and #N/A
 * are null (not answered, never 0); 11, -1, 7.5 or other text are undefined (invalid).
 * @example parseScore("10 - Extremely likely") // => 10
 */
export function parseScore(text: string, scale: { min: number; max: number } = { min: 0, max: 10 }): number | null | undefined {
  if (isMissing(text)) return null;
  const match = /^\+?(\d{1,3})(?:[.,]0+)?(?:\s*[-–:]\s*\p{L}.*)?$/u.exec(text.trim());
  if (!match) return undefined;
  const score = Number(match[1]);
  return score >= scale.min && score <= scale.max ? score : undefined;
}

/** A numeric cell: null when not answered, undefined when not a number or beyond ±1e15 (MAX_MAGNITUDE). */
export function parseNumericCell(text: string, decimal: DecimalMark): number | null | undefined {
  if (isMissing(text)) return null;
  const value = parseNumber(text, decimal);
  return value === null || Math.abs(value) > MAX_MAGNITUDE ? undefined : value;
}

/**
 * `read` with its result kept per text, for a column whose cells repeat (scores, ratings, dates):
 * a survey of a million rows has a few hundred distinct texts in such a column, and each is read
 * once. `read` must be pure (the same text, the same result). At most `limit` texts are kept; a
 * column whose first `limit` cells were mostly new (ids, times to the second) stops being looked up.
 */
export function readOnce<T>(read: (text: string) => T, limit = 4096): (text: string) => T {
  const known = new Map<string, T>();
  let asked = 0;
  let found = 0;
  let looking = true;
  return (text) => {
    if (!looking) return read(text);
    asked++;
    const value = known.get(text);
    if (value !== undefined || known.has(text)) {
      found++;
      return value as T;
    }
    const made = read(text);
    if (known.size < limit) known.set(text, made);
    else if (found * 2 < asked) looking = false;
    return made;
  };
}

/** Quotes a cell value for a message, shortened and with control characters made visible. */
export function quoteValue(text: string): string {
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return JSON.stringify(shown);
}
