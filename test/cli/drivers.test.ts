import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ReportSchema, type Report } from "../../src/report/report.js";
import { fixturePath } from "../support/fixtures.js";
import { runCli, runJson } from "../support/run-cli.js";

const survey = fixturePath("reference", "nordic-survey.csv");

describe("loyalty drivers", () => {
  it("same seed → byte-identical JSON", async () => {
    const args = ["drivers", "--survey", survey, "--bootstrap", "300", "--seed", "11", "--format", "json"];
    const a = await runCli(args);
    const b = await runCli(args);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(ReportSchema.safeParse(JSON.parse(a.stdout)).success).toBe(true);
  });
  it("per group: analysed where n >= max(30, 10 x drivers), 'too few responses' elsewhere", async () => {
    const report = await runJson<Report>(["drivers", "--survey", survey, "--by", "region", "--bootstrap", "50"]);
    const groups = new Map(report.drivers!.byGroup.map((g) => [g.group, g]));
    expect(groups.get("Stockholm")).toMatchObject({ status: "analysed", minimumN: 50 });
    expect(groups.get("Stockholm")!.importance).toHaveLength(5);
    expect(groups.get("Uppsala")).toMatchObject({ status: "too few responses", rSquared: null, importance: [] });
    expect(report.warnings.find((w) => w.code === "drivers-group-too-small")!.message).toMatch(/Uppsala \(29\)/);
  });
  it("a group's model is the model of that group's responses alone (each group reads its rows of the shared columns)", async () => {
    const report = await runJson<Report>(["drivers", "--survey", survey, "--by", "region", "--bootstrap", "0", "--threads", "2"]);
    const lines = readFileSync(survey, "utf8").trimEnd().split("\n");
    const dir = mkdtempSync(join(tmpdir(), "loyalty-group-"));
    const analysed = report.drivers!.byGroup.filter((g) => g.status === "analysed");
    expect(analysed.length).toBeGreaterThan(1);
    for (const group of analysed) {
      const only = join(dir, "only.csv");
      writeFileSync(only, [lines[0]!, ...lines.slice(1).filter((line) => line.split(",")[2] === `"${group.group}"`)].join("\n") + "\n");
      const alone = await runJson<Report>(["drivers", "--survey", only, "--bootstrap", "0"]);
      expect(alone.drivers!.n, group.group).toBe(group.n);
      expect(alone.drivers!.rSquared!).toBeCloseTo(group.rSquared!, 12);
      for (const row of group.importance) expect(alone.drivers!.importance.find((r) => r.driver === row.driver)!.lmg).toBeCloseTo(row.lmg, 12);
    }
  });
  it("from 10,000 complete responses the intervals come from Poisson resamples, and say so", async () => {
    const dir = mkdtempSync(join(tmpdir(), "loyalty-poisson-"));
    expect((await runCli(["generate", "--out", dir, "--customers", "14000", "--months", "3", "--seed", "2", "--quiet"])).code).toBe(0);
    const args = ["drivers", "--survey", join(dir, "survey.csv"), "--bootstrap", "60"];
    const report = await runJson<Report>(args);
    expect(report.drivers!.n).toBeGreaterThanOrEqual(10_000);
    expect(report.drivers!.importanceMeta!.bootstrap).toMatchObject({ resamples: 60, resampling: "poisson" });
    expect((await runCli([...args, "--no-progress"])).stdout).toMatch(/bootstrap resamples \(Poisson, seed 1\)/);
    const small = await runJson<Report>(["drivers", "--survey", survey, "--bootstrap", "20"]);
    expect(small.drivers!.importanceMeta!.bootstrap!.resampling).toBe("rows");
  });
  it("--outcome names another numeric column; the table shows the ranked drivers and no money sections", async () => {
    const table = await runCli(["drivers", "--survey", survey, "--bootstrap", "0", "--drivers", "service,brand,accessibility", "--outcome", "value_for_money"]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/OLS of value_for_money on 3 drivers/);
    expect(table.stdout).toMatch(/│\s+1 │ service/);
    expect(table.stdout).not.toMatch(/Net Promoter Score|Revenue/);
  });
  it("--outcome promoter: a logistic model, with relative weights left out and pairwise deletion refused", async () => {
    const table = await runCli(["drivers", "--survey", survey, "--outcome", "promoter", "--bootstrap", "20"]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/logistic regression of promoter \(9-10\) or not on 5 drivers/);
    expect(table.stdout).toMatch(/What makes a promoter/);
    const pairwise = await runCli(["drivers", "--survey", survey, "--outcome", "promoter", "--missing", "pairwise"]);
    expect(pairwise.code).toBe(2);
    expect(pairwise.stderr).toMatch(/^loyalty: pairwise deletion applies to the correlation-based measures of a linear outcome/);
  });
  it("--outcome promoter warns when the drivers separate promoters perfectly, and when nobody is a promoter", async () => {
    const { writeFileSync, mkdtempSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(join(tmpdir(), "loyalty-sep-"));
    const rows = Array.from({ length: 60 }, (_, i) => `C${i},${i % 2 ? 10 : 3},${i % 2 ? 9 : 2},${(i * 7) % 10}`);
    writeFileSync(join(dir, "sep.csv"), ["customer_id,nps,service,price", ...rows].join("\n"));
    const separated = await runJson<Report>(["drivers", "--survey", join(dir, "sep.csv"), "--outcome", "promoter", "--bootstrap", "0"]);
    expect(separated.warnings.map((w) => w.code)).toContain("drivers-separation");
    expect(JSON.stringify(separated)).not.toMatch(/NaN|Infinity/);
    const none = rows.map((r) => r.replace(/^(C\d+),10,/, "$1,8,"));
    writeFileSync(join(dir, "none.csv"), ["customer_id,nps,service,price", ...none].join("\n"));
    const noPromoters = await runJson<Report>(["drivers", "--survey", join(dir, "none.csv"), "--outcome", "promoter"]);
    expect(noPromoters.drivers).toBeNull();
    expect(noPromoters.warnings.find((w) => w.code === "drivers-constant-outcome")!.message).toMatch(/nobody, or everybody, is a promoter/);
  });
  it("rejects bad option values with exit 2", async () => {
    for (const args of [["--quadrant-cut", "mode"], ["--missing", "none"], ["--bootstrap", "-3"], ["--driver-scale", "10-1"]]) {
      const result = await runCli(["drivers", "--survey", survey, ...args]);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr).toMatch(/^loyalty: /);
    }
  });
});
