/**
 * The programmatic API: read → normalise → join → metrics → Report. Commands call `analyze`;
 * so can other programs (re-exported by src/index.ts).
 */
import { availableParallelism } from "node:os";
import { statSync } from "node:fs";
import { basename } from "node:path";
import { DataError, InputError, UsageError, formatLocation } from "./errors.js";
import { analyzeTask, prewarmWorkers, releaseWarmWorkers, sharedColumn, startDriverTasks, taskRows, workersAvailable, type DriverTask, type Rehearsal } from "./parallel.js";
import { joinCustomers, type JoinOptions, type CustomerJoin, MatchedCustomers } from "./join/join-customers.js";
import { LatestResponses } from "./join/latest-response.js";
import { churnByCategory, type ChurnSummary } from "./metrics/churn.js";
import { looksTransactional, repurchaseByCategory, type Repurchase } from "./metrics/repurchase.js";
import { survivalFromAnswer, type SurvivalSection } from "./metrics/survival.js";
import { findChurnColumn, parseChurnFlag } from "./normalise/churn-flag.js";
import { minimumGroupSizeForDrivers, type FullDriverAnalysis } from "./metrics/drivers.js";
import { rowsWithValuesMarked, type ImportanceOptions } from "./metrics/driver-importance.js";
import { addCategoryToNpsTally, emptyNpsTally, NPS_CATEGORIES, npsSummary, type NpsSummary, type NpsTally, type ScoreScale } from "./metrics/nps.js";
import { revenueByCategory, type CategoryRevenue } from "./metrics/revenue-by-category.js";
import { LINKAGE_KPIS, kpiLinkage, linkageGroups, weightedKpiLinkage, type GroupMoney, type KpiLinkage, type LinkageGroup } from "./metrics/linkage.js";
import type { SurveyColumnFlags, FinanceColumnFlags } from "./normalise/column-roles.js";
import { createFinanceLoader, type FinanceLoader, type FinanceLoadOptions } from "./normalise/finance.js";
import { createAggregatesLoader, readAggregateCoverage, readAggregateSummary, type AggregatedFinance, type AggregatesLoader } from "./normalise/finance-aggregates.js";
import { AGGREGATE_FILE_NAMES } from "./aggregates/definition.js";
import { openDuckdbFinance } from "./read/duckdb-finance.js";
import { openAggregateFile, PARQUET_FORMAT } from "./read/parquet-records.js";
import { resolveFinanceColumns } from "./normalise/column-roles.js";
import { loadSurvey, type SurveyData } from "./normalise/survey.js";
import { collectGarbage } from "./memory.js";
import { checkReadable, openCsv, type CsvFormat, type CsvRecord, type CsvSource, type OpenCsvOptions, type SegmentScanners } from "./read/read-csv.js";
import { scanWorkersAvailable, startScanWorkers } from "./scan-workers.js";
import { RecordTable, TableSink } from "./read/record-table.js";
import { formatPeriod, type DateFormat } from "./read/parse-date.js";
import { buildReport } from "./report/build-report.js";
import type { Report } from "./report/report.js";
import { groupPeriodMoney } from "./join/group-periods.js";
import { cohortStart, groupHalfRevenues, monthsPerPeriod, periodsWithRows, type FinanceTotals } from "./join/customer-finance.js";
import { coverageFromTallies, surveyCoverage, type Coverage } from "./metrics/coverage.js";
import { lagLinkage, type LagLinkage } from "./metrics/lag.js";
import { cohortRetention, discountedLifetimeValue, retentionByCategory, type Discount, type RetentionSummary } from "./metrics/retention.js";
import { serviceProfitChain, type ChainGroup, type ChainLink } from "./metrics/service-profit-chain.js";
import { monthOrdinalOf, npsTrend, toUnit, type Trend, type TrendUnit } from "./metrics/trend.js";
import { headlineClaims, revenueAtRisk, scenarioValue, type HeadlineClaims, type Scenario, type ScenarioValue } from "./metrics/value.js";
import type { WordScale } from "./normalise/rating-words.js";
import { loadEmployees, type EmployeeData, type EmployeeFlags } from "./normalise/employees.js";
import { loadBenchmarks, type Benchmark } from "./normalise/benchmarks.js";
import { compareToBenchmarks, type BenchmarkComparison } from "./metrics/benchmarks.js";

export interface AnalyzeSettings {
  /** Standard input, for a survey or finance path of "-". */
  stdin?: AsyncIterable<Buffer | string> | undefined;
  /** How to read the inputs when detection is not enough: --encoding, --delimiter, --decimal, --layout. */
  read?: Pick<OpenCsvOptions, "encoding" | "delimiter" | "decimal" | "layout" | "sheet" | "csvEngine">;
  /** The score's scale and category cut-offs (--scale, --categories); 0-10 NPS when absent. */
  scale?: ScoreScale | undefined;
  /** The sheet of a finance workbook (--finance-sheet); the first when absent. */
  financeSheet?: string | undefined;
  /** The survey's date format (--date-format); inferred when absent. */
  dateFormat?: DateFormat | undefined;
  /** Path of the survey export. */
  survey: string;
  /** Path of the finance file; without it only the survey-side sections are computed. */
  finance?: string | undefined;
  /** A folder of finance aggregates (customers.csv, coverage.csv, summary.csv: `loyalty sql`), instead of the finance file. */
  financeAggregates?: string | undefined;
  /** Keep each response's comment text (the lists show them); false when only a report is made (analyze()). Default true. */
  comments?: boolean | undefined;
  /** How the finance file is reduced: loyalty's own reader (builtin, the default) or DuckDB in process (a Parquet file always). */
  engine?: "builtin" | "duckdb" | undefined;
  surveyColumns?: SurveyColumnFlags;
  financeColumns?: FinanceColumnFlags;
  /** Groups with fewer responses are flagged as small samples. Default 30. */
  minN?: number;
  /** Treat every rejected row as an error. Default false. */
  strict?: boolean;
  /** Relative importance of the drivers (bootstrap, seed, quadrant cut, missing data); null to skip it. */
  importance?: ImportanceOptions | null;
  /** Also analyse the drivers per group (where the group has enough responses). Default true. */
  driversByGroup?: boolean;
  /**
   * Threads: 1 runs everything on this one; more run the driver analyses (and their bootstrap) on
   * worker threads while this one reads the finance file. The report is the same bytes either way.
   * Default: the machine's cores, when the bootstrap is big enough to pay for a thread.
   */
  threads?: number;
  /**
   * Who scans the finance file's runs of lines while this thread adds them up (SegmentScanners):
   * by default helper threads as `threads` allows (scanHelpers); null: this thread alone. The
   * report is the same bytes either way (tests give scannersHere).
   */
  scanners?: SegmentScanners | null | undefined;
  /** "promoter": a logistic model of promoter (9-10) or not, instead of the linear model of the outcome. */
  driverModel?: "linear" | "promoter";
  /** NPS per month, quarter or year of the response date (--period); no trend when absent. */
  trendUnit?: TrendUnit | undefined;
  /** Link each group's NPS in period t to its money in period t + lag (--lag, in --period units). */
  lag?: number | undefined;
  /** Also fit the group linkage weighted by each group's responses (--weighted-linkage). */
  weightedLinkage?: boolean | undefined;
  /** What-if scenarios for the value section; default: 10% of detractors to passives, 10% of passives to promoters, churn −5 points. */
  scenarios?: Scenario[] | undefined;
  /** Bootstrap of the lifetime-value ratio: resamples (default 1000) and seed (default 1). */
  retention?: { resamples?: number | undefined; seed?: number | undefined } | undefined;
  /** --score-map and --rating-map: score and rating words to numbers. */
  words?: { score?: WordScale | undefined; rating?: WordScale | undefined } | undefined;
  /** Group and overall NPS over every response (default) or each customer's latest (--nps-per customer). */
  npsPer?: "response" | "customer" | undefined;
  /** Path of an employee engagement file (--employees). */
  employees?: string | undefined;
  /** Path of a benchmark file (--benchmark): name, NPS[, n]. */
  benchmark?: string | undefined;
  employeeColumns?: EmployeeFlags | undefined;
  /** Told how far reading and the bootstrap have come (a progress bar); nothing is told when absent. */
  progress?: Progress | undefined;
  /** --churn-column: a churn flag column in the finance file, else the survey file (default: detected by its header). */
  churnColumn?: string | undefined;
  /** --churn-after K: without a flag, churned = no finance row in the file's last K periods (default 1). */
  churnAfter?: number | undefined;
  /** --discount-rate and --horizon of the discounted lifetime value (default 10% a year, 60 months). */
  discount?: Discount | undefined;
  /** --acquisition-cost: what winning a new customer costs, to weigh keeping one against replacing it. */
  acquisitionCost?: number | undefined;
  /** --business: subscription (churn, retention, lifetime value) or transactional (repurchase); default detected. */
  business?: "subscription" | "transactional" | undefined;
  /** --repurchase-window K: periods after the answer in which a purchase counts as a repurchase (default 6). */
  repurchaseWindow?: number | undefined;
}

