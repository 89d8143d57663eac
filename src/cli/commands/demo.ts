import { join, sep } from "node:path";
import { Command } from "commander";
import type { Io } from "../io.js";
import { addOutputOptions } from "../options.js";
import { packageRoot } from "../package-root.js";
import { runReport, type ReportOptions } from "../run-report.js";

/** The bundled sample data, made by `loyalty generate --out fixtures/demo --customers 2000 --months 12 --seed 42`. */
export const DEMO_DIR = join(packageRoot(), "fixtures", "demo") + sep;

export function demoCommand(io: Io): Command {
  const command = new Command("demo").description("run analyze on the bundled sample data (fixtures/demo), grouped by region, with the NPS trend by quarter and a one-quarter lag");
  return addOutputOptions(command).action(async (options: ReportOptions) => {
      await runReport(io, { survey: `${DEMO_DIR}survey.csv`, finance: `${DEMO_DIR}finance.csv`, surveyColumns: { by: "region" }, trendUnit: "quarter", lag: 1 }, options);
    });
}
