import { describe, expect, it } from "vitest";
import { addFinanceRow, emptyFinanceTotals } from "../../../src/join/customer-finance.js";
import { groupPeriodMoney } from "../../../src/join/group-periods.js";
import { riskRatio, wilsonInterval } from "../../../src/metrics/churn.js";
import { surveyCoverage } from "../../../src/metrics/coverage.js";
import { lagLinkage } from "../../../src/metrics/lag.js";
import type { NpsCategory } from "../../../src/metrics/nps.js";
import { retentionByCategory, type CategoryRetention, type RetentionCustomer } from "../../../src/metrics/retention.js";
import { npsTrend, pairedChange } from "../../../src/metrics/trend.js";
import { parseScenario, revenueAtRisk, scenarioValue, type CategoryEconomics } from "../../../src/metrics/value.js";

const customer = (category: NpsCategory, revenue: number, cost: number, months: number, churned: boolean, start: number | null, end: number): RetentionCustomer => ({
  category,
  revenue,
  cost,
  churned,
  monthsAtRisk: months,
  startRevenue: start,
  endRevenue: end,
});

describe("retention and lifetime value by category (hand-computed)", () => {
  // a 12-month window; start = revenue in its first month, end = in its last
  const customers = [
    customer("promoter", 1200, 600, 12, false, 100, 100), // P1: all year, flat
    customer("promoter", 600, 300, 6, true, 100, 0), //      P2: left after 6 months
    customer("detractor", 300, 200, 3, true, 100, 0), //     D1: left after 3 months
    customer("detractor", 1200, 900, 12, false, 80, 120), // D2: all year, grew
    customer("passive", 1000, 500, 10, false, null, 100), // N1: joined in month 3, never left
  ];
  const r = retentionByCategory(customers, { resamples: 0 });
  const [promoters, passives, detractors] = r.byCategory as [CategoryRetention, CategoryRetention, CategoryRetention];

  it("revenue-weighted NPS = 100 · (Σ promoter revenue − Σ detractor revenue) / Σ revenue", () => {
    // (1200 + 600 − 300 − 1200) / 4300 = 300 / 4300
    expect(r.revenueWeightedNps).toBeCloseTo((100 * 300) / 4300, 12);
  });
  it("mean and median revenue and margin per customer", () => {
    expect(promoters).toMatchObject({ customers: 2, revenuePerCustomer: 900, revenueMedian: 900, marginPerCustomer: 450, marginMedian: 450 });
    expect(detractors).toMatchObject({ revenuePerCustomer: 750, revenueMedian: 750, marginPerCustomer: 200 });
  });
  it("gross and net revenue retention of the cohort active in the first month", () => {
    // promoters: GRR = (min(100, 100) + min(0, 100)) / 200 = 0.5; NRR = (100 + 0) / 200 = 0.5
    expect(promoters).toMatchObject({ startCohort: 2, startRevenue: 200, endRevenue: 100, grossRevenueRetention: 0.5, netRevenueRetention: 0.5 });
    // detractors: GRR = (min(0, 100) + min(120, 80)) / 180 = 80/180; NRR = (0 + 120) / 180 = 2/3 (expansion counts)
    expect(detractors.grossRevenueRetention).toBeCloseTo(80 / 180, 12);
    expect(detractors.netRevenueRetention).toBeCloseTo(120 / 180, 12);
    // N1 was not active in the first month: no cohort, no retention
    expect(passives).toMatchObject({ startCohort: 0, grossRevenueRetention: null, netRevenueRetention: null });
  });
  it("monthly hazard = churned / customer-months; lifetime value = margin per customer-month / hazard", () => {
    // promoters: 1 churned in 12 + 6 = 18 months: h = 1/18; margin 900 over 18 months = 50 a month; LTV = 50 · 18 = 900
    expect(promoters.monthlyHazard).toBeCloseTo(1 / 18, 12);
    expect(promoters.annualChurn).toBeCloseTo(1 - (17 / 18) ** 12, 12);
    expect(promoters.expectedLifetimeMonths).toBeCloseTo(18, 12);
    expect(promoters.monthlyValue).toBeCloseTo(50, 12);
    expect(promoters.lifetimeValue).toBeCloseTo(900, 10);
    // detractors: 1 churned in 15 months; margin 100 + 300 = 400 → 400/15 a month; LTV = 400/15 · 15 = 400
    expect(detractors.monthlyHazard).toBeCloseTo(1 / 15, 12);
    expect(detractors.lifetimeValue).toBeCloseTo(400, 10);
    // passives: no one left, so the lifetime is unbounded and not a number
    expect(passives).toMatchObject({ churned: 0, monthlyHazard: 0, expectedLifetimeMonths: null, lifetimeValue: null });
  });
  it("promoter LTV / detractor LTV = 900 / 400, with a bootstrap interval only when asked", () => {
    expect(r.ltvRatio!.ratio).toBeCloseTo(2.25, 12);
    expect(r.ltvRatio).toMatchObject({ resamples: 0, ciLow: null, ciHigh: null });
    const withInterval = retentionByCategory(customers, { resamples: 500, seed: 7 }).ltvRatio!;
    expect(withInterval.resamples).toBe(500);
    // the same seed gives the same interval
    expect(retentionByCategory(customers, { resamples: 500, seed: 7 }).ltvRatio).toEqual(withInterval);
  });
  it("overall: every matched customer together", () => {
    // 2 churned (P2, D1) in 12 + 6 + 3 + 12 + 10 = 43 months
    expect(r.overall.monthlyHazard).toBeCloseTo(2 / 43, 12);
    expect(r.overall.customers).toBe(5);
  });
  it("without a cost column the values are revenue", () => {
    const noCost = retentionByCategory(customers.map((c) => ({ ...c, cost: null })), { resamples: 0 });
    expect(noCost.basis).toBe("revenue");
    // promoters: revenue 1800 over 18 months = 100 a month; LTV = 100 · 18
    expect(noCost.byCategory[0]!.lifetimeValue).toBeCloseTo(1800, 10);
    expect(noCost.byCategory[0]!.marginPerCustomer).toBeNull();
  });
});