/** The business model the money sections assume, and why. */
export interface BusinessModel {
  model: "subscription" | "transactional";
  detected: boolean;
  /** Finance customers with rows in a single period, as a share of those with periods; null without periods. */
  singlePeriodShare: number | null;
  windowPeriods: number | null;
}

/** Where the churn flag came from, for the report. */
export interface ChurnFlagSource {
  file: string;
  column: string;
  /** Matched customers whose flag was blank or not a flag value: left out of churn. */
  unknown: number;
  /** Cells that were not flag values (the first located). */
  invalid: { count: number; first: { line: number; column: number; value: string } | null };
}

/** Where the pipeline reports how far it has come: a task with a total, then updates, then its end. */
export interface Progress {
  start(task: string, total: number, unit: "bytes" | "resamples"): void;
  /** `done` of the task's total; `rows`: records read so far, when reading. */
  update(done: number, rows?: number): void;
  stop(): void;
}

export const DEFAULT_SCENARIOS: readonly Scenario[] = [
  { kind: "detractors-to-passives", share: 0.1 },
  { kind: "passives-to-promoters", share: 0.1 },
  { kind: "retention", points: 0.05 },
];

export interface AnalyzeContext {
  /** The time written into the report (the CLI honours SOURCE_DATE_EPOCH). */
  now: Date;
  toolVersion: string;
}

/** Everything computed, before it is shaped into a Report. */
export interface Analysis {
  settings: Required<Pick<AnalyzeSettings, "minN" | "strict">> & AnalyzeSettings;
  survey: SurveyData & { path: string; format: CsvFormat; duplicateNames: string[] };
  /** `aggregated`: the finance came as aggregates (--finance-aggregates). */
  finance: (FinanceLoader & { aggregated?: AggregatedFinance | undefined; path: string; file: string; format: CsvFormat; duplicateNames: string[] }) | null;
  npsOverall: NpsSummary;
  npsByGroup: { group: string; summary: NpsSummary }[];
  /** Customers with more than one scored response. */
  repeatRespondents: number;
  join: CustomerJoin | null;
  revenue: CategoryRevenue[] | null;
  churn: ChurnSummary | null;
  drivers: FullDriverAnalysis;
  /** "customers": finance per customer; "groups": a branch P&L (finance per group and period). */
  financeLevel: "customers" | "groups" | null;
  /** Group-level NPS against money; null without finance or groups. */
  linkage: { groups: LinkageGroup[]; byKpi: KpiLinkage[]; weighted: KpiLinkage[] | null } | null;
  retention: RetentionSummary | null;
  value: { revenueAtRisk: ReturnType<typeof revenueAtRisk>; windowMonths: number | null; scenarios: ScenarioValue[]; claims: HeadlineClaims | null } | null;
  trend: Trend | null;
  lag: LagLinkage | null;
  coverage: Coverage | null;
  /** Survival from the answer, per category; null without customer finance with periods and response dates. */
  survival: SurvivalSection | null;
  /** The churn flag used instead of the derived rule; null when churn is derived from the finance rows. */
  churnFlag: ChurnFlagSource | null;
  business: BusinessModel | null;
  repurchase: Repurchase | null;
  /** The 12-month revenue retention cohort; null with a window shorter than 13 months. */
  cohort: ({ start: string; end: string } & ReturnType<typeof cohortRetention>) | null;
  employees: { data: EmployeeData & { path: string; format: CsvFormat }; groups: ChainGroup[]; links: ChainLink[]; moneyBasis: "margin" | "revenue" } | null;
  /** --benchmark: the benchmarks, and the overall and every group's NPS against each. */
  benchmarks: { path: string; file: string; list: Benchmark[]; comparisons: BenchmarkComparison[] } | null;
  /** Sections left out, and why (e.g. customer-level sections with a finance file per group). */
  absent: { section: string; reason: string }[];
  driversByGroup: { group: string; n: number; analysis: FullDriverAnalysis | null }[];
}

/** Group names in a stable, human order (root collation: Århus beside Arhus, not after Z). */
const groupCollator = new Intl.Collator("und", { sensitivity: "variant", numeric: true });

/** Every record of a small file (employees, benchmarks), as the engine hands them out. */
/**
 * The finance aggregates in a folder (aggregates/definition.ts): summary.csv and coverage.csv
 * whole, then customers.csv a batch at a time into the loader. `questions`: the survey's, as for
 * a finance file (createFinanceLoader's options).
 */
async function readFinanceAggregates(
  directory: string,
  settings: AnalyzeSettings,
  questions: FinanceLoadOptions,
): Promise<{ loader: AggregatesLoader; source: { path: string; file: string; format: CsvFormat; duplicateNames: string[] } }> {
  const open = async (name: string) => {
    const source = await openAggregateFile(directory, name, { encoding: settings.read?.encoding, delimiter: settings.read?.delimiter, csvEngine: settings.read?.csvEngine });
    if (source === null) {
      throw new UsageError(`--finance-aggregates ${directory}: there is no ${name}.csv (or ${name}.parquet) in it`, {
        hint: `the folder holds ${AGGREGATE_FILE_NAMES.join(", ")}: the results of loyalty sql's queries, each saved as CSV with its header row (or as Parquet)`,
      });
    }
    return source;
  };
  const summarySource = await open("summary");
  const summary = readAggregateSummary(summarySource.file, summarySource.header, await readAllRecords(summarySource.records));
  const coverageSource = await open("coverage");
  const coverage = readAggregateCoverage(coverageSource.file, coverageSource.header, await readAllRecords(coverageSource.records));
  const source = await open("customers");
  const loader = createAggregatesLoader(source.file, source.header, summary, coverage, directory, { ...questions, headerLine: source.headerLine });
  const progress = settings.progress && source.size && source.bytesRead ? settings.progress : undefined;
  progress?.start(`reading ${source.file}`, source.size!, "bytes");
  for await (const batch of source.records) {
    for (const record of batch) loader.add(record);
    progress?.update(source.bytesRead!(), loader.totals.customers.size);
  }
  progress?.stop();
  loader.finish();
  return { loader, source: { path: directory, file: source.file, format: source.format, duplicateNames: [] } };
}

/**
 * --engine duckdb (and a Parquet finance file): DuckDB reduces the file with the SQL of loyalty sql,
 * and its results go to the aggregates' loader as the files of --finance-aggregates would. The
 * columns' roles are found as for the builtin reader, from the header (and the first rows, for a
 * churn flag); a CSV's delimiter, decimal mark and encoding are loyalty's own sniffing.
 */
async function reduceWithDuckdb(
  path: string,
  settings: AnalyzeSettings,
  questions: FinanceLoadOptions,
  latest: LatestResponses,
  surveyGroup: string | undefined,
): Promise<{ loader: AggregatesLoader; header: string[]; source: { path: string; file: string; format: CsvFormat; duplicateNames: string[] } }> {
  if (path === "-") throw new UsageError("--engine duckdb reads a finance file, not standard input", { hint: "save it to a file, or leave out --engine duckdb" });
  const parquet = /\.parquet$/i.test(path);
  let format: CsvFormat;
  let file = basename(path);
  if (parquet) {
    format = { ...PARQUET_FORMAT };
  } else {
    const source = await openCsv(path, { ...settings.read, layout: undefined, sheet: settings.financeSheet });
    if (source.format.container !== "csv") throw new UsageError(`--engine duckdb reads CSV and Parquet files, and ${source.file} is a workbook`, { hint: "leave out --engine duckdb for a workbook" });
    // only the sniffing is needed: the file is let go at once
    await source.records[Symbol.asyncIterator]().return?.(undefined);
    format = source.format;
    file = source.file;
  }
  const engine = await openDuckdbFinance(path, file, parquet ? null : format);
  try {
    const columns = resolveFinanceColumns(engine.header, settings.financeColumns ?? {}, file, surveyGroup);
    if (!columns.customerId || !columns.period || columns.customers) {
      throw new UsageError(`--engine duckdb reduces a finance file with a customer id and a period per row, and ${file} has ${!columns.customerId ? "no customer id column (finance per group?)" : !columns.period ? "no period column" : "a customers-per-group column (a branch P&L)"}`, {
        hint: "leave out --engine duckdb: loyalty's own reader takes it",
      });
    }
    const churn = findChurnColumn(engine.header, engine.sample, settings.churnColumn);
    const money = [columns.revenue, columns.cost].filter((c): c is NonNullable<typeof c> => c !== null).map((c) => c.name);
    const ids = (function* () {
      for (const [id] of latest.entries()) yield id;
    })();
    const reduced = await engine.reduce(
      { customerId: columns.customerId.name, period: columns.period.name, revenue: columns.revenue.name, cost: columns.cost?.name, group: columns.group?.name, churn: churn >= 0 ? engine.header[churn] : undefined },
      money,
      ids,
    );
    try {
      const summary = readAggregateSummary(file, reduced.summary.header, reduced.summary.records);
      const coverage = readAggregateCoverage(file, reduced.coverage.header, reduced.coverage.records);
      const loader = createAggregatesLoader(file, reduced.customers.header, summary, coverage, path, questions);
      loader.aggregated.inProcess = true;
      await reduced.customers.each((record, periods) => loader.addRead(record, periods));
      loader.finish();
      return { loader, header: engine.header, source: { path, file, format, duplicateNames: [] } };
    } catch (error) {
      // a value DuckDB's results hold that loyalty cannot read (a period as DD.MM.YYYY): its place is a result's row, not a line of the file
      if (error instanceof InputError) {
        throw new DataError(`${file}, reduced by DuckDB (--engine duckdb): ${error.message}`, {
          hint: "loyalty's own reader (leave out --engine duckdb) names each bad row's line and column",
          cause: error,
        });
      }
      throw error;
    }
  } finally {
    engine.close();
  }
}

