/**
 * Options shared by several commands, defined once so that a flag means the same thing
 * everywhere (npm-check-updates' cli-options.ts does the same).
 */
import { type Command, InvalidArgumentError, Option } from "commander";
import { ENCODING_NAMES, type Encoding } from "../read/decode.js";
import { LAYOUTS, type Layout } from "../read/detect-layout.js";
import { DATE_FORMATS, type DateFormat } from "../read/parse-date.js";
import { CSV_ENGINES, type CsvEngineName } from "../read/read-csv.js";
import { parseScenario, type Scenario } from "../metrics/value.js";
import { parseWordMap, type WordScale } from "../normalise/rating-words.js";
import { SECTION_IDS, type SectionId } from "../report/build-document.js";

export const FORMATS = ["table", "json", "markdown", "html", "csv"] as const;
export type Format = (typeof FORMATS)[number];

/** What each --output extension means. */
const EXTENSIONS: Record<string, Format> = { json: "json", txt: "table", table: "table", md: "markdown", markdown: "markdown", html: "html", htm: "html", csv: "csv" };

/** Help groups, so that --help lists options by what they are for. */
export const HELP_GROUPS = { inputs: "Inputs:", columns: "Columns and scales (default: detected from the header and the values):", analysis: "Analysis:", output: "Output:" } as const;

/** Puts options in a help group, unless one of them is already in another. */
function grouped(heading: string, options: Option[]): Option[] {
  for (const option of options) if (!option.helpGroupHeading) option.helpGroup(heading);
  return options;
}

function positiveInteger(name: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError(`${name} must be a whole number of 1 or more`);
    return Number(value);
  };
}

function list(value: string): string[] {
  const items = value.split(",").map((item) => item.trim()).filter((item) => item !== "");
  if (items.length === 0) throw new InvalidArgumentError("give at least one column name, separated by commas");
  return items;
}

export const surveyOption = () => new Option("-s, --survey <file>", "survey export: CSV (any encoding and delimiter), Excel workbook, or - for standard input").helpGroup(HELP_GROUPS.inputs);
export const financeOption = () => new Option("-F, --finance <file>", "finance file: customer id (or group, for a branch P&L), period, revenue, cost per row").helpGroup(HELP_GROUPS.inputs);
export const financeAggregatesOption = () =>
  new Option("--finance-aggregates <dir>", "instead of --finance: a folder with the finance aggregates that the SQL of loyalty sql makes (customers, coverage and summary, as .csv or .parquet)").helpGroup(HELP_GROUPS.inputs).conflicts("finance");
export const engineOption = () =>
  new Option("--engine <engine>", "how the finance file is reduced: loyalty's own reader, or DuckDB in process (the optional @duckdb/node-api) running the SQL of loyalty sql; a .parquet file always goes to DuckDB")
    .choices(["builtin", "duckdb"])
    .helpGroup(HELP_GROUPS.inputs);
/** The finance input as given: the file (--finance) or the aggregates' folder (--finance-aggregates). */
export function financeInput(options: { finance?: string | undefined; financeAggregates?: string | undefined }): string | undefined {
  return options.finance ?? options.financeAggregates;
}
export const columnOptions = () => grouped(HELP_GROUPS.columns, [
  new Option("--customer-id <column>", "survey column with the customer id (default: detected, e.g. customer_id)"),
  new Option("--score <column>", "survey column with the 0-10 recommendation score (default: detected, e.g. nps)"),
  new Option("--date <column>", "survey column with the response date (default: detected, e.g. response_date)"),
  new Option("-b, --by <column>", "survey column to group by, e.g. region (default: detected region/segment/group column)"),
  new Option("--drivers <columns>", "comma-separated driver rating columns (default: every rating column not used otherwise)").argParser(list),
  new Option("--no-drivers", "no driver model: take no column as a driver"),
  new Option("--weight <column>", "survey column with response weights (default: unweighted)"),
  new Option("--comment <column>", "survey column with the free-text comment, shown in the lists and the feedback; never a driver or a group (default: detected, e.g. comment, kommentar, why)"),
  new Option("--finance-customer-id <column>", "finance column with the customer id (default: detected)"),
  new Option("--revenue <column>", "finance column with revenue (default: detected, e.g. revenue)"),
  new Option("--cost <column>", "finance column with cost (default: detected, e.g. cost)"),
  new Option("--period-column <column>", "finance column with the period, YYYY-MM / YYYY-Qn / YYYY / date (default: detected)"),
  new Option("--finance-group <column>", "finance column with the group: the customer's group (for coverage), or the row's group in a branch P&L (default: the survey's --by column's name)"),
  new Option("--customers <column>", "branch P&L column with the number of customers per group and period (default: detected, e.g. customers)"),
]);

