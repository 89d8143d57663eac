import { join } from "node:path";
import { Command, InvalidArgumentError, Option } from "commander";
import { UsageError } from "../../errors.js";
import { generateSynthetic } from "../../generate/synthetic.js";
import type { Io } from "../io.js";
import { writeFileAtomically } from "../write-file.js";

function wholeNumber(name: string, min: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < min) throw new InvalidArgumentError(`${name} must be a whole number of at least ${min}`);
    return Number(value);
  };
}

/** Writes the lines atomically and returns how many there were. */
async function writeLines(path: string, lines: Iterable<string>): Promise<number> {
  let count = 0;
  await writeFileAtomically(path, (function* () {
    for (const line of lines) {
      count++;
      yield `${line}\n`;
    }
  })());
  return count;
}

export function generateCommand(io: Io): Command {
  return new Command("generate")
    .description("write synthetic survey.csv, finance.csv and truth.json with a planted, known truth")
    .addOption(new Option("--out <dir>", "folder to write into (created if needed)").makeOptionMandatory())
    .addOption(new Option("--customers <n>", "number of customers").argParser(wholeNumber("--customers", 10)).default(2000))
    .addOption(new Option("--months <m>", "months of finance data").argParser(wholeNumber("--months", 2)).default(12))
    .addOption(new Option("--seed <s>", "random seed: the same seed gives the same files").argParser(wholeNumber("--seed", 0)).default(1))
    .addOption(new Option("--churn-model <model>", "window: churn within the window by category; hazard: a monthly hazard after the answer by category (planted hazard ratios 2 and 3)").choices(["window", "hazard"]).default("window"))
    .addOption(new Option("-q, --quiet", "print nothing on stderr"))
    .action(async (options: { out: string; customers: number; months: number; seed: number; quiet?: boolean; churnModel: "window" | "hazard" }) => {
      let data;
      try {
        data = generateSynthetic(options);
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      const surveyRows = await writeLines(join(options.out, "survey.csv"), data.surveyLines());
      const financeRows = await writeLines(join(options.out, "finance.csv"), data.financeLines());
      await io.writeFile(join(options.out, "truth.json"), `${JSON.stringify(data.truth, null, 2)}\n`);
      if (!options.quiet) {
        io.stderr(`loyalty: wrote ${join(options.out, "survey.csv")} (${surveyRows - 1} responses), ${join(options.out, "finance.csv")} (${financeRows - 1} rows) and truth.json\n`);
      }
    });
}
