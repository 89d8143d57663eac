/**
 * What analyze, drivers and demo share after the options are parsed: run the pipeline (with a
 * progress bar on a terminal), print the warnings on stderr, render the document in the chosen
 * format, write it to stdout or --output, then check the --fail-if gates.
 */
import { GatesTripped, UsageError } from "../errors.js";
import { analyze, type AnalyzeSettings, type Progress } from "../pipeline.js";
import { buildDocument } from "../report/build-document.js";
import type { SectionId } from "../report/build-document.js";
import type { ReportDocument } from "../report/document.js";
import { checkGate, describeResult, evaluateGate, parseGate, schemaPaths } from "../report/gates.js";
import { currencyDecimals, renderDocumentCsv } from "../report/render-csv.js";
import { renderHtml } from "../report/render-html.js";
import { renderJson } from "../report/render-json.js";
import { renderMarkdown } from "../report/render-markdown.js";
import { renderTerminal, safeLabel, wrapText } from "../report/render-terminal.js";
import type { Report } from "../report/report.js";
import type { Io } from "./io.js";
import { resolveFormat, type Format } from "./options.js";
import { terminalProgress } from "./progress.js";
import { toolVersion } from "./program.js";

export interface ReportOptions {
  format?: Format | undefined;
  output?: string | undefined;
  quiet?: boolean | undefined;
  color?: boolean | undefined;
  /** --sections: the sections every format shows. */
  sections?: SectionId[] | undefined;
  /** --section: the one CSV table. */
  section?: string | undefined;
  width?: number | undefined;
  failIf?: string[] | undefined;
  /** false with --no-progress. */
  progress?: boolean | undefined;
  currency?: string | undefined;
}

/** The report time: SOURCE_DATE_EPOCH (seconds) when set, so that CI output is reproducible. */
export function reportTime(io: Io): Date {
  const epoch = io.env.SOURCE_DATE_EPOCH;
  if (epoch === undefined || epoch === "") return io.now();
  const date = new Date(Number(epoch) * 1000);
  // JavaScript dates end in the year 275760; 253402300799 is 9999-12-31T23:59:59Z, the last ISO 8601 year of four digits
  if (!/^\d+$/.test(epoch) || Number(epoch) > 253402300799 || Number.isNaN(date.getTime())) {
    throw new UsageError(`the environment variable SOURCE_DATE_EPOCH must be whole seconds since 1970 (at most 253402300799, the end of year 9999), got "${epoch}"`, {
      hint: "set it to a time such as $(git log -1 --format=%ct), or unset it",
    });
  }
  return date;
}

/** Colour only for a terminal, and never with --no-color, NO_COLOR or TERM=dumb; FORCE_COLOR forces it. */
/** The progress bar on standard error when it is a terminal, unless --no-progress or --quiet. */
export async function progressOf(io: Io, options: { progress?: boolean | undefined; quiet?: boolean | undefined }): Promise<Progress | undefined> {
  return options.progress !== false && !options.quiet && io.progressStream ? terminalProgress(io.progressStream) : undefined;
}

export function useColor(io: Io, flag: boolean | undefined, toFile: boolean): boolean {
  if (flag === false || toFile) return false;
  if (io.env.NO_COLOR) return false;
  const force = io.env.FORCE_COLOR;
  if (force !== undefined && force !== "") return force !== "0" && force !== "false";
  return io.stdoutIsTTY && io.env.TERM !== "dumb";
}

/** The width tables fit: --width, else the terminal's, else $COLUMNS, else 80. */
export function outputWidth(io: Io, flag: number | undefined, toFile: boolean): number {
  if (flag !== undefined) return flag;
  if (!toFile && io.columns !== undefined && io.columns > 0) return io.columns;
  const env = io.env.COLUMNS;
  if (env !== undefined && /^\d+$/.test(env) && Number(env) > 0) return Number(env);
  return 80;
}

/** A warning's message on one line of stderr; its lists are already summarised. */
export function printWarnings(io: Io, report: Pick<Report, "warnings">): void {
  for (const warning of report.warnings) {
    const line = `loyalty: warning: ${safeLabel(warning.message)}`;
    io.stderr(`${io.stderrColumns ? wrapText(line, io.stderrColumns, "  ").join("\n") : line}\n`);
  }
}

