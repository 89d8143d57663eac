/**
 * The programmatic API: read → normalise → join → metrics → Report. Commands call `analyze`;
 * so can other programs (re-exported by src/index.ts).
 */
import { DataError, InputError, UsageError, formatLocation } from "./errors.js";
import { joinCustomers, type CustomerJoin } from "./join/join-customers.js";
import { latestResponse } from "./join/latest-response.js";
import { churnByCategory, type ChurnSummary } from "./metrics/churn.js";
import { analyzeDrivers, minimumGroupSizeForDrivers, type FullDriverAnalysis } from "./metrics/drivers.js";
import type { ImportanceOptions } from "./metrics/driver-importance.js";
import { addCategoryToNpsTally, emptyNpsTally, npsSummary, type NpsSummary, type NpsTally, type ScoreScale } from "./metrics/nps.js";
import { revenueByCategory, type CategoryRevenue } from "./metrics/revenue-by-category.js";
import { LINKAGE_KPIS, kpiLinkage, linkageGroups, type KpiLinkage, type LinkageGroup } from "./metrics/linkage.js";
import type { SurveyColumnFlags, FinanceColumnFlags } from "./normalise/column-roles.js";
import { createFinanceLoader, type FinanceLoader } from "./normalise/finance.js";
import { loadSurvey, type SurveyData, type SurveyResponse } from "./normalise/survey.js";
import { openCsv, type CsvFormat, type CsvRecord, type OpenCsvOptions } from "./read/read-csv.js";
import type { DateFormat } from "./read/parse-date.js";
import { buildReport } from "./report/build-report.js";
import type { Report } from "./report/report.js";

export interface AnalyzeSettings {
  /** Standard input, for a survey or finance path of "-". */
  stdin?: AsyncIterable<Buffer | string> | undefined;
  /** How to read the inputs when detection is not enough: --encoding, --delimiter, --decimal, --layout. */
  read?: Pick<OpenCsvOptions, "encoding" | "delimiter" | "decimal" | "layout" | "sheet">;
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
  /** "promoter": a logistic model of promoter (9-10) or not, instead of the linear model of the outcome. */
  driverModel?: "linear" | "promoter";
}

export interface AnalyzeContext {
  /** The time written into the report (the CLI honours SOURCE_DATE_EPOCH). */
  now: Date;
  toolVersion: string;
}

/** Everything computed, before it is shaped into a Report. */
export interface Analysis {
  settings: Required<Pick<AnalyzeSettings, "minN" | "strict">> & AnalyzeSettings;
  survey: SurveyData & { path: string; format: CsvFormat; duplicateNames: string[] };
  finance: (FinanceLoader & { path: string; file: string; format: CsvFormat; duplicateNames: string[] }) | null;
  npsOverall: NpsSummary;
  npsByGroup: { group: string; summary: NpsSummary }[];
  /** Customers with more than one scored response. */
  repeatRespondents: number;
  join: CustomerJoin | null;
  revenue: CategoryRevenue[] | null;
  churn: ChurnSummary | null;
  drivers: FullDriverAnalysis;
  /** Group-level NPS against money; null without finance or groups. */
  linkage: { groups: LinkageGroup[]; byKpi: KpiLinkage[] } | null;
  driversByGroup: { group: string; n: number; analysis: FullDriverAnalysis | null }[];
}

/** Group names in a stable, human order (root collation: Århus beside Arhus, not after Z). */
const groupCollator = new Intl.Collator("und", { sensitivity: "variant", numeric: true });

