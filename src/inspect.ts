/**
 * What loyalty sees in a file: its format and, per column, the type of its values, examples,
 * and the role loyalty would give it. Composes read/ and normalise/ like the pipeline, and
 * computes nothing about NPS.
 */
import { InputError } from "./errors.js";
import { detectDrivers, isMissing, resolveFinanceColumns, resolveSurveyColumns, type ColumnRef } from "./normalise/column-roles.js";
import { DATE_FORMATS, inferDateFormat, parseDateAs, parsePeriod } from "./read/parse-date.js";
import { parseNumber } from "./read/parse-number.js";
import { openCsv, type CsvFormat, type OpenCsvOptions } from "./read/read-csv.js";

export type ColumnType = "integer" | "number" | "date" | "period" | "text" | "empty";
export type ColumnRole = "customer id" | "score" | "date" | "group" | "driver" | "revenue" | "cost" | "period" | "customers";

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
}

export interface InspectedFile {
  path: string;
  format: CsvFormat;
  kind: "survey" | "finance" | "unknown";
  rows: number;
  columns: InspectedColumn[];
  /** Things loyalty was unsure of, and how to settle them. */
  notes: string[];
}

const MAX_DISTINCT = 1000;

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

export async function inspectFile(path: string, options: OpenCsvOptions = {}): Promise<InspectedFile> {
  const source = await openCsv(path, options);
  const header = source.header.values;
  const stats: ColumnStats[] = header.map(() => ({
    blank: 0, numeric: 0, integer: 0, dateLike: 0, periodLike: 0, values: 0, min: Infinity, max: -Infinity, distinct: new Set(), examples: [], dateSample: [],
  }));
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
        const value = parseNumber(text, source.format.decimal);
        if (value !== null) {
          s.numeric++;
          if (Number.isInteger(value)) s.integer++;
          if (value < s.min) s.min = value;
          if (value > s.max) s.max = value;
        } else if (DATE_FORMATS.some((f) => typeof parseDateAs(text, f) === "number")) {
          s.dateLike++;
          if (s.dateSample.length < 2000) s.dateSample.push(text);
        } else if (parsePeriod(text)) {
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
  try {
    const finance = resolveFinanceColumns(header, {}, source.file);
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
  } catch {
    try {
      const survey = resolveSurveyColumns(header, {}, source.file, source.labels);
      kind = "survey";
      assign(survey.customerId, "customer id");
      assign(survey.score, "score");
      assign(survey.date, "date");
      assign(survey.group, "group");
      const drivers = detectDrivers(header, [survey.customerId, survey.score, survey.date, survey.group], (j) => firstRows.map((r) => r[j] ?? ""), (t) => parseNumber(t, source.format.decimal));
      for (const d of drivers) assign(d, "driver");
      if (!survey.customerId) notes.push("no customer id column found: customer-level sections need one (--customer-id)");
      if (!survey.date) notes.push("no response date column found: a customer's latest response is then the last row (--date)");
      if (survey.date) {
        const inferred = inferDateFormat(stats[survey.date.index]!.dateSample.length > 0 ? stats[survey.date.index]!.dateSample : firstRows.map((r) => r[survey.date!.index] ?? ""));
        if ("ambiguous" in inferred) notes.push(`dates such as "${inferred.example}" can be read as ${inferred.ambiguous.join(" or ")}: pass --date-format`);
      }
      const score = stats[survey.score.index]!;
      if (score.values > 0 && score.min >= 1 && score.max <= 7) notes.push(`the score column only holds ${score.min}-${score.max}: pass --scale 1-${score.max <= 5 ? 5 : 7} if it is not a 0-10 NPS question`);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      const names = header.map((h) => h.toLowerCase());
      if (names.some((n) => /enps|engagement|engagemang|engasjement/.test(n))) notes.push("looks like an employee file: pass it to analyze with --employees (a group column and eNPS or engagement)");
      else notes.push(`neither a survey nor a finance file: ${error.message}`);
    }
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
    };
  });
  return { path, format: source.format, kind, rows, columns, notes };
}
