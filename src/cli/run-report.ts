/**
 * What analyze and demo share after the options are parsed: run the pipeline, print warnings
 * on stderr, render, write to stdout or --output.
 */
import { UsageError } from "../errors.js";
import { analyze, type AnalyzeSettings } from "../pipeline.js";
import { renderJson } from "../report/render-json.js";
import { renderTable, safeLabel } from "../report/render-table.js";
import type { Io } from "./io.js";
import { resolveFormat, type Format } from "./options.js";
import { toolVersion } from "./program.js";

export interface ReportOptions {
  format?: Format | undefined;
  output?: string | undefined;
  quiet?: boolean | undefined;
  color?: boolean | undefined;
  /** Which sections the table shows (JSON always carries the whole report). */
  sections?: "all" | "drivers";
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
export function useColor(io: Io, flag: boolean | undefined, toFile: boolean): boolean {
  if (flag === false || toFile) return false;
  if (io.env.NO_COLOR) return false;
  const force = io.env.FORCE_COLOR;
  if (force !== undefined && force !== "") return force !== "0" && force !== "false";
  return io.stdoutIsTTY && io.env.TERM !== "dumb";
}

export async function runReport(io: Io, settings: AnalyzeSettings, options: ReportOptions): Promise<void> {
  let format: Format;
  try {
    format = resolveFormat(options);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const report = await analyze({ ...settings, stdin: io.stdin }, { now: reportTime(io), toolVersion: toolVersion() });
  if (!options.quiet && format === "json") {
    for (const warning of report.warnings) io.stderr(`loyalty: warning: ${safeLabel(warning.message)}\n`);
  }
  const text = format === "json" ? renderJson(report) : renderTable(report, { color: useColor(io, options.color, options.output !== undefined), sections: options.sections ?? "all" });
  if (options.output) {
    await io.writeFile(options.output, text);
    if (!options.quiet) io.stderr(`loyalty: wrote ${options.output}\n`);
  } else {
    io.stdout(text);
  }
}