async function readAllRecords(records: AsyncIterable<CsvRecord[]>): Promise<CsvRecord[]> {
  const all: CsvRecord[] = [];
  for await (const batch of records) for (const record of batch) all.push(record);
  return all;
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
 * Runs the whole analysis on a survey export and, optionally, a finance file.
 * @throws {InputError} for unreadable or invalid input, {DataError} when the data cannot support the analysis
 */
export async function analyze(settings: AnalyzeSettings, context: AnalyzeContext): Promise<Report> {
  return buildReport(await computeAnalysis(settings), context);
}

export async function computeAnalysis(input: AnalyzeSettings): Promise<Analysis> {
  const settings = { minN: 30, strict: false, ...input };
  if (settings.survey === "-" && settings.finance === "-") throw new UsageError("only one of --survey and --finance can read standard input (-)");
  const surveySource = await openCsv(settings.survey, { ...settings.read, stdin: settings.stdin });
  const surveyRecords = await readAllRecords(surveySource.records);
  const surveyData = loadSurvey(surveySource.file, surveySource.header.values, surveyRecords, settings.surveyColumns ?? {}, surveySource.format.decimal, {
    labels: surveySource.labels,
    layout: surveySource.format.layout,
    dateFormat: settings.dateFormat,
    scale: settings.scale,
    rawHeader: surveySource.rawHeader,
    duplicateNames: surveySource.duplicateNames,
  });
  if (settings.strict) failOnRejects(surveySource.file, surveyData.account.rejects);
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

  const overallTally = emptyNpsTally();
  const groupTallies = new Map<string, NpsTally>();
  for (const response of survey.responses) {
    addCategoryToNpsTally(overallTally, response.category, response.weight);
    if (response.group !== null) {
      let tally = groupTallies.get(response.group);
      if (!tally) groupTallies.set(response.group, (tally = emptyNpsTally()));
      addCategoryToNpsTally(tally, response.category, response.weight);
    }
  }
  const npsByGroup = [...groupTallies.keys()]
    .sort(groupCollator.compare)
    .filter((group) => groupTallies.get(group)!.weight > 0)
    .map((group) => ({ group, summary: npsSummary(groupTallies.get(group)!) }));

  const latest = latestResponse(survey.responses);
  const responsesPerCustomer = new Map<string, number>();
  for (const r of survey.responses) if (r.customerId !== null) responsesPerCustomer.set(r.customerId, (responsesPerCustomer.get(r.customerId) ?? 0) + 1);
  let repeatRespondents = 0;
  for (const responses of responsesPerCustomer.values()) if (responses > 1) repeatRespondents++;

  let finance: Analysis["finance"] = null;
  let join: CustomerJoin | null = null;
  let revenue: CategoryRevenue[] | null = null;
  let churn: ChurnSummary | null = null;
  let linkage: Analysis["linkage"] = null;
  if (settings.finance !== undefined) {
    const source = await openCsv(settings.finance, { ...settings.read, layout: undefined, sheet: settings.financeSheet, stdin: settings.stdin });
    // the first batch of records is the sample from which each money column's decimal mark is inferred
    const batches = source.records[Symbol.asyncIterator]();
    const first = await batches.next();
    const sample = first.done ? [] : first.value;
    const loader = createFinanceLoader(source.file, source.header.values, settings.financeColumns ?? {}, source.format.decimal, {
      sample,
      decimalNamed: settings.read?.decimal !== undefined,
      rawHeader: source.rawHeader,
      duplicateNames: source.duplicateNames,
    });
    for (const record of sample) loader.add(record);
    for (let next = await batches.next(); !next.done; next = await batches.next()) for (const record of next.value) loader.add(record);
    if (settings.strict) failOnRejects(source.file, loader.account.rejects);
    finance = { ...loader, path: settings.finance, file: source.file, format: source.format, duplicateNames: source.duplicateNames };
    if (loader.totals.customers.size === 0) {
      throw new DataError(`${source.file}: no usable finance rows (${loader.account.rowsRead} read, ${loader.account.rowsRejected} rejected)`, {
        hint: loader.account.rejects[0] ? `first problem at ${formatLocation({ file: source.file, line: loader.account.rejects[0].line, column: loader.account.rejects[0].column })}: ${loader.account.rejects[0].reason}` : "check the file has data rows",
      });
    }
    if (!survey.columns.customerId) {
      throw new DataError(`${survey.file}: no customer id column, so the survey cannot be joined to ${source.file}`, {
        hint: "name the survey's customer id column with --customer-id",
      });
    }
    join = joinCustomers(latest, loader.totals);
    if (join.report.matched === 0) {
      throw new DataError(
        `no customer id in ${survey.file} (column "${survey.columns.customerId.name}", ${join.report.respondents} customers) matches one in ${source.file} (column "${loader.columns.customerId.name}", ${join.report.financeCustomers} customers)`,
        { hint: "check that both files use the same ids, or name the id columns with --customer-id and --finance-customer-id" },
      );
    }
    revenue = revenueByCategory(join.customers);
    if (survey.columns.group) {
      const sums = new Map(npsByGroup.map((g) => [g.group, { group: g.group, nps: g.summary.nps, customers: 0, revenue: 0, margin: 0 as number | null, churned: 0 as number | null }]));
      for (const customer of join.customers) {
        const sum = customer.group === null ? undefined : sums.get(customer.group);
        if (!sum) continue;
        sum.customers += 1;
        sum.revenue += customer.revenue;
        sum.margin = customer.cost === null || sum.margin === null ? null : sum.margin + customer.revenue - customer.cost;
        sum.churned = customer.churned === null || sum.churned === null ? null : sum.churned + (customer.churned ? 1 : 0);
      }
      const groups = linkageGroups([...sums.values()]);
      linkage = { groups, byKpi: LINKAGE_KPIS.map((kpi) => kpiLinkage(groups, kpi)) };
    }
    if (loader.totals.lastPeriod !== null) {
      churn = churnByCategory(join.customers.map((c) => ({ category: c.category, churned: c.churned === true })));
    }
  }

  const promoterModel = settings.driverModel === "promoter";
  const kind = promoterModel ? "logistic" : "linear";
  const outcomeName = promoterModel ? "promoter" : (survey.columns.outcome?.name ?? survey.columns.score.name);
  const outcomeOf = (r: SurveyResponse) => (promoterModel ? (r.category === "promoter" ? 1 : 0) : survey.columns.outcome ? r.outcome : r.score);
  const importanceOptions = settings.importance === undefined ? {} : settings.importance;
  const driverColumnsOf = (responses: readonly SurveyResponse[]) =>
    survey.columns.drivers.map((column, index) => ({ name: column.name, values: responses.map((r) => r.drivers[index]!) }));
  const drivers =
    survey.columns.drivers.length === 0
      ? { model: null, importance: null, warnings: [] }
      : analyzeDrivers(outcomeName, survey.responses.map(outcomeOf), driverColumnsOf(survey.responses), importanceOptions, kind);

  const driversByGroup: Analysis["driversByGroup"] = [];
  if (settings.driversByGroup !== false && survey.columns.group && drivers.model) {
    const minimum = minimumGroupSizeForDrivers(drivers.model.drivers.length);
    for (const { group } of npsByGroup) {
      const responses = survey.responses.filter((r) => r.group === group);
      const complete = responses.filter((r) => outcomeOf(r) !== null && r.drivers.every((v) => v !== null)).length;
      driversByGroup.push({
        group,
        n: complete,
        analysis: complete >= minimum ? analyzeDrivers(outcomeName, responses.map(outcomeOf), driverColumnsOf(responses), importanceOptions, kind) : null,
      });
    }
  }

  return {
    settings,
    survey,
    finance,
    npsOverall: npsSummary(overallTally),
    npsByGroup,
    repeatRespondents,
    join,
    revenue,
    churn,
    drivers,
    driversByGroup,
    linkage,
  };
}
