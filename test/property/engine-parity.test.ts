// One reader, two engines: every committed fixture and reference file, read by the byte scanner
// (the default) and by csv-parse, gives the same bytes out: the same report, the same inspection,
// the same error and exit code. The reference pairs (survey with its finance, employees, P&L,
// transactional, survival, demo) are run whole, with the bootstrap.
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixturePath } from "../support/fixtures.js";
import { runCli } from "../support/run-cli.js";

const root = fixturePath("");
const files = readdirSync(root, { recursive: true })
  .map((name) => join(root, String(name)))
  .filter((path) => statSync(path).isFile() && !/\.(R|md|json)$/.test(path))
  .sort();

async function same(args: string[], succeeds = false): Promise<void> {
  const scan = await runCli([...args, "--csv-engine", "scan"]);
  const reference = await runCli([...args, "--csv-engine", "csv-parse"]);
  const label = `loyalty ${args.join(" ")}`;
  if (succeeds) expect(scan.code, `${label}: ${scan.stderr}`).toBe(0);
  expect(scan.code, label).toBe(reference.code);
  expect(scan.stderr, label).toBe(reference.stderr);
  expect(scan.stdout, label).toBe(reference.stdout);
}

const ref = (...parts: string[]) => fixturePath("reference", ...parts);

describe("the scan and csv-parse engines give identical output", () => {
  it("finds the fixtures", () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it.each(files.map((path) => [path.slice(root.length), path]))(
    "%s",
    async (_name, path) => {
      await same(["inspect", path, "--format", "json"]);
      await same(["analyze", "--survey", path, "--format", "json", "--bootstrap", "50"]);
      await same(["analyze", "--survey", ref("nordic-survey.csv"), "--finance", path, "--format", "json", "--bootstrap", "0"]);
    },
    120_000,
  );

  it.each([
    [ref("nordic-survey.csv"), ref("nordic-finance.csv"), "--by", "region"],
    [ref("nordic-survey.qualtrics.csv"), ref("nordic-finance.sv.csv"), "--by", "region"],
    [ref("nordic-survey.surveymonkey.csv"), ref("nordic-finance.utf16.txt"), "--by", "region"],
    [ref("transactional", "reviews.csv"), ref("transactional", "orders.csv"), "--scale", "1-5"],
    [ref("survival-24m", "survey.csv"), ref("survival-24m", "finance.csv"), "--by", "region"],
    [fixturePath("demo", "survey.csv"), fixturePath("demo", "finance.csv"), "--by", "region"],
  ])("analyze %s with %s, the whole report", async (survey, finance, ...options) => {
    await same(["analyze", "--survey", survey, "--finance", finance, ...options, "--format", "json"], true);
  }, 120_000);

  it("with employees and a branch P&L", async () => {
    await same(["analyze", "--survey", ref("nordic-survey.csv"), "--finance", ref("nordic-finance.csv"), "--employees", ref("nordic-employees.csv"), "--by", "region", "--format", "json", "--bootstrap", "100"], true);
    await same(["analyze", "--survey", ref("nordic-survey.csv"), "--finance", fixturePath("pnl", "nordic-branch-pnl.csv"), "--by", "region", "--format", "json", "--bootstrap", "0"], true);
  }, 120_000);

  // the first megabyte of a file is read as strings (the header's batch); past it, the byte scanner's bulk path
  it("on files past their first megabyte, with doubled quotes in survey comments and in finance cells", async () => {
    const out = mkdtempSync(join(tmpdir(), "loyalty-parity-"));
    expect((await runCli(["generate", "--out", out, "--customers", "12000", "--months", "12", "--seed", "7", "--quiet"])).code).toBe(0);
    const survey = join(out, "survey.csv");
    const finance = join(out, "finance.csv");
    expect(statSync(survey).size).toBeGreaterThan(2 ** 20);
    expect(readFileSync(survey, "utf8").split('""').length).toBeGreaterThan(200);
    // every 37th finance row's region in quotes with a doubled quote, every 101st id too (a customer no one answered as)
    const lines = readFileSync(finance, "utf8").split("\n");
    const header = lines[0]!.split(",");
    const region = header.indexOf("region");
    const edited = lines.map((line, i) => {
      if (i === 0 || line === "") return line;
      const cells = line.split(",");
      if (i % 37 === 0) cells[region] = `"${cells[region]} ""centre"""`;
      if (i % 101 === 0) cells[0] = `"${cells[0]}""x"`;
      return cells.join(",");
    });
    writeFileSync(finance, edited.join("\n"));
    expect(statSync(finance).size).toBeGreaterThan(2 ** 20);
    await same(["analyze", "--survey", survey, "--finance", finance, "--by", "region", "--format", "json", "--bootstrap", "20"], true);
    await same(["feedback", "--survey", survey, "--format", "json"], true);
  }, 240_000);

  it("on standard input", async () => {
    const { readFileSync } = await import("node:fs");
    const text = readFileSync(ref("nordic-survey.csv"), "utf8");
    const run = (engine: string) => runCli(["analyze", "--survey", "-", "--format", "json", "--bootstrap", "0", "--csv-engine", engine], {}, text);
    const [a, b] = [await run("scan"), await run("csv-parse")];
    expect(a.code).toBe(0);
    expect(a).toEqual(b);
  });
});
