/**
 * loyalty targets: per group its NPS now, the smallest change its number of answers can show, a
 * proposed target beyond the noise, and (with --targets FILE) actual against target.
 */
import { Command, InvalidArgumentError, Option } from "commander";
import { DataError, UsageError } from "../../errors.js";
import { addCategoryToNpsTally, emptyNpsTally, npsSummary } from "../../metrics/nps.js";
import { groupTargets, parseTargetRule, type GroupTarget, type TargetRule } from "../../metrics/targets.js";
import { periodLabel, periodOrdinal, type TrendUnit } from "../../metrics/trend.js";
import { computeAnalysis } from "../../pipeline.js";
import { openCsv } from "../../read/read-csv.js";
import { parseNumber } from "../../read/parse-number.js";
import { interval, styled, type Block, type Cell, type ReportDocument, type Section } from "../../report/document.js";
import { signed } from "../../report/format.js";
import { compareToBenchmarks, type BenchmarkComparison } from "../../metrics/benchmarks.js";
import { versusRest, type VersusRest } from "../../metrics/feedback.js";
import { benchmarkBlocks } from "../../report/views/benchmarks.js";
import type { Io } from "../io.js";
import { columnOptions, formatOption, HELP_GROUPS, minNOption, noColorOption, noProgressOption, outputOption, quietOption, readOptions, scaleOptions, sectionOption, surveyOption, widthOption } from "../options.js";
import { outputWidth, progressOf, renderDocumentAs, reportTime, useColor, type ReportOptions } from "../run-report.js";
import { toolVersion } from "../program.js";
import { settingsFromOptions, type AnalyzeOptions } from "./analyze.js";
import { renderJson } from "../../report/render-json.js";
import { resolveFormat } from "../options.js";

export interface TargetsReport {
  tool: { name: "loyalty"; version: string };
  generatedAt: string;
  survey: string;
  groupBy: string;
  period: string | null;
  rule: string;
  targetsFile: string | null;
  groups: (GroupTarget & { vsRest: VersusRest | null; flag: "below" | "above" | null })[];
  /** --benchmark: the file, and the period's overall and group NPS against each benchmark. */
  benchmarkFile: string | null;
  benchmarks: BenchmarkComparison[] | null;
}

/** Reads group,target[,period] rows; the period column, when there, keeps the rows of `period` only. */
async function readTargets(path: string, period: string | null): Promise<Map<string, number>> {
  const source = await openCsv(path, {});
  const header = source.header.values.map((h) => h.trim().toLowerCase());
  const groupAt = header.findIndex((h) => h === "group" || h === "grupp" || h === "ryhma" || h === "gruppe");
  const targetAt = header.findIndex((h) => h === "target" || h === "mal" || h === "mål" || h === "tavoite");
  const periodAt = header.findIndex((h) => h === "period");
  if (groupAt < 0 || targetAt < 0) {
    throw new DataError(`${source.file}: a targets file needs a "group" and a "target" column (and optionally "period"); it has ${source.header.values.map((h) => `"${h}"`).join(", ")}`);
  }
  const targets = new Map<string, number>();
  for await (const batch of source.records) {
    for (const record of batch) {
      const group = (record.values[groupAt] ?? "").trim();
      if (group === "") continue;
      if (periodAt >= 0 && period !== null && (record.values[periodAt] ?? "").trim() !== period) continue;
      const value = parseNumber((record.values[targetAt] ?? "").trim(), source.format.decimal);
      if (value === null || !(value >= -100 && value <= 100)) {
        throw new DataError(`${source.file}:${record.line}:${targetAt + 1}: expected a target NPS from -100 to 100, got "${record.values[targetAt] ?? ""}"`, { hint: "write targets as NPS points, e.g. 25" });
      }
      targets.set(group, value);
    }
  }
  return targets;
}

/** One sentence for the groups whose target was raised to the detectable change, one per group with no fair target. */
function noteBlocks(groups: readonly GroupTarget[]): Block[] {
  const raised = groups.filter((g) => g.proposedTarget !== null && g.note !== null).map((g) => g.group);
  const blocks: Block[] = [];
  if (raised.length > 0) {
    blocks.push({
      kind: "sentence",
      text: `${raised.length === groups.length ? "every proposed target was" : raised.length === 1 ? `the proposed target of ${raised[0]} was` : `the proposed targets of ${raised.join(", ")} were`} raised to today + the detectable change: a smaller rise could be chance`,
    });
  }
  for (const g of groups) if (g.proposedTarget === null) blocks.push({ kind: "sentence", text: `${g.group}: ${g.note}` });
  return blocks;
}

