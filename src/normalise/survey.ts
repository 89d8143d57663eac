/**
 * Survey rows → typed responses, with reject accounting. Pure: takes records already read.
 */
import { InputError } from "../errors.js";
import type { RecordTable } from "../read/record-table.js";
import { inferDateFormat, parseDateAs, type DateFormat } from "../read/parse-date.js";
import type { Layout } from "../read/detect-layout.js";
import type { DecimalMark } from "../read/parse-number.js";
import { MAX_LISTED_REJECTS, atHeaderLine, emptyAccount, recordExclusion, recordReject, repeatsHeader, type InputAccount, type RowReject } from "./accounting.js";
import { NPS_CATEGORIES, NPS_SCALE, defaultScale, scaleCategory, type NpsCategory, type ScoreScale } from "../metrics/nps.js";
import { parseNumericCell, parseScore, quoteValue, readOnce } from "./coerce.js";
import { MAX_DRIVERS, classifyDriverColumns, parseLabelledNumber, ratingTolerance, wordScaleOf } from "./driver-columns.js";
import { describeWords, detectWordScale, wordValue, type WordScale } from "./rating-words.js";
import {
  isMissing,
  resolveSurveyColumns,
  type ColumnRef,
  type SurveyColumnFlags,
  type SurveyColumns,
} from "./column-roles.js";

export interface SurveyResponse {
  /** Physical line of the row in its file. */
  line: number;
  /** Position among accepted rows: breaks ties between equal dates (the later row wins). */
  order: number;
  customerId: string | null;
  score: number;
  /** The score's category on the survey's scale (0-10 NPS unless --scale says otherwise). */
  category: NpsCategory;
  /** Response date as UTC milliseconds; null when the file has no date or the cell is blank. */
  date: number | null;
  group: string | null;
  /** One value per driver column, null where not answered. */
  drivers: (number | null)[];
  weight: number;
  /** The --outcome column's value; null when not answered or without --outcome. */
  outcome: number | null;
  /** The free-text comment, trimmed; null when blank or without a comment column. */
  comment: string | null;
  /** The owner of the interaction (--owner); null without an owner column, "(blank)" when blank. */
  owner: string | null;
  /** False when a rating (or the --outcome value) was invalid: the score counts, the row stays out of the driver model. */
  ratingsValid: boolean;
}

/** Names (groups, owners) as small codes: −1 for null. */
export class Names {
  readonly list: string[] = [];
  private readonly codes = new Map<string, number>();
  code(name: string | null): number {
    if (name === null) return -1;
    let code = this.codes.get(name);
    if (code === undefined) {
      code = this.list.length;
      this.list.push(name);
      this.codes.set(name, code);
    }
    return code;
  }
  name(code: number): string | null {
    return code < 0 ? null : this.list[code]!;
  }
  /** The code of a name given before; −1 for one never given. */
  codeOf(name: string): number {
    return this.codes.get(name) ?? -1;
  }
}

/**
 * The responses in columns, in file order: response i's fields at index i (its `order` is i), a
 * missing number NaN, each driver's ratings a column (`ratings[j][i]`), groups and owners as
 * codes. About 200 bytes a response with its id and comment, where an object per response took
 * about 370. Iteration and `at` hand out `SurveyResponse` objects, made on demand. The score,
 * outcome and rating columns are in shared memory: the driver analyses' threads read them as they
 * are, with no copy.
 */
export class SurveyResponses implements Iterable<SurveyResponse> {
  length = 0;
  readonly line: Int32Array;
  readonly customerIds: (string | null)[] = [];
  readonly score: Float64Array;
  /** The index into NPS_CATEGORIES. */
  readonly category: Uint8Array;
  readonly date: Float64Array;
  readonly groupCode: Int32Array;
  /** Empty once releaseRatings has been called. */
  readonly ratings: Float64Array[];
  private ratingsReleased = false;
  /** Empty when kept without weights (weightOf reads either way). */
  readonly weight: Float64Array;
  /** Empty when kept without outcomes (outcomeOf reads either way). */
  readonly outcome: Float64Array;
  /** The responses' comments, up to the last response with one (a survey read without comments keeps none: no slot per response). */
  private readonly comments: (string | null)[] = [];
  readonly ownerCode: Int32Array;
  readonly ratingsValid: Uint8Array;
  readonly groups = new Names();
  private readonly owners = new Names();

