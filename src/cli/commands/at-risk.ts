import { Command, InvalidArgumentError, Option } from "commander";
import { DataError, UsageError } from "../../errors.js";
import { atRisk } from "../../metrics/at-risk.js";
import { withLatestComments } from "../../metrics/lists.js";
import type { MatchedCustomer } from "../../join/join-customers.js";
import { computeAnalysis } from "../../pipeline.js";
import { currencyDecimals } from "../../report/render-csv.js";
import { isoDate, renderAtRiskCsv, renderAtRiskJson, renderAtRiskTable, type AtRiskReport } from "../../report/render-at-risk.js";
import type { Io } from "../io.js";
import { columnOptions, currencyOption, moneyOptions, widthOption, financeOption, financeAggregatesOption, engineOption, financeInput, HELP_GROUPS, noProgressOption, readOptions, resolveFormat, scaleOptions, surveyOption } from "../options.js";
import { outputWidth, progressOf, reportTime, useColor } from "../run-report.js";
import { toolVersion } from "../program.js";
import { settingsFromOptions, type AnalyzeOptions } from "./analyze.js";

type AtRiskFormat = "table" | "json" | "csv";

function formatOf(options: { format?: AtRiskFormat; output?: string }): AtRiskFormat {
  try {
    return resolveFormat(options, ["table", "json", "csv"]) as AtRiskFormat;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function atRiskCommand(io: Io): Command {
  const command = new Command("at-risk")
    .description("the rescue list: detractors (and passives) ranked by revenue at stake, as a table, JSON or CRM-ready CSV")
    .addOption(surveyOption())
    .addOption(financeOption())
    .addOption(financeAggregatesOption())
    .addOption(engineOption());
  for (const option of [...columnOptions(), ...scaleOptions(), ...readOptions(), ...moneyOptions().filter((o) => o.long === "--churn-column" || o.long === "--churn-after")]) command.addOption(option);
  return command
    .addOption(
      new Option("-n, --top <n>", "how many customers to list")
        .default(200)
        .argParser((value) => {
          if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError("--top must be a whole number of 1 or more");
          return Number(value);
        })
        .helpGroup(HELP_GROUPS.analysis),
    )
    .addOption(new Option("--include <category>", "also list passives").choices(["passives"]).helpGroup(HELP_GROUPS.analysis))
    .addOption(new Option("-f, --format <format>", "output format: a table, JSON, or CRM-ready CSV").choices(["table", "json", "csv"]).helpGroup(HELP_GROUPS.output))
    .addOption(new Option("-o, --output <file>", "write the list to a file; the format follows the extension (.csv, .json, .txt)").helpGroup(HELP_GROUPS.output))
    .addOption(currencyOption().helpGroup(HELP_GROUPS.output))
    .addOption(widthOption().helpGroup(HELP_GROUPS.output))
    .addOption(new Option("-q, --quiet", "print nothing on standard error").helpGroup(HELP_GROUPS.output))
    .addOption(noProgressOption().helpGroup(HELP_GROUPS.output))
    .addOption(new Option("--no-color", "no colour in the table").helpGroup(HELP_GROUPS.output))
    .action(async (options: AnalyzeOptions & { top: number; include?: "passives"; format?: AtRiskFormat; currency?: string; width?: number }) => {
      if (!financeInput(options)) throw new UsageError("at-risk needs --finance: revenue is what ranks the list");
      const format = formatOf(options);
      // (the list needs neither the driver analyses nor the lifetime-value ratio's intervals)
      const settings = { ...settingsFromOptions(options), importance: null, driversByGroup: false, retention: { resamples: 0 }, stdin: io.stdin, progress: await progressOf(io, options) };
      const analysis = await computeAnalysis(settings);
      if (!analysis.join) {
        throw new DataError(`${financeInput(options)} has finance per group, not per customer, so no customer can be ranked`, {
          hint: "give at-risk a finance file with a customer id column (one row per customer and period)",
        });
      }
      const includePassives = options.include === "passives";
      // only the customers the list can hold are made into objects (a million customers: a fifth of them, say)
      const matched = analysis.join.customers;
      const customers: MatchedCustomer[] = [];
      for (let i = 0; i < matched.length; i++) {
        const category = matched.categoryAt(i);
        if (category === "detractor" || (includePassives && category === "passive")) customers.push(matched.at(i));
      }
      const eligible = customers.length;
      const report: AtRiskReport = {
        tool: { name: "loyalty", version: toolVersion() },
        generatedAt: reportTime(io).toISOString(),
        survey: options.survey,
        finance: financeInput(options)!,
        include: includePassives ? ["detractor", "passive"] : ["detractor"],
        top: options.top,
        eligible,
        customers: withLatestComments(atRisk(customers, { top: options.top, includePassives }), analysis.survey.responses).map((c) => ({ ...c, lastResponseDate: isoDate(c.lastResponseDate) })),
      };
      const text =
        format === "csv" ? renderAtRiskCsv(report, currencyDecimals(options.currency ?? analysis.finance?.currency() ?? null)) : format === "json" ? renderAtRiskJson(report) : renderAtRiskTable(report, { color: useColor(io, options.color, options.output !== undefined), width: outputWidth(io, options.width, options.output !== undefined) });
      if (options.output) {
        await io.writeFile(options.output, text);
        if (!options.quiet) io.stderr(`loyalty: wrote ${options.output} (${report.customers.length} customers)\n`);
      } else io.stdout(text);
    });
}
