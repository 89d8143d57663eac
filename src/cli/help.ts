/**
 * What --help says beyond the options: examples for every command, and the exit codes
 * (`loyalty help exit-codes`).
 */
import type { Command } from "commander";
import { wrapText } from "../report/render-terminal.js";

export const EXIT_CODES: readonly { code: string; meaning: string }[] = [
  { code: "0", meaning: "success: the report was written" },
  { code: "1", meaning: "a --fail-if gate tripped; the report was still written, and the gate and its value are on stderr" },
  { code: "2", meaning: "usage error (unknown option, bad value) or an input that cannot be read or analysed; the message names the file, line and column" },
  { code: "70", meaning: "an internal error: a bug in loyalty, never in your data (please report it with the command you ran)" },
  { code: "129, 130, 143", meaning: "stopped by SIGHUP, Ctrl-C (SIGINT) or SIGTERM; no half-written output file is left behind" },
];

export function exitCodesText(columns = 80): string {
  const width = Math.max(...EXIT_CODES.map((e) => e.code.length));
  const indent = " ".repeat(width + 4);
  return `Exit codes:\n${EXIT_CODES.map((e) => `  ${e.code.padEnd(width)}  ${wrapText(e.meaning, columns, indent).join("\n")}`).join("\n")}\n`;
}

const EXAMPLES: Record<string, string[]> = {
  analyze: [
    "loyalty analyze -s survey.csv -F finance.csv --by region",
    "loyalty analyze -s survey.xlsx -F finance.csv --period quarter --lag 1 -o report.html",
    "loyalty analyze -s survey.csv -F finance.csv -f markdown >> \"$GITHUB_STEP_SUMMARY\"",
    "loyalty analyze -s survey.csv -F finance.csv -o report.json --fail-if 'nps.overall.nps < 0'",
    "loyalty analyze -s survey.csv -F finance.csv -f csv --section nps.by-group > nps.csv",
  ],
  drivers: [
    "loyalty drivers -s survey.csv",
    "loyalty drivers -s survey.csv --drivers service,price,delivery --outcome promoter",
    "loyalty drivers -s survey.csv --by segment --bootstrap 2000 --seed 7 -o drivers.md",
  ],
  "at-risk": [
    "loyalty at-risk -s survey.csv -F finance.csv --top 50",
    "loyalty at-risk -s survey.csv -F finance.csv --include passives -o call-list.csv",
  ],
  upsell: [
    "loyalty upsell -s survey.csv -F finance.csv --top 50",
    "loyalty upsell -s survey.csv -F finance.csv --include passives -o upsell.csv",
  ],
  ambassadors: [
    "loyalty ambassadors -s survey.csv -F finance.csv --top 25",
    "loyalty ambassadors -s survey.csv -o referral-asks.csv",
  ],
  feedback: [
    "loyalty feedback -s survey.csv -F finance.csv --owner agent",
    "loyalty feedback -s survey.csv --owner store --period month -f html -o feedback.html",
    "loyalty feedback -s survey.csv -F finance.csv --owner account_manager --split feedback/",
  ],
  targets: [
    "loyalty targets -s survey.csv -b branch",
    "loyalty targets -s survey.csv -b branch --period quarter --target-rule gap:0.25",
    "loyalty targets -s survey.csv -b branch --targets targets.csv -f markdown",
    "loyalty targets -s survey.csv -b branch --benchmark industry.csv --target-rule benchmark",
  ],
  demo: ["loyalty demo", "loyalty demo -o demo.html", "loyalty demo -f markdown --sections nps,drivers"],
  inspect: ["loyalty inspect survey.csv finance.csv", "loyalty inspect export.xlsx -f json"],
  init: ["loyalty init -s survey.csv -F finance.csv", "loyalty analyze   # then reads loyalty.config.json"],
  generate: ["loyalty generate --out data --customers 5000 --months 24 --seed 7"],
  sql: [
    "loyalty sql --dialect postgres --finance-table finance --cost cost --finance-group region",
    'for q in customers coverage summary; do psql --csv -c "$(loyalty sql --dialect postgres --finance-table finance --query $q)" > agg/$q.csv; done',
    "loyalty analyze -s survey.csv --finance-aggregates agg --by region",
  ],
  respondents: ["loyalty respondents -s survey.csv -o respondents.csv"],
  schema: [],
  completion: ["loyalty completion bash > ~/.local/share/bash-completion/completions/loyalty", "loyalty completion zsh > \"${fpath[1]}/_loyalty\"", "loyalty completion fish > ~/.config/fish/completions/loyalty.fish"],
};

/** Adds the examples (and, on the report commands, the exit codes) after a command's options. */
export function addExamples(command: Command): Command {
  const examples = EXAMPLES[command.name()] ?? [];
  if (examples.length > 0) command.addHelpText("after", `\nExamples:\n${examples.map((e) => `  $ ${e}`).join("\n")}\n`);
  if (["analyze", "drivers", "demo", "at-risk", "upsell", "ambassadors", "feedback", "targets"].includes(command.name())) command.addHelpText("after", "\nExit codes: 0 ok, 1 a --fail-if gate tripped, 2 usage or input error (loyalty help exit-codes)\n");
  return command;
}
