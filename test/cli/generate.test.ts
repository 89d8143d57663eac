import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { PlantedTruth } from "../../src/generate/synthetic.js";
import { normalQuantile } from "../../src/stats/distributions.js";
import type { Report } from "../../src/report/report.js";
import { fixturePath, readJsonFixture } from "../support/fixtures.js";
import { runCli, runJson } from "../support/run-cli.js";

const dir = () => mkdtempSync(join(tmpdir(), "loyalty-gen-"));

describe("loyalty generate", () => {
  it("is deterministic for a seed and differs between seeds", async () => {
    const [a, b, c] = [dir(), dir(), dir()];
    for (const [out, seed] of [[a, "7"], [b, "7"], [c, "8"]] as const) {
      expect((await runCli(["generate", "--out", out, "--customers", "200", "--months", "6", "--seed", seed])).code).toBe(0);
    }
    for (const file of ["survey.csv", "finance.csv", "truth.json"]) {
      expect(readFileSync(join(a, file), "utf8"), file).toBe(readFileSync(join(b, file), "utf8"));
    }
    expect(readFileSync(join(a, "survey.csv"), "utf8")).not.toBe(readFileSync(join(c, "survey.csv"), "utf8"));
  });

  it("refuses nonsense sizes with a usage error", async () => {
    const result = await runCli(["generate", "--out", dir(), "--customers", "5"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--customers must be a whole number of at least 10/);
  });
});

describe("analyze recovers the truth planted in fixtures/demo (loyalty generate --seed 42)", () => {
  const truth = readJsonFixture<PlantedTruth>("demo", "truth.json");
  it("the planted driver coefficients fall inside the reported intervals, widened for six terms at once (Bonferroni)", async () => {
    const report = await runJson<Report>(["demo"]);
    const planted: Record<string, number> = { intercept: truth.drivers.intercept, ...truth.drivers.coefficients };
    // each 95% interval misses its truth one time in twenty, so one of six misses about a quarter of
    // the time; the 40-seed test below checks the coverage itself. Here: all six at a 5% family-wise level.
    const widen = normalQuantile(1 - 0.05 / 2 / report.drivers!.terms.length) / normalQuantile(0.975);
    for (const term of report.drivers!.terms) {
      const mid = (term.ciLow! + term.ciHigh!) / 2;
      const half = ((term.ciHigh! - term.ciLow!) / 2) * widen;
      expect(Math.abs(planted[term.term]! - mid), term.term).toBeLessThan(half);
    }
  });
  it("churn by category equals what the generator drew, customer for customer", async () => {
    const report = await runJson<Report>(["demo"]);
    for (const row of report.churn!.byCategory) {
      expect({ customers: row.customers, churned: row.churned }, row.category).toEqual(truth.realised.churnedByCategory[row.category]);
    }
    expect(report.join!.respondents).toBe(truth.realised.respondents);
    expect(report.join!.financeCustomers).toBe(truth.realised.financeCustomers);
    expect(report.nps.overall.n).toBe(truth.realised.responses);
  });
  it("the planted group effect: the truth's line of money and churn on NPS across regions lies inside the linkage's 95% intervals", async () => {
    const report = await runJson<Report>(["demo"]);
    for (const kpi of ["revenuePerCustomer", "marginPerCustomer", "churnRate"] as const) {
      const got = report.linkage!.byKpi.find((k) => k.kpi === kpi)!;
      expect(got.n).toBe(8);
      expect(got.slopeCiLow!, kpi).toBeLessThan(truth.linkage[kpi].slope);
      expect(got.slopeCiHigh!, kpi).toBeGreaterThan(truth.linkage[kpi].slope);
    }
    // the planted direction: more loyal regions earn more per customer and lose fewer customers
    expect(truth.linkage.revenuePerCustomer.slope).toBeGreaterThan(0);
    expect(truth.linkage.churnRate.slope).toBeLessThan(0);
  });
  it("the planted churn by category: passives churn 2×, detractors 3× as often as promoters, inside the reported intervals", async () => {
    const report = await runJson<Report>(["demo"]);
    for (const row of report.churn!.byCategory.slice(1)) {
      const planted = truth.churnRatio[row.category as "passive" | "detractor"];
      expect(row.ratioCiLow!, row.category).toBeLessThan(planted);
      expect(row.ratioCiHigh!, row.category).toBeGreaterThan(planted);
      expect(row.ciLow!).toBeLessThan(truth.churnProbability[row.category]);
      expect(row.ciHigh!).toBeGreaterThan(truth.churnProbability[row.category]);
    }
  });
  it("revenue per customer follows the planted order promoter > passive > detractor", async () => {
    const report = await runJson<Report>(["demo"]);
    const [promoter, passive, detractor] = report.revenue!.byCategory.map((r) => r.revenuePerCustomer!);
    expect(promoter).toBeGreaterThan(passive!);
    expect(passive).toBeGreaterThan(detractor!);
  });
});

describe("the 95% intervals have about 95% coverage", () => {
  it("over 40 generated data sets: the planted coefficients, churn ratios and linkage slope", async () => {
    let covered = 0;
    let total = 0;
    let churnCovered = 0;
    let churnTotal = 0;
    let slopeCovered = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const out = dir();
      await runCli(["generate", "--out", out, "--customers", "400", "--months", "3", "--seed", String(seed), "--quiet"]);
      const report = await runJson<Report>(["analyze", "--survey", join(out, "survey.csv"), "--finance", join(out, "finance.csv"), "--bootstrap", "0"]);
      const truth = JSON.parse(readFileSync(join(out, "truth.json"), "utf8")) as PlantedTruth;
      for (const term of report.drivers!.terms.slice(1)) {
        const planted = truth.drivers.coefficients[term.term]!;
        total++;
        if (term.ciLow! <= planted && planted <= term.ciHigh!) covered++;
      }
      for (const row of report.churn!.byCategory.slice(1)) {
        const planted = truth.churnRatio[row.category as "passive" | "detractor"];
        churnTotal++;
        if (row.ratioCiLow! <= planted && planted <= row.ratioCiHigh!) churnCovered++;
      }
      const slope = report.linkage!.byKpi.find((k) => k.kpi === "revenuePerCustomer")!;
      if (slope.slopeCiLow! <= truth.linkage.revenuePerCustomer.slope && truth.linkage.revenuePerCustomer.slope <= slope.slopeCiHigh!) slopeCovered++;
    }
    // 200 intervals at a true 95%: expect 190, sd 3.1; the bounds are more than 4 sd away
    expect(total).toBe(200);
    expect(covered).toBeGreaterThanOrEqual(176);
    expect(covered).toBeLessThanOrEqual(199);
    // 80 churn-ratio intervals: expect 76, sd 1.9; 40 slope intervals: expect 38, sd 1.4
    expect(churnTotal).toBe(80);
    expect(churnCovered).toBeGreaterThanOrEqual(68);
    expect(slopeCovered).toBeGreaterThanOrEqual(32);
  }, 120_000);
});

