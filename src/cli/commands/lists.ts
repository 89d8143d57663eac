/**
 * loyalty upsell and loyalty ambassadors: CRM-ready lists beside at-risk, with each customer's
 * latest comment where the survey has one.
 */
import { Command, InvalidArgumentError, Option } from "commander";
import { DataError, UsageError } from "../../errors.js";
import { LatestResponses } from "../../join/latest-response.js";
import { monthsPerPeriod } from "../../join/customer-finance.js";
import { ambassadors, upsell, withLatestComments, type Ambassador, type AmbassadorInput, type UpsellCustomer } from "../../metrics/lists.js";
import type { NpsCategory } from "../../metrics/nps.js";
import { computeAnalysis, type Analysis } from "../../pipeline.js";
import { styled } from "../../report/document.js";
import { isoDate } from "../../report/render-at-risk.js";
import { currencyDecimals } from "../../report/render-csv.js";
import { renderListCsv, renderListJson, renderListTable, shortComment, type CustomerListReport, type ListField } from "../../report/render-list.js";
import type { Io } from "../io.js";
import { columnOptions, currencyOption, financeOption, financeAggregatesOption, engineOption, financeInput, HELP_GROUPS, moneyOptions, noProgressOption, readOptions, resolveFormat, scaleOptions, surveyOption, widthOption } from "../options.js";
import { outputWidth, progressOf, reportTime, useColor } from "../run-report.js";
import { toolVersion } from "../program.js";
import { settingsFromOptions, type AnalyzeOptions } from "./analyze.js";

type ListFormat = "table" | "json" | "csv";
type ListOptions = AnalyzeOptions & { top: number; include?: "passives"; format?: ListFormat; currency?: string; width?: number };

export const topOption = () =>
  new Option("-n, --top <n>", "how many customers to list")
    .default(200)
    .argParser((value) => {
      if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError("--top must be a whole number of 1 or more");
      return Number(value);
    })
    .helpGroup(HELP_GROUPS.analysis);

/** The options every customer list shares: inputs, columns, --top, and table/JSON/CSV output. */
function listCommand(name: string, description: string, finance: "required" | "optional"): Command {
  const command = new Command(name).description(description).addOption(surveyOption()).addOption(finance === "required" ? financeOption() : financeOption().helpGroup(HELP_GROUPS.inputs))
    .addOption(financeAggregatesOption())
    .addOption(engineOption());
  for (const option of [...columnOptions(), ...scaleOptions(), ...readOptions(), ...moneyOptions().filter((o) => ["--churn-column", "--churn-after", "--horizon"].includes(o.long!))]) command.addOption(option);
  return command
    .addOption(topOption())
    .addOption(new Option("-f, --format <format>", "output format: a table, JSON, or CRM-ready CSV").choices(["table", "json", "csv"]).helpGroup(HELP_GROUPS.output))
    .addOption(new Option("-o, --output <file>", "write the list to a file; the format follows the extension (.csv, .json, .txt)").helpGroup(HELP_GROUPS.output))
    .addOption(currencyOption().helpGroup(HELP_GROUPS.output))
    .addOption(widthOption().helpGroup(HELP_GROUPS.output))
    .addOption(new Option("-q, --quiet", "print nothing on standard error").helpGroup(HELP_GROUPS.output))
    .addOption(noProgressOption().helpGroup(HELP_GROUPS.output))
    .addOption(new Option("--no-color", "no colour in the table").helpGroup(HELP_GROUPS.output));
}

async function analysisFor(io: Io, options: ListOptions): Promise<Analysis> {
  const settings = { ...settingsFromOptions(options), importance: null, driversByGroup: false, retention: { resamples: 0 }, stdin: io.stdin, progress: await progressOf(io, options) };
  return computeAnalysis(settings);
}

