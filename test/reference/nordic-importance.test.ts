import { beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/report/report.js";
import { fixturePath, readJsonFixture, relativeError } from "../support/fixtures.js";
import { runJson } from "../support/run-cli.js";

type Measure = Record<string, number>;
interface Expected {
  drivers: {
    importance: Record<"lmg" | "lmg_share" | "relative_weights" | "relative_weights_share" | "first" | "last" | "pratt", Measure>;
  };
}

// R: relaimpo-equivalent all-subsets LMG and Johnson's weights on lm(nps ~ drivers), listwise (shared/reference)
describe("loyalty drivers on the Nordic reference data equals R", () => {
  const expected = readJsonFixture<Expected>("reference", "nordic-expected.json").drivers.importance;
  let report: Report;
  beforeAll(async () => {
    report = await runJson<Report>(["drivers", "--survey", fixturePath("reference", "nordic-survey.csv"), "--bootstrap", "200"]);
  });
  const check = (key: "lmg" | "lmgShare" | "relativeWeight" | "relativeWeightShare" | "first" | "last" | "pratt", want: Measure) => {
    const rows = report.drivers!.importance;
    expect(rows.map((r) => r.driver).sort()).toEqual(Object.keys(want).sort());
    for (const row of rows) expect(relativeError(row[key]!, want[row.driver]!), `${key} ${row.driver}`).toBeLessThan(1e-9);
  };
  it("LMG raw and shares", () => {
    check("lmg", expected.lmg);
    check("lmgShare", expected.lmg_share);
  });
  it("relative weights raw and shares", () => {
    check("relativeWeight", expected.relative_weights);
    check("relativeWeightShare", expected.relative_weights_share);
  });
  it("first, last, Pratt", () => {
    check("first", expected.first);
    check("last", expected.last);
    check("pratt", expected.pratt);
  });
  it("splits the quadrant at the median of R's LMG shares (the middle of five drivers)", () => {
    const shares = Object.values(expected.lmg_share).sort((a, b) => a - b);
    expect(relativeError(report.drivers!.importanceMeta!.quadrantCuts.importance, shares[2]!)).toBeLessThan(1e-9);
    const performance = report.drivers!.importance.map((r) => r.performance).sort((a, b) => a - b);
    expect(report.drivers!.importanceMeta!.quadrantCuts.performance).toBe(performance[2]);
  });
  it("ranks by LMG share, and brand's negative coefficient against a positive correlation is flagged", () => {
    const byDriver = new Map(report.drivers!.importance.map((r) => [r.driver, r]));
    expect(byDriver.get("service")!.rank).toBe(1);
    expect(byDriver.get("brand")!.rank).toBe(5);
    expect(byDriver.get("brand")).toMatchObject({ sign: -1, signConflict: true });
    expect(report.warnings.some((w) => w.code === "sign-conflict" && /driver "brand"/.test(w.message))).toBe(true);
  });
});
