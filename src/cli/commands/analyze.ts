import { Command } from "commander";
import type { Io } from "../io.js";
import {
  addReportOptions,
  columnOptions,
  financeAggregatesOption,
  engineOption,
  financeOption,
  surveyOption,
  importanceOptions,
  moneyOptions,
  type MoneyFlags,
  type Format,
  type ImportanceFlags,
  readOptions,
  type ReadFlags,
  scaleOptions,
  type ScaleFlags,
} from "../options.js";
import { UsageError } from "../../errors.js";
import { defaultScale, type ScoreScale } from "../../metrics/nps.js";
import { runReport } from "../run-report.js";
import { inspectFlags } from "./inspect.js";

export interface AnalyzeOptions extends ImportanceFlags, ReadFlags, ScaleFlags, MoneyFlags {
  survey: string;
  finance?: string;
  financeAggregates?: string;
  engine?: "builtin" | "duckdb";
  customerId?: string;
  score?: string;
  date?: string;
  by?: string;
  /** false with --no-drivers. */
  drivers?: string[] | false;
  weight?: string;
  comment?: string;
  owner?: string;
  financeCustomerId?: string;
  revenue?: string;
  cost?: string;
  periodColumn?: string;
  financeGroup?: string;
  customers?: string;
  minN: number;
  strict?: boolean;
  format?: Format;
  output?: string;
  quiet?: boolean;
  color: boolean;
}

/** The score scale from --scale and --categories (undefined: 0-10 NPS, with the scale check). */
export function scaleFromOptions(options: ScaleFlags): ScoreScale | undefined {
  if (!options.scale && !options.categories) return undefined;
  const { min, max } = options.scale ?? { min: 0, max: 10 };
  if (!Number.isInteger(min) || !Number.isInteger(max)) throw new UsageError("--scale takes whole numbers, e.g. 1-5");
  const scale = { ...defaultScale(min, max), ...options.categories };
  if (scale.promoterFrom > max || scale.passiveFrom <= min) {
    throw new UsageError(`--categories ${scale.promoterFrom},${scale.passiveFrom} does not fit the scale ${min}-${max}: promoters must be at most ${max} and passives above ${min}`);
  }
  return scale;
}

/** The settings of the pipeline from analyze's options. */
export function settingsFromOptions(options: AnalyzeOptions) {
  if (!options.survey) throw new UsageError("required option '--survey <file>' not specified (nor survey.path in a config file)");
  const columns = inspectFlags(options);
  return {
    scale: scaleFromOptions(options),
    survey: options.survey,
    finance: options.finance,
    financeAggregates: options.financeAggregates,
    engine: options.engine,
    read: { encoding: options.encoding, delimiter: options.delimiter, decimal: options.decimal, layout: options.layout, sheet: options.sheet, csvEngine: options.csvEngine },
    dateFormat: options.dateFormat,
    financeSheet: options.financeSheet,
    surveyColumns: { ...columns.survey, outcome: options.outcome === "score" || options.outcome === "promoter" ? undefined : options.outcome },
    financeColumns: columns.finance,
    words: { score: options.scoreMap, rating: options.ratingMap },
    npsPer: options.npsPer,
    trendUnit: options.period,
    lag: options.lag,
    weightedLinkage: options.weightedLinkage === true,
    churnColumn: options.churnColumn,
    churnAfter: options.churnAfter,
    acquisitionCost: options.acquisitionCost,
    business: options.business,
    repurchaseWindow: options.repurchaseWindow,
    discount: { annualRate: options.discountRate ?? 0.1, horizonMonths: options.horizon ?? 60 },
    scenarios: options.scenario,
    retention: { resamples: options.bootstrap, seed: options.seed },
    employees: options.employees,
    benchmark: options.benchmark,
    employeeColumns: { group: options.employeeGroup, score: options.employeeScore },
    minN: options.minN,
    strict: options.strict === true,
    driverModel: options.outcome === "promoter" ? ("promoter" as const) : ("linear" as const),
    threads: options.threads,
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
    .description("the full report: NPS with intervals, revenue, margin, churn, retention and lifetime value by category, money at stake, the drivers of the score, and the link between NPS and money across groups")
    .addOption(surveyOption())
    .addOption(financeOption())
    .addOption(financeAggregatesOption())
    .addOption(engineOption());
  for (const option of [...columnOptions(), ...scaleOptions(), ...readOptions(), ...importanceOptions(), ...moneyOptions()]) command.addOption(option);
  return addReportOptions(command).action(async (options: AnalyzeOptions) => {
      await runReport(io, settingsFromOptions(options), options);
    });
}
