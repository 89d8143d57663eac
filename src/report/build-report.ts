/**
 * Analysis results → the Report (shared/DESIGN.md section 4), with every warning the data
 * calls for. Pure: the clock and the version come in as arguments.
 */
import { minimumGroupSizeForDrivers } from "../metrics/drivers.js";
import { NPS_SCALE } from "../metrics/nps.js";
import type { Analysis, AnalyzeContext } from "../pipeline.js";
import type { ImportanceResult } from "../metrics/driver-importance.js";
import type { KpiLinkage } from "../metrics/linkage.js";
import type { InputAccount } from "../normalise/accounting.js";
import { formatPeriod } from "../read/parse-date.js";
import { SCHEMA_VERSION, type Report, type ReportWarning } from "./report.js";

function amount(value: number, decimals: number): string {
  const text = Math.abs(value).toFixed(decimals).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${value < 0 && Number(text.replace(/,/g, "")) !== 0 ? "−" : value > 0 ? "+" : ""}${text}`;
}

/** "each +10 NPS points goes with +1,522 revenue per customer (95% CI 457 to 2,588, 8 groups)". */
export function linkageSummary(kpi: KpiLinkage): string | null {
  if (kpi.slope === null || kpi.slopeCiLow === null || kpi.slopeCiHigh === null) return null;
  const churn = kpi.kpi === "churnRate";
  // churn is a fraction: say it in percentage points
  const scale = churn ? 1000 : 10;
  const decimals = churn ? 1 : 0;
  const what = churn ? "percentage points of churn" : kpi.kpi === "revenuePerCustomer" ? "revenue per customer" : "margin per customer";
  const plain = (v: number) => amount(v, decimals).replace(/^\+/, "");
  return `each +10 NPS points goes with ${amount(kpi.slope * scale, decimals)} ${what} (95% CI ${plain(kpi.slopeCiLow * scale)} to ${plain(kpi.slopeCiHigh * scale)}, ${kpi.n} groups)`;
}

function rejectsOf(account: InputAccount): Report["inputs"]["survey"]["rejects"] {
  return account.rejects.map((r) => ({ line: r.line, column: r.column ?? null, columnName: r.columnName ?? null, reason: r.reason }));
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}

function rejectWarning(file: string, account: InputAccount, code: string): ReportWarning | null {
  if (account.rowsRejected === 0) return null;
  const first = account.rejects[0]!;
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
    conditionNumber: Number.isFinite(result.conditionNumber) ? result.conditionNumber : null,
  };
}

export function buildReport(analysis: Analysis, context: AnalyzeContext): Report {
  const { survey, finance, settings } = analysis;
  const warnings: ReportWarning[] = [];
  const warn = (code: string, message: string, count: number | null = null) => warnings.push({ code, message, count });

  for (const input of [survey, finance]) {
    if (input?.format.renamed) {
      warn("workbook-renamed", `${input.file} is an Excel workbook, not CSV text: read its sheet "${input.format.sheet}"`);
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
      const names = input.duplicateNames.map((n) => `"${n}"`).join(", ");
      warn("duplicate-columns", `${input.file}: the header repeats ${names}; loyalty uses none of them`, input.duplicateNames.length);
    }
  }
  const surveyRejects = rejectWarning(survey.file, survey.account, "survey-rows-rejected");
  if (surveyRejects) warnings.push(surveyRejects);
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
    warn("repeat-respondents", `${plural(analysis.repeatRespondents, "customer")} answered more than once: NPS counts every response, customer-level sections use each customer's latest`, analysis.repeatRespondents);
  }
  const small = analysis.npsByGroup.filter((g) => g.summary.n < settings.minN);
  if (small.length > 0) {
    warn("small-groups", `${plural(small.length, "group")} with fewer than ${settings.minN} responses (${small.map((g) => g.group).join(", ")}): their NPS is too uncertain to rank`, small.length);
  }
  if (finance) {
    const financeRejects = rejectWarning(finance.file, finance.account, "finance-rows-rejected");
    if (financeRejects) warnings.push(financeRejects);
    if (finance.totals.repeatedPeriodRows > 0) {
      warn("finance-repeated-periods", `${finance.file}: ${plural(finance.totals.repeatedPeriodRows, "row")} repeat a customer and period that already had a row; their amounts were added together`, finance.totals.repeatedPeriodRows);
    }
    if (!finance.columns.period) warn("no-period", `${finance.file}: no period column, so churn cannot be derived (name it with --period)`);
    if (!finance.columns.cost) warn("no-cost", `${finance.file}: no cost column, so margin cannot be computed (name it with --cost)`);
  }
  if (analysis.join && analysis.join.report.unmatchedRespondents > 0) {
    const j = analysis.join.report;
    warn("unmatched-respondents", `${plural(j.unmatchedRespondents, "respondent")} of ${j.respondents.toLocaleString("en-US")} have no finance rows and are left out of revenue and churn`, j.unmatchedRespondents);
  }
  if (analysis.linkage && analysis.linkage.groups.length < 8) {
    warn("linkage-few-groups", `only ${analysis.linkage.groups.length} groups: too few groups to say much about how NPS goes with money across them`, analysis.linkage.groups.length);
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
  if (survey.columns.drivers.length === 0) {
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
          drivers: survey.columns.drivers.map((d) => d.name),
        },
        scoreMissing: survey.scoreMissing,
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
        columns: {
          customerId: finance.columns.customerId.name,
          period: finance.columns.period?.name ?? null,
          revenue: finance.columns.revenue.name,
          cost: finance.columns.cost?.name ?? null,
        },
        firstPeriod: period(totals?.firstPeriod),
        lastPeriod: period(totals?.lastPeriod),
      },
    },
    join: analysis.join?.report ?? null,
    nps: {
      scale: settings.scale ?? NPS_SCALE,
      overall: analysis.npsOverall,
      groupBy: survey.columns.group?.name ?? null,
      minN: settings.minN,
      byGroup: analysis.npsByGroup.map((g) => ({ group: g.group, ...g.summary, smallSample: g.summary.n < settings.minN })),
    },
    revenue: analysis.revenue && revenueTotal && { byCategory: analysis.revenue, total: revenueTotal },
    churn:
      analysis.churn && period(totals?.lastPeriod) !== null
        ? { rule: "derived", lastPeriod: period(totals?.lastPeriod)!, byCategory: analysis.churn.byCategory, overall: analysis.churn.overall }
        : null,
    drivers: model && {
      model: model.model,
      outcome: model.outcome,
      drivers: model.drivers,
      n: model.n,
      droppedIncomplete: model.droppedIncomplete,
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
      groups: analysis.linkage.groups,
      byKpi: analysis.linkage.byKpi.map((kpi) => ({ ...kpi, summary: linkageSummary(kpi) })),
    },
    warnings,
  };
}