describe("forward revenue at risk (hand-computed)", () => {
  it("is the active customers' run-rate × the probability of leaving within a year, from survival where known", () => {
    const risk = revenueAtRisk([
      // promoters: S(12) known, 1 − S(12) = 0.1
      { category: "promoter", activeCustomers: 2, runRate: 1200 + 800, twelveMonthChurn: 0.1, annualChurn: 0.2 },
      // passives: no year of follow-up, so the hazard's annual churn 0.25
      { category: "passive", activeCustomers: 1, runRate: 400, twelveMonthChurn: null, annualChurn: 0.25 },
      // detractors: none left active
      { category: "detractor", activeCustomers: 0, runRate: 0, twelveMonthChurn: null, annualChurn: 0.5 },
    ]);
    expect(risk.byCategory).toEqual([
      { category: "promoter", activeCustomers: 2, runRate: 2000, leaveProbability: 0.1, probabilitySource: "survival", revenueAtRisk: 200 },
      { category: "passive", activeCustomers: 1, runRate: 400, leaveProbability: 0.25, probabilitySource: "hazard", revenueAtRisk: 100 },
      { category: "detractor", activeCustomers: 0, runRate: 0, leaveProbability: 0.5, probabilitySource: "hazard", revenueAtRisk: 0 },
    ]);
    expect(risk.total).toBe(300);
  });
  it("the discounted lifetime value is the discounted sum, bounded when no one leaves", async () => {
    const { discountedLifetimeValue } = await import("../../../src/metrics/retention.js");
    // no discount, no churn: 60 months of 100
    expect(discountedLifetimeValue(100, 0, { annualRate: 0, horizonMonths: 60 })).toBeCloseTo(6000, 9);
    // h = 0.5, no discount, 2 months: 100 · (0.5 + 0.25)
    expect(discountedLifetimeValue(100, 0.5, { annualRate: 0, horizonMonths: 2 })).toBeCloseTo(75, 12);
    // 10% a year: i = 1.1^(1/12) − 1; one month of 100 with h = 0: 100 / (1 + i)
    expect(discountedLifetimeValue(100, 0, { annualRate: 0.1, horizonMonths: 1 })).toBeCloseTo(100 / 1.1 ** (1 / 12), 12);
  });
});

