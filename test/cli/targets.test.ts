// loyalty targets on the demo data: proposed targets beyond the noise, actual against a targets
// file, every format, and the errors a user meets.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { marked, type Tokens } from "marked";
import { describe, expect, it } from "vitest";
import { TargetsReportSchema } from "../../src/report/list-schemas.js";
import { fixturePath } from "../support/fixtures.js";
import { runCli } from "../support/run-cli.js";

const survey = fixturePath("demo", "survey.csv");
const dir = mkdtempSync(join(tmpdir(), "loyalty-targets-"));
type Targets = ReturnType<typeof TargetsReportSchema.parse>;

async function json(args: string[]): Promise<Targets> {
  const result = await runCli(["targets", "-s", survey, "-b", "region", ...args, "-f", "json"]);
  expect(result.code, result.stderr).toBe(0);
  return TargetsReportSchema.parse(JSON.parse(result.stdout));
}

describe("loyalty targets", () => {
  it("proposes per region a target at least the detectable change above today, for the last quarter too", async () => {
    for (const args of [[], ["--period", "quarter"], ["--target-rule", "gap:0.25"]]) {
      const r = await json(args);
      expect(r.groups.map((g) => g.group)).toEqual(["Århus", "Bergen", "Göteborg", "København", "Malmö", "Oslo", "Stockholm", "Uppsala"]);
      for (const g of r.groups) {
        expect(g.proposedTarget!, g.group).toBeGreaterThanOrEqual(g.nps + g.minimumDetectableChange - 1e-9);
        expect(g.minimumDetectableChange).toBeGreaterThan(0);
      }
      if (args[0] === "--period") {
        expect(r.period).toBe("2025-Q4");
        // about 45 answers a region in one quarter: a change must exceed 30 points to be seen
        expect(Math.min(...r.groups.map((g) => g.minimumDetectableChange))).toBeGreaterThan(30);
      }
    }
  });
  it("reports actual against a targets file: met, not met, cannot tell, and the chance", async () => {
    const file = join(dir, "targets.csv");
    writeFileSync(file, "group,target\nMalmö,-20\nOslo,0\nBergen,-10\n");
    const r = await json(["--targets", file]);
    const by = Object.fromEntries(r.groups.map((g) => [g.group, g]));
    // Malmö −8.7 (CI −17.2 to −0.3) against −20: met; Oslo −28.9 (−36.8 to −21.0) against 0: not met; Bergen −11.5 (−19.4 to −3.5) against −10: cannot tell
    expect(by["Malmö"]).toMatchObject({ target: -20, status: "met" });
    expect(by["Oslo"]).toMatchObject({ target: 0, status: "not met" });
    expect(by["Bergen"]).toMatchObject({ target: -10, status: "cannot tell" });
    expect(by["Bergen"]!.chanceMet!).toBeGreaterThan(0.2);
    expect(by["Bergen"]!.chanceMet!).toBeLessThan(0.5);
    expect(by["Århus"]!.status).toBeNull();
  });
  it("renders in every format from the document model", async () => {
    const table = await runCli(["targets", "-s", survey, "-b", "region", "-w", "80"]);
    expect(Math.max(...table.stdout.split("\n").map((l) => [...l].length))).toBeLessThanOrEqual(80);
    expect(table.stdout.replace(/\s+/g, " ")).toMatch(/every proposed target was raised to today \+ the detectable change/);
    const md = (await runCli(["targets", "-s", survey, "-b", "region", "-f", "markdown"])).stdout;
    const tables = marked.lexer(md, { gfm: true }).filter((t): t is Tokens.Table => t.type === "table");
    expect(tables[0]!.header.map((h) => h.text)).toEqual(["region", "n", "NPS", "95% CI", "detectable change", "proposed target"]);
    expect((await runCli(["targets", "-s", survey, "-b", "region", "-f", "csv", "--section", "targets"])).stdout).toMatch(/^group,n,nps,ci_low,ci_high,minimum_detectable_change,proposed_target\r\n/);
    expect((await runCli(["targets", "-s", survey, "-b", "region", "-f", "html"])).stdout).toMatch(/<section id="targets">/);
  });
  it("errors a user can act on", async () => {
    const bad = join(dir, "bad.csv");
    writeFileSync(bad, "group,target\nMalmö,lots\n");
    const r = await runCli(["targets", "-s", survey, "-b", "region", "--targets", bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.csv:2:2: expected a target NPS from -100 to 100, got "lots"/);
    const noGroups = join(dir, "s.csv");
    writeFileSync(noGroups, "customer_id,nps\nA,9\nB,3\n");
    const g = await runCli(["targets", "-s", noGroups]);
    expect(g.code).toBe(2);
    expect(g.stderr).toMatch(/targets are per group, and no group column was found; name one with --by/);
    expect((await runCli(["targets", "-s", survey, "--target-rule", "gap:3"])).code).toBe(2);
  });
});