  /** Whether the weight and outcome columns are kept (a survey without those columns has weight 1 and no outcome). */
  private readonly weighted: boolean;
  private readonly withOutcome: boolean;
  private readonly withOwner: boolean;

  /**
   * Room for `capacity` responses of `drivers` ratings each; `kept.weight` false: every weight is 1
   * and no column is made for it (8 bytes a response), `kept.outcome` false: no response has an
   * outcome (the score is the outcome), likewise; `kept.owner` false: no response has an owner.
   */
  constructor(
    capacity: number,
    readonly drivers: number,
    kept: { weight?: boolean; outcome?: boolean; owner?: boolean } = {},
  ) {
    this.weighted = kept.weight ?? true;
    this.withOutcome = kept.outcome ?? true;
    this.withOwner = kept.owner ?? true;
    const shared = () => new Float64Array(new SharedArrayBuffer(8 * Math.max(1, capacity))).subarray(0, capacity);
    this.line = new Int32Array(capacity);
    this.score = shared();
    this.category = new Uint8Array(capacity);
    this.date = new Float64Array(capacity);
    this.groupCode = new Int32Array(capacity);
    this.ratings = Array.from({ length: drivers }, shared);
    this.weight = new Float64Array(this.weighted ? capacity : 0);
    this.outcome = this.withOutcome ? shared() : new Float64Array(0);
    this.ownerCode = new Int32Array(this.withOwner ? capacity : 0);
    this.ratingsValid = new Uint8Array(capacity);
  }

  /** Adds a response after the last (its `order` is its index, whatever the one given). */
  push(r: Omit<SurveyResponse, "order">): void {
    const i = this.add(r.line, r.customerId, r.score, r.category, r.date, this.groups.code(r.group), r.weight, r.outcome, r.comment, this.owners.code(r.owner), r.ratingsValid);
    for (let j = 0; j < this.drivers; j++) this.ratings[j]![i] = r.drivers[j] ?? Number.NaN;
  }

  /**
   * push in columns: a response whose group and owner are codes (groupCodeOf, ownerCodeOf) and
   * whose ratings the caller writes at ratings[j][i] (NaN where not answered); returns i.
   */
  add(line: number, customerId: string | null, score: number, category: NpsCategory, date: number | null, groupCode: number, weight: number, outcome: number | null, comment: string | null, ownerCode: number, ratingsValid: boolean): number {
    const i = this.length++;
    this.line[i] = line;
    this.customerIds.push(customerId);
    this.score[i] = score;
    this.category[i] = NPS_CATEGORIES.indexOf(category);
    this.date[i] = date ?? Number.NaN;
    this.groupCode[i] = groupCode;
    if (this.weighted) this.weight[i] = weight;
    else if (weight !== 1) throw new Error("internal: a weight other than 1 for responses kept without weights");
    if (this.withOutcome) this.outcome[i] = outcome ?? Number.NaN;
    else if (outcome !== null) throw new Error("internal: an outcome for responses kept without outcomes");
    if (comment !== null) {
      while (this.comments.length < i) this.comments.push(null);
      this.comments.push(comment);
    }
    if (this.withOwner) this.ownerCode[i] = ownerCode;
    else if (ownerCode !== -1) throw new Error("internal: an owner for responses kept without owners");
    this.ratingsValid[i] = ratingsValid ? 1 : 0;
    return i;
  }

  /** Response i's comment; null without one. */
  commentOf(i: number): string | null {
    return this.comments[i] ?? null;
  }

  /** The code of a group name (made for a name not seen before); −1 for null. */
  groupCodeOf(name: string | null): number {
    return this.groups.code(name);
  }

  ownerCodeOf(name: string | null): number {
    return this.owners.code(name);
  }

  categoryOf(i: number): NpsCategory {
    return NPS_CATEGORIES[this.category[i]!]!;
  }