describe("scenarios (hand-computed)", () => {
  // per category: n customers, each with the given revenue, cost and months at risk; the first `churned` of them left
  const group = (category: NpsCategory, n: number, revenue: number, months: number, churned: number) =>
    Array.from({ length: n }, (_, i) => customer(category, revenue, revenue / 2, months, i < churned, revenue / months, 0));
  const retention = retentionByCategory(
    [
      ...group("promoter", 10, 3000, 12, 1), // 30,000 over 120 months: 250 a month, margin 125; h = 1/120; LTV = 125 · 120 = 15,000
      ...group("passive", 20, 1800, 10, 5), //  36,000 over 200 months: 180 a month, margin 90;  h = 5/200 = 0.025; LTV = 90 / 0.025 = 3,600
      ...group("detractor", 10, 1200, 10, 5), // 12,000 over 100 months: 120 a month, margin 60; h = 0.05; LTV = 60 / 0.05 = 1,200
    ],
    { resamples: 0 },
  );
  // still there: 9 of 10 promoters at 3,000 a year, 15 of 20 passives at 2,160, 5 of 10 detractors at 1,440; margin is half of revenue
  const active = { promoter: [9, 3000], passive: [15, 2160], detractor: [5, 1440] } as const;
  const economics: CategoryEconomics[] = retention.byCategory.map((r) => ({
    category: r.category,
    customers: r.customers,
    revenue: r.revenuePerCustomer! * r.customers,
    margin: r.marginPerCustomer! * r.customers,
    retention: r,
    active: active[r.category][0],
    runRate: active[r.category][1],
  }));
  // no discount over 60 months, so the discounted lifetime value is Σ_{k=1..60} m (1 − h)^k
  const discount = { annualRate: 0, horizonMonths: 60 };
  const D = (m: number, h: number) => Array.from({ length: 60 }, (_, k) => m * (1 - h) ** (k + 1)).reduce((a, b) => a + b, 0);
  // annual churn = 1 − (1 − h)^12, so a customer stays the year with probability (1 − h)^12
  const stayP = (119 / 120) ** 12;
  const stayN = 0.975 ** 12;
  const stayD = 0.95 ** 12;

  it("detractors-to-passives=10%: half a detractor of the five still there takes on the passives' run-rate and churn", () => {
    const s = scenarioValue(parseScenario("detractors-to-passives=10%"), economics, "margin", discount);
    expect(s.name).toBe("detractors-to-passives=10%");
    expect(s.customers).toBeCloseTo(0.5, 12);
    // one year: 0.5 · (stayN · 2,160 − stayD · 1,440), margin half of it
    expect(s.oneYearRevenue).toBeCloseTo(0.5 * (stayN * 2160 - stayD * 1440), 9);
    expect(s.oneYearMargin).toBeCloseTo(0.25 * (stayN * 2160 - stayD * 1440), 9);
    // lifetime: 0.5 · (D(90, 0.025) − D(60, 0.05)), margins per customer-month and hazards from retention
    expect(s.lifetimeValue).toBeCloseTo(0.5 * (D(90, 0.025) - D(60, 0.05)), 9);
    expect(s.assumptions.join(" ")).toMatch(/10% of the 5 detractors still there \(0\.5 customers\) become passives/);
  });
  it("passives-to-promoters=10%: one and a half passives of the fifteen still there become promoters", () => {
    const s = scenarioValue(parseScenario("passives-to-promoters=10%"), economics, "margin", discount);
    expect(s.customers).toBeCloseTo(1.5, 12);
    expect(s.oneYearRevenue).toBeCloseTo(1.5 * (stayP * 3000 - stayN * 2160), 9);
    expect(s.oneYearMargin).toBeCloseTo(0.75 * (stayP * 3000 - stayN * 2160), 9);
    expect(s.lifetimeValue).toBeCloseTo(1.5 * (D(125, 1 / 120) - D(90, 0.025)), 9);
  });
  it("retention=+5pp: every category's annual churn falls by 5 points, on the customers still there", () => {
    const s = scenarioValue(parseScenario("retention=+5pp"), economics, "margin", discount);
    // every annual churn is above 5%, so 5% of each category's active customers is kept: 0.05 · 29
    expect(s.customers).toBeCloseTo(1.45, 12);
    // a kept customer brings a year at its run-rate: 0.05 · (9 · 3,000 + 15 · 2,160 + 5 · 1,440) = 0.05 · 66,600
    expect(s.oneYearRevenue).toBeCloseTo(3330, 9);
    expect(s.oneYearMargin).toBeCloseTo(1665, 9);
    // lifetime: per category active · (D(m, h') − D(m, h)), h' = 1 − (stay + 0.05)^(1/12)
    const lifetime = (n: number, m: number, h: number, stay: number) => n * (D(m, 1 - (stay + 0.05) ** (1 / 12)) - D(m, h));
    expect(s.lifetimeValue).toBeCloseTo(lifetime(9, 125, 1 / 120, stayP) + lifetime(15, 90, 0.025, stayN) + lifetime(5, 60, 0.05, stayD), 6);
  });
  it("a scenario that would leave no churn stays bounded: the discounted value runs over the horizon", () => {
    const s = scenarioValue(parseScenario("retention=+50pp"), economics, "margin", discount);
    // churn falls to 0: each active customer is worth 60 months of its margin
    expect(s.lifetimeValue).toBeCloseTo(9 * (60 * 125 - D(125, 1 / 120)) + 15 * (60 * 90 - D(90, 0.025)) + 5 * (60 * 60 - D(60, 0.05)), 6);
    expect(JSON.stringify(s)).not.toMatch(/NaN|Infinity/);
  });
  it("reads scenarios as written, and refuses what it cannot read", () => {
    expect(parseScenario("detractors-to-passives=12.5%")).toEqual({ kind: "detractors-to-passives", share: 0.125 });
    expect(parseScenario("retention=5pp")).toEqual({ kind: "retention", points: 0.05 });
    expect(() => parseScenario("detractors-to-promoters=10%")).toThrow(/not a scenario/);
    expect(() => parseScenario("retention=5%")).toThrow(/percentage points/);
    expect(() => parseScenario("passives-to-promoters=120%")).toThrow(/from 0% to 100%/);
  });
});

