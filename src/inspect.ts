/**
 * What loyalty sees in a file: its format and, per column, the type of its values, examples,
 * and the role loyalty would give it. Composes read/ and normalise/ like the pipeline, and
 * computes nothing about NPS.
 */
import { InputError } from "./errors.js";
import { isMissing, resolveFinanceColumns, resolveSurveyColumns, type ColumnRef, type FinanceColumnFlags, type SurveyColumnFlags } from "./normalise/column-roles.js";
import { classifyDriverColumns, parseLabelledNumber } from "./normalise/driver-columns.js";
import { describeWords, detectWordScale, type WordScale } from "./normalise/rating-words.js";
import type { SheetSummary } from "./read/read-xlsx.js";
import { DATE_FORMATS, inferDateFormat, parseDateAs, parsePeriod } from "./read/parse-date.js";
import { parseNumber } from "./read/parse-number.js";
import { openCsv, type CsvFormat, type OpenCsvOptions } from "./read/read-csv.js";

export type ColumnType = "integer" | "number" | "date" | "period" | "text" | "empty";
export type ColumnRole = "customer id" | "score" | "date" | "group" | "driver" | "revenue" | "cost" | "period" | "customers" | "comment" | "owner";

export interface InspectedColumn {
  name: string;
  /** The question text, where the export carries one that differs from the name. */
  label: string | null;
  type: ColumnType;
  blank: number;
  distinct: number;
  min: number | null;
  max: number | null;
  examples: string[];
  role: ColumnRole | null;
  /** Survey files: why the column is or is not a driver (null for role columns). */
  driver: string | null;
  /** The rating-word scale the column's values belong to, if any. */
  words: string | null;
}

export interface InspectedFile {
  path: string;
  format: CsvFormat;
  kind: "survey" | "finance" | "unknown";
  rows: number;
  columns: InspectedColumn[];
  /** A workbook's sheets with their sizes; null for a text file. */
  sheets: SheetSummary[] | null;
  /** Things loyalty was unsure of, and how to settle them. */
  notes: string[];
}

/** The column and scale options of analyze, applied where they fit the file. */
export interface InspectFlags {
  survey?: SurveyColumnFlags;
  finance?: FinanceColumnFlags;
  /** --scale: the score's bounds. */
  scale?: { min: number; max: number } | undefined;
  scoreMap?: WordScale | undefined;
  ratingMap?: WordScale | undefined;
}

const MAX_DISTINCT = 1000;

/** What a cell's text is: a number (its value), else a date, else a period, else none of them. */
interface CellKind {
  value: number | null;
  date: boolean;
  period: boolean;
}

/** Texts remembered per column: a column of a few values (regions, periods) is parsed once per value. */
const REMEMBERED = 4096;

/**
 * A column's cells classified (CellKind), each distinct text parsed once while the column has few
 * of them, and a cell equal to the one before it (a customer's rows one after another) not parsed
 * again: the same kinds, without the date formats' regular expressions per cell of a 20-million-row file.
 */
class CellKinds {
  private readonly known = new Map<string, CellKind>();
  private lastText: string | null = null;
  private lastKind: CellKind | null = null;

  constructor(private readonly decimal: "." | ",") {}

  of(text: string): CellKind {
    if (text === this.lastText) return this.lastKind!;
    let kind = this.known.get(text);
    if (kind === undefined) {
      const value = parseNumber(text, this.decimal);
      const date = value === null && DATE_FORMATS.some((f) => typeof parseDateAs(text, f) === "number");
      kind = { value, date, period: value === null && !date && Boolean(parsePeriod(text)) };
      if (this.known.size < REMEMBERED) this.known.set(text, kind);
    }
    this.lastText = text;
    this.lastKind = kind;
    return kind;
  }
}

interface ColumnStats {
  blank: number;
  numeric: number;
  integer: number;
  dateLike: number;
  periodLike: number;
  values: number;
  min: number;
  max: number;
  distinct: Set<string>;
  examples: string[];
  dateSample: string[];
}

