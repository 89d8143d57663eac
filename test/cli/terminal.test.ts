// What a person sees in a real terminal: the built CLI run in a pseudo-terminal of 80 and 120
// columns (util-linux `script`), the progress bar there and not in a pipe, and the command line's
// help, short flags, completion scripts, exit codes, schemas and --version.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { AtRiskReportSchema, InspectionSchema } from "../../src/report/list-schemas.js";
import { fixturePath } from "../support/fixtures.js";
import { runCli } from "../support/run-cli.js";

const bin = fileURLToPath(new URL("../../bin/loyalty.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "loyalty-terminal-"));
const env = { ...process.env, NO_COLOR: "", FORCE_COLOR: "", COLUMNS: "" };

/** Runs a shell command in a pseudo-terminal of the given width; returns what the terminal received. */
function inTerminal(command: string, columns: number): string {
  const result = spawnSync("script", ["-qec", `stty cols ${columns} rows 50; ${command}`, "/dev/null"], { encoding: "utf8", env, timeout: 120_000 });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
}

/** What a terminal shows: escapes removed, carriage returns folded. */
const visible = (text: string) =>
  text
    .replace(/\u001b\[[0-9;?]*[A-Za-z]|\u001b[78]/g, "")
    .split("\n")
    .map((line) => line.replace(/\r$/, "").split("\r").pop()!);

const survey = fixturePath("reference", "nordic-survey.csv");
const finance = fixturePath("reference", "nordic-finance.csv");

describe("loyalty demo in a real terminal", { timeout: 180_000 }, () => {
  for (const columns of [80, 120]) {
    it(`at ${columns} columns: no line wider, tables and warnings included, in colour`, () => {
      const raw = inTerminal(`"${process.execPath}" "${bin}" demo --no-progress`, columns);
      expect(raw).toMatch(/\u001b\[1m/);
      const lines = visible(raw);
      expect(Math.max(...lines.map((l) => [...l].length))).toBeLessThanOrEqual(columns);
      expect(lines.some((l) => l.startsWith("loyalty: warning: "))).toBe(true);
      expect(lines.some((l) => /^│ Malmö/.test(l))).toBe(true);
      expect(lines.length).toBeGreaterThan(150);
    });
  }
  it("draws a progress bar on a terminal's stderr, with rows per second, and none in a pipe or with --no-progress", () => {
    const out = join(dir, "demo.json");
    const raw = inTerminal(`"${process.execPath}" "${bin}" demo -o "${out}"`, 100);
    expect(raw).toMatch(/reading finance\.csv [█░]+ +\d+% \| [\d,]+ rows, [\d,]+ rows\/s/);
    expect(raw).toMatch(/bootstrap of the driver importances [█░]+ +\d+% \| [\d,]+ resamples/);
    expect(JSON.parse(readFileSync(out, "utf8")).schemaVersion).toBe(5);
    const piped = spawnSync(process.execPath, [bin, "demo", "-o", out], { encoding: "utf8", env });
    expect(piped.stderr).not.toMatch(/rows\/s|█/);
    expect(inTerminal(`"${process.execPath}" "${bin}" demo -o "${out}" --no-progress`, 100)).not.toMatch(/rows\/s|█/);
  });
});

describe("the customer lists in a real terminal", { timeout: 180_000 }, () => {
  const demoSurvey = fixturePath("demo", "survey.csv");
  const demoFinance = fixturePath("demo", "finance.csv");
  for (const command of ["at-risk", "upsell", "ambassadors"]) {
    it(`${command} draws the reading progress bar on a terminal, takes --no-progress as analyze does, and prints the same list either way`, () => {
      const out = join(dir, `${command}.json`);
      const shown = inTerminal(`SOURCE_DATE_EPOCH=1764000000 "${process.execPath}" "${bin}" ${command} -s "${demoSurvey}" -F "${demoFinance}" -o "${out}"`, 100);
      expect(shown).toMatch(/reading finance\.csv [█░]+ +\d+% \| [\d,]+ rows, [\d,]+ rows\/s/);
      const list = readFileSync(out, "utf8");
      expect(inTerminal(`SOURCE_DATE_EPOCH=1764000000 "${process.execPath}" "${bin}" ${command} -s "${demoSurvey}" -F "${demoFinance}" -o "${out}" --no-progress`, 100)).not.toMatch(/rows\/s|█/);
      expect(readFileSync(out, "utf8")).toBe(list);
    });
  }
});

describe("gates", () => {
  it("a tripped gate exits 1 after writing the report, naming the gate and the value", async () => {
    const out = join(dir, "gated.json");
    const result = await runCli(["analyze", "-s", survey, "-F", finance, "-b", "region", "--bootstrap", "20", "-o", out, "--fail-if", "nps.overall.nps < 10", "--fail-if", "nps.byGroup[*].nps < -100"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^loyalty: gate tripped: nps\.overall\.nps < 10: nps\.overall\.nps = 6\.336633663366\d*$/m);
    expect(result.stderr).not.toMatch(/nps\.byGroup\[\*\]\.nps < -100/);
    expect(JSON.parse(readFileSync(out, "utf8")).nps.overall.n).toBe(505);
  });
  it("gates that hold exit 0; a bad path is exit 2 before any work", async () => {
    const ok = await runCli(["analyze", "-s", survey, "--bootstrap", "0", "-q", "--fail-if", "nps.overall.nps < 0", "--fail-if", "drivers.rSquared < 0.3"]);
    expect(ok.code).toBe(0);
    const bad = await runCli(["analyze", "-s", "no-such-file.csv", "--fail-if", "nps.overal.nps < 0"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/the report has no "nps\.overal\.nps"; the nearest numbers are nps\.overall\.nps/);
  });
  it("demo --fail-if 'nps.overall.nps < 0' exits 1 and still writes the report", async () => {
    const result = await runCli(["demo", "-q", "--fail-if", "nps.overall.nps < 0"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^Net Promoter Score$/m);
  });
});

describe("the command line", () => {
  it("every command's --help has its options in groups and examples", async () => {
    for (const command of ["analyze", "drivers", "at-risk", "targets", "demo", "inspect", "init", "generate", "completion", "schema"]) {
      const help = await runCli([command, "--help"]);
      expect(help.code).toBe(0);
      if (!["completion", "schema", "generate"].includes(command)) expect(help.stdout, command).toMatch(/^Output:$/m);
      expect(help.stdout, command).toMatch(/^Examples:\n {2}\$ loyalty /m);
    }
    const analyze = (await runCli(["analyze", "--help"])).stdout;
    expect(analyze).toMatch(/^Inputs:\n {2}-s, --survey <file>/m);
    expect(analyze).toMatch(/^Columns and scales/m);
    expect(analyze).toMatch(/^Analysis:$/m);
    expect(analyze).toMatch(/-f, --format <format>/);
    expect(analyze).toMatch(/Exit codes: 0 ok, 1 a --fail-if gate tripped, 2/);
  });
  it("loyalty help exit-codes, help COMMAND, and an unknown topic", async () => {
    const codes = await runCli(["help", "exit-codes"]);
    expect(codes.stdout).toMatch(/^ {2}1 {14}a --fail-if gate tripped/m);
    expect(codes.stdout).toMatch(/^ {2}70 /m);
    expect((await runCli(["help", "drivers"])).stdout).toMatch(/^Usage: loyalty drivers/);
    const unknown = await runCli(["help", "money"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no help on "money"/);
  });
  it("inspect fits its table to the width too, dropping the examples first", async () => {
    const qualtrics = fixturePath("reference", "nordic-survey.qualtrics.csv");
    for (const width of [60, 80]) {
      const { stdout } = await runCli(["inspect", qualtrics, "-w", String(width)]);
      expect(Math.max(...stdout.split("\n").map((l) => [...l].length))).toBeLessThanOrEqual(width);
      expect(stdout).toMatch(/│ Q1_NPS +│/);
    }
    expect((await runCli(["inspect", qualtrics, "-w", "80"])).stdout).toMatch(/\(range, examples left out to fit 80 columns/);
    expect((await runCli(["inspect", qualtrics, "-w", "200"])).stdout).toMatch(/│ examples/);
  });
  it("the at-risk list fits the width too, dropping months first", async () => {
    const { stdout } = await runCli(["at-risk", "-s", survey, "-F", finance, "-n", "10", "-w", "80"]);
    expect(Math.max(...stdout.split("\n").map((l) => [...l].length))).toBeLessThanOrEqual(80);
    expect(stdout).toMatch(/\(months left out to fit 80 columns/);
    expect((await runCli(["at-risk", "-s", survey, "-F", finance, "-n", "10", "-w", "120"])).stdout).toMatch(/│ months │/);
  });
  it("short flags: -s -F -b -f -o -q -w", async () => {
    const out = join(dir, "short.md");
    const result = await runCli(["analyze", "-s", survey, "-F", finance, "-b", "region", "--bootstrap", "0", "-f", "markdown", "-o", out, "-q", "-w", "100"]);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(readFileSync(out, "utf8")).toMatch(/^# loyalty report/);
  });
  it("bash completion completes commands, flags and flag values", () => {
    const script = join(dir, "loyalty.bash");
    writeFileSync(script, spawnSync(process.execPath, [bin, "completion", "bash"], { encoding: "utf8" }).stdout);
    const complete = (words: string[]) =>
      spawnSync("bash", ["-c", `source "${script}"; COMP_WORDS=(${words.map((w) => `"${w}"`).join(" ")}); COMP_CWORD=${words.length - 1}; _loyalty; echo "\${COMPREPLY[*]}"`], { encoding: "utf8" }).stdout.trim();
    expect(complete(["loyalty", "an"])).toBe("analyze");
    expect(complete(["loyalty", "analyze", "--fai"])).toBe("--fail-if");
    expect(complete(["loyalty", "analyze", "-f", ""])).toBe("table json markdown html csv");
    expect(complete(["loyalty", "at-risk", "--format", ""])).toBe("table json csv");
    expect(complete(["loyalty", "demo", "--sec"]).split(" ").sort()).toEqual(["--section", "--sections"]);
  });
  it("zsh and fish completion scripts parse, and fish completes flag values", () => {
    const zsh = join(dir, "_loyalty");
    writeFileSync(zsh, spawnSync(process.execPath, [bin, "completion", "zsh"], { encoding: "utf8" }).stdout);
    expect(spawnSync("zsh", ["-n", zsh]).status).toBe(0);
    const fish = join(dir, "loyalty.fish");
    writeFileSync(fish, spawnSync(process.execPath, [bin, "completion", "fish"], { encoding: "utf8" }).stdout);
    expect(spawnSync("fish", ["-n", fish]).status).toBe(0);
    const values = spawnSync("fish", ["-c", `source "${fish}"; complete -C "loyalty analyze --format "`], { encoding: "utf8" }).stdout;
    expect(values.split("\n").map((l) => l.split("\t")[0]).filter(Boolean).sort()).toEqual(["csv", "html", "json", "markdown", "table"]);
  });
  it("--version answers without loading the CLI", () => {
    const hooks = join(dir, "log-imports.mjs");
    writeFileSync(join(dir, "hooks.mjs"), 'export async function resolve(specifier, context, next) { const r = await next(specifier, context); process.stderr.write(`import ${r.url}\\n`); return r; }\n');
    writeFileSync(hooks, `import { register } from "node:module"; register(${JSON.stringify(`file://${join(dir, "hooks.mjs")}`)});\n`);
    const version = spawnSync(process.execPath, ["--import", hooks, bin, "--version"], { encoding: "utf8" });
    expect(version.stdout).toBe(`${JSON.parse(readFileSync(fileURLToPath(new URL("../../package.json", import.meta.url)), "utf8")).version}\n`);
    const imports = version.stderr.split("\n").filter((l) => l.startsWith("import "));
    expect(imports.some((l) => l.includes("/bin/loyalty.js"))).toBe(true);
    expect(imports.filter((l) => l.includes("/dist/") || l.includes("node_modules"))).toEqual([]);
    // the real run does load them (the hook sees imports)
    const help = spawnSync(process.execPath, ["--import", hooks, bin, "--help"], { encoding: "utf8" });
    expect(help.stderr).toMatch(/import file:.*\/dist\/bundle\/loyalty\.js/);
    expect(help.stderr).not.toMatch(/exceljs/);
  });
});

describe("JSON Schemas of the other outputs", () => {
  it("at-risk and inspect JSON validate against loyalty schema at-risk / inspect", async () => {
    const atRisk = await runCli(["at-risk", "-s", survey, "-F", finance, "-f", "json", "--top", "5"]);
    expect(AtRiskReportSchema.safeParse(JSON.parse(atRisk.stdout)).success).toBe(true);
    const inspect = await runCli(["inspect", survey, finance, "-f", "json"]);
    const parsed = InspectionSchema.safeParse(JSON.parse(inspect.stdout));
    expect(parsed.success, JSON.stringify(parsed.error?.issues.slice(0, 3))).toBe(true);
    for (const what of ["at-risk", "inspect", "config", "report"]) {
      const schema = JSON.parse((await runCli(["schema", what])).stdout) as { $id: string };
      expect(schema.$id).toMatch(/^urn:loyalty:/);
    }
  });
  it("at-risk CSV writes money rounded to the cent", async () => {
    const csv = await runCli(["at-risk", "-s", survey, "-F", finance, "-f", "csv"]);
    const rows = csv.stdout.trim().split("\r\n").slice(1).map((l) => l.split(","));
    expect(rows.length).toBeGreaterThan(50);
    for (const row of rows) {
      expect(row[6]).toMatch(/^-?\d+(\.\d{1,2})?$/);
      if (row[7] !== "") expect(row[7]).toMatch(/^-?\d+(\.\d{1,2})?$/);
    }
  });
});
