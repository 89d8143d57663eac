// Survival from the answer on the Nordic reference data equals R's survival package (survfit,
// survdiff, coxph with Efron ties): fixtures/reference/nordic-survival.R.
import { beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/report/report.js";
import { fixturePath, readJsonFixture, relativeError } from "../support/fixtures.js";
import { runJson } from "../support/run-cli.js";

interface At {
  t: number;
  survival: number | null;
  ciLow: number | null;
  ciHigh: number | null;
}
interface Curve {
  n: number;
  events: number;
  at: At[];
  median: number | null;
}
interface CohortFigures {
  customers: number;
  startRevenue: number;
  endRevenue: number;
  grossRevenueRetention: number;
  netRevenueRetention: number;
}
interface Expected {
  cohort: { start: string; end: string; overall: CohortFigures; byCategory: (CohortFigures & { category: string })[] } | null;
  forwardRevenueAtRisk: { category: string; activeCustomers: number; runRate: number; leaveProbability: number; probabilitySource: string; revenueAtRisk: number }[];
  excluded: { leftBeforeAnswering: number; noFollowUp: number };
  overall: Curve;
  byCategory: (Curve & { category: string })[];
  logRank: { chiSquare: number; df: number; p: number };
  cox: { terms: { category: string; coefficient: number; stdError: number; hazardRatio: number; ciLow: number; ciHigh: number; p: number }[]; lrTest: number; lrDf: number; lrP: number };
}

const close = (actual: number | null | undefined, want: number | null, what: string) => {
  if (want === null) return expect(actual, what).toBeNull();
  expect(relativeError(actual!, want), `${what}: ${actual} against R's ${want}`).toBeLessThan(1e-9);
};

const cases = [
  { name: "the Nordic reference data (11 months of follow-up at most)", survey: ["reference", "nordic-survey.csv"], finance: ["reference", "nordic-finance.csv"], expected: "nordic-survival-expected.json" },
  { name: "24 months of generated data (medians and 12-month churn reached)", survey: ["reference", "survival-24m", "survey.csv"], finance: ["reference", "survival-24m", "finance.csv"], expected: "survival-24m-expected.json" },
];

for (const c of cases) {
  describe(`survival from the answer equals R's survival package, on ${c.name}`, () => {
    const expected = readJsonFixture<Expected>("reference", c.expected);
    let survival: NonNullable<Report["survival"]>;
    let report: Report;
    beforeAll(async () => {
      report = await runJson<Report>(["analyze", "--survey", fixturePath(...c.survey), "--finance", fixturePath(...c.finance), "--bootstrap", "0"]);
      survival = report.survival!;
    });
    it("the 12-month revenue retention cohort (where the window has 13 months) equals base R", () => {
      const got = report.retention!.cohort;
      if (expected.cohort === null) return expect(got).toBeNull();
      expect(got!.start).toBe(expected.cohort.start);
      expect(got!.end).toBe(expected.cohort.end);
      const check = (g: Omit<CohortFigures, "grossRevenueRetention" | "netRevenueRetention"> & { grossRevenueRetention: number | null; netRevenueRetention: number | null }, w: CohortFigures, what: string) => {
        expect(g.customers, what).toBe(w.customers);
        for (const key of ["startRevenue", "endRevenue", "grossRevenueRetention", "netRevenueRetention"] as const) close(g[key], w[key], `${what} ${key}`);
      };
      check(got!.overall, expected.cohort.overall, "overall");
      expected.cohort.byCategory.forEach((w) => check(got!.byCategory.find((k) => k.category === w.category)!, w, w.category));
    });
    it("forward revenue at risk takes each category's 1 − S(12) where the follow-up reaches a year, else its hazard", () => {
      for (const want of expected.forwardRevenueAtRisk) {
        const got = report.value!.revenueAtRisk.byCategory.find((k) => k.category === want.category)!;
        expect(got.probabilitySource, want.category).toBe(want.probabilitySource);
        expect(got.activeCustomers).toBe(want.activeCustomers);
        close(got.runRate, want.runRate, `${want.category} run-rate`);
        close(got.leaveProbability, want.leaveProbability, `${want.category} probability of leaving`);
        close(got.revenueAtRisk, want.revenueAtRisk, `${want.category} revenue at risk`);
      }
    });
    it("leaves out the same customers", () => {
      expect(survival.excluded).toEqual({ ...expected.excluded, undated: 0 });
    });
    const checkCurve = (actual: NonNullable<Report["survival"]>["overall"], want: Curve, what: string) => {
      expect(actual.n, what).toBe(want.n);
      expect(actual.events, what).toBe(want.events);
      want.at.forEach((a, i) => {
        expect(actual.at[i]!.t).toBe(a.t);
        close(actual.at[i]!.survival, a.survival, `${what} S(${a.t})`);
        close(actual.at[i]!.ciLow, a.ciLow, `${what} lower(${a.t})`);
        close(actual.at[i]!.ciHigh, a.ciHigh, `${what} upper(${a.t})`);
      });
      close(actual.median, want.median, `${what} median`);
      const twelve = want.at.find((a) => a.t === 12)!.survival;
      close(actual.twelveMonthChurn, twelve === null ? null : 1 - twelve, `${what} twelve-month churn`);
    };
    it("Kaplan-Meier with Greenwood limits, overall and per category (survfit)", () => {
      checkCurve(survival.overall, expected.overall, "overall");
      expect(survival.byCategory.map((k) => k.category)).toEqual(expected.byCategory.map((k) => k.category));
      survival.byCategory.forEach((k, i) => checkCurve(k, expected.byCategory[i]!, k.category));
    });
    it("the log-rank test (survdiff)", () => {
      close(survival.logRank!.chiSquare, expected.logRank.chiSquare, "chi-square");
      expect(survival.logRank!.df).toBe(expected.logRank.df);
      close(survival.logRank!.p, expected.logRank.p, "p");
    });
    it("the Cox model with Efron ties, promoters the reference (coxph)", () => {
      const cox = survival.cox!;
      expect(cox.terms.map((t) => t.category)).toEqual(expected.cox.terms.map((t) => t.category));
      cox.terms.forEach((t, i) => {
        const want = expected.cox.terms[i]!;
        for (const key of ["coefficient", "stdError", "hazardRatio", "ciLow", "ciHigh", "p"] as const) close(t[key], want[key], `${t.category} ${key}`);
      });
      close(cox.lrTest, expected.cox.lrTest, "likelihood ratio");
      expect(cox.lrDf).toBe(expected.cox.lrDf);
      close(cox.lrP, expected.cox.lrP, "likelihood-ratio p");
    });
  });
}
