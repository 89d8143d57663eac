/**
 * loyalty feedback --owner COL: the small loop. Per owner of the customer interaction its NPS, how
 * it stands against everyone else, the change since the previous period, the detractors to call
 * back and the promoters' comments to pass on; as one report, or one file per owner (--split DIR).
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import { Command, Option } from "commander";
import { UsageError } from "../../errors.js";
import { feedbackByOwner, type FeedbackResult, type OwnerFeedback } from "../../metrics/feedback.js";
import type { TrendUnit } from "../../metrics/trend.js";
import { computeAnalysis } from "../../pipeline.js";
import { interval, styled, type Block, type Cell, type ReportDocument, type Section } from "../../report/document.js";
import { signed } from "../../report/format.js";
import { isoDate } from "../../report/render-at-risk.js";
import { currencyDecimals } from "../../report/render-csv.js";
import { renderJson } from "../../report/render-json.js";
import { renderHtml } from "../../report/render-html.js";
import { renderMarkdown } from "../../report/render-markdown.js";
import type { Io } from "../io.js";
import { columnOptions, currencyOption, financeOption, financeAggregatesOption, engineOption, financeInput, formatOption, HELP_GROUPS, minNOption, moneyOptions, noColorOption, noProgressOption, outputOption, quietOption, readOptions, resolveFormat, scaleOptions, sectionOption, surveyOption, widthOption } from "../options.js";
import { outputWidth, progressOf, renderDocumentAs, reportTime, useColor, type ReportOptions } from "../run-report.js";
import { toolVersion } from "../program.js";
import { settingsFromOptions, type AnalyzeOptions } from "./analyze.js";
import { topOption } from "./lists.js";

export interface FeedbackReport extends FeedbackResult {
  tool: { name: "loyalty"; version: string };
  generatedAt: string;
  survey: string;
  finance: string | null;
  ownerColumn: string;
  commentColumn: string | null;
  /** --min-n: owners with fewer answers are not flagged, periods with fewer show no change. */
  minN: number;
  /** With --split: the file written per owner. */
  files: { owner: string; file: string }[] | null;
}

const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

/**
 * A file name for any owner name, safe on every file system: letters folded to ASCII (å → a,
 * ø → o, æ → ae), anything else a dash, at most 60 characters, never a reserved Windows name; a
 * name with nothing left becomes owner-<hash>. Unique within `taken` (-2, -3, … on a clash).
 * @example safeFileName("Åsa / Öberg", new Set()) // => "asa-oberg"
 */
export function safeFileName(name: string, taken: Set<string>): string {
  let base = name
    .replace(/[æÆ]/g, "ae")
    .replace(/[øØ]/g, "o")
    .replace(/ß/g, "ss")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
  if (base === "") base = `owner-${createHash("sha256").update(name).digest("hex").slice(0, 8)}`;
  if (RESERVED.test(base)) base = `owner-${base}`;
  let file = base;
  for (let k = 2; taken.has(file); k++) file = `${base}-${k}`;
  taken.add(file);
  return file;
}

const flagText = (o: OwnerFeedback) => (o.flag === "below" ? "below" : o.flag === "above" ? "above" : o.small ? "few answers" : "");

function summaryTable(report: FeedbackReport, owners: readonly OwnerFeedback[]): Block {
  const periods = report.latestPeriod !== null;
  return {
    kind: "table",
    id: "owners",
    columns: [
      { key: "owner", label: report.ownerColumn, unit: "text" },
      { key: "n", label: "n", unit: "count" },
      { key: "nps", label: "NPS", unit: "points" },
      { key: "ci", label: "95% CI", unit: "points", interval: true, drop: 3 },
      { key: "vs_rest_ci", label: "vs the rest (95% CI)", unit: "points", interval: true, drop: 2 },
      { key: "flag", label: "flag", unit: "text" },
      ...(periods
        ? [
            { key: "latest_nps", label: `NPS ${report.latestPeriod}`, unit: "points" as const },
            { key: "change", label: "change", unit: "points" as const, drop: 1 },
            { key: "change_ci", label: "change 95% CI", unit: "points" as const, interval: true, only: "csv" as const },
          ]
        : []),
      { key: "call_back", label: "to call back", unit: "count" },
    ],
    rows: owners.map((o): Cell[] => [
      styled(o.owner, o.small ? "muted" : null),
      o.overall.n,
      styled(o.overall.nps, o.flag === "below" ? "bad" : o.flag === "above" ? "strong" : null),
      interval(o.overall.ciLow, o.overall.ciHigh),
      o.vsRest ? interval(o.vsRest.ciLow, o.vsRest.ciHigh) : null,
      styled(flagText(o), o.flag === "below" ? "bad" : o.flag === "above" ? "strong" : "muted"),
      ...(periods ? [o.latest ? styled(o.latest.nps, o.latest.n < report.minN ? "muted" : null) : null, o.change?.difference ?? null, o.change ? interval(o.change.ciLow, o.change.ciHigh) : null] : []),
      o.callBackCount,
    ]),
  };
}

