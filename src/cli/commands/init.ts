import { existsSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { Command, Option } from "commander";
import type { Config } from "../../config/config.js";
import { UsageError } from "../../errors.js";
import { inspectFile, type InspectedFile } from "../../inspect.js";
import { DEFAULT_CONFIG } from "../config-file.js";
import type { Io } from "../io.js";
import { columnOptions, HELP_GROUPS, readOptions, scaleOptions, type ReadFlags, type ScaleFlags } from "../options.js";
import { inspectFlags, type ColumnFlags } from "./inspect.js";

const role = (file: InspectedFile, wanted: string) => file.columns.find((c) => c.role === wanted)?.name;

/** The config that reproduces what loyalty detected in the two files. */
export function configFromInspection(survey: InspectedFile, finance: InspectedFile | null, base: string, options: ColumnFlags & ScaleFlags = {}): Config {
  const path = (p: string) => relative(base, resolve(p)) || p;
  const drivers = survey.columns.filter((c) => c.role === "driver").map((c) => c.name);
  const config: Config = {
    survey: {
      path: path(survey.path),
      customerId: role(survey, "customer id"),
      score: role(survey, "score"),
      date: role(survey, "date"),
      by: role(survey, "group"),
      comment: role(survey, "comment"),
      owner: role(survey, "owner"),
      ...(options.drivers === false ? { drivers: false as const } : drivers.length > 0 ? { drivers } : {}),
      ...(options.weight ? { weight: options.weight } : {}),
      ...(options.scale ? { scale: `${options.scale.min}-${options.scale.max}` } : {}),
      ...(options.categories ? { categories: `${options.categories.promoterFrom},${options.categories.passiveFrom}` } : {}),
      ...(options.scoreMap?.spec ? { scoreMap: options.scoreMap.spec } : {}),
      ...(options.ratingMap?.spec ? { ratingMap: options.ratingMap.spec } : {}),
      ...(survey.format.layout !== "plain" ? { layout: survey.format.layout } : {}),
      ...(survey.format.sheet ? { sheet: survey.format.sheet } : {}),
    },
  };
  if (finance) {
    config.finance = {
      path: path(finance.path),
      customerId: role(finance, "customer id"),
      period: role(finance, "period"),
      revenue: role(finance, "revenue"),
      cost: role(finance, "cost"),
      group: role(finance, "group"),
      customers: role(finance, "customers"),
      ...(finance.format.sheet ? { sheet: finance.format.sheet } : {}),
    };
  }
  if (options.npsPer) config.analysis = { npsPer: options.npsPer };
  // drop what was not found, so the file holds only real choices
  for (const section of [config.survey, config.finance]) {
    if (section) for (const key of Object.keys(section) as (keyof typeof section)[]) if (section[key] === undefined) delete section[key];
  }
  return config;
}

export function initCommand(io: Io): Command {
  const command = new Command("init")
    .description(`inspect the survey and finance files and write ${DEFAULT_CONFIG} with what was detected, for every later command`)
    .addOption(new Option("-s, --survey <file>", "the survey export").makeOptionMandatory().helpGroup(HELP_GROUPS.inputs))
    .addOption(new Option("-F, --finance <file>", "the finance file").helpGroup(HELP_GROUPS.inputs))
    .addOption(new Option("-o, --output <file>", "where to write the config").default(DEFAULT_CONFIG).helpGroup(HELP_GROUPS.output))
    .addOption(new Option("--force", "overwrite an existing config file").helpGroup(HELP_GROUPS.output));
  for (const option of [...readOptions(), ...columnOptions(), ...scaleOptions()]) command.addOption(option);
  return command.action(async (options: ReadFlags & ColumnFlags & ScaleFlags & { survey: string; finance?: string; output: string; force?: boolean }) => {
    if (existsSync(options.output) && !options.force) throw new UsageError(`${options.output} exists already; pass --force to overwrite it`);
    const read = { encoding: options.encoding, delimiter: options.delimiter, decimal: options.decimal, csvEngine: options.csvEngine };
    const flags = inspectFlags(options);
    const survey = await inspectFile(options.survey, { ...read, layout: options.layout, sheet: options.sheet }, { ...flags, finance: undefined });
    const finance = options.finance ? await inspectFile(options.finance, { ...read, sheet: options.financeSheet }, { ...flags, survey: undefined }) : null;
    if (survey.kind !== "survey") throw new UsageError(`${options.survey} does not look like a survey export (no score column found); see loyalty inspect ${options.survey}`);
    if (finance && finance.kind !== "finance") throw new UsageError(`${options.finance} does not look like a finance file (no revenue column found); see loyalty inspect ${options.finance}`);
    const config = configFromInspection(survey, finance, dirname(resolve(options.output)), options);
    if (options.dateFormat) config.survey!.dateFormat = options.dateFormat;
    const readChoices = { ...(options.encoding ? { encoding: options.encoding } : {}), ...(options.delimiter ? { delimiter: options.delimiter === "\t" ? ("tab" as const) : options.delimiter } : {}), ...(options.decimal ? { decimal: options.decimal } : {}) };
    if (Object.keys(readChoices).length > 0) config.read = readChoices;
    await io.writeFile(options.output, `${JSON.stringify(config, null, 2)}\n`);
    const notes = [...survey.notes, ...(finance?.notes ?? [])];
    io.stderr(`loyalty: wrote ${options.output}: survey score "${config.survey!.score}", ${config.survey!.drivers === false ? "no" : (config.survey!.drivers?.length ?? 0)} drivers${finance ? `, finance revenue "${config.finance!.revenue}"` : ""}\n`);
    for (const note of notes) io.stderr(`loyalty: note: ${note}\n`);
  });
}
