import { main } from "../../src/cli/program.js";
import { memoryIo } from "../../src/cli/io.js";
import { ReportSchema } from "../../src/report/report.js";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI in-process with output collected in memory, colour off, fixed clock. Every JSON
 * report it prints is validated against the published schema, so no test can pass on a report that
 * breaks the contract (a correlation of 1.0000000000000002, a share above 1, a NaN).
 */
export async function runCli(args: string[], env: Record<string, string> = {}, stdin?: string): Promise<CliResult> {
  const io = memoryIo({ env: { ...env }, ...(stdin === undefined ? {} : { stdin }) });
  const code = await main(args, io);
  if (code === 0 && io.out.startsWith("{\n  \"schemaVersion\"")) checkReport(io.out, args);
  return { code, stdout: io.out, stderr: io.err };
}

function checkReport(text: string, args: string[]): void {
  const valid = ReportSchema.safeParse(JSON.parse(text));
  if (!valid.success) throw new Error(`loyalty ${args.join(" ")}: the report breaks its schema: ${JSON.stringify(valid.error.issues.slice(0, 5))}`);
}

/** Runs the CLI and parses its JSON output (fails loudly when the run did not succeed); validated by runCli. */
export async function runJson<T = unknown>(args: string[]): Promise<T> {
  const result = await runCli([...args, "--format", "json"]);
  if (result.code !== 0) throw new Error(`loyalty ${args.join(" ")} exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}