function ownerBlocks(report: FeedbackReport, o: OwnerFeedback, withValue: boolean): Block[] {
  const withComments = o.callBack.some((c) => c.comment !== null);
  const when = report.latestPeriod ? ` in ${report.latestPeriod}` : "";
  const blocks: Block[] = [
    {
      kind: "sentence",
      text:
        `NPS ${signed(o.overall.nps)} from ${o.overall.n} answer${o.overall.n === 1 ? "" : "s"}` +
        (o.vsRest ? `, ${signed(o.vsRest.difference)} points against everyone else` : "") +
        (o.flag ? ` (${flagText(o)} the rest, beyond chance)` : o.small ? " (too few answers to judge)" : "") +
        (o.latest ? `; ${signed(o.latest.nps)} in ${o.latest.period}` : "") +
        (o.change ? `, ${signed(o.change.difference)} from ${report.previousPeriod} (95% CI ${signed(o.change.ciLow)} to ${signed(o.change.ciHigh)})` : o.latest && o.changeAbsent ? ` (no change shown: ${o.changeAbsent})` : "") +
        ".",
    },
    { kind: "subheading", text: `Detractors to call back${when} (${o.callBackCount})` },
  ];
  if (o.callBack.length > 0) {
    blocks.push({
      kind: "table",
      id: "call-back",
      columns: [
        { key: "customer_id", label: "customer", unit: "text" },
        { key: "score", label: "score", unit: "count" },
        ...(report.latestPeriod !== null ? [{ key: "date", label: "answered", unit: "text" as const, drop: 2 }] : []),
        ...(withValue ? [{ key: "revenue", label: "revenue", unit: "money" as const }, { key: "status", label: "status", unit: "text" as const, drop: 3 }] : []),
        ...(withComments ? [{ key: "comment", label: "comment", unit: "text" as const, drop: 1 }] : []),
      ],
      rows: o.callBack.map((c): Cell[] => [
        c.customerId,
        c.score,
        ...(report.latestPeriod !== null ? [isoDate(c.date)] : []),
        ...(withValue ? [c.revenue, c.churned === null ? "" : styled(c.churned ? "left" : "active", c.churned ? "muted" : "strong")] : []),
        ...(withComments ? [c.comment ?? ""] : []),
      ]),
    });
    if (o.callBackCount > o.callBack.length) blocks.push({ kind: "note", text: `the ${o.callBack.length} ${withValue ? "most valuable" : "latest"} of ${o.callBackCount}; --top lists more` });
  } else blocks.push({ kind: "note", text: "none" });
  blocks.push({ kind: "subheading", text: `Promoters' comments worth sharing${when} (${o.shareCount})` });
  blocks.push(
    o.share.length > 0
      ? { kind: "list", items: o.share.map((s) => `“${s.comment}” (${s.score}${s.customerId ? `, ${s.customerId}` : ""}${s.date !== null ? `, ${isoDate(s.date)}` : ""})`) }
      : { kind: "note", text: report.commentColumn ? "none" : "the survey has no comment column (name one with --comment)" },
  );
  return blocks;
}

