// One reader, two engines: every committed fixture and reference file, read by the byte scanner
// (the default) and by csv-parse, gives the same bytes out: the same report, the same inspection,
// the same error and exit code. The reference pairs (survey with its finance, employees, P&L,
// transactional, survival, demo) are run whole, with the bootstrap.
import { readdirSync, statSync } from "node:fs";
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

  it("on standard input", async () => {
    const { readFileSync } = await import("node:fs");
    const text = readFileSync(ref("nordic-survey.csv"), "utf8");
    const run = (engine: string) => runCli(["analyze", "--survey", "-", "--format", "json", "--bootstrap", "0", "--csv-engine", engine], {}, text);
    const [a, b] = [await run("scan"), await run("csv-parse")];
    expect(a.code).toBe(0);
    expect(a).toEqual(b);
  });
});