describe("NPS trend and the paired test (hand-computed)", () => {
  it("paired change: d = later − earlier on +1/0/−1 codes; mean, sd/√n, t on n − 1 df (R: t.test(c(2, 1, 0, -1)))", () => {
    // detractor→promoter +2, passive→promoter +1, promoter→promoter 0, passive→detractor −1
    const paired = pairedChange([
      ["detractor", "promoter"],
      ["passive", "promoter"],
      ["promoter", "promoter"],
      ["passive", "detractor"],
    ])!;
    // mean 0.5 → +50 points; sd = √(5/3); SE = sd/2 → 100 · 0.6454972244
    expect(paired.customers).toBe(4);
    expect(paired.change).toBeCloseTo(50, 12);
    expect(paired.stdError).toBeCloseTo(100 * Math.sqrt(5 / 3) / 2, 10);
    expect(paired.t).toBeCloseTo(0.774596669241483, 12);
    expect(paired.df).toBe(3);
    expect(paired.p).toBeCloseTo(0.495025346059711, 9);
    expect(paired.ciLow).toBeCloseTo(-155.4260256760521, 8);
    expect(paired.ciHigh).toBeCloseTo(255.4260256760521, 8);
  });
  it("no variance gives no t; fewer than two customers give no test", () => {
    expect(pairedChange([["passive", "promoter"], ["passive", "promoter"]])).toMatchObject({ change: 100, stdError: 0, t: null, p: null });
    expect(pairedChange([["passive", "promoter"]])).toBeNull();
  });
  it("per quarter: each customer's latest answer in each period pairs up; undated answers are counted", () => {
    const at = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
    let order = 0;
    const r = (customerId: string, category: NpsCategory, date: string | null) => ({ customerId, category, date: date === null ? null : at(date), order: order++, weight: 1 });
    const trend = npsTrend(
      [
        r("a", "detractor", "2025-01-10"),
        r("a", "passive", "2025-03-01"), // a's latest in Q1
        r("b", "promoter", "2025-02-01"),
        r("a", "promoter", "2025-04-02"),
        r("b", "promoter", "2025-05-05"),
        r("c", "detractor", "2025-06-30"),
        r("c", "promoter", null),
      ],
      "quarter",
    );
    expect(trend.periods.map((p) => [p.period, p.summary.n])).toEqual([
      ["2025-Q1", 3],
      ["2025-Q2", 3],
    ]);
    expect(trend.periods[0]!.summary.nps).toBeCloseTo(0, 12); // 1 promoter, 1 passive, 1 detractor
    expect(trend.periods[1]!.summary.nps).toBeCloseTo(100 / 3, 12); // 2 promoters, 1 detractor
    expect(trend.undated).toBe(1);
    const change = trend.changes[0]!;
    expect(change.independent.difference).toBeCloseTo(100 / 3, 12);
    // a: passive → promoter (+1), b: promoter → promoter (0): mean +50 points
    expect(change.paired).toMatchObject({ customers: 2, change: 50 });
  });
});

