// A transactional business (most customers buy once): repurchase rates instead of churn, equal to
// base R and R's survival package on fixtures/reference/transactional (fixtures/reference/transactional.R).
import { beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/report/report.js";
import { fixturePath, readJsonFixture, relativeError } from "../support/fixtures.js";
import { runJson } from "../support/run-cli.js";

interface Expected {
  singlePeriodShare: number;
  window: number;
  tooLate: number;
  byCategory: { category: string; eligible: number; repurchased: number; rate: number; ciLow: number; ciHigh: number; revenuePerCustomer: number; ratioToPromoters: number; ratioCiLow: number; ratioCiHigh: number }[];
  timeToNext: { category: string; n: number; events: number; at: { t: number; back: number | null }[]; median: number | null }[];
}

const expected = readJsonFixture<Expected>("reference", "transactional-expected.json");
const close = (actual: number | null | undefined, want: number | null, what: string) => {
  if (want === null) return expect(actual, what).toBeNull();
  expect(relativeError(actual!, want), `${what}: ${actual} against R's ${want}`).toBeLessThan(1e-9);
};
const args = ["analyze", "--survey", fixturePath("reference", "transactional", "reviews.csv"), "--finance", fixturePath("reference", "transactional", "orders.csv"), "--scale", "1-5", "--bootstrap", "0"];

describe("a shop of one-off purchases", () => {
  let report: Report;
  beforeAll(async () => {
    report = await runJson<Report>(args);
  });
  it("is detected as transactional, and says so", () => {
    expect(report.business).toMatchObject({ model: "transactional", detected: true, windowPeriods: 18 });
    close(report.business!.singlePeriodShare, expected.singlePeriodShare, "single-period share");
    expect(report.warnings.some((w) => w.code === "transactional")).toBe(true);
  });
  it("shows no churn, lifetime value, scenario or survival, and says why", () => {
    expect(report.churn).toBeNull();
    expect(report.retention).toBeNull();
    expect(report.value).toBeNull();
    expect(report.survival).toBeNull();
    expect(report.absent.map((a) => a.section)).toEqual(["churn", "retention and lifetime value", "revenue at risk and scenarios", "survival"]);
    expect(report.absent[0]!.reason).toMatch(/^a transactional business \(81% of customers bought in a single period\)/);
  });
  it("repurchase rates with Wilson intervals, ratios to promoters and revenue after the answer equal R", () => {
    const r = report.repurchase!;
    expect(r.window).toBe(expected.window);
    expect(r.excluded.tooLate).toBe(expected.tooLate);
    for (const want of expected.byCategory) {
      const got = r.byCategory.find((c) => c.category === want.category)!;
      expect(got.eligible, want.category).toBe(want.eligible);
      expect(got.repurchased, want.category).toBe(want.repurchased);
      for (const key of ["rate", "ciLow", "ciHigh", "revenuePerCustomer", "ratioToPromoters", "ratioCiLow", "ratioCiHigh"] as const) close(got[key], want[key], `${want.category} ${key}`);
    }
  });
  it("the time to the next purchase (Kaplan–Meier, survfit) equals R", () => {
    for (const want of expected.timeToNext) {
      const got = report.repurchase!.byCategory.find((c) => c.category === want.category)!.timeToNext;
      expect(got.n).toBe(want.n);
      expect(got.events).toBe(want.events);
      want.at.forEach((a, i) => close(got.at[i]!.back, a.back, `${want.category} back within ${a.t}`));
      close(got.median, want.median, `${want.category} median`);
    }
  });
  it("--business subscription overrides the detection; --repurchase-window changes K", async () => {
    const forced = await runJson<Report>([...args, "--business", "subscription"]);
    expect(forced.business).toMatchObject({ model: "subscription", detected: false });
    expect(forced.repurchase).toBeNull();
    expect(forced.churn).not.toBeNull();
    const three = await runJson<Report>([...args, "--repurchase-window", "3"]);
    expect(three.repurchase!.window).toBe(3);
  });
  it("a subscription business stays one (the Nordic reference data)", async () => {
    const nordic = await runJson<Report>(["analyze", "--survey", fixturePath("reference", "nordic-survey.csv"), "--finance", fixturePath("reference", "nordic-finance.csv"), "--bootstrap", "0"]);
    expect(nordic.business!.model).toBe("subscription");
    expect(nordic.repurchase).toBeNull();
  });
});