it("fixtures/demo is the output of the documented generate command", async () => {
  const out = dir();
  await runCli(["generate", "--out", out, "--customers", "2000", "--months", "12", "--seed", "42", "--quiet"]);
  for (const file of ["survey.csv", "finance.csv", "truth.json"]) {
    expect(readFileSync(join(out, file), "utf8") === readFileSync(fixturePath("demo", file), "utf8"), file).toBe(true);
  }
});

describe("the planted hazard ratios (--churn-model hazard)", () => {
  it("lie inside the Cox model's 95% intervals about 95% of the time over 40 generated data sets", async () => {
    let covered = 0;
    let total = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const out = dir();
      await runCli(["generate", "--out", out, "--customers", "800", "--months", "24", "--seed", String(seed), "--churn-model", "hazard", "--quiet"]);
      const truth = JSON.parse(readFileSync(join(out, "truth.json"), "utf8")) as PlantedTruth;
      expect(truth.hazard!.ratio).toEqual({ passive: 2, detractor: 3 });
      const report = await runJson<Report>(["analyze", "--survey", join(out, "survey.csv"), "--finance", join(out, "finance.csv"), "--bootstrap", "0", "--no-drivers"]);
      for (const term of report.survival!.cox!.terms) {
        const planted = truth.hazard!.ratio[term.category as "passive" | "detractor"];
        total++;
        if (term.ciLow <= planted && planted <= term.ciHigh) covered++;
      }
    }
    // 80 intervals at a true 95%: expect 76, sd 1.9 (monthly, tied times: Efron's Cox estimates the planted ratio closely)
    expect(total).toBe(80);
    expect(covered).toBeGreaterThanOrEqual(68);
  }, 180_000);
});
