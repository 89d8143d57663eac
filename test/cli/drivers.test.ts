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
  it("--outcome names another numeric column; the table shows the ranked drivers and no money sections", async () => {
    const table = await runCli(["drivers", "--survey", survey, "--bootstrap", "0", "--drivers", "service,brand,accessibility", "--outcome", "value_for_money"]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/OLS of value_for_money on 3 drivers/);
    expect(table.stdout).toMatch(/│\s+1 │ service/);
    expect(table.stdout).not.toMatch(/Net Promoter Score|Revenue/);
  });
  it("rejects bad option values with exit 2", async () => {
    for (const args of [["--quadrant-cut", "mode"], ["--missing", "none"], ["--bootstrap", "-3"], ["--driver-scale", "10-1"]]) {
      const result = await runCli(["drivers", "--survey", survey, ...args]);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr).toMatch(/^loyalty: /);
    }
  });
});
