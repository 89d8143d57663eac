/**
 * Which columns are driver ratings. A driver is a touchpoint rating: whole numbers on a rating
 * scale (1-5, 1-7, 0-10, 1-10, 0-100) or rating words of one vocabulary (Poor … Excellent,
 * Mycket missnöjd … Mycket nöjd). Binary flags (a 0/1 churn flag, Yes/No), identifiers, ages,
 * counts, money and other models' scores are not, even when their values would fit. Every column
 * gets a reason, so `inspect` can say why it was or was not taken. Pure.
 */
import { isMissing, normaliseHeader, type ColumnRef } from "./column-roles.js";
import { readOnce } from "./coerce.js";
import { detectWordScale, wordValue, type WordScale } from "./rating-words.js";

/** A blank or NA cell, to a column's reader (classifyDriverColumns). */
const MISSING = Symbol("missing");

export interface DriverCandidate {
  name: string;
  index: number;
  /** Whether the column is taken as a driver by default. */
  taken: boolean;
  /** Why it is, or is not, a driver, in words. */
  reason: string;
  /** The words and their values when the ratings are written as words. */
  wordScale: WordScale | null;
}

/**
 * The most drivers a model is fitted on. Beyond it the importances (exact LMG to 20 drivers, Monte
 * Carlo above) and their bootstrap would take hours, and a survey with more rating columns is better
 * served by naming the touchpoints that matter.
 */
export const MAX_DRIVERS = 60;

/** Survey-tool bookkeeping columns (Qualtrics, SurveyMonkey, Typeform), never drivers. */
const METADATA = new Set([
  "startdate", "start date", "enddate", "end date", "status", "ipaddress", "ip address", "progress", "duration in seconds", "duration", "finished",
  "recordeddate", "recorded date", "responseid", "response id", "recipientlastname", "recipientfirstname", "recipientemail",
  "externalreference", "externaldatareference", "locationlatitude", "locationlongitude", "distributionchannel", "userlanguage",
  "respondent id", "collector id", "email address", "first name", "last name", "custom data 1", "network id", "response type",
  "responseset", "response set", "name", "emailaddress",
]);

/** Header words that mark identifiers. */
const ID_WORDS = new Set(["id", "nr", "no", "number", "uuid", "token", "index", "key", "code", "ref", "reference"]);

/**
 * Header words that say the column is something other than a rating: another model's output, a
 * flag, an age, a count, money, a place or a time. "score" counts here too (the NPS score is
 * taken before drivers are looked for), except in "value for money"-like touchpoints.
 */
const NOT_RATING_WORDS = [
  "churn", "churned", "churner", "cltv", "clv", "ltv", "lifetime", "age", "ages", "alder", "count", "counts", "antal", "quantity", "qty",
  "score", "value", "revenue", "sales", "income", "salary", "spend", "spent", "amount", "charges", "charge", "payment", "payments", "price paid",
  "cost", "costs", "total", "tenure", "months", "years", "year", "days", "probability", "prob", "latitude", "longitude", "lat", "lon", "zip",
  "postal", "postcode", "phone", "flag", "dummy", "status", "segment", "group", "cluster", "weight", "population", "dependents", "senior",
];

/** Phrases where a word above is still a rating ("value for money", "price/value"). */
const RATING_PHRASES = ["value for money", "price value", "value of money", "vardet for pengarna", "valuta for pengene", "prisvard"];

/** Whether the header names an identifier or survey-tool bookkeeping. */
export function looksLikeIdentifier(name: string): boolean {
  const normalised = normaliseHeader(name);
  if (METADATA.has(normalised) || /nps group$/.test(normalised)) return true;
  const words = normalised.split(" ");
  return words.some((w) => ID_WORDS.has(w)) || /id$/.test(words.join("")) || /^v\d+$/.test(normalised);
}

/** The header word that marks a non-rating column, or null. */
function notRatingWord(name: string): string | null {
  const normalised = normaliseHeader(name);
  if (RATING_PHRASES.some((phrase) => normalised.includes(phrase))) return null;
  const words = normalised.split(" ");
  // "TotalCharges", "ChurnValue": split camel case too
  const camel = name.replace(/([a-z])([A-Z])/g, "$1 $2");
  const allWords = new Set([...words, ...normaliseHeader(camel).split(" ")]);
  for (const word of NOT_RATING_WORDS) {
    if (word.includes(" ") ? normalised.includes(word) : allWords.has(word)) return word;
  }
  return null;
}

/**
 * How many cells outside the rating scale a column may have and still be a rating column: one in
 * ten or more values, and two per hundred; each such cell is then a reject of its row from the
 * driver model, with its line and column.
 */
export function ratingTolerance(values: number): number {
  return values < 10 ? 0 : Math.max(1, Math.floor(values * 0.02));
}

/** A number with a scale label after it, as survey tools export ratings: "4 - Good", "5: Mycket nöjd". */
export function parseLabelledNumber(text: string): number | null {
  const match = /^\+?(\d{1,3})(?:[.,]0+)?\s*[-–:]\s*\p{L}.*$/u.exec(text.trim());
  return match ? Number(match[1]) : null;
}