function targetsDocument(report: TargetsReport): ReportDocument {
  const withTargets = report.groups.some((g) => g.target !== null);
  const rows = report.groups.map((g): Cell[] => [
    styled(g.group, g.proposedTarget === null ? "muted" : null),
    g.n,
    g.nps,
    interval(g.ciLow, g.ciHigh),
    g.vsRest ? interval(g.vsRest.ciLow, g.vsRest.ciHigh) : null,
    styled(g.flag === "below" ? "below the rest" : g.flag === "above" ? "above the rest" : "", g.flag === "below" ? "bad" : g.flag === "above" ? "strong" : null),
    g.minimumDetectableChange,
    g.proposedTarget,
    ...(withTargets ? [g.target, g.difference === null ? null : interval(g.differenceCiLow, g.differenceCiHigh), g.chanceMet, styled(g.status, g.status === "not met" ? "bad" : g.status === "met" ? "strong" : null)] : []),
  ]);
  const section: Section = {
    id: "targets",
    title: `NPS targets by ${report.groupBy}${report.period ? ` (${report.period})` : ""}`,
    blocks: [
      {
        kind: "table",
        id: "groups",
        columns: [
          { key: "group", label: report.groupBy, unit: "text" },
          { key: "n", label: "n", unit: "count" },
          { key: "nps", label: "NPS", unit: "points" },
          { key: "ci", label: "95% CI", unit: "points", interval: true, drop: 2 },
          { key: "vs_rest_ci", label: "vs the rest (95% CI)", unit: "points", interval: true, drop: 3 },
          { key: "flag", label: "flag", unit: "text", drop: 1 },
          { key: "minimum_detectable_change", label: "detectable change", unit: "number", decimals: 1 },
          { key: "proposed_target", label: "proposed target", unit: "points" },
          ...(withTargets
            ? [
                { key: "target", label: "target", unit: "points" as const },
                { key: "difference_ci", label: "difference (95% CI)", unit: "points" as const, interval: true, drop: 1 },
                { key: "chance_met", label: "chance met", unit: "share" as const, decimals: 0 },
                { key: "status", label: "status", unit: "text" as const },
              ]
            : []),
        ],
        rows,
      },
      {
        kind: "note",
        text:
          `vs the rest: this group's NPS less all the others'; flag: below or above the rest beyond chance (Holm's adjustment over the groups, 5%); ` +
          `detectable change: the smallest rise of NPS from one period of this many answers to the next that a 5% two-sided test sees 80% of the time; ` +
          `proposed target: ${report.rule}, and never less than today + the detectable change` +
          (withTargets ? "; status: met when the whole 95% interval is at or above the target, not met when it is below, else cannot tell; chance met: P(true NPS ≥ target)" : ""),
      },
      ...noteBlocks(report.groups),
    ],
  };
  const sections: Section[] = [section];
  if (report.benchmarks) sections.push({ id: "benchmarks", title: `NPS against benchmarks${report.period ? ` (${report.period})` : ""}`, blocks: benchmarkBlocks(report.benchmarks, report.groupBy) });
  return { title: "loyalty targets", subtitle: `loyalty ${report.tool.version}, ${report.generatedAt}`, headline: [], sections };
}