describe("the lag alignment (hand-computed)", () => {
  it("joins each group's NPS in period t to its money in t + K, and finance months roll up into quarters", () => {
    const groups: Record<string, string> = { x: "A", y: "A", z: "B" };
    const finance = emptyFinanceTotals((id) => groups[id] ?? null);
    const month = (m: number) => ({ granularity: "month" as const, ordinal: 2025 * 12 + m - 1 });
    // x: Jan to Jun; y: Jan to Apr (then gone); z: Jan to Jun in group B
    for (let m = 1; m <= 6; m++) addFinanceRow(finance, "x", 100, 40, month(m));
    for (let m = 1; m <= 4; m++) addFinanceRow(finance, "y", 50, 30, month(m));
    for (let m = 1; m <= 6; m++) addFinanceRow(finance, "z", 10, 5, month(m));
    const money = groupPeriodMoney([{ customerId: "x", group: "A" }, { customerId: "y", group: "A" }, { customerId: "z", group: "B" }], finance, "quarter")!;
    const q = (quarter: number) => 2025 * 4 + quarter - 1;
    // A in Q1: x 300 + y 150 revenue, 2 customers, no one left in Q1; Q2 (the last quarter): x 300 + y 50, churn unknown
    expect(money.byGroup.get("A")!.get(q(1))).toEqual({ customers: 2, revenue: 450, cost: 120 + 90, churned: 0 });
    expect(money.byGroup.get("A")!.get(q(2))).toEqual({ customers: 2, revenue: 350, cost: 120 + 30, churned: null });

    const at = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
    const responses = [
      { group: "A", date: at("2025-01-15"), category: "promoter" as const, weight: 1 },
      { group: "A", date: at("2025-02-15"), category: "detractor" as const, weight: 1 },
      { group: "A", date: at("2025-04-15"), category: "promoter" as const, weight: 1 },
      { group: "B", date: at("2025-03-15"), category: "passive" as const, weight: 1 },
    ];
    const lag = lagLinkage(responses, money.byGroup, "quarter", 1, (a, b) => a.localeCompare(b));
    // A's Q1 NPS (one promoter, one detractor: 0) meets A's Q2 money; A's Q2 NPS has no Q3 money; B's Q1 meets B's Q2
    expect(lag.rows.map((r) => [r.group, r.period, r.kpiPeriod, r.nps, r.responses, r.customers, r.revenuePerCustomer, r.marginPerCustomer, r.churnRate])).toEqual([
      ["A", "2025-Q1", "2025-Q2", 0, 2, 2, 175, (350 - 150) / 2, null],
      ["B", "2025-Q1", "2025-Q2", 0, 1, 1, 30, 15, null],
    ]);
    // with K = 0 the same quarter's money is used, and Q1 churn is known (0 left in Q1)
    const same = lagLinkage(responses, money.byGroup, "quarter", 0, (a, b) => a.localeCompare(b));
    expect(same.rows.find((r) => r.group === "A" && r.period === "2025-Q1")).toMatchObject({ kpiPeriod: "2025-Q1", revenuePerCustomer: 225, churnRate: 0 });
  });
  it("refuses to split quarters into months", () => {
    const finance = emptyFinanceTotals();
    addFinanceRow(finance, "x", 1, 0, { granularity: "quarter", ordinal: 2025 * 4 });
    expect(() => groupPeriodMoney([{ customerId: "x", group: "A" }], finance, "month")).toThrow(/quarters, so they cannot be split into months/);
  });
});