/**
 * The scale a column of rating words is read on: the user's --rating-map when it holds all but
 * `tolerance` of the answers, else the built-in vocabulary that does; null when neither does.
 */
export function wordScaleOf(texts: readonly string[], tolerance: number, ratingMap?: WordScale | null): WordScale | null {
  if (ratingMap && texts.filter((t) => !isMissing(t) && wordValue(ratingMap, t) === undefined).length <= tolerance) return ratingMap;
  return detectWordScale(texts, tolerance);
}

/**
 * Classifies every column that is not another role.
 * @param column the column's cells, in row order (asked again for a column of words)
 * @param parse a cell as a number, or null when it is not one
 * @param ratingMap the user's --rating-map, used for word columns before the built-in vocabularies
 * @param counted the column's distinct texts with their counts, in the order they first appear (where known: fewer reads than every cell)
 */
function* once(texts: Iterable<string>): IterableIterator<[string, number]> {
  for (const text of texts) yield [text, 1];
}

export function classifyDriverColumns(
  header: readonly string[],
  roles: readonly (ColumnRef | null)[],
  column: (index: number) => Iterable<string>,
  parse: (text: string) => number | null,
  ratingMap?: WordScale | null,
  counted?: (index: number) => Iterable<[string, number]>,
): DriverCandidate[] {
  const taken = new Set(roles.filter((r): r is ColumnRef => r !== null).map((r) => r.index));
  const candidates: DriverCandidate[] = [];
  header.forEach((name, index) => {
    if (taken.has(index)) return;
    const no = (reason: string): void => void candidates.push({ name, index, taken: false, reason, wordScale: null });
    if (name === "") return no("it has no header name");
    if (looksLikeIdentifier(name)) return no("its header marks an identifier or survey-tool bookkeeping");
    const word = notRatingWord(name);
    if (word) return no(`its header ("${word}") says it is not a rating`);
    const distinct = new Set<number>();
    let values = 0;
    let outside = 0;
    let notNumbers = 0;
    let firstOutside: string | null = null;
    let fraction = false;
    // each distinct text read once (a rating column has a handful); MISSING for a blank or NA cell
    const read = readOnce((text: string) => (isMissing(text) ? MISSING : (parse(text) ?? parseLabelledNumber(text))));
    // each text with how many cells have it (each cell once without `counted`); the first text outside is the first in row order either way
    for (const [text, n] of counted ? counted(index) : once(column(index))) {
      const value = read(text);
      if (value === MISSING) continue;
      values += n;
      if (value === null || !Number.isInteger(value) || value < 0 || value > 100) {
        if (value !== null && !Number.isInteger(value)) fraction = true;
        if (value === null) notNumbers += n;
        outside += n;
        firstOutside ??= text;
        continue;
      }
      distinct.add(value);
    }
    if (values === 0) return no("it is empty");
    const tolerance = ratingTolerance(values);
    if (outside > tolerance) {
      // not numbers: maybe rating words (the answered cells, in row order)
      const words = [...column(index)].filter((text) => !isMissing(text));
      const scale = wordScaleOf(words, tolerance, ratingMap);
      if (scale) {
        const used = new Set(words.map((w) => wordValue(scale, w)).filter((v) => v !== undefined));
        if (used.size < 2) return no("it holds one rating word only");
        if (used.size === 2 && /yes\/maybe\/no/.test(scale.name)) return no("it is a yes/no flag, not a rating (name it with --drivers to use it)");
        return void candidates.push({ name, index, taken: true, reason: `rating words (${scale.name}, ${scale.min}-${scale.max})`, wordScale: scale });
      }
      if (fraction && outside === values) return no("it holds numbers with decimals, not ratings");
      return no(`its values are not ratings (e.g. ${JSON.stringify(firstOutside!.length > 30 ? `${firstOutside!.slice(0, 30)}…` : firstOutside)})`);
    }
    if (distinct.size < 2) return no("it has the same value in every row");
    if ([...distinct].every((v) => v === 0 || v === 1)) return no("it only holds 0 and 1: a flag, not a rating (name it with --drivers to use it)");
    const max = Math.max(...distinct);
    const min = Math.min(...distinct);
    const others = [
      notNumbers > 0 ? `${notNumbers} value${notNumbers === 1 ? "" : "s"} not a number (${notNumbers === 1 ? "its row is" : "their rows are"} left out of the driver model)` : "",
      outside > notNumbers ? `${outside - notNumbers} number${outside - notNumbers === 1 ? "" : "s"} that ${outside - notNumbers === 1 ? "is" : "are"} not a whole number 0-100 (read as written)` : "",
    ].filter((t) => t !== "");
    candidates.push({ name, index, taken: true, reason: `whole numbers ${min}-${max}${others.length > 0 ? `, with ${others.join(" and ")}` : ""}`, wordScale: null });
  });
  return candidates;
}
