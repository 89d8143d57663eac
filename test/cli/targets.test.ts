// loyalty targets on the demo data: proposed targets beyond the noise, actual against a targets
// file, every format, and the errors a user meets.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
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
  it("reports actual against a targets file: met, not met, cannot tell, and the chance, on cases worked out by hand", async () => {
    // A: 50 promoters, 30 passives, 20 detractors: NPS 30, SE 100·√((0.7 − 0.3²)/100) = 7.8102, CI 14.69 to 45.31
    // B: 40 / 20 / 40: NPS 0, SE 100·√(0.8/100) = 8.9443, CI −17.53 to 17.53
    // C: 70 / 20 / 10: NPS 60, SE 100·√((0.8 − 0.36)/100) = 6.6332, CI 47.00 to 73.00
    const rows = ["customer_id,team,nps"];
    const add = (team: string, promoters: number, passives: number, detractors: number) => {
      for (const [count, score] of [[promoters, 10], [passives, 8], [detractors, 3]] as const) for (let i = 0; i < count; i++) rows.push(`${team}${rows.length},${team},${score}`);
    };
    add("A", 50, 30, 20);
    add("B", 40, 20, 40);
    add("C", 70, 20, 10);
    const hand = join(dir, "hand.csv");
    writeFileSync(hand, `${rows.join("\n")}\n`);
    const file = join(dir, "targets.csv");
    writeFileSync(file, "group,target\nA,10\nB,20\nC,65\n");
    const result = await runCli(["targets", "-s", hand, "-b", "team", "--targets", file, "-f", "json"]);
    expect(result.code, result.stderr).toBe(0);
    const by = Object.fromEntries(TargetsReportSchema.parse(JSON.parse(result.stdout)).groups.map((g) => [g.group, g]));
    // A: the whole interval is above 10: met; chance Φ(20 / 7.8102) = Φ(2.5607) = 0.99478
    expect(by["A"]).toMatchObject({ n: 100, target: 10, status: "met" });
    expect(by["A"]!.nps).toBeCloseTo(30, 9);
    expect(by["A"]!.ciLow).toBeCloseTo(30 - 1.959964 * 7.81025, 4);
    expect(by["A"]!.chanceMet!).toBeCloseTo(0.99478, 4);
    expect(by["A"]!.difference!).toBeCloseTo(20, 9);
    // the detectable change of A: (1.959964 + 0.841621) · 100 · √(2 · 0.61 / 100) = 30.944
    expect(by["A"]!.minimumDetectableChange).toBeCloseTo(30.944, 2);
    // B: the whole interval is below 20: not met; chance Φ(−20 / 8.9443) = Φ(−2.2361) = 0.01267
    expect(by["B"]).toMatchObject({ target: 20, status: "not met" });
    expect(by["B"]!.chanceMet!).toBeCloseTo(0.01267, 4);
    // C: 65 is inside 47.00 to 73.00: cannot tell; chance Φ(−5 / 6.6332) = Φ(−0.7538) = 0.2255
    expect(by["C"]).toMatchObject({ target: 65, status: "cannot tell" });
    expect(by["C"]!.chanceMet!).toBeCloseTo(0.2255, 3);
    expect(by["C"]!.differenceCiLow!).toBeCloseTo(47.0 - 65, 1);
  });
  it("a group without a row in the targets file has no status", async () => {
    const file = join(dir, "one.csv");
    writeFileSync(file, "group,target\nOslo,0\n");
    const r = await json(["--targets", file]);
    const by = Object.fromEntries(r.groups.map((g) => [g.group, g]));
    expect(by["Oslo"]!.status).not.toBeNull();
    expect(by["Århus"]!.status).toBeNull();
    expect(by["Århus"]!.target).toBeNull();
  });
  it("renders in every format from the document model", async () => {
    const table = await runCli(["targets", "-s", survey, "-b", "region", "-w", "80"]);
    expect(Math.max(...table.stdout.split("\n").map((l) => [...l].length))).toBeLessThanOrEqual(80);
    expect(table.stdout.replace(/\s+/g, " ")).toMatch(/every proposed target was raised to today \+ the detectable change/);
    const md = (await runCli(["targets", "-s", survey, "-b", "region", "-f", "markdown"])).stdout;
    const tables = marked.lexer(md, { gfm: true }).filter((t): t is Tokens.Table => t.type === "table");
    expect(tables[0]!.header.map((h) => h.text)).toEqual(["region", "n", "NPS", "95% CI", "vs the rest (95% CI)", "flag", "detectable change", "proposed target"]);
    expect((await runCli(["targets", "-s", survey, "-b", "region", "-f", "csv", "--section", "targets"])).stdout).toMatch(/^group,n,nps,ci_low,ci_high,vs_rest_ci_low,vs_rest_ci_high,flag,minimum_detectable_change,proposed_target\r\n/);
    expect((await runCli(["targets", "-s", survey, "-b", "region", "-f", "html"])).stdout).toMatch(/<section id="targets">/);
  });
  it("flags below the rest exactly the regions with a planted negative effect, above those with a positive one (20,000 customers)", async () => {
    for (const seed of [5, 6]) {
      const out = join(dir, `g${seed}`);
      expect((await runCli(["generate", "--out", out, "--customers", "20000", "--months", "2", "--seed", String(seed), "-q"])).code).toBe(0);
      const truth = JSON.parse(readFileSync(join(out, "truth.json"), "utf8")) as { regionEffects: Record<string, number> };
      const r = await runCli(["targets", "-s", join(out, "survey.csv"), "-b", "region", "-f", "json"]);
      const groups = TargetsReportSchema.parse(JSON.parse(r.stdout)).groups;
      // Stockholm's effect is 0 (the effects average 0.02): neither
      expect(groups.filter((g) => g.flag === "below").map((g) => g.group).sort(), `seed ${seed}`).toEqual(Object.keys(truth.regionEffects).filter((k) => truth.regionEffects[k]! < 0).sort());
      expect(groups.filter((g) => g.flag === "above").map((g) => g.group).sort(), `seed ${seed}`).toEqual(Object.keys(truth.regionEffects).filter((k) => truth.regionEffects[k]! > 0).sort());
    }
  });
  it("reads a benchmark file strictly: a bad cell names its line and column", async () => {
    const cases: [string, RegExp][] = [
      ["name,nps\nBanks,lots\n", /:2:2: expected an NPS from -100 to 100, got "lots"/],
      ["name,nps,n\nBanks,30,0\n", /:2:3: expected a whole number of answers of 1 or more/],
      ["name,nps,promoters,detractors\nBanks,30,50%,30%\n", /:2:2: expected an NPS equal to promoters − detractors \(20\.0\)/],
      ["name,nps\nBanks,30\nBanks,20\n", /:3:1: expected a name not used before/],
      ["industry;nps\nBanker;12,5\n", /^$/],
      ["what,ever\nx,1\n", /a benchmark file needs a name and an NPS column/],
    ];
    for (const [text, message] of cases) {
      const file = join(dir, "bench.csv");
      writeFileSync(file, text);
      const r = await runCli(["targets", "-s", survey, "-b", "region", "--benchmark", file, "-f", "json"]);
      if (message.source === "^$") {
        expect(r.code, r.stderr).toBe(0);
        expect(TargetsReportSchema.parse(JSON.parse(r.stdout)).benchmarks![0]!.benchmarkNps).toBe(12.5);
      } else {
        expect(r.code, text).toBe(2);
        expect(r.stderr, text).toMatch(message);
      }
    }
    const rule = await runCli(["targets", "-s", survey, "-b", "region", "--target-rule", "benchmark"]);
    expect(rule.code).toBe(2);
    expect(rule.stderr).toMatch(/--target-rule benchmark needs --benchmark FILE/);
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
