/**
 * Analysis results → the Report (shared/DESIGN.md section 4), with every warning the data
 * calls for. Pure: the clock and the version come in as arguments.
 */
import { CHURN_FLAG_VALUES } from "../normalise/churn-flag.js";
import { minimumGroupSizeForDrivers } from "../metrics/drivers.js";
import { NPS_SCALE } from "../metrics/nps.js";
import type { Analysis, AnalyzeContext } from "../pipeline.js";
import type { ImportanceResult } from "../metrics/driver-importance.js";
import type { KpiLinkage } from "../metrics/linkage.js";
import type { InputAccount } from "../normalise/accounting.js";
import { formatPeriod } from "../read/parse-date.js";
import { describeWords } from "../normalise/rating-words.js";
import { MAX_DRIVERS } from "../normalise/driver-columns.js";
import type { Report, ReportWarning } from "./report.js";
import { SCHEMA_VERSION } from "./schema-version.js";

function amount(value: number, decimals: number): string {
  const text = Math.abs(value).toFixed(decimals).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${value < 0 && Number(text.replace(/,/g, "")) !== 0 ? "−" : value > 0 ? "+" : ""}${text}`;
}

/** "each +10 NPS points goes with +1,522 revenue per customer (95% CI 457 to 2,588, 8 groups)". */
export function linkageSummary(kpi: KpiLinkage, units = "groups", later = ""): string | null {
  if (kpi.slope === null || kpi.slopeCiLow === null || kpi.slopeCiHigh === null) return null;
  // churn and growth are fractions: say them in percentage points
  const fraction = kpi.kpi === "churnRate" || kpi.kpi === "revenueGrowth";
  const scale = fraction ? 1000 : 10;
  const decimals = fraction ? 1 : 0;
  const what = {
    churnRate: "percentage points of churn",
    revenueGrowth: "percentage points of revenue growth (second half of the window on the first)",
    revenuePerCustomer: "revenue per customer",
    marginPerCustomer: "margin per customer",
  }[kpi.kpi];
  const plain = (v: number) => amount(v, decimals).replace(/^\+/, "");
  return `each +10 NPS points goes with ${amount(kpi.slope * scale, decimals)} ${what}${later} (95% CI ${plain(kpi.slopeCiLow * scale)} to ${plain(kpi.slopeCiHigh * scale)}, ${kpi.n} ${units})`;
}

/** "promoters are worth 2.4× detractors over their lifetime (95% CI 1.6 to 3.9)". */
export function ltvRatioSummary(ratio: { ratio: number; ciLow: number | null; ciHigh: number | null; resamples: number }, basis: string): string {
  const x = (v: number | null) => (v === null ? "unbounded" : `${v.toFixed(1)}×`);
  const interval = ratio.resamples === 0 ? "no interval: --bootstrap 0" : `95% CI ${x(ratio.ciLow)} to ${x(ratio.ciHigh)}`;
  return `a promoter is worth ${ratio.ratio.toFixed(1)}× a detractor in lifetime ${basis} (${interval})`;
}

function rejectsOf(account: Pick<InputAccount, "rejects">): Report["inputs"]["survey"]["rejects"] {
  return account.rejects.map((r) => ({ line: r.line, column: r.column ?? null, columnName: r.columnName ?? null, reason: r.reason }));
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}

function rejectWarning(file: string, account: InputAccount, code: string): ReportWarning | null {
  if (account.rowsRejected === 0) return null;
  const first = account.rejects[0];
  // finance aggregates: the engine counted the rows it left out, and no line is known
  if (!first) return { code, message: `${file}: ${plural(account.rowsRejected, "row")} without a customer id, period or readable amount, left out of every analysis (counted by the engine that reduced the finance, without their lines)`, count: account.rowsRejected };
  const where = `${file}:${first.line}${first.column ? `:${first.column}` : ""}`;
  return {
    code,
    message: `${file}: ${plural(account.rowsRejected, "row")} rejected and left out of every analysis (first at ${where}: ${first.columnName ? `column "${first.columnName}": ` : ""}${first.reason})`,
    count: account.rowsRejected,
  };
}

function importanceMeta(result: ImportanceResult | null): Report["drivers"] extends infer D ? (D extends { importanceMeta: infer M } ? M : never) : never {
  if (!result) return null;
  return {
    importanceN: result.n,
    importanceMethod: result.method,
    permutations: result.permutations,
    missing: result.missing,
    bootstrap: result.bootstrap,
    quadrantCut: result.quadrantCut,
    quadrantCuts: result.quadrantCuts,
    conditionNumber: Number.isFinite(result.conditionNumber) ? result.conditionNumber : null,
  };
}

/** Lists longer than this are summarised in a warning's message; the full list is in its `items`. */
const LISTED_IN_FULL = 8;

/**
 * A list for a message: in full when short, else "1,088 groups, e.g. A, B, C, D, E; all of them in
 * the JSON report's warnings[].items". `counted` false leaves the count out when the message says it.
 */
export function listed(items: readonly string[], noun: string, counted = true): string {
  if (items.length <= LISTED_IN_FULL) return (counted && items.length > 1 ? `${noun}s ` : counted ? `${noun} ` : "") + items.join(", ");
  return `${counted ? `${plural(items.length, noun)}, ` : ""}e.g. ${items.slice(0, 5).join(", ")}; all of them in the JSON report's warnings[].items`;
}