  groupOf(i: number): string | null {
    return this.groups.name(this.groupCode[i]!);
  }

  /** Response i's owner (who owned the interaction), null without one. */
  ownerOf(i: number): string | null {
    return this.withOwner ? this.owners.name(this.ownerCode[i]!) : null;
  }

  /** Response i's weight (1 when the survey has no weight column). */
  weightOf(i: number): number {
    return this.weighted ? this.weight[i]! : 1;
  }

  /** Response i's outcome; null when not answered or without an outcome column. */
  outcomeOf(i: number): number | null {
    if (!this.withOutcome) return null;
    const outcome = this.outcome[i]!;
    return Number.isNaN(outcome) ? null : outcome;
  }

  dateOf(i: number): number | null {
    const date = this.date[i]!;
    return Number.isNaN(date) ? null : date;
  }

  /**
   * Lets the ratings go (a million responses' five ratings: 40 MB), for a caller done with them
   * (the driver analyses); reading a response's ratings afterwards (at, iteration) throws.
   */
  releaseRatings(): void {
    this.ratings.fill(new Float64Array(0));
    this.ratingsReleased = true;
  }

  /** Response i as an object. */
  at(i: number): SurveyResponse {
    if (this.ratingsReleased && this.drivers > 0) throw new Error("internal: a response's ratings were read after the responses let them go");
    const drivers = new Array<number | null>(this.drivers);
    for (let j = 0; j < this.drivers; j++) {
      const value = this.ratings[j]![i]!;
      drivers[j] = Number.isNaN(value) ? null : value;
    }
    return {
      line: this.line[i]!,
      order: i,
      customerId: this.customerIds[i]!,
      score: this.score[i]!,
      category: this.categoryOf(i),
      date: this.dateOf(i),
      group: this.groupOf(i),
      drivers,
      weight: this.weightOf(i),
      outcome: this.outcomeOf(i),
      comment: this.commentOf(i),
      owner: this.ownerOf(i),
      ratingsValid: this.ratingsValid[i] === 1,
    };
  }

  *[Symbol.iterator](): IterableIterator<SurveyResponse> {
    for (let i = 0; i < this.length; i++) yield this.at(i);
  }

  /**
   * Each response's customer, date, order, category, weight and group, without the rest of `at`'s
   * object (its ratings, comment, owner): for a metric that keeps some of them (the trend keeps
   * each customer's latest per period: a million of these are a fraction of a million responses).
   */
  *brief(): IterableIterator<Pick<SurveyResponse, "customerId" | "date" | "order" | "category" | "weight" | "group">> {
    for (let i = 0; i < this.length; i++) {
      yield { customerId: this.customerIds[i]!, date: this.dateOf(i), order: i, category: this.categoryOf(i), weight: this.weightOf(i), group: this.groupOf(i) };
    }
  }
}

export interface SurveyData {
  file: string;
  columns: SurveyColumns;
  responses: SurveyResponses;
  account: InputAccount;
  /** Accepted rows whose score was blank or NA: excluded from every analysis, counted here. */
  scoreMissing: number;
  /** Rows with fewer fields than the header, padded as not answered. */
  shortRows: number;
  /** Rows with a blank group value (kept under the group "(blank)"). */
  blankGroup: number;
  /** Rows with a date column but a blank date. */
  blankDate: number;
  /** Customer ids written like Excel's scientific notation (1.00000E+11): the real ids are lost. */
  scientificIds: number;
  /**
   * Scored rows with an invalid rating or --outcome value: accepted (their score counts), but left
   * out of the driver model; `rejects` locates the first of them.
   */
  ratingRejects: { rows: number; rejects: RowReject[] };
  /** Columns read as words (the score with --score-map or a vocabulary; ratings), and on which scale. */
  wordScales: { column: string; scale: WordScale }[];
  /** How many columns looked like ratings when they were more than MAX_DRIVERS (then none is a driver); else 0. */
  tooManyDrivers: number;
}

export const BLANK_GROUP = "(blank)";

/**
 * A column's texts with how many records have each: each distinct text once (in the order they
 * first appear) where the table codes the column, else every cell once.
 */