function feedbackDocument(report: FeedbackReport, owners: readonly OwnerFeedback[], ids: ReadonlyMap<string, string>, title: string): ReportDocument {
  const withValue = report.finance !== null;
  const flagged = owners.filter((o) => o.flag === "below").map((o) => o.owner);
  const one = owners.length === 1 && report.owners.length > 1 ? owners[0]! : null;
  const headline = one
    ? [
        `${one.owner}: NPS ${signed(one.overall.nps)} (95% CI ${signed(one.overall.ciLow)} to ${signed(one.overall.ciHigh)}) from ${one.overall.n} answers, against ${signed(report.overall.nps)} for everyone.`,
        `${one.callBackCount} detractor${one.callBackCount === 1 ? "" : "s"} to call back and ${one.shareCount} promoter comment${one.shareCount === 1 ? "" : "s"} to share${report.latestPeriod ? ` from ${report.latestPeriod}` : ""}.`,
      ]
    : [
    `Overall NPS ${signed(report.overall.nps)} (95% CI ${signed(report.overall.ciLow)} to ${signed(report.overall.ciHigh)}) from ${report.overall.n} answers to ${report.owners.length} owners (${report.ownerColumn}).`,
    flagged.length > 0 ? `Below the rest beyond chance: ${flagged.join(", ")}.` : "No one is below the rest beyond chance.",
      ];
  const sections: Section[] = [
    {
      id: "owners",
      title: `NPS by ${report.ownerColumn}`,
      blocks: [
        summaryTable(report, owners),
        {
          kind: "note",
          text:
            "vs the rest: this NPS less everyone else's; flag: below or above the rest when the difference holds after Holm's adjustment over every owner (5%), so chance alone flags no one" +
            (report.latestPeriod ? `; change: ${report.latestPeriod} against ${report.previousPeriod}` : "") +
            "; to call back: detractors whose latest answer went to this owner" +
            (report.latestPeriod ? ` in ${report.latestPeriod}` : ""),
        },
        ...(owners.length > 1
          ? [
              {
                kind: "chart" as const,
                id: "nps-by-owner",
                title: `NPS by ${report.ownerColumn} with 95% intervals`,
                chart: { type: "intervals" as const, axis: "NPS", points: owners.map((o) => ({ label: o.owner, value: o.overall.nps, low: o.overall.ciLow, high: o.overall.ciHigh, faded: o.small })), reference: { value: report.overall.nps, label: `overall ${signed(report.overall.nps)}` } },
              },
            ]
          : []),
      ],
    },
    ...owners.map((o) => ({ id: ids.get(o.owner)!, title: o.owner, blocks: ownerBlocks(report, o, withValue) })),
  ];
  return { title, subtitle: `loyalty ${report.tool.version}, ${report.generatedAt}`, headline, sections };
}

/** The report as JSON: dates as YYYY-MM-DD. */
export function feedbackJson(report: FeedbackReport) {
  return {
    ...report,
    owners: report.owners.map((o) => ({
      ...o,
      callBack: o.callBack.map((c) => ({ ...c, date: isoDate(c.date) })),
      share: o.share.map((s) => ({ ...s, date: isoDate(s.date) })),
    })),
  };
}

type FeedbackOptions = AnalyzeOptions & ReportOptions & { owner?: string; period?: TrendUnit; top: number; split?: string; currency?: string };