async function readAllRecords(records: AsyncIterable<CsvRecord[]>): Promise<CsvRecord[]> {
  const all: CsvRecord[] = [];
  for await (const batch of records) for (const record of batch) all.push(record);
  return all;
}

/**
 * A file's records in columns (RecordTable): from the scanner's bytes where the engine can hand
 * them over (divert), without a string or an array per record; else from the batches.
 */
async function readTable(source: CsvSource, progress?: Progress): Promise<RecordTable> {
  const table = new RecordTable();
  const tracked = progress && source.size && source.bytesRead ? progress : undefined;
  tracked?.start(`reading ${source.file}`, source.size!, "bytes");
  // the records already scanned (the header's batch) come in the batches, before any reaches the sink
  const sink = new TableSink(table, source.rawHeader.length);
  source.divert?.(sink);
  for await (const batch of source.records) {
    for (const record of batch) table.addRecord(record);
    tracked?.update(source.bytesRead!(), table.length);
  }
  tracked?.stop();
  // the scanner keeps its sink (the source lives on): it must not keep the table too
  sink.close();
  return table;
}

function failOnRejects(file: string, rejects: { line: number; column?: number | undefined; columnName?: string | undefined; reason: string }[]): void {
  const first = rejects[0];
  if (!first) return;
  throw new InputError(
    { file, line: first.line, column: first.column },
    `${first.columnName ? `column "${first.columnName}": ` : ""}${first.reason}`,
    { hint: "--strict makes every rejected row an error; fix the value or run without --strict" },
  );
}

/**
 * Runs `load`; when it finds no usable columns in a workbook sheet that was not named, the error
 * names the workbook's other sheets with their sizes, and --sheet.
 */
async function withSheetHint<T>(path: string, format: CsvFormat, named: string | undefined, headerLine: number, load: () => T): Promise<T> {
  try {
    return load();
  } catch (error) {
    // only problems with the header (a column not found), not with a data row
    if (!(error instanceof InputError) || format.container !== "xlsx" || named !== undefined || (error.location.line ?? headerLine) > headerLine) throw error;
    const { listSheets } = await import("./read/read-xlsx.js");
    const others = (await listSheets(path, error.location.file)).filter((sheet) => sheet.name !== format.sheet && sheet.rows > 0);
    if (others.length === 0) throw error;
    throw new InputError(error.location, `sheet "${format.sheet}": ${error.message}`, {
      hint: `the workbook has other sheets: ${others.map((sheet) => `"${sheet.name}" (${sheet.rows} rows, ${sheet.columns} columns)`).join(", ")}; name the one with the answers with --sheet`,
      cause: error,
    });
  }
}

/**
 * Runs the whole analysis on a survey export and, optionally, a finance file.
 * @throws {InputError} for unreadable or invalid input, {DataError} when the data cannot support the analysis
 */
export async function analyze(settings: AnalyzeSettings, context: AnalyzeContext): Promise<Report> {
  // the report shows no comment: their texts are not kept (a million unique comments: tens of MB)
  return buildReport(await computeAnalysis({ comments: false, ...settings }), context);
}

/**
 * The bootstrap's progress (the overall model only: the per-group ones are smaller). When the
 * bootstrap runs on a worker thread while the finance file is read, it is held until `release`,
 * so that one bar is shown at a time.
 */
function bootstrapProgress(progress: Progress, held: boolean) {
  let latest: [number, number] | null = null;
  let shown = false;
  let finished = false;
  const show = () => {
    if (finished || latest === null) return;
    const [done, total] = latest;
    if (!shown) progress.start("bootstrap of the driver importances", total, "resamples");
    shown = true;
    progress.update(done);
    if (done + 10 >= total) {
      progress.stop();
      finished = true;
    }
  };
  return {
    update(done: number, total: number) {
      latest = [done, total];
      if (!held) show();
    },
    release() {
      held = false;
      show();
    },
    stop() {
      if (shown && !finished) progress.stop();
      finished = true;
    },
  };
}

/** The driver analyses' model and importance options, as the settings ask for them (the same for every task). */
function driverModelOf(settings: AnalyzeSettings): Rehearsal {
  const kind = settings.driverModel === "promoter" ? "logistic" : "linear";
  const importance = settings.importance === undefined ? {} : settings.importance;
  const options = importance === null ? null : Object.fromEntries(Object.entries(importance).filter(([key]) => key !== "onResample"));
  return { kind, options };
}

/** Finance customers from which letting go of the store is worth a collection at once (about 100 bytes each, a collection 30-80 ms). */
const BIG_STORE = 400_000;

/** A file's first megabyte is handed to the scanner in pieces of this size (openCsv's firstRead): the records after the first batch reach the byte path. */
const FIRST_READ = 64 * 1024;

/**
 * The driver analyses to run: the overall model, and one per group (in the groups' order) whose
 * complete responses reach the minimum for all the driver columns. A group between the lowest
 * minimum and that one is left to `lazy`: it is analysed only when the overall model's drivers
 * (known later) make it reach the minimum, as one after another would.
 */
function planDrivers(survey: Analysis["survey"], groups: readonly string[], settings: AnalyzeSettings) {
  const { kind, options } = driverModelOf(settings);
  const promoterModel = kind === "logistic";
  const outcomeName = promoterModel ? "promoter" : (survey.columns.outcome?.name ?? survey.columns.score.name);
  const responses = survey.responses;
  const outcomeOf = (i: number): number => (promoterModel ? (responses.category[i] === 0 ? 1 : 0) : survey.columns.outcome ? responses.outcome[i]! : responses.score[i]!);
  // a row with an invalid rating stays out of the driver model (its score counts everywhere else);
  // null: every row is in (the responses in order, not a list of them)
  let modelRows: Int32Array | null = null;
  if (survey.ratingRejects.rows > 0) {
    const listed: number[] = [];
    for (let i = 0; i < responses.length; i++) if (responses.ratingsValid[i] === 1) listed.push(i);
    modelRows = Int32Array.from(listed);
  }
  const tasks: DriverTask[] = [];
  const planned: { group: string; n: number; task: number | null; lazy: (() => DriverTask) | null }[] = [];
  if (survey.columns.drivers.length === 0) return { overall: null, groups: planned, tasks };
  // every task reads the responses' own columns (shared memory): the score's, or the outcome made
  // once for every response; the overall model names its rows only when some are left out, and
  // each group its rows (a list of response numbers, not a copy of the columns)
  const n = responses.length;
  const outcome = promoterModel ? sharedColumn(n) : (survey.columns.outcome ? responses.outcome : responses.score).subarray(0, n);
  if (promoterModel) for (let i = 0; i < n; i++) outcome[i] = outcomeOf(i);
  const columns = survey.columns.drivers.map((_, j) => responses.ratings[j]!.subarray(0, n));
  const drivers = survey.columns.drivers.map((column, j) => ({ name: column.name, values: columns[j]! }));
  const sharedRows = (length: number) => new Int32Array(new SharedArrayBuffer(4 * Math.max(1, length))).subarray(0, length);
  const taskOf = (rows: Int32Array | null): DriverTask => ({ outcomeName, outcome, drivers, rows, options, kind });
  const overallRows = modelRows === null ? null : sharedRows(modelRows.length);
  if (overallRows !== null) overallRows.set(modelRows!);
  tasks.push(taskOf(overallRows));
  if (settings.driversByGroup !== false && survey.columns.group) {
    const surely = minimumGroupSizeForDrivers(survey.columns.drivers.length);
    const rowCount = modelRows?.length ?? n;
    const rowAt = (k: number) => (modelRows === null ? k : modelRows[k]!);
    // each group's responses in file order, and how many are complete (the outcome and every
    // driver answered): counted in one pass, then listed into their shared arrays in a second
    const complete = rowsWithValuesMarked([outcome, ...columns], n, true);
    const size: number[] = [];
    const completeIn: number[] = [];
    for (let k = 0; k < rowCount; k++) {
      const i = rowAt(k);
      const code = responses.groupCode[i]!;
      if (code < 0) continue;
      size[code] = (size[code] ?? 0) + 1;
      completeIn[code] = (completeIn[code] ?? 0) + complete[i]!;
    }
    const byCode = size.map((count) => sharedRows(count ?? 0));
    const filled = size.map(() => 0);
    for (let k = 0; k < rowCount; k++) {
      const i = rowAt(k);
      const code = responses.groupCode[i]!;
      if (code >= 0) byCode[code]![filled[code]!++] = i;
    }
    for (const group of groups) {
      const code = responses.groups.codeOf(group);
      const rows = (code < 0 ? undefined : byCode[code]) ?? sharedRows(0);
      const answered = code < 0 ? 0 : (completeIn[code] ?? 0);
      const task = answered >= surely ? tasks.push(taskOf(rows)) - 1 : null;
      planned.push({ group, n: answered, task, lazy: task === null ? () => taskOf(rows) : null });
    }
  }
  return { overall: 0, groups: planned, tasks };
}

