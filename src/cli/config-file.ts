/**
 * Finds, reads and applies loyalty.config.json: its values fill the options that were not given
 * on the command line (commander's value source tells which were), each through the same parser
 * as the flag, so a config value is checked exactly like a typed one.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import type { Command } from "commander";
import type { Config } from "../config/config.js";
import { UsageError } from "../errors.js";

export const DEFAULT_CONFIG = "loyalty.config.json";

/**
 * The config named by --config, else ./loyalty.config.json if it exists, else null. Its parser
 * (zod's schema) is loaded only when there is a file to read.
 */
export async function readConfig(named: string | undefined): Promise<{ config: Config; path: string } | null> {
  const path = named ?? DEFAULT_CONFIG;
  if (!existsSync(path)) {
    if (named !== undefined) throw new UsageError(`config file "${named}" does not exist`);
    return null;
  }
  const { parseConfig } = await import("../config/config.js");
  return { config: parseConfig(readFileSync(path, "utf8"), path), path };
}

/** Option attribute name → its value in the config. */
function configValues(config: Config, base: string): Record<string, unknown> {
  const relative = (path: string | undefined) => (path === undefined || path === "-" || isAbsolute(path) ? path : resolve(base, path));
  const { survey = {}, finance = {}, read = {}, analysis = {}, employees = {} } = config;
  return {
    survey: relative(survey.path),
    customerId: survey.customerId,
    score: survey.score,
    date: survey.date,
    by: survey.by,
    drivers: survey.drivers === false ? false : survey.drivers?.join(","),
    scoreMap: survey.scoreMap,
    ratingMap: survey.ratingMap,
    npsPer: analysis.npsPer,
    weight: survey.weight,
    comment: survey.comment,
    owner: survey.owner,
    layout: survey.layout,
    dateFormat: survey.dateFormat,
    sheet: survey.sheet,
    scale: survey.scale,
    categories: survey.categories,
    finance: relative(finance.path),
    financeAggregates: relative(finance.aggregates),
    engine: finance.engine,
    financeCustomerId: finance.customerId,
    periodColumn: finance.period,
    financeGroup: finance.group,
    customers: finance.customers,
    churnColumn: finance.churnColumn,
    revenue: finance.revenue,
    cost: finance.cost,
    financeSheet: finance.sheet,
    encoding: read.encoding,
    delimiter: read.delimiter,
    decimal: read.decimal,
    minN: analysis.minN === undefined ? undefined : String(analysis.minN),
    outcome: analysis.outcome,
    bootstrap: analysis.bootstrap === undefined ? undefined : String(analysis.bootstrap),
    seed: analysis.seed === undefined ? undefined : String(analysis.seed),
    quadrantCut: analysis.quadrantCut,
    missing: analysis.missing,
    driverScale: analysis.driverScale,
    exactLimit: analysis.exactLimit === undefined ? undefined : String(analysis.exactLimit),
    period: analysis.period,
    lag: analysis.lag === undefined ? undefined : String(analysis.lag),
    weightedLinkage: analysis.weightedLinkage,
    churnAfter: analysis.churnAfter === undefined ? undefined : String(analysis.churnAfter),
    discountRate: analysis.discountRate === undefined ? undefined : String(analysis.discountRate),
    horizon: analysis.horizon === undefined ? undefined : String(analysis.horizon),
    acquisitionCost: analysis.acquisitionCost === undefined ? undefined : String(analysis.acquisitionCost),
    business: analysis.business,
    repurchaseWindow: analysis.repurchaseWindow === undefined ? undefined : String(analysis.repurchaseWindow),
    scenario: analysis.scenarios,
    employees: relative(employees.path),
    benchmark: relative(analysis.benchmark),
    employeeGroup: employees.group,
    employeeScore: employees.score,
  };
}

/** Fills the command's options that the command line left at their defaults from the config. */
export function applyConfig(command: Command, config: Config, path: string): void {
  const values = configValues(config, dirname(resolve(path)));
  for (const option of command.options) {
    const key = option.attributeName();
    const value = values[key];
    if (value === undefined) continue;
    // "--drivers a,b" and "--no-drivers" share one value: false belongs to the negated flag only
    if (option.negate !== (value === false)) continue;
    const source = command.getOptionValueSource(key);
    if (source === "cli" || source === "env") continue;
    let parsed: unknown = value;
    try {
      if (option.argChoices && !option.argChoices.includes(String(value))) throw new Error(`must be one of ${option.argChoices.join(", ")}`);
      if (Array.isArray(value)) parsed = option.parseArg ? value.reduce((previous: unknown, item) => option.parseArg!(String(item), previous), undefined) : value;
      else if (option.parseArg && typeof value !== "boolean") parsed = option.parseArg(String(value), undefined);
    } catch (error) {
      throw new UsageError(`${path}: the value for ${option.long} is not valid: ${(error as Error).message}`);
    }
    command.setOptionValueWithSource(key, parsed, "config");
  }
}