/** A document in one of the formats people read (every format but JSON). */
export async function renderDocumentAs(
  document: ReportDocument,
  format: Exclude<Format, "json">,
  options: { color: boolean; width: number; section?: string | undefined; moneyDecimals: number },
): Promise<string> {
  switch (format) {
    case "markdown":
      return renderMarkdown(document);
    case "html":
      return renderHtml(document);
    case "csv":
      return renderDocumentCsv(document, { section: options.section, moneyDecimals: options.moneyDecimals });
    case "table":
      return renderTerminal(document, { color: options.color, width: options.width });
  }
}

/** Renders the report in `format`. */
export async function renderReport(report: Report, format: Format, options: ReportOptions & { color: boolean; width: number; toStdout: boolean }): Promise<string> {
  if (format === "json") return renderJson(report);
  const document = buildDocument(report, { sections: options.sections });
  const moneyDecimals = currencyDecimals(options.currency ?? report.inputs.finance?.currency ?? null);
  switch (format) {
    case "markdown":
    case "html":
    case "csv":
      return renderDocumentAs(document, format, { ...options, moneyDecimals });
    case "table": {
      // on standard output the warnings are on stderr already; a file keeps them
      const sections = options.toStdout ? document.sections.filter((s) => s.id !== "warnings") : document.sections;
      let text = await renderDocumentAs({ ...document, sections }, "table", { ...options, moneyDecimals });
      const shown = options.sections === undefined || options.sections.includes("warnings");
      if (options.toStdout && shown && report.warnings.length > 0) {
        const n = report.warnings.length;
        text += `\n${wrapText(`${n} warning${n === 1 ? "" : "s"} ${options.quiet ? "silenced by --quiet" : "on standard error"}; every one is in --format json`, options.width).join("\n")}\n`;
      }
      return text;
    }
  }
}

export async function runReport(io: Io, settings: AnalyzeSettings, options: ReportOptions): Promise<void> {
  let format: Format;
  try {
    format = resolveFormat(options);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (options.section !== undefined && format !== "csv") throw new UsageError("--section picks the one table of --format csv; for other formats use --sections");
  // gates are checked before the work, so a typo costs no minutes
  // (the schema's library loaded only for --fail-if)
  const paths = options.failIf?.length ? schemaPaths((await import("../report/report.js")).reportJsonSchema() as never) : null;
  const gates = (options.failIf ?? []).map((expression) => {
    const gate = parseGate(expression);
    checkGate(gate, paths!);
    return gate;
  });
  const time = reportTime(io);
  const progress = await progressOf(io, options);
  const report = await analyze({ ...settings, stdin: io.stdin, progress }, { now: time, toolVersion: toolVersion() });
  if (!options.quiet) printWarnings(io, report);
  const toFile = options.output !== undefined;
  const text = await renderReport(report, format, {
    ...options,
    color: useColor(io, options.color, toFile) && format === "table",
    width: outputWidth(io, options.width, toFile),
    toStdout: !toFile,
  });
  if (options.output) {
    await io.writeFile(options.output, text);
    if (!options.quiet) io.stderr(`loyalty: wrote ${options.output}\n`);
  } else {
    io.stdout(text);
  }
  if (gates.length > 0) {
    const json = JSON.parse(renderJson(report)) as unknown;
    const results = gates.map((gate) => evaluateGate(gate, json));
    for (const result of results) {
      if (result.tripped) io.stderr(`loyalty: ${safeLabel(describeResult(result))}\n`);
      else if (!options.quiet && result.missing.length > 0 && result.hits.length === 0) {
        io.stderr(`loyalty: gate not checked: ${result.gate.expression}: ${result.missing.slice(0, 3).join(", ")} ${result.missing.length === 1 ? "has" : "have"} no value in this report\n`);
      }
    }
    const tripped = results.filter((r) => r.tripped).length;
    if (tripped > 0) throw new GatesTripped(tripped);
  }
}
