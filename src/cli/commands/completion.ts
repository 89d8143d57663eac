/**
 * `loyalty completion bash|zsh|fish`: a shell completion script made from the commands and
 * options themselves, so it never falls behind them: commands, each command's flags, the values
 * of flags with choices, and file names where a flag takes a file.
 */
import { Command, type Option } from "commander";
import type { Io } from "../io.js";

interface FlagInfo {
  long: string;
  short: string | null;
  description: string;
  choices: string[] | null;
  /** Takes a value; `file` when the value is a path. */
  value: "none" | "file" | "other";
}

interface CommandInfo {
  name: string;
  description: string;
  flags: FlagInfo[];
}

function flagOf(option: Option): FlagInfo {
  const value = !option.required && !option.optional ? "none" : /<(file|dir|files)[^>]*>/.test(option.flags) ? "file" : "other";
  return {
    long: option.long!,
    short: option.short ?? null,
    description: option.description.split(/[;:(]/)[0]!.trim(),
    choices: option.argChoices ?? null,
    value,
  };
}

function commandsOf(program: Command): CommandInfo[] {
  return program.commands.map((c) => ({
    name: c.name(),
    description: c.description().split(/[;:]/)[0]!.trim(),
    flags: [...c.options.filter((o) => !o.hidden).map(flagOf), { long: "--help", short: "-h", description: "show help", choices: null, value: "none" as const }],
  }));
}

const shellWord = (text: string) => `'${text.replace(/'/g, "'\\''")}'`;

function bash(commands: CommandInfo[]): string {
  const lines = [
    "# bash completion for loyalty (loyalty completion bash)",
    "_loyalty() {",
    '  local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}" command="${COMP_WORDS[1]}" opts=""',
    "  if [ \"$COMP_CWORD\" -eq 1 ]; then",
    `    COMPREPLY=( $(compgen -W ${shellWord(`${commands.map((c) => c.name).join(" ")} --help --version --config`)} -- "$cur") )`,
    "    return",
    "  fi",
    '  case "$command:$prev" in',
  ];
  for (const c of commands) {
    for (const f of c.flags) {
      const names = [f.long, ...(f.short ? [f.short] : [])].map((n) => `${c.name}:${n}`).join("|");
      if (f.choices) lines.push(`    ${names}) COMPREPLY=( $(compgen -W ${shellWord(f.choices.join(" "))} -- "$cur") ); return ;;`);
      else if (f.value === "file") lines.push(`    ${names}) COMPREPLY=( $(compgen -f -- "$cur") ); return ;;`);
      else if (f.value === "other") lines.push(`    ${names}) COMPREPLY=(); return ;;`);
    }
  }
  lines.push("  esac", '  case "$command" in');
  for (const c of commands) lines.push(`    ${c.name}) opts=${shellWord(c.flags.flatMap((f) => [f.long, ...(f.short ? [f.short] : [])]).join(" "))} ;;`);
  lines.push(
    "  esac",
    '  if [[ "$cur" == -* ]]; then COMPREPLY=( $(compgen -W "$opts" -- "$cur") ); else COMPREPLY=( $(compgen -f -- "$cur") ); fi',
    "}",
    "complete -o filenames -F _loyalty loyalty",
    "",
  );
  return lines.join("\n");
}

/** Text inside a zsh _arguments spec: brackets, colons and backslashes escaped. */
const zshText = (text: string) => text.replace(/([\\[\]:])/g, "\\$1").replace(/'/g, "'\\''");

function zsh(commands: CommandInfo[]): string {
  const lines = [
    "#compdef loyalty",
    "# zsh completion for loyalty (loyalty completion zsh)",
    "_loyalty() {",
    "  local -a commands",
    "  commands=(",
    ...commands.map((c) => `    '${zshText(c.name)}:${zshText(c.description)}'`),
    "  )",
    "  if (( CURRENT == 2 )); then",
    "    _describe 'command' commands",
    "    return",
    "  fi",
    "  local command=$words[2]",
    "  shift words",
    "  (( CURRENT-- ))",
    "  case $command in",
  ];
  for (const c of commands) {
    const specs = c.flags.map((f) => {
      const action = f.choices ? `:value:(${f.choices.map(zshText).join(" ")})` : f.value === "file" ? ":file:_files" : f.value === "other" ? ":value: " : "";
      const rest = `[${zshText(f.description)}]${action}`;
      return f.short ? `'(${f.short} ${f.long})'{${f.short},${f.long}}'${rest}'` : `'${f.long}${rest}'`;
    });
    lines.push(`    ${c.name})`, "      _arguments -s \\", ...specs.map((spec) => `        ${spec} \\`), "        '*:file:_files'", "      ;;");
  }
  lines.push("  esac", "}", '_loyalty "$@"', "");
  return lines.join("\n");
}

function fish(commands: CommandInfo[]): string {
  const names = commands.map((c) => c.name).join(" ");
  const lines = ["# fish completion for loyalty (loyalty completion fish)", "complete -c loyalty -f"];
  for (const c of commands) lines.push(`complete -c loyalty -n "not __fish_seen_subcommand_from ${names}" -a ${c.name} -d ${shellWord(c.description)}`);
  for (const c of commands) {
    for (const f of c.flags) {
      const parts = [`complete -c loyalty -n "__fish_seen_subcommand_from ${c.name}"`, `-l ${f.long.replace(/^--/, "")}`];
      if (f.short) parts.push(`-s ${f.short.replace(/^-/, "")}`);
      if (f.choices) parts.push(`-x -a ${shellWord(f.choices.join(" "))}`);
      else if (f.value === "file") parts.push("-r -F");
      else if (f.value === "other") parts.push("-x");
      parts.push(`-d ${shellWord(f.description)}`);
      lines.push(parts.join(" "));
    }
  }
  lines.push("");
  return lines.join("\n");
}

export function completionScript(shell: "bash" | "zsh" | "fish", program: Command): string {
  const commands = commandsOf(program);
  return shell === "bash" ? bash(commands) : shell === "zsh" ? zsh(commands) : fish(commands);
}

export function completionCommand(io: Io, program: () => Command): Command {
  return new Command("completion")
    .description("print a shell completion script for bash, zsh or fish")
    .addArgument(new Command().createArgument("<shell>", "bash, zsh or fish").choices(["bash", "zsh", "fish"]))
    .action((shell: "bash" | "zsh" | "fish") => {
      io.stdout(completionScript(shell, program()));
    });
}