function formatOf(options: ListOptions): ListFormat {
  try {
    return resolveFormat(options, ["table", "json", "csv"]) as ListFormat;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

async function writeList<T>(io: Io, options: ListOptions, analysis: Analysis, report: CustomerListReport<T>, fields: readonly ListField<T>[], title: string, footer: string[]): Promise<void> {
  const format = formatOf(options);
  const toFile = options.output !== undefined;
  const text =
    format === "csv"
      ? renderListCsv(fields, report.customers, currencyDecimals(options.currency ?? analysis.finance?.currency() ?? null))
      : format === "json"
        ? renderListJson(report)
        : renderListTable(title, fields, report, footer, { color: useColor(io, options.color, toFile), width: outputWidth(io, options.width, toFile) });
  if (options.output) {
    await io.writeFile(options.output, text);
    if (!options.quiet) io.stderr(`loyalty: wrote ${options.output} (${report.customers.length} customers)\n`);
  } else io.stdout(text);
}

const commentField = <T extends { comment: string | null }>(drop = 1): ListField<T> => ({
  column: { key: "comment", label: "latest comment", unit: "text", drop },
  value: (r) => r.comment,
  cell: (r) => shortComment(r.comment),
  hideWhenEmpty: true,
});

type UpsellRow = Omit<UpsellCustomer, "lastResponseDate"> & { lastResponseDate: string | null };

const UPSELL_FIELDS: ListField<UpsellRow>[] = [
  { column: { key: "rank", label: "#", unit: "count" }, value: (r) => r.rank },
  { column: { key: "customer_id", label: "customer", unit: "text" }, value: (r) => r.customerId },
  { column: { key: "category", label: "category", unit: "text" }, value: (r) => r.category, csvOnly: true },
  { column: { key: "score", label: "score", unit: "text", align: "right" }, value: (r) => r.score, cell: (r) => styled(`${r.score} ${r.category === "promoter" ? "P" : "N"}`, r.category === "promoter" ? "strong" : null) },
  { column: { key: "group", label: "group", unit: "text", drop: 4 }, value: (r) => r.group },
  { column: { key: "last_response_date", label: "last answer", unit: "text", drop: 5 }, value: (r) => r.lastResponseDate },
  { column: { key: "revenue_per_month", label: "per month", unit: "money" }, value: (r) => r.revenuePerMonth },
  { column: { key: "group_median", label: "group median", unit: "money", drop: 3 }, value: (r) => r.groupMedian },
  { column: { key: "headroom", label: "headroom", unit: "money", drop: 1 }, value: (r) => r.headroom },
  { column: { key: "months_remaining", label: "expected stay", unit: "number", decimals: 1, drop: 6 }, value: (r) => r.monthsRemaining },
  { column: { key: "potential", label: "potential", unit: "money" }, value: (r) => r.potential },
  commentField<UpsellRow>(2),
];

export function upsellCommand(io: Io): Command {
  return listCommand("upsell", "the upsell list: promoters (and passives) still with you who buy less than their group's median, ranked by the headroom over the months they are expected to stay", "required")
    .addOption(new Option("--include <category>", "also list passives").choices(["passives"]).helpGroup(HELP_GROUPS.analysis))
    .action(async (options: ListOptions) => {
      if (!financeInput(options)) throw new UsageError("upsell needs --finance: revenue is what shows the headroom");
      const analysis = await analysisFor(io, options);
      if (!analysis.join) {
        throw new DataError(`${financeInput(options)} has finance per group, not per customer, so no customer's spend can be set against its group`, {
          hint: "give upsell a finance file with a customer id column (one row per customer and period)",
        });
      }
      const granularity = analysis.finance!.totals.granularity;
      if (granularity === null) {
        throw new DataError(`${financeInput(options)} has no period column, so spend per month cannot be told from spend over a longer stay`, { hint: "name the period column with --period-column" });
      }
      const hazards = new Map<NpsCategory, number | null>((analysis.retention?.byCategory ?? []).map((r) => [r.category, r.monthlyHazard]));
      const horizon = options.horizon ?? 60;
      const includePassives = options.include === "passives";
      // (every matched customer counts for its group's median: what the list reads of each, no more)
      const matched = analysis.join.customers;
      const ranked = upsell(
        Array.from({ length: matched.length }, (_, i) => matched.pickAt(i)),
        { top: options.top, includePassives, hazards, horizonMonths: horizon, monthsPerPeriod: monthsPerPeriod(granularity), comments: new Map() },
      );
      const result = { ...ranked, customers: withLatestComments(ranked.customers, analysis.survey.responses) };
      const churnAbsent = analysis.absent.find((a) => a.section === "retention and lifetime value");
      const notes = hazards.size === 0 ? [`Months left and potential are not shown: ${churnAbsent?.reason ?? "churn is not measured"}; the list is ranked by headroom alone.`] : [];
      const report: CustomerListReport<UpsellRow> = {
        tool: { name: "loyalty", version: toolVersion() },
        generatedAt: reportTime(io).toISOString(),
        list: "upsell",
        survey: options.survey,
        finance: financeInput(options)!,
        include: includePassives ? ["promoter", "passive"] : ["promoter"],
        top: options.top,
        eligible: result.eligible,
        ranking:
          hazards.size === 0
            ? "Ranked by headroom: the group's median revenue per month less the customer's."
            : `Ranked by potential: headroom (the group's median revenue per month less the customer's) × the months the customer is expected to stay within ${horizon}, at the monthly churn hazard of its category.`,
        notes,
        customers: result.customers.map((c) => ({ ...c, lastResponseDate: isoDate(c.lastResponseDate) })),
      };
      const total = result.customers.reduce((s, c) => s + (c.potential ?? 0), 0);
      const money = (v: number) => Math.round(v).toLocaleString("en-US");
      const footer = hazards.size === 0 ? [] : [`Raised to their group's median, these ${result.customers.length} would add ${money(total)} over the months they are expected to stay.`];
      await writeList(io, options, analysis, report, UPSELL_FIELDS, `The ${result.customers.length.toLocaleString("en-US")} ${includePassives ? "promoters and passives" : "promoters"} with the most headroom (of ${result.eligible.toLocaleString("en-US")} below their group's median)`, footer);
    });
}

type AmbassadorRow = Omit<Ambassador, "lastResponseDate"> & { lastResponseDate: string | null };

const AMBASSADOR_FIELDS: ListField<AmbassadorRow>[] = [
  { column: { key: "rank", label: "#", unit: "count" }, value: (r) => r.rank },
  { column: { key: "customer_id", label: "customer", unit: "text" }, value: (r) => r.customerId },
  { column: { key: "score", label: "score", unit: "count" }, value: (r) => r.score },
  { column: { key: "group", label: "group", unit: "text", drop: 3 }, value: (r) => r.group },
  { column: { key: "last_response_date", label: "last answer", unit: "text", drop: 2 }, value: (r) => r.lastResponseDate },
  { column: { key: "revenue", label: "revenue", unit: "money", drop: 4 }, value: (r) => r.revenue },
  commentField<AmbassadorRow>(),
];

export function ambassadorsCommand(io: Io): Command {
  return listCommand("ambassadors", "the ambassador list: promoters still with you, ranked by score, how recently they answered and their value, to ask for a referral or a story", "optional").action(async (options: ListOptions) => {
    const analysis = await analysisFor(io, options);
    if (!analysis.survey.columns.customerId) throw new UsageError(`${analysis.survey.file} has no customer id column, so no customer can be named (name it with --customer-id)`);
    // only promoters can be listed: only they are made into objects
    const responses = analysis.survey.responses;
    const inputs: AmbassadorInput[] = [];
    if (analysis.join) {
      const matched = analysis.join.customers;
      for (let i = 0; i < matched.length; i++) if (matched.categoryAt(i) === "promoter") inputs.push(matched.pickAt(i));
    } else {
      for (const [customerId, i] of new LatestResponses(responses).entries()) {
        if (responses.categoryOf(i) === "promoter") inputs.push({ customerId, category: "promoter", score: responses.score[i]!, group: responses.groupOf(i), lastResponseDate: responses.dateOf(i), revenue: null, churned: null });
      }
    }
    const ranked = ambassadors(inputs, { top: options.top, comments: new Map() });
    const result = { ...ranked, customers: withLatestComments(ranked.customers, responses) };
    const notes: string[] = [];
    if (!financeInput(options)) notes.push("Without --finance there is no value to rank by, and customers who have left cannot be told apart.");
    else if (!analysis.join) notes.push(`${financeInput(options)} has finance per group, so the list is of every promoter, without value.`);
    if (!analysis.survey.columns.comment) notes.push("The survey has no comment column (name one with --comment).");
    const report: CustomerListReport<AmbassadorRow> = {
      tool: { name: "loyalty", version: toolVersion() },
      generatedAt: reportTime(io).toISOString(),
      list: "ambassadors",
      survey: options.survey,
      finance: financeInput(options) ?? null,
      include: ["promoter"],
      top: options.top,
      eligible: result.eligible,
      ranking: `Ranked by score, then the month of the latest answer (recent first)${analysis.join ? ", then revenue over the window" : ""}${analysis.join && analysis.churn ? "; customers who have left are not listed" : ""}.`,
      notes,
      customers: result.customers.map((c) => ({ ...c, lastResponseDate: isoDate(c.lastResponseDate) })),
    };
    const fields = analysis.join ? AMBASSADOR_FIELDS : AMBASSADOR_FIELDS.filter((f) => f.column.key !== "revenue");
    await writeList(io, options, analysis, report, fields, `The ${result.customers.length.toLocaleString("en-US")} promoters to ask for a referral (of ${result.eligible.toLocaleString("en-US")})`, []);
  });
}