/** Options of the money sections of analyze: trend, lags, weighting, scenarios, employees. */
export const moneyOptions = () => grouped(HELP_GROUPS.analysis, [
  new Option("--period <unit>", "NPS trend per month, quarter or year of the response date, with the change between periods").choices(["month", "quarter", "year"]),
  new Option("--lag <k>", "link each group's NPS in a period to its money K periods later (periods of --period, default month)").argParser(nonNegativeInteger("--lag")),
  new Option("--weighted-linkage", "also fit the group linkage weighted by each group's responses"),
  new Option("--churn-column <column>", "a churn flag column (1/0, yes/no, Churned/Stayed, ja/nej…) in the finance file, else the survey file: churn comes from it (default: detected, e.g. Churn Value)").helpGroup(HELP_GROUPS.columns),
  new Option("--discount-rate <rate>", "yearly discount rate of the discounted lifetime value, e.g. 10% or 0.1").argParser((value: string) => {
    const match = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(value);
    const rate = match ? Number(match[1]) / (match[2] ? 100 : 1) : Number.NaN;
    if (!(rate >= 0 && rate < 1)) throw new InvalidArgumentError("give a yearly rate from 0 to under 100%, e.g. 10% or 0.1");
    return rate;
  }).default(0.1, "10%"),
  new Option("--acquisition-cost <amount>", "what winning a new customer costs: the report weighs keeping a customer (its discounted lifetime value) against replacing it").argParser((value: string) => {
    const amount = Number(value);
    if (!/^\s*\d+(\.\d+)?\s*$/.test(value) || !Number.isFinite(amount)) throw new InvalidArgumentError("give an amount of 0 or more, e.g. 500");
    return amount;
  }),
  new Option("--horizon <months>", "months over which the discounted lifetime value is summed").argParser(positiveInteger("--horizon")).default(60),
  new Option("--business <model>", "subscription (churn, retention, lifetime value) or transactional (repurchase rates) (default: transactional when most customers bought in one period only)").choices(["subscription", "transactional"]),
  new Option("--repurchase-window <k>", "transactional: a purchase in the K periods after the answer counts as buying again").argParser(positiveInteger("--repurchase-window")).default(6),
  new Option("--churn-after <k>", "without a flag: a customer is churned when it has no finance row in the file's last K periods").argParser(positiveInteger("--churn-after")).default(1),
  new Option("--scenario <spec>", "what-if scenario, repeatable: detractors-to-passives=10%, passives-to-promoters=10%, retention=+5pp (default: these three)").argParser(
    (value: string, previous: Scenario[] | undefined) => {
      try {
        return [...(previous ?? []), parseScenario(value)];
      } catch (error) {
        throw new InvalidArgumentError((error as Error).message);
      }
    },
  ),
  new Option("--benchmark <file>", "benchmark CSV of name,nps[,n][,promoters,detractors]: the overall and each group's NPS against each, with intervals").helpGroup(HELP_GROUPS.inputs),
  new Option("--employees <file>", "employee engagement file: group and eNPS 0-10 per respondent, or eNPS / engagement per group").helpGroup(HELP_GROUPS.inputs),
  new Option("--employee-group <column>", "employee file's group column (default: the survey's --by column's name, or a detected one)").helpGroup(HELP_GROUPS.columns),
  new Option("--employee-score <column>", "employee file's eNPS or engagement column (default: detected, e.g. enps)").helpGroup(HELP_GROUPS.columns),
]);

export interface MoneyFlags {
  business?: "subscription" | "transactional";
  repurchaseWindow?: number;
  acquisitionCost?: number;
  discountRate?: number;
  horizon?: number;
  churnColumn?: string;
  churnAfter?: number;
  period?: "month" | "quarter" | "year";
  lag?: number;
  weightedLinkage?: boolean;
  scenario?: Scenario[];
  employees?: string;
  benchmark?: string;
  employeeGroup?: string;
  employeeScore?: string;
}
export const minNOption = () =>
  new Option("--min-n <n>", "groups with fewer responses are flagged as small samples").argParser(positiveInteger("--min-n")).default(30);
export const strictOption = () => new Option("--strict", "treat every rejected row as an error (exit 2) instead of a counted warning");
export const formatOption = () => new Option("-f, --format <format>", "output format: a table for people, JSON for pipelines, Markdown for CI job summaries, one HTML file for a board, CSV for spreadsheets").choices(FORMATS);
export const outputOption = () => new Option("-o, --output <file>", "write the report to a file; the format follows the extension (.txt .json .md .html .csv)");
export const quietOption = () => new Option("-q, --quiet", "print no warnings, no progress and no \"wrote\" line on stderr");
export const noColorOption = () => new Option("--no-color", "no colour in tables (also: NO_COLOR=1)");
export const sectionsOption = () =>
  new Option("--sections <list>", `the sections to show, in every format: ${SECTION_IDS.join(", ")} (default: all that have something to say)`).argParser((value: string) => {
    const items = list(value);
    const unknown = items.filter((item) => !(SECTION_IDS as readonly string[]).includes(item));
    if (unknown.length > 0) throw new InvalidArgumentError(`unknown section ${unknown.map((u) => `"${u}"`).join(", ")}; choose from ${SECTION_IDS.join(", ")}`);
    return items as SectionId[];
  });
