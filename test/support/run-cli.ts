import { main } from "../../src/cli/program.js";
import { memoryIo } from "../../src/cli/io.js";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with output collected in memory, colour off, fixed clock. */
export async function runCli(args: string[], env: Record<string, string> = {}, stdin?: string): Promise<CliResult> {
  const io = memoryIo({ env: { ...env }, ...(stdin === undefined ? {} : { stdin }) });
  const code = await main(args, io);
  return { code, stdout: io.out, stderr: io.err };
}

/** Runs the CLI and parses its JSON report (fails loudly when the run did not succeed). */
export async function runJson<T = unknown>(args: string[]): Promise<T> {
  const result = await runCli([...args, "--format", "json"]);
  if (result.code !== 0) throw new Error(`loyalty ${args.join(" ")} exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}