function* textCounts(table: RecordTable, k: number): IterableIterator<[string, number]> {
  const counted = table.counted(k);
  if (counted === null) {
    for (const text of table.cells(k)) yield [text, 1];
    return;
  }
  for (let c = 0; c < counted.texts.length; c++) if (counted.counts[c]! > 0) yield [counted.texts[c]!, counted.counts[c]!];
}

/** Whether record i's fields from `from` on are all blank. */
function trailingBlank(table: RecordTable, i: number, from: number): boolean {
  for (let k = from; k < table.fieldCount(i); k++) if (table.cell(i, k)!.trim() !== "") return false;
  return true;
}

/** The text of record i's cell in a column; a missing trailing field reads as blank (as cellOf). */
function cellAt(table: RecordTable, i: number, column: ColumnRef): string {
  return table.cell(i, column.index) ?? "";
}

/** A reject located at record i's line and a column (as rejectAt). */
function rejectAtRow(table: RecordTable, i: number, column: ColumnRef, reason: string): RowReject {
  return { line: table.line(i), column: column.index + 1, columnName: column.name, reason };
}

/**
 * Loads survey responses: resolves the columns (flags or detection), detects the drivers when
 * not named, and validates every row. A row with an invalid score, driver, date or weight is
 * rejected and counted; a blank score is "not answered" (counted, never 0).
 * @throws {InputError} when a row has more fields than the header (the file is misaligned)
 */
export interface SurveyLoadOptions {
  /** Question texts per column (survey-tool exports), used to find the score column. */
  labels?: readonly string[];
  layout?: Layout;
  /** The response dates' format; inferred from the values when absent. */
  dateFormat?: DateFormat | undefined;
  /** The score's scale and cut-offs, from --scale / --categories; 0-10 NPS when absent (and a 1-5 or 1-7 column is an error). */
  scale?: ScoreScale | undefined;
  /** The header row as written, to recognise it repeated mid-file. */
  rawHeader?: readonly string[];
  /** Header names that occur more than once. */
  duplicateNames?: readonly string[];
  /** The header's line (1 unless a sep= line or a workbook's title rows come first). */
  headerLine?: number;
  /** --score-map: score words to numbers on the scale. */
  scoreMap?: WordScale | undefined;
  /** --rating-map: rating words to numbers, for driver columns written as words. */
  ratingMap?: WordScale | undefined;
  /** Keep each response's comment (the lists show them); false: the column is found, its texts are not kept (a report shows none). Default true. */
  keepComments?: boolean | undefined;
}

/**
 * Whether a column holds free text: of its first 1,000 answered cells, fewer than half are numbers
 * (a "feedback score" or a "reason code" column is not a comment).
 */
function isTextColumn(table: RecordTable, index: number, decimal: DecimalMark): boolean {
  let answered = 0;
  let numbers = 0;
  for (let i = 0; i < table.length; i++) {
    const text = table.cell(i, index) ?? "";
    if (isMissing(text)) continue;
    answered++;
    if (parseNumericCell(text, decimal) !== undefined) numbers++;
    if (answered === 1000) break;
  }
  return numbers * 2 < answered || answered === 0;
}

/** Qualtrics response types to keep: normal (IP Address), imported and offline responses. */
const QUALTRICS_KEEP = new Set(["0", "4", "16", "ip address", "imported", "offline"]);

/** Why a Qualtrics row is left out, or null to keep it. */
function qualtricsExclusion(table: RecordTable, i: number, finished: ColumnRef | null, status: ColumnRef | null): string | null {
  if (status) {
    const value = cellAt(table, i, status).trim();
    if (value !== "" && !QUALTRICS_KEEP.has(value.toLowerCase())) return `Qualtrics preview, test or spam response (Status "${value}")`;
  }
  if (finished) {
    const value = cellAt(table, i, finished).trim().toLowerCase();
    if (value === "0" || value === "false") return "unfinished Qualtrics response (Finished is false)";
  }
  return null;
}

/**
 * A score column whose answers all lie within 1-5 or 1-7 is another scale, not NPS: bucketed with
 * 0-10 cut-offs every answer would be a detractor. Say so rather than report NPS -100.
 */