export async function inspectFile(path: string, options: OpenCsvOptions = {}, flags: InspectFlags = {}): Promise<InspectedFile> {
  const source = await openCsv(path, options);
  const header = source.header.values;
  const stats: ColumnStats[] = header.map(() => ({
    blank: 0, numeric: 0, integer: 0, dateLike: 0, periodLike: 0, values: 0, min: Infinity, max: -Infinity, distinct: new Set(), examples: [], dateSample: [],
  }));
  const kinds = header.map(() => new CellKinds(source.format.decimal));
  // keep the first rows for the role detection of drivers (values are needed there)
  const firstRows: string[][] = [];
  let rows = 0;
  for await (const batch of source.records) {
    for (const record of batch) {
      rows++;
      if (firstRows.length < 5000) firstRows.push(record.values);
      header.forEach((_, j) => {
        const text = (record.values[j] ?? "").trim();
        const s = stats[j]!;
        if (isMissing(text)) {
          s.blank++;
          return;
        }
        s.values++;
        if (s.distinct.size < MAX_DISTINCT) s.distinct.add(text);
        if (s.examples.length < 3 && !s.examples.includes(text)) s.examples.push(text);
        const kind = kinds[j]!.of(text);
        if (kind.value !== null) {
          const value = kind.value;
          s.numeric++;
          if (Number.isInteger(value)) s.integer++;
          if (value < s.min) s.min = value;
          if (value > s.max) s.max = value;
        } else if (kind.date) {
          s.dateLike++;
          if (s.dateSample.length < 2000) s.dateSample.push(text);
        } else if (kind.period) {
          s.periodLike++;
        }
      });
    }
  }

  const notes: string[] = [];
  if (source.format.encodingGuessed) notes.push(`not valid UTF-8, so read as ${source.format.encoding}; name the encoding with --encoding if that is wrong`);
  const roles = new Map<number, ColumnRole>();
  const assign = (ref: ColumnRef | null, role: ColumnRole) => ref && !roles.has(ref.index) && roles.set(ref.index, role);
  let kind: InspectedFile["kind"] = "unknown";
  const driverReasons = new Map<number, string>();
  const wordsOf = new Map<number, string>();
  const asFinance = () => {
    const finance = resolveFinanceColumns(header, flags.finance ?? {}, source.file);
    kind = "finance";
    assign(finance.customerId, "customer id");
    assign(finance.period, "period");
    assign(finance.revenue, "revenue");
    assign(finance.cost, "cost");
    assign(finance.group, "group");
    assign(finance.customers, "customers");
    if (!finance.customerId) {
      notes.push(
        `no customer id column: read as a finance file per group (a branch P&L) by "${finance.group!.name}"` +
          (finance.customers ? `, with customers per period in "${finance.customers.name}"` : "; it needs a customers-per-period column (--customers) for revenue per customer"),
      );
    }
  };
  const asSurvey = () => {
    const survey = resolveSurveyColumns(header, flags.survey ?? {}, source.file, source.labels, (j) => {
      const answered = firstRows.map((r) => r[j] ?? "").filter((t) => !isMissing(t));
      return answered.filter((t) => parseNumber(t, source.format.decimal) !== null).length * 2 < answered.length || answered.length === 0;
    });
    kind = "survey";
    assign(survey.customerId, "customer id");
    assign(survey.score, "score");
    assign(survey.date, "date");
    assign(survey.group, "group");
    assign(survey.comment, "comment");
    assign(survey.owner, "owner");
    const parse = (t: string) => parseNumber(t, source.format.decimal);
    const cells = (j: number) => firstRows.map((r) => r[j] ?? "");
    if (flags.survey?.drivers) {
      for (const d of survey.drivers) {
        assign(d, "driver");
        driverReasons.set(d.index, "named with --drivers");
      }
    } else {
      for (const c of classifyDriverColumns(header, [survey.customerId, survey.score, survey.date, survey.group, survey.weight, survey.outcome, survey.comment, survey.owner], cells, parse, flags.ratingMap)) {
        if (c.taken) assign({ name: c.name, index: c.index, detected: true }, "driver");
        driverReasons.set(c.index, c.taken ? `a driver: ${c.reason}` : `not a driver: ${c.reason}`);
        if (c.wordScale) wordsOf.set(c.index, `${c.wordScale.name}: ${describeWords(c.wordScale)}`);
      }
    }
    if (!survey.customerId) notes.push("no customer id column found: customer-level sections need one (--customer-id)");
    if (!survey.date) notes.push("no response date column found: a customer's latest response is then the last row (--date)");
    if (survey.date) {
      const inferred = inferDateFormat(stats[survey.date.index]!.dateSample.length > 0 ? stats[survey.date.index]!.dateSample : firstRows.map((r) => r[survey.date!.index] ?? ""));
      if ("ambiguous" in inferred) notes.push(`dates such as "${inferred.example}" can be read as ${inferred.ambiguous.join(" or ")}: pass --date-format`);
    }
    const score = stats[survey.score.index]!;
    const scoreWords = flags.scoreMap ?? detectWordScale(cells(survey.score.index), 0);
    const labelled = cells(survey.score.index).filter((t) => !isMissing(t) && parseLabelledNumber(t) !== null).length;
    if (flags.scoreMap) {
      wordsOf.set(survey.score.index, `--score-map: ${describeWords(flags.scoreMap)}`);
    } else if (scoreWords && score.numeric === 0 && labelled === 0) {
      wordsOf.set(survey.score.index, `${scoreWords.name}: ${describeWords(scoreWords)}`);
      notes.push(
        `the score column "${survey.score.name}" holds words of the ${scoreWords.name} scale, not 0-10 numbers: pass --scale ${scoreWords.min}-${scoreWords.max} to read them on that scale, or --score-map "word=score,…" to say what each scores`,
      );
    } else if (score.numeric > 0 && score.min >= 1 && score.max <= 7 && !flags.scale) {
      notes.push(`the score column only holds ${score.min}-${score.max}: pass --scale 1-${score.max <= 5 ? 5 : 7} if it is not a 0-10 NPS question`);
    } else if (score.numeric === 0 && labelled === 0 && score.values > 0) {
      notes.push(`the score column "${survey.score.name}" holds no numbers (e.g. ${JSON.stringify(score.examples[0])}): name the right column with --score, or map its words with --score-map`);
    }
  };
  const surveyNamed = flags.survey !== undefined && Object.entries(flags.survey).some(([key, value]) => key !== "customerId" && value !== undefined);
  const financeNamed = flags.finance !== undefined && Object.entries(flags.finance).some(([key, value]) => key !== "customerId" && value !== undefined);
  const attempts = surveyNamed && !financeNamed ? [asSurvey, asFinance] : [asFinance, asSurvey];
  let lastError: InputError | null = null;
  for (const attempt of attempts) {
    try {
      attempt();
      lastError = null;
      break;
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      lastError ??= error;
      roles.clear();
      driverReasons.clear();
      wordsOf.clear();
    }
  }
  if (lastError) {
    const names = header.map((h) => h.toLowerCase());
    if (names.some((n) => /enps|engagement|engagemang|engasjement/.test(n))) notes.push("looks like an employee file: pass it to analyze with --employees (a group column and eNPS or engagement)");
    else notes.push(`neither a survey nor a finance file: ${lastError.message}`);
  }

  const columns = header.map((name, j): InspectedColumn => {
    const s = stats[j]!;
    const type: ColumnType =
      s.values === 0 ? "empty" : s.numeric === s.values ? (s.integer === s.values ? "integer" : "number") : s.dateLike === s.values ? "date" : s.periodLike + s.dateLike === s.values ? "period" : "text";
    if (type === "text" && s.numeric > 0 && s.numeric >= s.values * 0.9) {
      notes.push(`column "${name}": ${s.values - s.numeric} of ${s.values} values are not numbers (e.g. a unit or a typo)`);
    }
    const label = source.labels[j];
    return {
      name,
      label: label && label !== name ? label : null,
      type,
      blank: s.blank,
      distinct: s.distinct.size,
      min: s.numeric > 0 ? s.min : null,
      max: s.numeric > 0 ? s.max : null,
      examples: s.examples,
      role: roles.get(j) ?? null,
      driver: roles.has(j) && roles.get(j) !== "driver" ? null : (driverReasons.get(j) ?? null),
      words: wordsOf.get(j) ?? null,
    };
  });
  const sheets = source.format.container === "xlsx" ? await (await import("./read/read-xlsx.js")).listSheets(path, source.file) : null;
  if (sheets && sheets.length > 1) notes.push(`the workbook has ${sheets.length} sheets; this is "${source.format.sheet}" (name another with --sheet)`);
  return { path, format: source.format, kind, rows, columns, sheets, notes };
}