export function buildReport(analysis: Analysis, context: AnalyzeContext): Report {
  const { survey, finance, settings } = analysis;
  const warnings: ReportWarning[] = [];
  const warn = (code: string, message: string, count: number | null = null, items?: string[]) => warnings.push({ code, message, count, ...(items && items.length > LISTED_IN_FULL ? { items } : {}) });

  for (const input of [survey, finance]) {
    if (input?.format.renamed) {
      warn("workbook-renamed", `${input.file} is an Excel workbook, not CSV text: read its sheet "${input.format.sheet}"`);
    }
    if (input && input.format.skippedSheets.length > 0) {
      const sheets = input.format.skippedSheets.map((n) => `sheet "${n}"`);
      warn("sheets-skipped", `${input.file}: ${listed(sheets, "sheet", false)} ${sheets.length === 1 ? "holds" : "hold"} no table, so sheet "${input.format.sheet}" was read; name another with --sheet`, sheets.length, input.format.skippedSheets);
    }
    if (input?.format.encodingGuessed) {
      warn("encoding-guessed", `${input.file}: not valid UTF-8, so it was read as ${input.format.encoding} (as Nordic Excel saves CSV); name the encoding with --encoding if that is wrong`);
    }
  }
  for (const input of [survey, finance]) {
    for (const exclusion of input?.account.exclusions ?? []) {
      warn("rows-excluded", `${input!.file}: ${plural(exclusion.count, "row")} left out: ${exclusion.reason}`, exclusion.count);
    }
  }
  for (const input of [survey, finance]) {
    if (input && input.duplicateNames.length > 0) {
      const names = listed(input.duplicateNames.map((n) => `"${n}"`), "column", false);
      warn("duplicate-columns", `${input.file}: the header repeats ${names}; loyalty uses none of them`, input.duplicateNames.length, input.duplicateNames);
    }
  }
  const surveyRejects = rejectWarning(survey.file, survey.account, "survey-rows-rejected");
  if (surveyRejects) warnings.push(surveyRejects);
  if (survey.ratingRejects.rows > 0) {
    const first = survey.ratingRejects.rejects[0]!;
    warn(
      "ratings-rejected",
      `${survey.file}: ${plural(survey.ratingRejects.rows, "row")} with an invalid rating left out of the driver model, ${survey.ratingRejects.rows === 1 ? "its score" : "their scores"} still counted (first at ${survey.file}:${first.line}${first.column ? `:${first.column}` : ""}: ${first.columnName ? `column "${first.columnName}": ` : ""}${first.reason})`,
      survey.ratingRejects.rows,
    );
  }
  for (const words of survey.wordScales) {
    warn("words-read", `${survey.file}: column "${words.column}" holds words, read on the ${words.scale.name} scale as ${describeWords(words.scale)}`);
  }
  if (survey.scoreMissing > 0) {
    warn("score-missing", `${survey.file}: ${plural(survey.scoreMissing, "row")} with no score (blank or NA) left out of every analysis`, survey.scoreMissing);
  }
  if (survey.shortRows > 0) {
    warn("short-rows", `${survey.file}: ${plural(survey.shortRows, "row")} had fewer fields than the header; the missing fields were read as not answered`, survey.shortRows);
  }
  if (survey.blankGroup > 0) {
    warn("group-blank", `${survey.file}: ${plural(survey.blankGroup, "response")} with a blank "${survey.columns.group!.name}" are shown as the group "(blank)"`, survey.blankGroup);
  }
  if (survey.scientificIds > 0) {
    warn("ids-scientific", `${survey.file}: ${plural(survey.scientificIds, "customer id")} look like Excel's scientific notation (e.g. 1.00000E+11): the real ids were lost when the file was saved; format the column as text in Excel and export again`, survey.scientificIds);
  }
  if (survey.blankDate > 0) {
    warn("date-blank", `${survey.file}: ${plural(survey.blankDate, "response")} with a blank date count as older than any dated response when picking each customer's latest`, survey.blankDate);
  }
  if (analysis.repeatRespondents > 0) {
    const npsCounts = settings.npsPer === "customer" ? "NPS counts each customer's latest response (--nps-per customer)" : "NPS counts every response (--nps-per customer counts each customer once)";
    warn("repeat-respondents", `${survey.file}: ${plural(analysis.repeatRespondents, "customer")} answered more than once: ${npsCounts}, customer-level sections use each customer's latest`, analysis.repeatRespondents);
    if (!survey.columns.date) {
      warn(
        "latest-by-file-order",
        `${survey.file}: no response date column, so the latest response of each of the ${plural(analysis.repeatRespondents, "customer")} who answered more than once is taken to be the last one in the file; name the date column with --date if there is one`,
        analysis.repeatRespondents,
      );
    }
  }
  const small = analysis.npsByGroup.filter((g) => g.summary.n < settings.minN);
  if (small.length > 0) {
    const groups = small.map((g) => g.group);
    warn("small-groups", `${survey.file}: ${plural(small.length, "group")} with fewer than ${settings.minN} responses (${listed(groups, "group", false)}): their NPS is too uncertain to rank (their intervals are adjusted Wald)`, small.length, groups);
  }
  if (analysis.npsOverall.effectiveN < settings.minN) {
    warn("small-sample", `${survey.file}: only ${plural(analysis.npsOverall.n, "scored response")}, fewer than ${settings.minN}: the NPS is very uncertain (adjusted-Wald interval ${analysis.npsOverall.ciLow.toFixed(1)} to ${analysis.npsOverall.ciHigh.toFixed(1)})`, analysis.npsOverall.n);
  }
  if (finance) {
    const financeRejects = rejectWarning(finance.file, finance.account, "finance-rows-rejected");
    if (financeRejects) warnings.push(financeRejects);
    if (finance.totals.repeatedPeriodRows > 0) {
      warn("finance-repeated-periods", `${finance.file}: ${plural(finance.totals.repeatedPeriodRows, "row")} repeat a customer and period that already had a row; their amounts were added together`, finance.totals.repeatedPeriodRows);
    }
    if (!finance.columns.period) {
      warn("no-period", analysis.churnFlag ? `${finance.file}: no period column, so retention, lifetime value and survival cannot be measured (name it with --period-column)` : `${finance.file}: no period column, so churn cannot be derived (name it with --period-column, or give a churn flag with --churn-column)`);
    }
    if (!finance.columns.cost) warn("no-cost", `${finance.file}: no cost column, so margin cannot be computed (name it with --cost)`);
  }
  if (analysis.join && analysis.join.report.unmatchedRespondents > 0) {
    const j = analysis.join.report;
    warn("unmatched-respondents", `${survey.file}: ${plural(j.unmatchedRespondents, "respondent")} of ${j.respondents.toLocaleString("en-US")} have no finance rows in ${finance!.file} and are left out of the customer-level sections (revenue, churn, retention, value)`, j.unmatchedRespondents);
  }
  if (analysis.linkage && analysis.linkage.groups.length < 8) {
    warn("linkage-few-groups", `only ${plural(analysis.linkage.groups.length, "group")}: too few groups to say much about how NPS goes with money across them`, analysis.linkage.groups.length);
  }
  if (analysis.coverage?.uneven && analysis.coverage.lowest && analysis.coverage.highest) {
    const { lowest, highest } = analysis.coverage;
    const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
    warn(
      "coverage-uneven",
      `survey coverage differs a lot between groups: ${pct(lowest.customerShare)} of customers answered in ${lowest.group}, ${pct(highest.customerShare)} in ${highest.group}; non-response makes NPS look better than it is (promoters answer more), so compare these groups' NPS with care`,
    );
  }
  if (analysis.business?.model === "transactional") {
    const b = analysis.business;
    warn(
      "transactional",
      `${finance!.file}: ${b.detected ? `${Math.round(b.singlePeriodShare! * 100)}% of customers bought in a single period of ${b.windowPeriods}, so this is read as a transactional business` : "--business transactional"}: repurchase rates instead of churn and lifetime value${b.detected ? " (--business subscription to override)" : ""}`,
    );
  }
  if (analysis.churnFlag) {
    const f = analysis.churnFlag;
    warn("churn-flag", `churn comes from the flag column "${f.column}" in ${f.file}, not from the finance rows`);
    if (f.invalid.count > 0) {
      const first = f.invalid.first!;
      warn(
        "churn-flag-invalid",
        `${f.file}: ${plural(f.invalid.count, "cell")} of the churn flag "${f.column}" ${f.invalid.count === 1 ? "is" : "are"} not a flag value (first at ${f.file}:${first.line}:${first.column}: ${JSON.stringify(first.value)}); expected ${CHURN_FLAG_VALUES}`,
        f.invalid.count,
      );
    }
    if (f.unknown > 0) warn("churn-flag-unknown", `${plural(f.unknown, "matched customer")} with a blank or unreadable churn flag ${f.unknown === 1 ? "is" : "are"} left out of churn`, f.unknown);
  }
  const reasons = [...new Set(analysis.absent.map((a) => a.reason))];
  for (const reason of reasons) {
    const sections = analysis.absent.filter((a) => a.reason === reason).map((a) => a.section);
    warn("sections-absent", `${listed(sections, "section", false)}: not computed, because ${reason}`, sections.length, sections);
  }
  if (analysis.retention) {
    const unbounded = analysis.retention.byCategory.filter((c) => c.customers > 0 && c.customerMonths > 0 && c.churned === 0);
    if (unbounded.length > 0) warn("no-churn-observed", `no ${unbounded.map((c) => c.category).join(" or ")} left during the window, so their lifetime value is unbounded and not shown`);
  }
  if (analysis.lag && analysis.lag.rows.filter((r) => r.revenuePerCustomer !== null).length < 3) {
    const { lag, unit, rows } = analysis.lag;
    warn("lag-too-short", `--lag ${lag}: only ${rows.length} group-${unit}s have finance ${lag} ${unit}${lag === 1 ? "" : "s"} after their responses, too few to fit a line; use a shorter lag or a finer --period`, rows.length);
  }
  if (analysis.employees) {
    const e = analysis.employees;
    const employeeRejects = rejectWarning(e.data.file, e.data.account, "employee-rows-rejected");
    if (employeeRejects) warnings.push(employeeRejects);
    for (const exclusion of e.data.account.exclusions) warn("rows-excluded", `${e.data.file}: ${plural(exclusion.count, "row")} left out: ${exclusion.reason}`, exclusion.count);
    const unmatched = e.groups.filter((g) => g.nps === null).map((g) => g.group);
    if (unmatched.length > 0) warn("employee-groups-unmatched", `${e.data.file}: ${plural(unmatched.length, "group")} with no customer responses (${listed(unmatched, "group", false)})`, unmatched.length, unmatched);
    const n = e.links[0]!.n;
    if (n < 8) warn("chain-few-groups", `the service-profit chain has only ${n} groups with both employee and customer scores: too few groups to say much`, n);
  }
  if (!survey.columns.customerId) {
    warn("no-customer-id", `${survey.file}: no customer id column, so customer-level sections are not computed (name it with --customer-id)`);
  }
  for (const w of analysis.drivers.warnings) warn(w.code, w.message);
  const tooFew = analysis.driversByGroup.filter((g) => g.analysis === null);
  if (tooFew.length > 0) {
    warn(
      "drivers-group-too-small",
      `drivers are not analysed per group for ${tooFew.map((g) => `${g.group} (${g.n})`).join(", ")}: too few complete responses (at least ${minimumGroupSizeForDrivers(analysis.drivers.model!.drivers.length)} needed)`,
      tooFew.length,
    );
  }
  if (survey.tooManyDrivers > 0) {
    warn("too-many-drivers", `${survey.file}: ${plural(survey.tooManyDrivers, "column")} look like ratings, more than the ${MAX_DRIVERS} a driver model can take, so there is no driver model; name the drivers with --drivers a,b,c`, survey.tooManyDrivers);
  } else if (survey.columns.drivers.length === 0 && settings.surveyColumns?.drivers?.length !== 0) {
    warn("no-drivers", `${survey.file}: no driver rating columns found, so there is no driver model (name them with --drivers a,b,c)`);
  }

  const model = analysis.drivers.model;
  const totals = finance?.totals;
  const revenueTotal = analysis.revenue && {
    customers: analysis.revenue.reduce((s, r) => s + r.customers, 0),
    revenue: analysis.revenue.reduce((s, r) => s + r.revenue, 0),
    cost: analysis.revenue[0]!.cost === null ? null : analysis.revenue.reduce((s, r) => s + r.cost!, 0),
    margin: analysis.revenue[0]!.margin === null ? null : analysis.revenue.reduce((s, r) => s + r.margin!, 0),
  };
  const period = (ordinal: number | null | undefined) =>
    ordinal === null || ordinal === undefined || !totals?.granularity ? null : formatPeriod({ granularity: totals.granularity, ordinal });

  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: "loyalty", version: context.toolVersion },
    generatedAt: context.now.toISOString(),
    inputs: {
      survey: {
        path: survey.path,
        format: survey.format,
        rowsRead: survey.account.rowsRead,
        rowsAccepted: survey.account.rowsAccepted,
        rowsRejected: survey.account.rowsRejected,
        rowsExcluded: survey.account.rowsExcluded,
        exclusions: survey.account.exclusions,
        rejects: rejectsOf(survey.account),
        columns: {
          customerId: survey.columns.customerId?.name ?? null,
          score: survey.columns.score.name,
          date: survey.columns.date?.name ?? null,
          group: survey.columns.group?.name ?? null,
          weight: survey.columns.weight?.name ?? null,
          comment: survey.columns.comment?.name ?? null,
          owner: survey.columns.owner?.name ?? null,
          drivers: survey.columns.drivers.map((d) => d.name),
        },
        scoreMissing: survey.scoreMissing,
        ratingRejects: { rows: survey.ratingRejects.rows, rejects: rejectsOf({ rejects: survey.ratingRejects.rejects }) },
        wordScales: survey.wordScales.map((w) => ({ column: w.column, scale: w.scale.name, min: w.scale.min, max: w.scale.max })),
        npsPer: settings.npsPer ?? "response",
        latestBy: survey.columns.date ? "date" : "file order",
      },
      finance: finance && {
        path: finance.path,
        format: finance.format,
        rowsRead: finance.account.rowsRead,
        rowsAccepted: finance.account.rowsAccepted,
        rowsRejected: finance.account.rowsRejected,
        rowsExcluded: finance.account.rowsExcluded,
        exclusions: finance.account.exclusions,
        rejects: rejectsOf(finance.account),
        level: analysis.financeLevel ?? "customers",
        columns: {
          customerId: finance.columns.customerId?.name ?? null,
          period: finance.columns.period?.name ?? null,
          revenue: finance.columns.revenue.name,
          cost: finance.columns.cost?.name ?? null,
          group: finance.columns.group?.name ?? null,
          customers: finance.columns.customers?.name ?? null,
        },
        firstPeriod: period(totals?.firstPeriod),
        lastPeriod: period(totals?.lastPeriod),
        currency: finance.currency(),
        aggregates: finance.aggregated ? { engine: finance.aggregated.engine, directory: finance.aggregated.directory, inProcess: finance.aggregated.inProcess } : null,
      },
    },
    join: analysis.join?.report ?? null,
    nps: {
      scale: settings.scale ?? NPS_SCALE,
      overall: { ...analysis.npsOverall, smallSample: analysis.npsOverall.effectiveN < settings.minN },
      groupBy: survey.columns.group?.name ?? null,
      minN: settings.minN,
      byGroup: analysis.npsByGroup.map((g) => ({ group: g.group, ...g.summary, smallSample: g.summary.n < settings.minN })),
    },
    revenue: analysis.revenue && revenueTotal && { byCategory: analysis.revenue, total: revenueTotal },
    churn: analysis.churn && {
      rule: analysis.churnFlag ? "flag" : "derived",
      lastPeriod: period(totals?.lastPeriod),
      after: settings.churnAfter ?? 1,
      flag: analysis.churnFlag && {
        file: analysis.churnFlag.file,
        column: analysis.churnFlag.column,
        unknown: analysis.churnFlag.unknown,
        invalid: analysis.churnFlag.invalid.count,
        firstInvalid: analysis.churnFlag.invalid.first,
      },
      byCategory: analysis.churn.byCategory,
      overall: analysis.churn.overall,
    },
    drivers: model && {
      model: model.model,
      outcome: model.outcome,
      drivers: model.drivers,
      n: model.n,
      droppedIncomplete: model.droppedIncomplete,
      droppedInvalidRating: survey.ratingRejects.rows,
      missingByDriver: model.missingByDriver,
      excluded: model.excluded,
      rSquared: model.rSquared,
      adjRSquared: model.adjRSquared,
      sigma: model.sigma,
      f: model.f,
      fP: model.fP,
      logLikelihood: model.logLikelihood,
      lrChiSquare: model.lrChiSquare,
      lrP: model.lrP,
      dfModel: model.dfModel,
      dfResidual: model.dfResidual,
      terms: model.terms,
      importance: analysis.drivers.importance?.importance ?? [],
      importanceMeta: importanceMeta(analysis.drivers.importance),
      groupBy: analysis.driversByGroup.length > 0 ? survey.columns.group!.name : null,
      byGroup: analysis.driversByGroup.map((g) => ({
        group: g.group,
        n: g.n,
        status: g.analysis ? "analysed" : "too few responses",
        minimumN: minimumGroupSizeForDrivers(model.drivers.length),
        rSquared: g.analysis?.model?.rSquared ?? null,
        importance: g.analysis?.importance?.importance ?? [],
      })),
    },
    linkage: analysis.linkage && {
      groupBy: survey.columns.group!.name,
      level: analysis.financeLevel ?? "customers",
      groups: analysis.linkage.groups.map((g) => ({ ...g, revenueGrowth: g.revenueGrowth ?? null })),
      byKpi: analysis.linkage.byKpi.map((kpi) => ({ ...kpi, summary: linkageSummary(kpi) })),
      weighted: analysis.linkage.weighted && analysis.linkage.weighted.map((kpi) => ({ ...kpi, summary: linkageSummary(kpi, "groups, weighted by responses") })),
    },
    retention: analysis.retention && {
      basis: analysis.retention.basis,
      windowMonths: analysis.value?.windowMonths ?? null,
      revenueWeightedNps: analysis.retention.revenueWeightedNps,
      byCategory: analysis.retention.byCategory,
      overall: analysis.retention.overall,
      discount: analysis.retention.discount,
      cohort: analysis.cohort,
      ltvRatio: analysis.retention.ltvRatio && { ...analysis.retention.ltvRatio, summary: ltvRatioSummary(analysis.retention.ltvRatio, analysis.retention.basis) },
    },
    value: analysis.value,
    trend: analysis.trend && {
      unit: analysis.trend.unit,
      undated: analysis.trend.undated,
      periods: analysis.trend.periods.map((p) => ({ period: p.period, ...p.summary })),
      changes: analysis.trend.changes.map((c) => ({
        from: c.from,
        to: c.to,
        change: c.independent.difference,
        stdError: c.independent.stdError,
        z: c.independent.z,
        p: c.independent.p,
        ciLow: c.independent.ciLow,
        ciHigh: c.independent.ciHigh,
        paired: c.paired,
      })),
    },
    lag: analysis.lag && {
      lag: analysis.lag.lag,
      unit: analysis.lag.unit,
      groupBy: survey.columns.group!.name,
      rows: analysis.lag.rows.map(({ revenueGrowth: _, ...row }) => row),
      byKpi: analysis.lag.byKpi
        .filter((k) => k.kpi !== "revenueGrowth")
        .map((kpi) => ({ ...kpi, summary: linkageSummary(kpi, "group-periods", ` ${analysis.lag!.lag} ${analysis.lag!.unit}${analysis.lag!.lag === 1 ? "" : "s"} later`) })),
    },
    coverage: analysis.coverage && { groupBy: finance?.columns.group?.name ?? null, ...analysis.coverage },
    business: analysis.business,
    repurchase: analysis.repurchase,
    survival: analysis.survival,
    employees: analysis.employees && {
      path: analysis.employees.data.path,
      format: analysis.employees.data.format,
      rowsRead: analysis.employees.data.account.rowsRead,
      rowsAccepted: analysis.employees.data.account.rowsAccepted,
      rowsRejected: analysis.employees.data.account.rowsRejected,
      rowsExcluded: analysis.employees.data.account.rowsExcluded,
      rejects: rejectsOf(analysis.employees.data.account),
      columns: { group: analysis.employees.data.columns.group.name, score: analysis.employees.data.columns.score.name },
      mode: analysis.employees.data.mode,
      measure: analysis.employees.data.measure,
      moneyBasis: analysis.employees.moneyBasis,
      groups: analysis.employees.groups,
      chain: analysis.employees.links,
    },
    benchmarks: analysis.benchmarks && {
      path: analysis.benchmarks.path,
      benchmarks: analysis.benchmarks.list.map(({ line: _line, ...b }) => b),
      comparisons: analysis.benchmarks.comparisons,
    },
    absent: analysis.absent,
    warnings,
  };
}