function checkNpsScale(file: string, column: ColumnRef, table: RecordTable, readScore: (text: string) => number | null | undefined): void {
  let min = Infinity;
  let max = -Infinity;
  let count = 0;
  for (const [text, n] of textCounts(table, column.index)) {
    const score = readScore(text);
    if (score === null || score === undefined) continue;
    count += n;
    if (score < min) min = score;
    if (score > max) max = score;
  }
  if (count < 10 || min < 1) return;
  const detected = max <= 5 ? 5 : max <= 7 ? 7 : null;
  if (detected === null) return;
  const cuts = defaultScale(1, detected);
  throw new InputError(
    { file },
    `column "${column.name}": every one of the ${count} scores lies between ${min} and ${max}, so it looks like a 1-${detected} scale, not a 0-10 NPS question (read as NPS, every answer would be a detractor)`,
    { hint: `pass --scale 1-${detected} (promoters ${cuts.promoterFrom}, passives ${cuts.passiveFrom}, detractors 1-${cuts.passiveFrom - 1}; change with --categories), or --scale 0-10 to read it as NPS anyway` },
  );
}

/**
 * How the score column is read: numbers (and "9 - Very likely"), the words of --score-map, or,
 * with --scale 1-k, the words of a built-in k-level vocabulary. A column of rating words without
 * either is an error that says which option settles it.
 */
function scoreReader(
  file: string,
  column: ColumnRef,
  table: RecordTable,
  scale: ScoreScale,
  options: SurveyLoadOptions,
): ((text: string) => number | null | undefined) & { words?: WordScale } {
  const inScale = (value: number | undefined) => (value !== undefined && Number.isInteger(value) && value >= scale.min && value <= scale.max ? value : undefined);
  const map = options.scoreMap;
  if (map) {
    for (const [word, value] of map.values) {
      if (inScale(value) === undefined) throw new InputError({ file }, `--score-map gives "${word}" the score ${value}, outside the scale ${scale.min}-${scale.max}`, { hint: "map every word to a whole number on the scale (or set it with --scale)" });
    }
    return Object.assign(
      readOnce((text: string) => (isMissing(text) ? null : (wordValue(map, text) ?? parseScore(text, scale)))),
      { words: map },
    );
  }
  // each distinct text read once: a score column has a handful
  const read = readOnce((text: string) => parseScore(text, scale));
  const readAny = readOnce((text: string) => (isMissing(text) ? null : parseScore(text, { min: 0, max: 999 })));
  let answeredCount = 0;
  let numeric = 0;
  for (const [text, n] of textCounts(table, column.index)) {
    const value = readAny(text);
    if (value === null) continue;
    answeredCount += n;
    if (value !== undefined) numeric += n;
  }
  if (answeredCount === 0 || numeric >= answeredCount - ratingTolerance(answeredCount)) return read;
  const texts = [...table.cells(column.index)];
  const answered = texts.filter((t) => !isMissing(t));
  const words = detectWordScale(texts, ratingTolerance(answered.length));
  if (!words) return read;
  if (options.scale && scale.min === words.min && scale.max === words.max) return Object.assign(readOnce((text: string) => (isMissing(text) ? null : inScale(wordValue(words, text)))), { words });
  throw new InputError(
    { file, line: options.headerLine ?? 1, column: column.index + 1 },
    `column "${column.name}": the scores are words of the ${words.name} scale (${describeWords(words)}), not 0-10 numbers`,
    {
      hint: `read them on that scale with --scale ${words.min}-${words.max} (top two boxes promoters), or say what each word scores on 0-10 with --score-map, e.g. --score-map "${[...new Set(answered.map((t) => t.trim()))].slice(0, 3).map((w) => `${w}=${Math.round((10 * (wordValue(words, w)! - words.min)) / (words.max - words.min))}`).join(",")}"`,
    },
  );
}

/** Whether a record's first field can be the header's first (as repeatsHeader compares them). */
function firstIs(value: string, header: string): boolean {
  return (value.charCodeAt(0) === 0xfeff ? value.slice(1) : value).trim() === header;
}