export function feedbackCommand(io: Io): Command {
  const command = new Command("feedback")
    .description("the small loop: per owner of the customer interaction (agent, store, account manager, team) the NPS, how it stands against everyone else, the change since the previous period, the detractors to call back and the promoters' comments to share")
    .addOption(surveyOption())
    .addOption(financeOption())
    .addOption(financeAggregatesOption())
    .addOption(engineOption())
    .addOption(new Option("--owner <column>", "survey column with who owns the interaction: agent, store, account manager, team (default: detected, e.g. agent, account_manager, owner)").helpGroup(HELP_GROUPS.columns));
  for (const option of [...columnOptions(), ...scaleOptions(), ...readOptions(), ...moneyOptions().filter((o) => ["--churn-column", "--churn-after"].includes(o.long!))]) command.addOption(option);
  command
    .addOption(new Option("--period <unit>", "the period of the change and of the lists: the last month, quarter or year of the response dates").choices(["month", "quarter", "year"]).default("quarter").helpGroup(HELP_GROUPS.analysis))
    .addOption(topOption().default(10).helpGroup(HELP_GROUPS.analysis))
    .addOption(minNOption().helpGroup(HELP_GROUPS.analysis))
    .addOption(new Option("--split <dir>", "write one Markdown (or, with --format html, HTML) file per owner into DIR, with an index").helpGroup(HELP_GROUPS.output));
  for (const option of [formatOption(), outputOption(), sectionOption(), widthOption(), currencyOption(), quietOption(), noProgressOption(), noColorOption()]) command.addOption(option.helpGroup(HELP_GROUPS.output));
  return command.action(async (options: FeedbackOptions) => {
    let format;
    try {
      format = resolveFormat(options);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    if (options.split !== undefined && options.output !== undefined) throw new UsageError("--split writes one file per owner into a folder; leave out --output");
    if (options.split !== undefined && format !== "markdown" && format !== "html" && options.format !== undefined) throw new UsageError("--split writes Markdown or HTML files; pass --format markdown or --format html");
    const settings = { ...settingsFromOptions(options), trendUnit: undefined, importance: null, driversByGroup: false, retention: { resamples: 0 }, stdin: io.stdin, progress: await progressOf(io, options) };
    const analysis = await computeAnalysis(settings);
    const survey = analysis.survey;
    if (!survey.columns.owner) {
      throw new UsageError(`${survey.file}: no owner column found (looked for agent, account manager, owner, …); name the column of who owns the interaction with --owner`);
    }
    // what the feedback reads of each response with an owner (not the rest of an object per response)
    const all = survey.responses;
    const owned: Parameters<typeof feedbackByOwner>[0][number][] = [];
    for (let i = 0; i < all.length; i++) {
      const owner = all.ownerOf(i);
      if (owner === null) continue;
      owned.push({ customerId: all.customerIds[i]!, date: all.dateOf(i), order: i, owner, category: all.categoryOf(i), score: all.score[i]!, weight: all.weightOf(i), comment: all.commentOf(i), group: all.groupOf(i) });
    }
    if (owned.length === 0) throw new UsageError(`${survey.file}: no scored response to tell owners apart`);
    const unit = survey.columns.date ? (options.period ?? "quarter") : null;
    const matched = analysis.join?.customers;
    const value = new Map(Array.from({ length: matched?.length ?? 0 }, (_, i) => [matched!.ids[i]!, { revenue: matched!.revenue[i]!, churned: matched!.churnedAt(i) }]));
    const collator = new Intl.Collator("und", { sensitivity: "variant", numeric: true });
    const result = feedbackByOwner(owned, { unit, minN: options.minN, top: options.top, value, compare: (a, b) => collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0) });
    const taken = new Set<string>(["owners", "index"]);
    const ids = new Map(result.owners.map((o) => [o.owner, safeFileName(o.owner, taken)]));
    const report: FeedbackReport = {
      tool: { name: "loyalty", version: toolVersion() },
      generatedAt: reportTime(io).toISOString(),
      survey: options.survey,
      finance: analysis.join ? financeInput(options)! : null,
      ownerColumn: survey.columns.owner.name,
      commentColumn: survey.columns.comment?.name ?? null,
      minN: options.minN,
      ...result,
      files: null,
    };
    const toFile = options.output !== undefined;
    const moneyDecimals = currencyDecimals(options.currency ?? analysis.finance?.currency() ?? null);
    if (options.split !== undefined) {
      const html = format === "html";
      const extension = html ? "html" : "md";
      report.files = result.owners.map((o) => ({ owner: o.owner, file: `${ids.get(o.owner)}.${extension}` }));
      for (const o of result.owners) {
        const document = feedbackDocument(report, [o], ids, `Customer feedback for ${o.owner}`);
        await io.writeFile(join(options.split, `${ids.get(o.owner)}.${extension}`), html ? await renderHtml(document) : renderMarkdown(document));
      }
      const index = feedbackDocument(report, result.owners, ids, `Customer feedback by ${report.ownerColumn}`);
      index.sections = [index.sections[0]!, { id: "files", title: "One file per owner", blocks: [{ kind: "list", items: report.files.map((f) => `${f.owner}: ${f.file}`), links: report.files.map((f) => f.file) }] }];
      await io.writeFile(join(options.split, `index.${extension}`), html ? await renderHtml(index) : renderMarkdown(index));
      if (!options.quiet) io.stderr(`loyalty: wrote ${report.files.length} files and index.${extension} into ${options.split}\n`);
      return;
    }
    const document = feedbackDocument(report, result.owners, ids, `Customer feedback by ${report.ownerColumn}`);
    const text = format === "json" ? renderJson(feedbackJson(report) as never) : await renderDocumentAs(document, format, { color: useColor(io, options.color, toFile), width: outputWidth(io, options.width, toFile), section: options.section, moneyDecimals });
    if (options.output) {
      await io.writeFile(options.output, text);
      if (!options.quiet) io.stderr(`loyalty: wrote ${options.output}\n`);
    } else io.stdout(text);
  });
}