export const sectionOption = () => new Option("--section <name>", 'with --format csv: one table with a column per field, by section ("nps") or table ("drivers.importance"); default: every table in one long CSV');
export const widthOption = () => new Option("-w, --width <columns>", "fit tables to this many columns (default: the terminal's width, else $COLUMNS, else 80)").argParser(positiveInteger("--width"));
export const failIfOption = () =>
  new Option("--fail-if <expr>", 'exit 1 (after writing the report) when a value of the report compares true, repeatable: "nps.overall.nps < 0", "nps.byGroup[*].nps < -20", "drivers.rSquared < 0.3"').argParser(
    (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
  );
export const noProgressOption = () => new Option("--no-progress", "no progress bar on stderr (there is none unless stderr is a terminal)");
export const currencyOption = () => new Option("--currency <code>", "the currency of the money, for its decimals in CSV, e.g. SEK, EUR, JPY (default: the one written with the amounts, else 2 decimals)");


/** The options every report command ends with: --min-n, --strict and the output options. */
export function addReportOptions(command: Command): Command {
  command.addOption(minNOption().helpGroup(HELP_GROUPS.analysis)).addOption(strictOption().helpGroup(HELP_GROUPS.inputs));
  return addOutputOptions(command);
}

/** The output options of the report commands (analyze, drivers, demo). */
export function addOutputOptions(command: Command): Command {
  for (const option of [formatOption(), outputOption(), sectionsOption(), sectionOption(), widthOption(), currencyOption(), failIfOption(), quietOption(), noProgressOption(), noColorOption()]) {
    command.addOption(option.helpGroup(HELP_GROUPS.output));
  }
  return command;
}

export interface OutputOptions {
  format?: Format;
  output?: string;
  quiet?: boolean;
  color: boolean;
}

/** The format: --format, else the --output extension, else a table. */
export function resolveFormat(options: { format?: Format | undefined; output?: string | undefined }, allowed: readonly Format[] = FORMATS): Format {
  if (options.format) return options.format;
  if (options.output) {
    const extension = options.output.toLowerCase().split(".").pop() ?? "";
    const format = EXTENSIONS[extension];
    if (format && allowed.includes(format)) return format;
    const known = Object.entries(EXTENSIONS).filter(([, f]) => allowed.includes(f)).map(([e]) => `.${e}`);
    throw new InvalidArgumentError(`cannot tell the format of "${options.output}" from its extension; use ${known.join(", ")}, or pass --format`);
  }
  return "table";
}

function nonNegativeInteger(name: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`${name} must be a whole number of 0 or more`);
    return Number(value);
  };
}

function scaleBounds(value: string): { min: number; max: number } {
  const match = /^(-?\d+(?:\.\d+)?)-(-?\d+(?:\.\d+)?)$/.exec(value.trim());
  if (!match || Number(match[1]) >= Number(match[2])) throw new InvalidArgumentError('give the scale as MIN-MAX, e.g. "1-10" or "1-5"');
  return { min: Number(match[1]), max: Number(match[2]) };
}

/** Options of the key-driver analysis, shared by analyze and drivers. */
export const importanceOptions = () => grouped(HELP_GROUPS.analysis, [
  new Option("--outcome <what>", 'what the drivers explain: "score" (the 0-10 score, linear), "promoter" (9-10 or not, logistic) or another numeric column').default("score"),
  new Option("--bootstrap <n>", "bootstrap resamples for the importance intervals and the lifetime-value ratio (0 for none)").argParser(nonNegativeInteger("--bootstrap")).default(1000),
  new Option("--seed <s>", "random seed of the bootstraps (the same seed gives the same bytes)").argParser(nonNegativeInteger("--seed")).default(1),
  new Option("--quadrant-cut <cut>", "where the importance-performance quadrant splits").choices(["median", "mean"]).default("median"),
  new Option("--missing <policy>", "rows with a missing rating: listwise (drop the row) or pairwise (per pair of columns, correlation methods only)")
    .choices(["listwise", "pairwise"])
    .default("listwise"),
  new Option("--driver-scale <min-max>", "the rating scale of the drivers, e.g. 1-10 (default: detected per driver)").argParser(scaleBounds),
  new Option("--exact-limit <n>", "compute LMG exactly up to this many drivers, by Monte Carlo above").argParser(positiveInteger("--exact-limit")).default(20),
  new Option("--threads <n>", "threads: the driver analyses and their bootstrap, in blocks of 25 resamples, run on worker threads while the finance file is read, then on this one too; a thread to spare scans the finance file (at most 2); 1 for one thread. The output is the same bytes (default: the machine's cores, for a bootstrap big enough to gain; finance helpers from 16 MB)").argParser(positiveInteger("--threads")),
]);