export function loadSurvey(
  file: string,
  header: readonly string[],
  records: RecordTable,
  flags: SurveyColumnFlags,
  decimal: DecimalMark,
  options: SurveyLoadOptions = {},
): SurveyData {
  const keepComments = options.keepComments !== false;
  const columns = atHeaderLine(options.headerLine ?? 1, () => resolveSurveyColumns(header, flags, file, options.labels, (index) => isTextColumn(records, index, decimal)));
  // a detected comment or owner column is optional: under a duplicated header name it is left out, not an error
  const duplicated = (c: ColumnRef | null) => c !== null && c.detected && (options.duplicateNames ?? []).some((name) => c.name === name || c.name.startsWith(`${name} (`));
  if (duplicated(columns.comment)) columns.comment = null;
  if (duplicated(columns.owner)) columns.owner = null;
  const roleColumns = [columns.customerId, columns.score, columns.date, columns.group, columns.weight, columns.outcome, columns.comment, columns.owner, ...columns.drivers];
  for (const name of options.duplicateNames ?? []) {
    const used = roleColumns.find((c) => c && (c.name === name || c.name.startsWith(`${name} (`)));
    if (used) {
      throw new InputError({ file, line: 1 }, `the header has ${header.filter((h) => h === name || h.startsWith(`${name} (`)).length} columns named "${name}", and it is used as a role`, {
        hint: "rename or remove the duplicate column, or name the one to use with its option",
      });
    }
  }
  const byName = (name: string) => {
    const index = header.findIndex((h) => h.toLowerCase() === name);
    return index === -1 ? null : { name: header[index]!, index, detected: true };
  };
  const scale = options.scale ?? NPS_SCALE;
  const readScore = scoreReader(file, columns.score, records, scale, options);
  if (!options.scale) checkNpsScale(file, columns.score, records, readScore);
  const finishedColumn = options.layout === "qualtrics" ? byName("finished") : null;
  const statusColumn = options.layout === "qualtrics" ? byName("status") : null;
  let dateFormat: DateFormat = options.dateFormat ?? "YYYY-MM-DD";
  if (columns.date && !options.dateFormat) {
    const date = columns.date;
    // (it tries each distinct text once, in the order they first appear: the same answer from the distinct texts)
    const inferred = inferDateFormat(records.counted(date.index)?.texts ?? records.cells(date.index));
    if ("ambiguous" in inferred) {
      throw new InputError({ file }, `column "${date.name}": dates such as "${inferred.example}" can be read as ${inferred.ambiguous.join(" or ")}`, {
        hint: `name the format with --date-format ${inferred.ambiguous[0]}`,
      });
    }
    if ("format" in inferred) dateFormat = inferred.format;
  }
  for (let r = 0; r < records.length; r++) {
    if (records.fieldCount(r) > header.length && !trailingBlank(records, r, header.length)) {
      throw new InputError(
        { file, line: records.line(r), column: header.length + 1 },
        `this row has ${records.fieldCount(r)} fields but the header has ${header.length}`,
        { hint: "check for an unquoted delimiter inside a value, or a wrong --delimiter" },
      );
    }
  }
  // rating words per driver column: the user's --rating-map, else a built-in vocabulary
  const parse = (text: string) => parseNumericCell(text, decimal) ?? null;
  const cells = (index: number) => records.cells(index);
  const wordScales = new Map<number, WordScale>();
  let tooManyDrivers = 0;
  if (!flags.drivers) {
    const candidates = classifyDriverColumns(header, [columns.customerId, columns.score, columns.date, columns.group, columns.weight, columns.outcome, columns.comment, columns.owner], cells, parse, options.ratingMap, (index) => textCounts(records, index));
    columns.drivers = candidates.filter((c) => c.taken).map((c) => ({ name: c.name, index: c.index, detected: true }));
    if (columns.drivers.length > MAX_DRIVERS) {
      tooManyDrivers = columns.drivers.length;
      columns.drivers = [];
    }
    for (const c of candidates) if (c.taken && c.wordScale && tooManyDrivers === 0) wordScales.set(c.index, c.wordScale);
  } else {
    if (columns.drivers.length > MAX_DRIVERS) {
      throw new InputError({ file, line: options.headerLine ?? 1 }, `--drivers names ${columns.drivers.length} columns, more than the ${MAX_DRIVERS} a driver model can take`, {
        hint: "name the touchpoints that matter most",
      });
    }
    for (const driver of columns.drivers) {
      const texts = [...cells(driver.index)];
      const numeric = texts.filter((t) => !isMissing(t) && (parse(t) !== null || parseLabelledNumber(t) !== null)).length;
      const answered = texts.filter((t) => !isMissing(t)).length;
      const tolerance = ratingTolerance(answered);
      if (answered - numeric <= tolerance) continue;
      const scale = wordScaleOf(texts, tolerance, options.ratingMap);
      if (scale) wordScales.set(driver.index, scale);
    }
  }
  /** A rating: a number (or "4 - Good"), or a word of its column's scale; null when not answered, undefined when invalid. */
  const parseRating = (text: string, index: number): number | null | undefined => {
    if (isMissing(text)) return null;
    const words = wordScales.get(index);
    if (words) return wordValue(words, text);
    return parseNumericCell(text, decimal) ?? parseLabelledNumber(text) ?? undefined;
  };
  // per driver, each distinct text read once (a rating column has a handful), found by its code in the table
  const ratingAt = columns.drivers.map((driver) => records.reader(driver.index, readOnce((text: string) => parseRating(text, driver.index))));
  const dateAt = columns.date ? records.reader(columns.date.index, readOnce((text: string) => parseDateAs(text, dateFormat))) : null;
  const scoreAt = records.reader(columns.score.index, readScore);
  const ratingExpectation = (index: number): string => {
    const words = wordScales.get(index);
    return words ? `a rating word of ${words.name === "--rating-map" ? "--rating-map" : `the ${words.name} scale`} (${describeWords(words)}) or blank` : "a number or blank";
  };

  const account = emptyAccount();
  const responses = new SurveyResponses(records.length, columns.drivers.length, { weight: columns.weight !== null, outcome: columns.outcome !== null, owner: columns.owner !== null });
  let scoreMissing = 0;
  let shortRows = 0;
  let blankGroup = 0;
  let blankDate = 0;
  let scientificIds = 0;
  const ratingRejects: SurveyData["ratingRejects"] = { rows: 0, rejects: [] };

  const headerFirst = options.rawHeader?.[0];
  const p = columns.drivers.length;
  // a row's ratings, written into the responses' columns once the row is accepted
  const ratings = new Float64Array(p);
  // a group's and an owner's code among the responses, by the cell's code in the table: the name
  // trimmed, "(blank)" for a blank; asked at the first accepted row with it (as push asks)
  const named = (text: string) => {
    const trimmed = text.trim();
    return trimmed === "" ? BLANK_GROUP : trimmed;
  };
  const groupAt = columns.group ? records.reader(columns.group.index, (text) => responses.groupCodeOf(named(text))) : null;
  const ownerAt = columns.owner ? records.reader(columns.owner.index, (text) => responses.ownerCodeOf(named(text))) : null;
  const groupBlankAt = columns.group ? records.reader(columns.group.index, (text) => text.trim() === "") : null;
  for (let r = 0; r < records.length; r++) {
    account.rowsRead += 1;
    const excluded = options.layout === "qualtrics" ? qualtricsExclusion(records, r, finishedColumn, statusColumn) : null;
    if (excluded) {
      recordExclusion(account, excluded);
      continue;
    }
    // every field blank (as isBlankRecord)
    if (trailingBlank(records, r, 0)) {
      recordExclusion(account, "every field is blank (a delimiter-only row)");
      continue;
    }
    // (a record is made only when its first field is the header's)
    if (headerFirst !== undefined && records.fieldCount(r) === options.rawHeader!.length && firstIs(records.cell(r, 0)!, headerFirst) && repeatsHeader(records.record(r), options.rawHeader)) {
      throw new InputError({ file, line: records.line(r) }, "the header row appears again here (two exports joined together?)", {
        hint: "remove the repeated header, or analyse the exports one at a time",
      });
    }
    if (records.fieldCount(r) < header.length) shortRows += 1;
    const score = scoreAt(r);
    if (score === undefined) {
      const scoreText = cellAt(records, r, columns.score);
      const words = options.scoreMap ? `, or a word of --score-map (${describeWords(options.scoreMap)})` : "";
      recordReject(account, rejectAtRow(records, r, columns.score, `expected a whole number ${scale.min}-${scale.max}${words} or blank, got ${quoteValue(scoreText)}`));
      continue;
    }
    // a bad rating takes the row out of the driver model only: the score still counts
    let ratingProblem: RowReject | null = null;
    for (let k = 0; k < p; k++) {
      const value = ratingAt[k]!(r);
      ratings[k] = value ?? Number.NaN;
      if (value !== undefined) continue;
      const driver = columns.drivers[k]!;
      ratingProblem ??= rejectAtRow(records, r, driver, `expected ${ratingExpectation(driver.index)}, got ${quoteValue(cellAt(records, r, driver))}`);
    }
    let date: number | null = null;
    if (columns.date) {
      const parsed = dateAt!(r);
      if (parsed === undefined) {
        recordReject(account, rejectAtRow(records, r, columns.date, `expected a date as ${dateFormat} (optionally with a time), got ${quoteValue(cellAt(records, r, columns.date))}`));
        continue;
      }
      date = parsed;
    }
    let weight = 1;
    if (columns.weight) {
      const text = cellAt(records, r, columns.weight);
      const value = parseNumericCell(text, decimal);
      if (value === undefined || value === null || value < 0) {
        recordReject(account, rejectAtRow(records, r, columns.weight, `expected a weight >= 0, got ${quoteValue(text)}`));
        continue;
      }
      weight = value;
    }
    let outcome: number | null = null;
    if (columns.outcome) {
      const text = cellAt(records, r, columns.outcome);
      const value = parseNumericCell(text, decimal);
      if (value === undefined) ratingProblem ??= rejectAtRow(records, r, columns.outcome, `expected a number or blank, got ${quoteValue(text)}`);
      else outcome = value;
    }
    account.rowsAccepted += 1;
    if (score === null) {
      scoreMissing += 1;
      continue;
    }
    if (ratingProblem) {
      ratingRejects.rows += 1;
      if (ratingRejects.rejects.length < MAX_LISTED_REJECTS) ratingRejects.rejects.push(ratingProblem);
    }
    const idText = columns.customerId ? cellAt(records, r, columns.customerId).trim() : "";
    const commentText = columns.comment && keepComments ? cellAt(records, r, columns.comment).trim() : "";
    if (groupBlankAt !== null && groupBlankAt(r)) blankGroup += 1;
    if (columns.date && date === null) blankDate += 1;
    // (Excel's 1.00000E+11: a second character of "." or "E" before the regular expression is asked)
    const second = idText.charCodeAt(1);
    if ((second === 46 || second === 69 || second === 101) && /^\d(\.\d+)?E\+\d+$/i.test(idText)) scientificIds += 1;
    const i = responses.add(
      records.line(r),
      idText === "" || isMissing(idText) ? null : idText,
      score,
      scaleCategory(score, scale),
      date,
      groupAt === null ? -1 : groupAt(r),
      weight,
      outcome,
      commentText === "" || isMissing(commentText) ? null : commentText,
      ownerAt === null ? -1 : ownerAt(r),
      ratingProblem === null,
    );
    for (let j = 0; j < p; j++) responses.ratings[j]![i] = ratings[j]!;
  }
  const wordColumns = [
    ...(readScore.words ? [{ column: columns.score.name, scale: readScore.words }] : []),
    ...columns.drivers.flatMap((d) => (wordScales.has(d.index) ? [{ column: d.name, scale: wordScales.get(d.index)! }] : [])),
  ];
  return { file, columns, responses, account, scoreMissing, shortRows, blankGroup, blankDate, scientificIds, ratingRejects, wordScales: wordColumns, tooManyDrivers };
}
