import { Command } from "commander";
import type { Io } from "../io.js";
import { addReportOptions, columnOptions, importanceOptions, readOptions, scaleOptions, surveyOption } from "../options.js";
import { runReport, type ReportOptions } from "../run-report.js";
import { settingsFromOptions, type AnalyzeOptions } from "./analyze.js";

const SURVEY_COLUMNS = new Set(["--customer-id", "--score", "--date", "--by", "--drivers", "--no-drivers", "--weight"]);

type DriversOptions = AnalyzeOptions & ReportOptions;

export function driversCommand(io: Io): Command {
  const command = new Command("drivers")
    .description("key-driver analysis: what drives the score, how sure we are, and what to fix first")
    .addOption(surveyOption());
  for (const option of [...columnOptions().filter((o) => SURVEY_COLUMNS.has(o.long!)), ...scaleOptions(), ...readOptions(), ...importanceOptions()]) command.addOption(option);
  return addReportOptions(command).action(async (options: DriversOptions) => {
      await runReport(io, { ...settingsFromOptions(options), finance: undefined }, { ...options, sections: options.sections ?? ["inputs", "drivers", "absent", "warnings"] });
    });
}
