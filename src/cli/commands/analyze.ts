import { Command } from "commander";
import type { Io } from "../io.js";
import {
  addReportOptions,
  columnOptions,
  financeOption,
  surveyOption,
  importanceOptions,
  type Format,
  type ImportanceFlags,
  readOptions,
  type ReadFlags,
} from "../options.js";
import { runReport } from "../run-report.js";

export interface AnalyzeOptions extends ImportanceFlags, ReadFlags {
  survey: string;
  finance?: string;
  customerId?: string;
  score?: string;
  date?: string;
  by?: string;
  drivers?: string[];
  weight?: string;
  financeCustomerId?: string;
  revenue?: string;
  cost?: string;
  period?: string;
  minN: number;
  strict?: boolean;
  format?: Format;
  output?: string;
  quiet?: boolean;
  color: boolean;
}

/** The settings of the pipeline from analyze's options. */
export function settingsFromOptions(options: AnalyzeOptions) {
  return {
    survey: options.survey,
    finance: options.finance,
    read: { encoding: options.encoding, delimiter: options.delimiter, decimal: options.decimal, layout: options.layout },
    dateFormat: options.dateFormat,
    surveyColumns: {
      customerId: options.customerId,
      score: options.score,
      date: options.date,
      by: options.by,
      drivers: options.drivers,
      weight: options.weight,
      outcome: options.outcome === "score" || options.outcome === "promoter" ? undefined : options.outcome,
    },
    financeColumns: {
      customerId: options.financeCustomerId ?? options.customerId,
      revenue: options.revenue,
      cost: options.cost,
      period: options.period,
    },
    minN: options.minN,
    strict: options.strict === true,
    driverModel: options.outcome === "promoter" ? ("promoter" as const) : ("linear" as const),
    importance: {
      bootstrap: options.bootstrap,
      seed: options.seed,
      quadrantCut: options.quadrantCut,
      missing: options.missing,
      exactLimit: options.exactLimit,
      ...(options.driverScale ? { scale: options.driverScale } : {}),
    },
  };
}

export function analyzeCommand(io: Io): Command {
  const command = new Command("analyze")
    .description("the full report: NPS with intervals, revenue, margin and churn by category, and the drivers of the score")
    .addOption(surveyOption().makeOptionMandatory())
    .addOption(financeOption());
  for (const option of [...columnOptions(), ...readOptions(), ...importanceOptions()]) command.addOption(option);
  return addReportOptions(command).action(async (options: AnalyzeOptions) => {
      await runReport(io, settingsFromOptions(options), options);
    });
}