export interface ImportanceFlags {
  outcome: string;
  bootstrap: number;
  seed: number;
  quadrantCut: "median" | "mean";
  missing: "listwise" | "pairwise";
  driverScale?: { min: number; max: number };
  exactLimit: number;
  threads?: number;
}

const DELIMITER_NAMES: Record<string, "," | ";" | "\t" | "|"> = { ",": ",", comma: ",", ";": ";", semicolon: ";", tab: "\t", "\\t": "\t", "\t": "\t", "|": "|", pipe: "|" };

/** How to read the input files when detection is not enough; shared by every command that reads. */
export const readOptions = () => grouped(HELP_GROUPS.inputs, [
  new Option("--encoding <name>", "text encoding of the inputs: utf-8, windows-1252, utf-16le, utf-16be (default: detected)").argParser((value) => {
    const encoding = ENCODING_NAMES[value.toLowerCase()];
    if (!encoding) throw new InvalidArgumentError(`unknown encoding; use one of ${[...new Set(Object.values(ENCODING_NAMES))].join(", ")}`);
    return encoding;
  }),
  new Option("--delimiter <char>", 'field delimiter: , ; tab or | (default: sniffed; Excel\'s "sep=" line is honoured)').argParser((value) => {
    const delimiter = DELIMITER_NAMES[value.toLowerCase()];
    if (!delimiter) throw new InvalidArgumentError("use , ; tab or |");
    return delimiter;
  }),
  new Option("--decimal <mark>", 'decimal mark of numbers: "." or "," (default: "," in ;-delimited files, else ".")').choices([".", ","]),
  new Option("--layout <layout>", "survey export layout (default: detected)").choices(LAYOUTS),
  new Option("--date-format <format>", "format of the response dates, when the values cannot tell (default: inferred)").choices(DATE_FORMATS),
  new Option("--sheet <name>", "the sheet to read from the survey workbook (default: the first)"),
  new Option("--finance-sheet <name>", "the sheet to read from the finance workbook (default: the first)"),
  new Option("--csv-engine <name>", "the CSV parser: scan (the built-in byte scanner) or csv-parse (the reference; slower). Both give the same records").choices(Object.keys(CSV_ENGINES)).default("scan"),
]);

export interface ReadFlags {
  encoding?: Exclude<Encoding, "utf-8-bom">;
  delimiter?: "," | ";" | "\t" | "|";
  decimal?: "." | ",";
  layout?: Layout;
  dateFormat?: DateFormat;
  sheet?: string;
  financeSheet?: string;
  csvEngine?: CsvEngineName;
}

/** --scale and --categories: the score's scale and category cut-offs. */
export const scaleOptions = () => grouped(HELP_GROUPS.columns, [
  new Option("--scale <min-max>", "scale of the score column, e.g. 1-5 (default 0-10; a column that only uses 1-5 or 1-7 is an error without it)").argParser(scaleBounds),
  new Option("--categories <p,n>", "lowest promoter and lowest passive score, e.g. 9,7 for 0-10 or 5,4 for 1-5 (default: 9,7 on 0-10, else the top two boxes)").argParser((value) => {
    const match = /^\s*(\d+)\s*,\s*(\d+)\s*$/.exec(value);
    if (!match || Number(match[1]) <= Number(match[2])) throw new InvalidArgumentError('give the lowest promoter and the lowest passive score, promoter first, e.g. "9,7"');
    return { promoterFrom: Number(match[1]), passiveFrom: Number(match[2]) };
  }),
  new Option("--score-map <map>", 'score words to numbers on the scale, e.g. "No=0,Maybe=8,Yes=10"').argParser(wordMap("--score-map")),
  new Option("--rating-map <map>", 'rating words to numbers for driver columns written as words, e.g. "Poor=1,OK=2,Great=3" (default: built-in vocabularies)').argParser(wordMap("--rating-map")),
  new Option("--nps-per <unit>", "count every response in group and overall NPS, or each customer's latest once").choices(["response", "customer"]).helpGroup(HELP_GROUPS.analysis),
]);

function wordMap(flag: string) {
  return (value: string): WordScale => {
    try {
      return parseWordMap(value, flag);
    } catch (error) {
      throw new InvalidArgumentError((error as Error).message);
    }
  };
}

export interface ScaleFlags {
  scale?: { min: number; max: number };
  categories?: { promoterFrom: number; passiveFrom: number };
  scoreMap?: WordScale;
  ratingMap?: WordScale;
  npsPer?: "response" | "customer";
}