describe("survey coverage (hand-computed)", () => {
  const order = (a: string, b: string) => a.localeCompare(b);
  it("the share of customers and of revenue that answered, overall and per group, and whether it is uneven", () => {
    const customers = [
      ...Array.from({ length: 40 }, (_, i) => ({ group: "North", revenue: 100, answered: i < 20 })), // 50% answered
      ...Array.from({ length: 40 }, (_, i) => ({ group: "South", revenue: i < 4 ? 1000 : 100, answered: i < 8 })), // 20% answered
    ];
    const c = surveyCoverage(customers, order, 30);
    expect(c.overall).toMatchObject({ customers: 80, respondents: 28, customerShare: 28 / 80 });
    // revenue: North 4,000 (2,000 answered); South 4 · 1000 + 36 · 100 = 7,600 (4,000 + 400 answered)
    expect(c.overall.revenueShare).toBeCloseTo(6400 / 11600, 12);
    expect(c.byGroup!.map((g) => [g.group, g.customerShare, g.revenueShare])).toEqual([
      ["North", 0.5, 0.5],
      ["South", 0.2, 4400 / 7600],
    ]);
    expect(c).toMatchObject({ lowest: { group: "South", customerShare: 0.2 }, highest: { group: "North", customerShare: 0.5 }, uneven: true });
  });
  it("without groups in the finance file: overall only", () => {
    const c = surveyCoverage([{ group: null, revenue: 1, answered: true }], order);
    expect(c).toMatchObject({ byGroup: null, uneven: false, overall: { customerShare: 1 } });
  });
});

describe("churn intervals", () => {
  it("Wilson's interval of a churn rate (R: prop.test(x, n, correct = FALSE)$conf.int)", () => {
    const [low, high] = wilsonInterval(5, 10)!;
    expect(low).toBeCloseTo(0.236593090512564, 12);
    expect(high).toBeCloseTo(0.763406909487436, 12);
    const nordic = wilsonInterval(45, 103)!; // the Nordic detractors
    expect(nordic[0]).toBeCloseTo(0.345084304435957, 12);
    expect(nordic[1]).toBeCloseTo(0.53324008252494, 12);
    expect(wilsonInterval(0, 0)).toBeNull();
  });
  it("the ratio to the promoters' churn with the Katz log interval (R: exp(log(r) ± qnorm(0.975)·√(1/45 − 1/103 + 1/29 − 1/126)))", () => {
    const ratio = riskRatio(45, 103, 29, 126)!;
    expect(ratio.ratio).toBeCloseTo(1.89822564445932, 12);
    expect(ratio.ciLow).toBeCloseTo(1.28860648875106, 12);
    expect(ratio.ciHigh).toBeCloseTo(2.79624588944556, 12);
    expect(riskRatio(3, 10, 0, 10)).toBeNull();
  });
});
