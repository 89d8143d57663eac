/**
 * The commander program: registers the commands, and is the one place that turns errors into
 * messages and exit codes (0 ok, 2 usage error or bad input; shared/DESIGN.md section 5).
 * Runs in-process for tests: `main(argv, memoryIo())`.
 */
import { Command, CommanderError } from "commander";
import { GatesTripped, LoyaltyError, UsageError } from "../errors.js";
import { analyzeCommand } from "./commands/analyze.js";
import { atRiskCommand } from "./commands/at-risk.js";
import { demoCommand } from "./commands/demo.js";
import { driversCommand } from "./commands/drivers.js";
import { generateCommand } from "./commands/generate.js";
import { inspectCommand } from "./commands/inspect.js";
import { initCommand } from "./commands/init.js";
import { schemaCommand } from "./commands/schema.js";
import { completionCommand } from "./commands/completion.js";
import { targetsCommand } from "./commands/targets.js";
import { ambassadorsCommand, upsellCommand } from "./commands/lists.js";
import { feedbackCommand } from "./commands/feedback.js";
import { respondentsCommand, sqlCommand } from "./commands/sql.js";
import { addExamples, exitCodesText } from "./help.js";
import { DEFAULT_CONFIG, applyConfig, readConfig } from "./config-file.js";
import type { Io } from "./io.js";
import { stopWorkers } from "../parallel.js";
import { stopScanWorkers } from "../scan-workers.js";
import { safeLabel } from "../report/render-terminal.js";
import { packageVersion } from "./package-root.js";

export const EXIT_OK = 0;
/** A --fail-if gate tripped (the report was written). */
export const EXIT_GATE = 1;
export const EXIT_USAGE_OR_INPUT = 2;
/** A bug in loyalty itself, not in the input. */
export const EXIT_INTERNAL = 70;

export function toolVersion(): string {
  return packageVersion();
}

/** Runs the CLI and returns the exit code. Never throws. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const program = new Command("loyalty")
    .description("Proves, in money, what customer loyalty is worth: NPS, revenue and churn by category, and the drivers of loyalty")
    .version(toolVersion(), "-V, --version")
    .option("--verbose", "print stack traces of internal errors")
    .option("--config <file>", `read settings from this config file (default: ./${DEFAULT_CONFIG} when it exists); flags given on the command line win`)
    .showHelpAfterError("(run loyalty help for the commands and options)")
    .configureOutput({
      writeOut: (text) => io.stdout(text),
      writeErr: (text) => io.stderr(text),
      outputError: (text, write) => write(text.replace(/^error: /, "loyalty: ")),
    })
    .exitOverride();
  program.helpCommand(false);
  program.addHelpText("after", `\nRun loyalty COMMAND --help for a command's options and examples.\n\n${exitCodesText()}`);
  for (const command of [analyzeCommand(io), driversCommand(io), atRiskCommand(io), upsellCommand(io), ambassadorsCommand(io), feedbackCommand(io), targetsCommand(io), demoCommand(io), inspectCommand(io), initCommand(io), generateCommand(io), sqlCommand(io), respondentsCommand(io), schemaCommand(io), completionCommand(io, () => program)]) {
    program.addCommand(addExamples(command).copyInheritedSettings(program));
  }
  program.addCommand(
    new Command("help")
      .description("help on a command (loyalty help analyze), or on the exit codes (loyalty help exit-codes)")
      .argument("[topic]", "a command, or exit-codes")
      .action((topic: string | undefined) => {
        if (topic === undefined) return program.outputHelp();
        if (topic === "exit-codes") return io.stdout(exitCodesText());
        const command = program.commands.find((c) => c.name() === topic);
        if (!command) throw new UsageError(`no help on "${topic}"; give a command (${program.commands.map((c) => c.name()).join(", ")}) or exit-codes`);
        command.outputHelp();
      })
      .copyInheritedSettings(program),
  );
  program.hook("preAction", async (_program, command) => {
    if (["init", "demo", "help", "completion", "schema", "generate", "sql"].includes(command.name())) return;
    const loaded = await readConfig(program.opts<{ config?: string }>().config);
    if (loaded) applyConfig(command, loaded.config, loaded.path);
  });
  try {
    await program.parseAsync(argv, { from: "user" });
    return EXIT_OK;
  } catch (error) {
    // (a driver analysis still under way on a worker thread would hold the process until it is done)
    stopWorkers();
    stopScanWorkers();
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.code === "commander.help") return EXIT_OK;
      // commander has already printed its message through outputError
      return EXIT_USAGE_OR_INPUT;
    }
    if (error instanceof GatesTripped) return EXIT_GATE;
    if (error instanceof LoyaltyError) {
      io.stderr(`loyalty: ${safeLabel(error.describe())}\n`);
      return EXIT_USAGE_OR_INPUT;
    }
    const verbose = argv.includes("--verbose");
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`loyalty: internal error: ${message}\nThis is a bug in loyalty, not in your data; please report it with the command you ran.\n`);
    if (verbose && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    return EXIT_INTERNAL;
  }
}