/** The driver importances' bootstrap resamples the settings ask for (0 without importances). */
function importanceResamples(settings: AnalyzeSettings): number {
  return settings.importance === null ? 0 : (settings.importance?.bootstrap ?? 1000);
}

/**
 * Whether the survey file is big enough that the driver analyses will likely take a worker thread
 * (driverWorkers: about 10,000 responses, 1 MB, with a bootstrap; 100,000 without one).
 */
function mayTakeWorkers(settings: AnalyzeSettings): boolean {
  if (!workersAvailable || (settings.threads ?? availableParallelism()) <= 1) return false;
  return sizeOf(settings.survey) >= (importanceResamples(settings) > 0 ? 1 : 8) * 2 ** 20;
}

/** A file's size in bytes; 0 for standard input or a file that cannot be read (its error comes when it is opened). */
function sizeOf(path: string): number {
  if (path === "-") return 0;
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** Whether DuckDB reduces the finance file (--engine duckdb, or a Parquet file) rather than loyalty's own reader. */
function duckdbReduces(settings: AnalyzeSettings): boolean {
  return settings.engine === "duckdb" || /\.parquet$/i.test(settings.finance ?? "");
}

/**
 * Worker threads for the driver analyses: none with --threads 1 or from the TypeScript sources;
 * by default (auto) the machine's cores, when the analyses (with their bootstrap) are big enough
 * to pay for starting a thread: about 200,000 rows over the tasks without a bootstrap (100,000
 * responses with groups: each is in the overall model and in its group's), 20,000 rows with 1,000
 * resamples. The main thread reads the finance file meanwhile and then takes units of the analyses
 * itself, so it counts as one of the threads.
 */
function driverWorkers(settings: AnalyzeSettings, tasks: readonly DriverTask[]): number {
  if (!workersAvailable || tasks.length === 0) return 0;
  const threads = settings.threads ?? availableParallelism();
  if (threads <= 1) return 0;
  if (settings.threads === undefined) {
    // in resample-rows (measured): with a bootstrap, a thread pays from about 20 million (10,000
    // responses with groups and 1,000 resamples); without one, the regressions and point importances
    // gain beside the finance file from about 200,000 rows over the tasks (460,000 rows: 5.2 -> 4.6 s,
    // median of five pairs; 115,000 rows no gain either way)
    const resamples = importanceResamples(settings);
    const work = tasks.reduce((sum, t) => sum + taskRows(t), 0) * (20 + resamples);
    if (work < (resamples > 0 ? 20_000_000 : 4_000_000)) return 0;
  }
  // this thread takes units too, after the finance file (or at once, without one)
  return threads - 1;
}

/** A finance file of at least this many bytes takes scan helpers by default: a thread's start (about 0.05 s) pays for itself after some 16 MB. */
const SCAN_HELPER_BYTES = 16 * 2 ** 20;
/** At most this many scan helpers: one scans faster than the main thread takes in what it found. */
const MOST_SCAN_HELPERS = 2;

/**
 * Helper threads that scan the finance file while this thread adds up its records
 * (scan-workers.ts): the threads left beside this one and, when the driver analyses will have a
 * bootstrap big enough for a worker (mayTakeWorkers), beside that worker too, at most two; none
 * from the TypeScript sources, or where loyalty's own reader does not read the finance (DuckDB,
 * aggregates). By default only for a finance file of 16 MB or more. On two
 * cores with a bootstrap, then, none: the driver worker keeps the second core busy while the finance
 * file is read, and a third thread made the medium bench run slower (3.28 -> 3.47 s, five pairs);
 * without a bootstrap, the large run 9.6 -> 8.7 s. (The survey's scan on a helper gained nothing:
 * its time goes into filling its table, on this thread.)
 */
function scanHelpers(settings: AnalyzeSettings): number {
  const finance = settings.finance;
  // (none where DuckDB or aggregates reduce the finance, or without one)
  if (!scanWorkersAvailable || finance === undefined || settings.financeAggregates !== undefined || duckdbReduces(settings)) return 0;
  const threads = (settings.threads ?? availableParallelism()) - 1 - (importanceResamples(settings) > 0 && mayTakeWorkers(settings) ? 1 : 0);
  if (threads < 1 || (settings.threads === undefined && sizeOf(finance) < SCAN_HELPER_BYTES)) return 0;
  return Math.min(threads, MOST_SCAN_HELPERS);
}

/**
 * The survey read and checked: its responses (an error when none has a score), the source, and
 * the cells of a churn flag column in it (used when the finance file has none).
 */
async function readSurvey(settings: AnalyzeSettings & { strict: boolean }) {
  const surveySource = await openCsv(settings.survey, { ...settings.read, stdin: settings.stdin, firstRead: FIRST_READ });
  // the survey's records live only in this block: afterwards, only what is kept of them (memory goes to the finance file)
  const { surveyData, surveyFlag } = await (async () => {
    const surveyRecords = await readTable(surveySource, settings.progress);
    // a churn flag column in the survey (used when the finance file has none): its cells, by line
    const sample = Array.from({ length: Math.min(1000, surveyRecords.length) }, (_, i) => surveyRecords.record(i).values);
    const index = findChurnColumn(surveySource.header.values, sample, settings.churnColumn);
    const surveyFlag = { index, cells: index < 0 ? [] : Array.from({ length: surveyRecords.length }, (_, i) => ({ line: surveyRecords.line(i), text: surveyRecords.cell(i, index) ?? "" })) };
    const surveyData = await withSheetHint(settings.survey, surveySource.format, settings.read?.sheet, surveySource.header.line, () => loadSurvey(surveySource.file, surveySource.header.values, surveyRecords, settings.surveyColumns ?? {}, surveySource.format.decimal, {
      labels: surveySource.labels,
      layout: surveySource.format.layout,
      dateFormat: settings.dateFormat,
      scale: settings.scale,
      rawHeader: surveySource.rawHeader,
      duplicateNames: surveySource.duplicateNames,
      headerLine: surveySource.header.line,
      scoreMap: settings.words?.score,
      ratingMap: settings.words?.rating,
      keepComments: settings.comments !== false,
    }));
    return { surveyData, surveyFlag };
  })();
  if (settings.strict) failOnRejects(surveySource.file, [...surveyData.account.rejects, ...surveyData.ratingRejects.rejects].sort((a, b) => a.line - b.line));
  const survey = { ...surveyData, path: settings.survey, format: surveySource.format, duplicateNames: surveySource.duplicateNames };
  if (survey.responses.length === 0) {
    const first = survey.account.rejects[0];
    throw new DataError(
      `${survey.file}: no row has a score (${survey.account.rowsRead} rows read, ${survey.account.rowsRejected} rejected, ${survey.scoreMissing} not answered)`,
      {
        hint: first
          ? `the first rejected row is ${formatLocation({ file: survey.file, line: first.line, column: first.column })}: ${first.columnName ? `column "${first.columnName}": ` : ""}${first.reason}`
          : `check that column "${survey.columns.score.name}" holds the 0-10 answers, or name the right one with --score`,
      },
    );
  }

  return { survey, surveySource, surveyFlag };
}

/**
 * The ids of the survey's respondents: each customer whose latest response has a score, once, in
 * order of first appearance (`loyalty respondents`: the respondents table of loyalty sql).
 */
export async function surveyRespondents(input: AnalyzeSettings): Promise<{ ids: string[]; file: string; idColumn: string }> {
  // (the ids only: no comment is kept)
  const { survey } = await readSurvey({ strict: false, comments: false, ...input });
  if (!survey.columns.customerId) {
    throw new DataError(`${survey.file}: no customer id column, so there are no respondents to list`, { hint: "name the survey's customer id column with --customer-id" });
  }
  const latest = new LatestResponses(survey.responses);
  return { ids: Array.from(latest.entries(), ([id]) => id), file: survey.file, idColumn: survey.columns.customerId.name };
}

export async function computeAnalysis(input: AnalyzeSettings): Promise<Analysis> {
  const settings = { minN: 30, strict: false, ...input };
  if (settings.survey === "-" && settings.finance === "-") throw new UsageError("only one of --survey and --finance can read standard input (-)");
  // the files read after the survey: one that cannot be read is said before the survey's work (in
  // the order they are named, the survey first, as they would be read)
  for (const path of [settings.survey, settings.finance, settings.employees, settings.benchmark]) if (path !== undefined) await checkReadable(path);
  // a worker thread started now loads its code while the survey is read, where the survey is big
  // enough that the driver analyses will likely take one (driverWorkers decides, and the job lets go of it otherwise)
  // (rehearsing the analyses' code on made-up data until the job comes)
  if (mayTakeWorkers(settings)) prewarmWorkers(Math.min(settings.threads ?? availableParallelism(), 2) - 1, driverModelOf(settings));
  // the finance file's scan helpers, loading their code meanwhile too
  const helpers = settings.scanners === undefined ? startScanWorkers(scanHelpers(settings)) : null;
  const scanners = settings.scanners ?? helpers;
  const stopScanners = () => helpers?.stop();
  const { survey, surveySource, surveyFlag } = await readSurvey(settings).catch((error: unknown) => {
    releaseWarmWorkers();
    stopScanners();
    throw error;
  });
  const responses = survey.responses;
  // --nps-per customer: each customer's latest response only (responses without an id count as they are)
  const perCustomer = settings.npsPer === "customer";
  // each customer's latest response: here only when the tallies need it, else once the driver analyses have started
  const latestFirst = perCustomer ? new LatestResponses(responses) : null;
  const overallTally = emptyNpsTally();
  // per group code (the responses' own codes), then by name
  const tallyOfCode: NpsTally[] = [];
  for (let i = 0; i < responses.length; i++) {
    const id = responses.customerIds[i]!;
    if (latestFirst && id !== null && latestFirst.indexOf(id) !== i) continue;
    const category = responses.categoryOf(i);
    const weight = responses.weightOf(i);
    addCategoryToNpsTally(overallTally, category, weight);
    const code = responses.groupCode[i]!;
    if (code >= 0) addCategoryToNpsTally((tallyOfCode[code] ??= emptyNpsTally()), category, weight);
  }
  const groupTallies = new Map<string, NpsTally>();
  tallyOfCode.forEach((tally, code) => groupTallies.set(responses.groups.name(code)!, tally));
  const npsByGroup = [...groupTallies.keys()]
    .sort(groupCollator.compare)
    .filter((group) => groupTallies.get(group)!.weight > 0)
    .map((group) => ({ group, summary: npsSummary(groupTallies.get(group)!, settings.minN) }));

  const driverPlan = planDrivers(survey, npsByGroup.map((g) => g.group), settings);
  const workers = driverWorkers(settings, driverPlan.tasks);
  const shownProgress = settings.progress ? bootstrapProgress(settings.progress, workers > 0) : undefined;
  // the job keeps the tasks (and lets each go when done): the plan gives them up
  // once the driver analyses are done, their ratings go (unless a group may still be analysed late)
  const ratingsDone = () => {
    if (driverPlan.groups.every((g) => g.lazy === null)) survey.responses.releaseRatings();
  };
  const driverJob = startDriverTasks(driverPlan.tasks.splice(0), workers, shownProgress ? (done, total) => shownProgress.update(done, total) : undefined, ratingsDone);
  const latest = latestFirst ?? new LatestResponses(responses);
  const repeatRespondents = latest.repeatRespondents;

  let finance: Analysis["finance"] = null;
  let join: CustomerJoin | null = null;
  let revenue: CategoryRevenue[] | null = null;
  let churn: ChurnSummary | null = null;
  let linkage: Analysis["linkage"] = null;
  let retention: RetentionSummary | null = null;
  let value: Analysis["value"] = null;
  let lag: LagLinkage | null = null;
  let coverage: Coverage | null = null;
  let survival: SurvivalSection | null = null;
  let churnFlag: ChurnFlagSource | null = null;
  let business: BusinessModel | null = null;
  let cohort: Analysis["cohort"] = null;
  let repurchase: Repurchase | null = null;
  let flagColumn: { file: string; index: number; name: string; where: "finance" | "survey" } | null = null;
  let financeLevel: Analysis["financeLevel"] = null;
  const absent: Analysis["absent"] = [];
  const linkageOf = (sums: GroupMoney[]): NonNullable<Analysis["linkage"]> => {
    const groups = linkageGroups(sums);
    return {
      groups,
      byKpi: LINKAGE_KPIS.map((kpi) => kpiLinkage(groups, kpi)),
      weighted: settings.weightedLinkage ? LINKAGE_KPIS.map((kpi) => weightedKpiLinkage(groups, kpi)) : null,
    };
  };
  if (settings.trendUnit && !survey.columns.date) throw new DataError(`${survey.file}: --period needs the response date, and no date column was found`, { hint: "name it with --date" });
  const trend = settings.trendUnit ? npsTrend(survey.responses.brief(), settings.trendUnit) : null;
  if (settings.lag !== undefined && !survey.columns.group) throw new UsageError("--lag links each group's NPS to its later money, so it needs a group column (--by)");
  if (settings.lag !== undefined && settings.finance === undefined && settings.financeAggregates === undefined) throw new UsageError("--lag needs --finance (or --finance-aggregates)");
  if (settings.employees !== undefined && !survey.columns.group) throw new UsageError("--employees is joined to the customers per group, so it needs a group column (--by)");
  if (settings.finance !== undefined && settings.financeAggregates !== undefined) throw new UsageError("give the finance file (--finance) or its aggregates (--finance-aggregates), not both");
  if (settings.finance !== undefined || settings.financeAggregates !== undefined) {
    // the three questions (its answer, the answer's month, its group) come at a new customer's first row: one lookup answers them
    let askedId: string | null = null;
    let askedIndex: number | undefined;
    const respondentOf = (id: string) => {
      if (id !== askedId) {
        askedId = id;
        askedIndex = latest.indexOf(id);
      }
      return askedIndex;
    };
    const questions = {
      respondentOf: (id: string) => respondentOf(id) ?? -1,
      sharedIds: latest.sharedIds(),
      responseMonthOf: (id: string) => {
        const i = respondentOf(id);
        const date = i === undefined ? null : responses.dateOf(i);
        return date === null ? null : monthOrdinalOf(date);
      },
      repurchaseWindow: settings.repurchaseWindow ?? 6,
      groupOf: survey.columns.group
        ? (id: string) => {
            const i = respondentOf(id);
            return i === undefined ? null : responses.groupOf(i);
          }
        : undefined,
    };
    let loader: FinanceLoader;
    let financeSource: { path: string; file: string; format: CsvFormat; duplicateNames: string[] };
    if (settings.financeAggregates !== undefined) {
      const read = await readFinanceAggregates(settings.financeAggregates, settings, questions);
      loader = read.loader;
      financeSource = read.source;
      const flagName = read.loader.aggregated.churnColumn;
      if (flagName === null && settings.churnColumn !== undefined && surveyFlag.index < 0) {
        throw new UsageError(`--churn-column "${settings.churnColumn}": neither the finance aggregates (made without a churn column) nor ${survey.file} has that column`, {
          hint: `give the column to loyalty sql with --churn-column, or check ${survey.file}'s header`,
        });
      }
      flagColumn =
        flagName !== null
          ? { file: read.source.file, index: -1, name: flagName, where: "finance" }
          : surveyFlag.index >= 0
            ? { file: survey.file, index: surveyFlag.index, name: surveySource.header.values[surveyFlag.index]!, where: "survey" }
            : null;
    } else if (duckdbReduces(settings)) {
      const read = await reduceWithDuckdb(settings.finance!, settings, questions, latest, survey.columns.group?.name);
      loader = read.loader;
      financeSource = read.source;
      const flagName = read.loader.aggregated.churnColumn;
      if (flagName === null && settings.churnColumn !== undefined && surveyFlag.index < 0) {
        throw new UsageError(`--churn-column "${settings.churnColumn}": neither ${read.source.file} nor ${survey.file} has that column`, {
          hint: `${read.source.file} has ${read.header.map((h) => `"${h}"`).join(", ")}`,
        });
      }
      flagColumn =
        flagName !== null
          ? { file: read.source.file, index: read.header.indexOf(flagName), name: flagName, where: "finance" }
          : surveyFlag.index >= 0
            ? { file: survey.file, index: surveyFlag.index, name: surveySource.header.values[surveyFlag.index]!, where: "survey" }
            : null;
    } else {
      const source = await openCsv(settings.finance!, { ...settings.read, layout: undefined, sheet: settings.financeSheet, stdin: settings.stdin, firstRead: FIRST_READ });
      // the first batch of records is the sample from which each money column's decimal mark is inferred
      const batches = source.records[Symbol.asyncIterator]();
      const first = await batches.next();
      const sample = first.done ? [] : first.value;
      const financeFlag = findChurnColumn(source.header.values, sample.slice(0, 1000).map((r) => r.values), settings.churnColumn);
      const surveyFlagIndex = financeFlag >= 0 ? -1 : surveyFlag.index;
      if (settings.churnColumn !== undefined && financeFlag < 0 && surveyFlagIndex < 0) {
        throw new UsageError(`--churn-column "${settings.churnColumn}": neither ${source.file} nor ${survey.file} has that column`, {
          hint: `${source.file} has ${source.header.values.map((h) => `"${h}"`).join(", ")}; ${survey.file} has ${surveySource.header.values.slice(0, 30).map((h) => `"${h}"`).join(", ")}`,
        });
      }
      flagColumn =
        financeFlag >= 0
          ? { file: source.file, index: financeFlag, name: source.header.values[financeFlag]!, where: "finance" }
          : surveyFlagIndex >= 0
            ? { file: survey.file, index: surveyFlagIndex, name: surveySource.header.values[surveyFlagIndex]!, where: "survey" }
            : null;
      const raw = createFinanceLoader(source.file, source.header.values, settings.financeColumns ?? {}, source.format.decimal, {
        ...questions,
        churnColumn: financeFlag >= 0 ? financeFlag : undefined,
        sample,
        decimalNamed: settings.read?.decimal !== undefined,
        rawHeader: source.rawHeader,
        duplicateNames: source.duplicateNames,
        headerLine: source.header.line,
        surveyGroup: survey.columns.group?.name,
        // most respondents are customers in the finance file, which has at least one line of 12
        // bytes or more per customer: room for that many at once, not grown by doubling
        expectedCustomers: source.size ? Math.min(latest.size, Math.floor(source.size / 12)) : undefined,
      });
      loader = raw;
      const progress = settings.progress && source.size && source.bytesRead ? settings.progress : undefined;
      progress?.start(`reading ${source.file}`, source.size!, "bytes");
      for (const record of sample) raw.add(record);
      // the rest as bytes where the engine can (the scan engine): the common row without a string made
      // (scanned by the helpers where there are: scan-workers.ts)
      source.divert?.({ raw: (row) => raw.addRaw(row), record: (record) => raw.add(record), bulk: raw.bulk }, scanners);
      try {
        for (let next = await batches.next(); !next.done; next = await batches.next()) {
          for (const record of next.value) raw.add(record);
          progress?.update(source.bytesRead!(), raw.account.rowsRead);
        }
      } finally {
        stopScanners();
      }
      progress?.stop();
      // the file's chunks and what the survey's reading left are garbage now: freed before the join makes its columns
      if (raw.totals.customers.size >= BIG_STORE) collectGarbage();
      if (settings.strict) failOnRejects(source.file, raw.account.rejects);
      financeSource = { path: settings.finance!, file: source.file, format: source.format, duplicateNames: source.duplicateNames };
    }
    if (settings.strict && loader.account.rowsRejected > 0 && loader.account.rejects.length === 0) {
      throw new DataError(`${financeSource.file}: ${loader.account.rowsRejected} rows without a customer id, period or readable amount (counted by the engine that reduced the finance, without their lines), and --strict makes every rejected row an error`, {
        hint: "fix the rows at the source, or run without --strict; loyalty's own reader (--finance FILE without --engine duckdb) names each row's line and column",
      });
    }
    // (helpers a workbook did not use)
    stopScanners();
    finance = { ...loader, ...financeSource };
    const source = financeSource;
    // (from aggregates the store holds the respondents only: no match is the join's error, below)
    if ((loader.totals.wholeTable?.customers ?? loader.totals.customers.size) === 0) {
      throw new DataError(`${source.file}: no usable finance rows (${loader.account.rowsRead} read, ${loader.account.rowsRejected} rejected)`, {
        hint: loader.account.rejects[0] ? `first problem at ${formatLocation({ file: source.file, line: loader.account.rejects[0].line, column: loader.account.rejects[0].column })}: ${loader.account.rejects[0].reason}` : "check the file has data rows",
      });
    }
    const totals = loader.totals;
    if (!loader.columns.customerId) {
      financeLevel = "groups";
      linkage = groupLevelLinkage(survey.file, source.file, loader.columns, totals, npsByGroup, survey.columns.group?.name, linkageOf);
      const reason = `${source.file} has finance per group (column "${loader.columns.group!.name}"), not per customer`;
      for (const section of ["revenue by category", "churn", "retention and lifetime value", "revenue at risk and scenarios", "coverage", "survival"]) absent.push({ section, reason });
      if (settings.lag !== undefined) absent.push({ section: "lag", reason });
    } else {
      financeLevel = "customers";
      const flag = flagColumn ? churnFlagOf(flagColumn, loader, latest, surveyFlag.cells) : null;
      business = businessModel(loader.totals, settings.business);
      ({ join, revenue, linkage, churn, retention, value, coverage, lag, survival, cohort } = customerLevelSections(settings, survey, latest, npsByGroup, loader, source.file, linkageOf, absent, flag, business));
      if (business.model === "transactional") repurchase = repurchaseOf(join!, loader.totals, settings.repurchaseWindow ?? 6, absent, survey);
      churnFlag = flag?.source ?? null;
    }
  }

  let employees: Analysis["employees"] = null;
  if (settings.employees !== undefined) {
    const source = await openCsv(settings.employees, { ...settings.read, layout: undefined, sheet: undefined, stdin: settings.stdin });
    const data = loadEmployees(source.file, source.header.values, await readAllRecords(source.records), settings.employeeColumns ?? {}, source.format.decimal, survey.columns.group!.name, groupCollator.compare);
    if (settings.strict) failOnRejects(source.file, data.account.rejects);
    if (data.groups.length === 0) throw new DataError(`${source.file}: no usable employee rows (${data.account.rowsRead} read, ${data.account.rowsRejected} rejected)`, { hint: `check column "${data.columns.score.name}" holds the answers` });
    const moneyBasis = linkage && linkage.groups.some((g) => g.marginPerCustomer !== null) ? "margin" : "revenue";
    const groups = data.groups.map((e) => {
      const customers = npsByGroup.find((g) => g.group === e.group);
      const linked = linkage?.groups.find((g) => g.group === e.group);
      const money = linked ? (moneyBasis === "margin" ? linked.marginPerCustomer : linked.revenuePerCustomer) : null;
      return { group: e.group, employee: e.value, employeeRows: e.rows, nps: customers?.summary.nps ?? null, money };
    });
    employees = { data: { ...data, path: settings.employees, format: source.format }, groups, links: serviceProfitChain(groups), moneyBasis };
  }

  const npsOverall = npsSummary(overallTally, settings.minN);
  let benchmarks: Analysis["benchmarks"] = null;
  if (settings.benchmark !== undefined) {
    const source = await openCsv(settings.benchmark, { ...settings.read, layout: undefined, sheet: undefined, stdin: settings.stdin });
    const list = loadBenchmarks(source.file, source.header.values, await readAllRecords(source.records), source.format.decimal);
    benchmarks = { path: settings.benchmark, file: source.file, list, comparisons: compareToBenchmarks(npsOverall, npsByGroup, list) };
  }

  // the driver analyses, started before the finance file is read (on worker threads, when there are cores to spare)
  shownProgress?.release();
  const driverOutcomes = await driverJob.result();
  shownProgress?.stop();
  const outcomeOf = (i: number) => {
    const outcome = driverOutcomes[i]!;
    if ("error" in outcome) throw outcome.error;
    return outcome.result;
  };
  const drivers = driverPlan.overall === null ? { model: null, importance: null, warnings: [] } : outcomeOf(0);
  const driversByGroup: Analysis["driversByGroup"] = [];
  if (settings.driversByGroup !== false && survey.columns.group && drivers.model) {
    // as one after another: a group's analysis only where its complete responses reach the minimum for the model's drivers
    const minimum = minimumGroupSizeForDrivers(drivers.model.drivers.length);
    for (const { group, n, task, lazy } of driverPlan.groups) {
      const late = lazy?.();
      driversByGroup.push({ group, n, analysis: n < minimum ? null : task !== null ? outcomeOf(task) : analyzeTask(late!) });
    }
  }

  return {
    settings,
    survey,
    finance,
    npsOverall,
    npsByGroup,
    repeatRespondents,
    join,
    revenue,
    churn,
    drivers,
    driversByGroup,
    linkage,
    financeLevel,
    retention,
    value,
    survival,
    churnFlag,
    business,
    repurchase,
    cohort,
    trend,
    lag,
    coverage,
    employees,
    benchmarks,
    absent,
  };
}

/** Subscription or transactional: as --business says, else transactional when most customers bought in one period only. */
function businessModel(totals: FinanceTotals, named: AnalyzeSettings["business"]): BusinessModel {
  let withPeriods = 0;
  let single = 0;
  if (totals.wholeTable) {
    // aggregates: every customer has periods
    withPeriods = totals.wholeTable.customers;
    single = totals.wholeTable.singlePeriodCustomers;
  } else {
    for (const n of totals.customers.periodCounts()) {
      if (n === null) continue;
      withPeriods += 1;
      if (n === 1) single += 1;
    }
  }
  const singlePeriodShare = withPeriods === 0 ? null : single / withPeriods;
  const windowPeriods = totals.firstPeriod === null || totals.lastPeriod === null ? null : totals.lastPeriod - totals.firstPeriod + 1;
  if (named) return { model: named, detected: false, singlePeriodShare, windowPeriods };
  return { model: looksTransactional(singlePeriodShare, windowPeriods) ? "transactional" : "subscription", detected: true, singlePeriodShare, windowPeriods };
}

/** The repurchase section of a transactional business; null (and absent) without periods or dates. */
function repurchaseOf(join: CustomerJoin, totals: FinanceTotals, window: number, absent: Analysis["absent"], survey: Analysis["survey"]): Repurchase | null {
  if (totals.lastPeriod === null || totals.granularity === null) return null;
  if (!survey.columns.date) {
    absent.push({ section: "repurchase", reason: `${survey.file} has no response date column, so purchases after each answer cannot be found` });
    return null;
  }
  return repurchaseByCategory(
    Array.from(join.customers, (c) => ({ category: c.category, responsePeriod: c.responsePeriod, nextPurchase: c.nextPurchase, revenueAfter: c.revenueAfter })),
    totals.lastPeriod,
    window,
    monthsPerPeriod(totals.granularity),
  );
}

/**
 * Each matched customer's churn flag: from its latest finance row when the flag is in the finance
 * file, else from its latest response's row in the survey.
 */
function churnFlagOf(
  column: { file: string; index: number; name: string; where: "finance" | "survey" },
  loader: FinanceLoader,
  latest: LatestResponses,
  surveyCells: readonly { line: number; text: string }[],
): { of: NonNullable<JoinOptions["churnFlag"]>; source: ChurnFlagSource } {
  const source: ChurnFlagSource = { file: column.file, column: column.name, unknown: 0, invalid: loader.flagInvalid };
  if (column.where === "finance") {
    return { of: (_id, money) => money.churnFlag ?? null, source };
  }
  const idOfLine = new Map(Array.from(latest.entries(), ([id, i]) => [latest.responses.line[i]!, id]));
  const flags = new Map<string, boolean | null>();
  const invalid: ChurnFlagSource["invalid"] = { count: 0, first: null };
  for (const { line, text } of surveyCells) {
    const id = idOfLine.get(line);
    if (id === undefined) continue;
    let value = parseChurnFlag(text);
    if (value === undefined) {
      invalid.count += 1;
      invalid.first ??= { line, column: column.index + 1, value: text };
      value = null;
    }
    flags.set(id, value);
  }
  source.invalid = invalid;
  return { of: (id) => flags.get(id) ?? null, source };
}

/**
 * The sections that need finance per customer: the join, revenue and churn by category, the group
 * linkage, retention and lifetime value, value at stake, coverage and the lag.
 */
function customerLevelSections(
  settings: Analysis["settings"],
  survey: Analysis["survey"],
  latest: LatestResponses,
  npsByGroup: Analysis["npsByGroup"],
  loader: FinanceLoader,
  financeFile: string,
  linkageOf: (sums: GroupMoney[]) => NonNullable<Analysis["linkage"]>,
  absent: Analysis["absent"],
  flag: { of: NonNullable<JoinOptions["churnFlag"]>; source: ChurnFlagSource } | null,
  business: BusinessModel,
): Pick<Analysis, "join" | "revenue" | "linkage" | "churn" | "retention" | "value" | "coverage" | "lag" | "survival" | "cohort"> {
  const totals = loader.totals;
  const windowMonths = totals.firstPeriod === null || totals.granularity === null ? null : (totals.lastPeriod! - totals.firstPeriod + 1) * monthsPerPeriod(totals.granularity);
  let linkage: Analysis["linkage"] = null;
  let churn: ChurnSummary | null = null;
  let retention: RetentionSummary | null = null;
  let value: Analysis["value"] = null;
  let lag: LagLinkage | null = null;
  let survival: SurvivalSection | null = null;
  let cohort: Analysis["cohort"] = null;
  if (!survey.columns.customerId) {
    throw new DataError(`${survey.file}: no customer id column, so the survey cannot be joined to ${financeFile}`, {
      hint: "name the survey's customer id column with --customer-id",
    });
  }
  const singlePeriod = totals.lastPeriod !== null && totals.firstPeriod === totals.lastPeriod;
  const transactional = business.model === "transactional";
  const periods = totals.lastPeriod !== null && !singlePeriod && !transactional;
  // with a flag, churn needs no periods; without one, someone must be seen to leave over two periods or more
  const churnMeasured = Boolean(flag && !transactional) || periods;
  const join = joinCustomers(latest, totals, { churnAfter: settings.churnAfter, churnFlag: flag?.of, measureChurn: churnMeasured, releaseRecent: true, narrow: true });
  if (flag && churnMeasured) flag.source.unknown = join.customers.churned.subarray(0, join.customers.length).filter((churned) => churned < 0).length;
  if (join.report.matched === 0) {
    throw new DataError(
      `no customer id in ${survey.file} (column "${survey.columns.customerId.name}", ${join.report.respondents} customers) matches one in ${financeFile} (column "${loader.columns.customerId!.name}", ${join.report.financeCustomers} customers)`,
      { hint: "check that both files use the same ids, or name the id columns with --customer-id and --finance-customer-id" },
    );
  }
  // the two sections that read every finance customer (the store) come first, so that the store's
  // columns go before the sections over the matched customers make theirs (a million customers:
  // about 100 MB). A finance customer answered when its id has a response: the join matched those.
  const financeCustomers = function* () {
    for (const { customer, group, revenue } of totals.customers.revenueAndGroup()) yield { group: loader.columns.group ? group : null, revenue, answered: join.answered[customer] === 1 };
  };
  const coverage = totals.wholeTable
    ? coverageFromTallies(totals.wholeTable.byGroup, groupCollator.compare, settings.minN)
    : surveyCoverage(financeCustomers(), groupCollator.compare, settings.minN);
  if (settings.lag !== undefined) {
    const unit = settings.trendUnit ?? "month";
    const money = groupPeriodMoney(join.customers, totals, unit);
    if (!money) throw new DataError(`--lag needs periods in ${financeFile}, and it has no period column`, { hint: "name it with --period-column" });
    lag = lagLinkage(survey.responses.brief(), money.byGroup, unit, settings.lag, groupCollator.compare);
  }
  const storeSize = totals.customers.size;
  totals.customers.release();
  // a big store's columns freed now, before the sections over the matched customers make theirs
  if (storeSize >= BIG_STORE) collectGarbage();
  const revenue = revenueByCategory(join.customers);
  if (survey.columns.group) {
    const sums = new Map(
      npsByGroup.map((g) => [g.group, { group: g.group, nps: g.summary.nps, responses: g.summary.n, customers: 0, revenue: 0, margin: 0 as number | null, churned: 0 as number | null, firstHalfRevenue: 0 as number | null, secondHalfRevenue: 0 as number | null }]),
    );
    // (passes over every matched customer read its columns: no object made per customer)
    const matched = join.customers;
    for (let i = 0; i < matched.length; i++) {
      const group = matched.groupAt(i);
      const sum = group === null ? undefined : sums.get(group);
      if (!sum) continue;
      const revenue = matched.revenue[i]!;
      const cost = MatchedCustomers.valueAt(matched.cost, i);
      const churned = matched.churnedAt(i);
      sum.customers += 1;
      sum.revenue += revenue;
      sum.margin = cost === null || sum.margin === null ? null : sum.margin + revenue - cost;
      sum.churned = churned === null || sum.churned === null ? null : sum.churned + (churned ? 1 : 0);
    }
    for (const sum of sums.values()) {
      const halves = groupHalfRevenues(sum.group, totals);
      sum.firstHalfRevenue = halves?.first ?? null;
      sum.secondHalfRevenue = halves?.second ?? null;
    }
    linkage = linkageOf([...sums.values()]);
  }
  const churnKnown = function* (customers: MatchedCustomers) {
    for (let i = 0; i < customers.length; i++) {
      const churned = customers.churnedAt(i);
      if (churned !== null) yield { category: customers.categoryAt(i), churned };
    }
  };
  if (churnMeasured) churn = churnByCategory(churnKnown(join.customers));
  const after = settings.churnAfter ?? 1;
  if (!flag && periods && totals.lastPeriod! - totals.firstPeriod! + 1 <= after) {
    throw new UsageError(`--churn-after ${after}: ${financeFile} holds only ${totals.lastPeriod! - totals.firstPeriod! + 1} periods, so every customer would count as churned`, { hint: "use a smaller --churn-after" });
  }
  if (periods && churn) {
    retention = retentionByCategory(join.customers, { resamples: settings.retention?.resamples, seed: settings.retention?.seed, discount: settings.discount });
    const start = cohortStart(totals);
    cohort =
      start === null
        ? null
        : { start: formatPeriod({ granularity: totals.granularity!, ordinal: start }), end: formatPeriod({ granularity: totals.granularity!, ordinal: totals.lastPeriod! }), ...cohortRetention(join.customers) };
    // the matched customers still there, per category (the scenarios, revenue at risk and claims all use them)
    // (their count and run-rates' sum, in customer order: no object per customer)
    const activeOf = new Map(NPS_CATEGORIES.map((category) => [category, { customers: 0, runRate: 0 }]));
    for (let i = 0; i < join.customers.length; i++) {
      if (join.customers.churnedAt(i) !== false) continue;
      const active = activeOf.get(join.customers.categoryAt(i))!;
      active.customers += 1;
      active.runRate += MatchedCustomers.valueAt(join.customers.runRate, i) ?? 0;
    }
    const economics = retention.byCategory.map((r) => {
      const money = revenue!.find((c) => c.category === r.category)!;
      const active = activeOf.get(r.category)!;
      const runRate = active.customers === 0 ? null : active.runRate / active.customers;
      return { category: r.category, customers: r.customers, revenue: money.revenue, margin: money.margin, retention: r, active: active.customers, runRate };
    });
    if (!survey.columns.date) absent.push({ section: "survival", reason: `${survey.file} has no response date column, so the time from each answer cannot be measured` });
    else {
      const granularity = totals.granularity!;
      const periodOf = (date: number | null) => {
        return date === null ? null : toUnit(monthOrdinalOf(date), "month", granularity);
      };
      const followed = function* (customers: MatchedCustomers) {
        for (let i = 0; i < customers.length; i++) {
          const churned = customers.churnedAt(i);
          if (churned !== null) {
            yield { category: customers.categoryAt(i), responsePeriod: periodOf(customers.lastResponseDateAt(i)), lastPeriod: MatchedCustomers.valueAt(customers.lastPeriod, i)!, churned };
          }
        }
      };
      survival = survivalFromAnswer(
        followed(join.customers),
        totals.lastPeriod!,
        monthsPerPeriod(granularity),
      );
      if (!survival) absent.push({ section: "survival", reason: "no matched customer answered before the finance file's last period, so there is no follow-up after an answer" });
    }
    value = {
      revenueAtRisk: revenueAtRisk(
        retention.byCategory.map((r) => ({
          category: r.category,
          activeCustomers: activeOf.get(r.category)!.customers,
          runRate: activeOf.get(r.category)!.runRate,
          twelveMonthChurn: survival?.byCategory.find((s) => s.category === r.category)?.twelveMonthChurn ?? null,
          annualChurn: r.annualChurn,
        })),
      ),
      windowMonths,
      scenarios: (settings.scenarios ?? DEFAULT_SCENARIOS).map((scenario) => scenarioValue(scenario, economics, retention!.basis, retention!.discount)),
      claims: null,
    };
    const discount = retention.discount;
    // (a sum and a count per category, in customer order: no list of a million numbers)
    const firstRevenues = new Map(NPS_CATEGORIES.map((category) => [category, { sum: 0, customers: 0 }]));
    for (let i = 0; i < join.customers.length; i++) {
      const first = MatchedCustomers.valueAt(join.customers.firstRevenue, i);
      if (first === null) continue;
      const sum = firstRevenues.get(join.customers.categoryAt(i))!;
      sum.sum += first;
      sum.customers += 1;
    }
    value.claims = headlineClaims({
      categories: retention.byCategory.map((r) => {
        const money = revenue!.find((c) => c.category === r.category)!;
        return {
          category: r.category,
          firstRevenue: firstRevenues.get(r.category)!,
          lifetimeRevenue: r.monthlyHazard === null || r.customerMonths === 0 ? null : discountedLifetimeValue(money.revenue / r.customerMonths, r.monthlyHazard, discount),
          discountedLifetimeValue: r.discountedLifetimeValue,
        };
      }),
      scenarios: value.scenarios,
      windowMargin: revenue.some((c) => c.margin === null) ? null : revenue.reduce((sum, c) => sum + c.margin!, 0),
      windowMonths,
      acquisitionCost: settings.acquisitionCost,
    });

  } else if (transactional) {
    const share = business.singlePeriodShare === null ? "" : ` (${Math.round(business.singlePeriodShare * 100)}% of customers bought in a single period${business.detected ? "" : ", and --business transactional"})`;
    const reason = `a transactional business${share}: churn, retention and lifetime value rest on customers staying, which one-off buyers do not; the repurchase rates measure their loyalty`;
    for (const section of ["churn", "retention and lifetime value", "revenue at risk and scenarios", "survival"]) absent.push({ section, reason });
  } else {
    const reason = singlePeriod
      ? `${financeFile} holds a single period (${formatPeriod({ granularity: totals.granularity!, ordinal: totals.lastPeriod! })}), so no one can be seen to leave or stay over time${flag ? "" : "; a churn flag column (--churn-column) gives churn by category"}`
      : `${financeFile} has no period column, so no one can be seen to leave over time${flag ? "" : "; a churn flag column (--churn-column) gives churn by category"}`;
    for (const section of [...(flag ? [] : ["churn"]), "retention and lifetime value", "revenue at risk and scenarios", "survival"]) absent.push({ section, reason });
  }
  return { join, revenue, linkage, churn, retention, value, coverage, lag, survival, cohort };
}

/**
 * The linkage from a finance file per group (a branch P&L): per group its revenue and margin per
 * customer = the window's revenue (margin) / the mean of its customers per period, and revenue
 * growth between the window's halves. Churn needs customers and is left out.
 */
function groupLevelLinkage(
  surveyFile: string,
  financeFile: string,
  columns: FinanceLoader["columns"],
  totals: FinanceTotals,
  npsByGroup: Analysis["npsByGroup"],
  surveyGroup: string | undefined,
  linkageOf: (sums: GroupMoney[]) => NonNullable<Analysis["linkage"]>,
): NonNullable<Analysis["linkage"]> {
  if (!surveyGroup) {
    throw new DataError(`${financeFile} has finance per group (column "${columns.group!.name}"), but ${surveyFile} has no group column to join it to`, { hint: "name the survey's group column with --by" });
  }
  if (!columns.customers) {
    throw new DataError(`${financeFile} has finance per group, but no column with the number of customers, so revenue per customer cannot be computed`, {
      hint: "add a customers column (customers per group and period), or name it with --customers",
    });
  }
  const sums: GroupMoney[] = [];
  for (const { group, summary } of npsByGroup) {
    const money = totals.customers.get(group);
    if (!money) continue;
    const periods = periodsWithRows(money) ?? money.rows;
    const meanCustomers = (totals.customerCounts.get(group) ?? 0) / periods;
    const halves = groupHalfRevenues(group, totals);
    sums.push({
      group,
      nps: summary.nps,
      responses: summary.n,
      customers: meanCustomers,
      revenue: money.revenue,
      margin: money.cost === null ? null : money.revenue - money.cost,
      churned: null,
      firstHalfRevenue: halves?.first ?? null,
      secondHalfRevenue: halves?.second ?? null,
    });
  }
  if (sums.length === 0) {
    throw new DataError(`no group in ${surveyFile} (column "${surveyGroup}") matches one in ${financeFile} (column "${columns.group!.name}")`, {
      hint: "check that both files spell the groups the same way",
    });
  }
  return linkageOf(sums);
}