export function targetsCommand(io: Io): Command {
  const command = new Command("targets")
    .description("NPS targets per group that are not bonuses on noise: the change each group's number of answers can show, a proposed target beyond it, and actual against a targets file")
    .addOption(surveyOption());
  for (const option of [...columnOptions().filter((o) => ["--customer-id", "--score", "--date", "--by", "--weight"].includes(o.long!)), ...scaleOptions(), ...readOptions().filter((o) => o.long !== "--finance-sheet")]) command.addOption(option);
  command
    .addOption(new Option("--period <unit>", "targets for the last month, quarter or year of the response dates (default: every response)").choices(["month", "quarter", "year"]).helpGroup(HELP_GROUPS.analysis))
    .addOption(
      new Option("--target-rule <rule>", "points:5 (today + 5 points), gap:0.25 (a quarter of the way to the best group) or benchmark[:0.25] (a quarter of the way to the first --benchmark)")
        .default({ kind: "points", points: 5 }, "points:5")
        .argParser((value: string) => {
          try {
            return parseTargetRule(value);
          } catch (error) {
            throw new InvalidArgumentError((error as Error).message);
          }
        })
        .helpGroup(HELP_GROUPS.analysis),
    )
    .addOption(new Option("--targets <file>", "CSV of group,target[,period]: report actual against target per group").helpGroup(HELP_GROUPS.inputs))
    .addOption(new Option("--benchmark <file>", "benchmark CSV of name,nps[,n][,promoters,detractors]: each group's NPS against each, and the benchmark target rule").helpGroup(HELP_GROUPS.inputs))
    .addOption(minNOption().helpGroup(HELP_GROUPS.analysis));
  for (const option of [formatOption(), outputOption(), sectionOption(), widthOption(), quietOption(), noProgressOption(), noColorOption()]) command.addOption(option.helpGroup(HELP_GROUPS.output));
  return command.action(async (options: AnalyzeOptions & ReportOptions & { period?: TrendUnit; targetRule: TargetRule; targets?: string; benchmark?: string }) => {
    if (options.targetRule.kind === "benchmark" && !options.benchmark) throw new UsageError("--target-rule benchmark needs --benchmark FILE (name,nps[,n]): the first benchmark is the one aimed at");
    const settings = { ...settingsFromOptions(options), finance: undefined, importance: null, driversByGroup: false, stdin: io.stdin, progress: await progressOf(io, options) };
    const analysis = await computeAnalysis(settings);
    const group = analysis.survey.columns.group;
    if (!group) throw new UsageError(`${analysis.survey.file}: targets are per group, and no group column was found; name one with --by`);
    // the responses counted (all, or the last period's), read from the survey's columns
    const responses = analysis.survey.responses;
    let counted = (_i: number) => true;
    let period: string | null = null;
    if (options.period) {
      if (!analysis.survey.columns.date) throw new UsageError(`--period needs response dates, and ${analysis.survey.file} has no date column (name it with --date)`);
      const unitOf = (i: number) => {
        const date = responses.dateOf(i);
        return date === null ? null : periodOrdinal(date, options.period!);
      };
      let last = -Infinity;
      for (let i = 0; i < responses.length; i++) last = Math.max(last, unitOf(i) ?? -Infinity);
      counted = (i) => unitOf(i) === last;
      period = periodLabel(last, options.period);
    }
    const tallies = new Map<string, ReturnType<typeof emptyNpsTally>>();
    const overall = emptyNpsTally();
    for (let i = 0; i < responses.length; i++) {
      if (!counted(i)) continue;
      const key = responses.groupOf(i) ?? "(blank)";
      if (!tallies.has(key)) tallies.set(key, emptyNpsTally());
      addCategoryToNpsTally(tallies.get(key)!, responses.categoryOf(i), responses.weightOf(i));
      addCategoryToNpsTally(overall, responses.categoryOf(i), responses.weightOf(i));
    }
    const groups = analysis.npsByGroup.map((g) => g.group).filter((g) => tallies.has(g)).map((g) => ({ group: g, summary: npsSummary(tallies.get(g)!, options.minN) }));
    const given = options.targets ? await readTargets(options.targets, period) : new Map<string, number>();
    const judged = versusRest(groups.map((g) => ({ tally: tallies.get(g.group)!, small: g.summary.n < options.minN })), options.minN);
    const first = analysis.benchmarks?.list[0] ?? null;
    const rule =
      options.targetRule.kind === "points"
        ? `today ${signed(options.targetRule.points)} points`
        : options.targetRule.kind === "gap"
          ? `${options.targetRule.share * 100}% of the way to the best group`
          : `${options.targetRule.share * 100}% of the way to ${first!.name} (${signed(first!.nps)})`;
    const comparisons = analysis.benchmarks && overall.weight > 0 ? compareToBenchmarks(npsSummary(overall, options.minN), groups, analysis.benchmarks.list) : null;
    const report: TargetsReport = {
      tool: { name: "loyalty", version: toolVersion() },
      generatedAt: reportTime(io).toISOString(),
      survey: options.survey,
      groupBy: group.name,
      period,
      rule,
      targetsFile: options.targets ?? null,
      groups: groupTargets(groups, options.targetRule, given, options.minN, first?.nps ?? null).map((g, i) => ({ ...g, ...judged[i]! })),
      benchmarkFile: options.benchmark ?? null,
      benchmarks: comparisons,
    };
    let format;
    try {
      format = resolveFormat(options);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const toFile = options.output !== undefined;
    const document = targetsDocument(report);
    const text =
      format === "json"
        ? renderJson(report as never)
        : await renderDocumentAs(document, format, { color: useColor(io, options.color, toFile), width: outputWidth(io, options.width, toFile), section: options.section, moneyDecimals: 2 });
    if (options.output) {
      await io.writeFile(options.output, text);
      if (!options.quiet) io.stderr(`loyalty: wrote ${options.output}\n`);
    } else io.stdout(text);
  });
}
