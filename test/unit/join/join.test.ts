import { describe, expect, it } from "vitest";
import { addFinanceRow, cohortStart, emptyFinanceTotals, revenueInOrNull, runRate } from "../../../src/join/customer-finance.js";
import { joinCustomers, MatchedCustomers } from "../../../src/join/join-customers.js";
import { LatestResponses, latestResponse } from "../../../src/join/latest-response.js";
import { SurveyResponses, type SurveyResponse } from "../../../src/normalise/survey.js";
import { categoryOf } from "../../../src/metrics/nps.js";
import { createRandom } from "../../../src/stats/random.js";

const response = (customerId: string | null, score: number, date: number | null, order: number): SurveyResponse => ({
  line: order + 2,
  order,
  customerId,
  score,
  category: categoryOf(score),
  date,
  group: null,
  drivers: [],
  weight: 1,
  outcome: null,
  comment: null,
  owner: null,
  ratingsValid: true,
});

/** Responses in columns, from objects (each one's order is its place). */
const columns = (list: SurveyResponse[]) => {
  const responses = new SurveyResponses(list.length, list[0]?.drivers.length ?? 0);
  for (const r of list) responses.push(r);
  return responses;
};

describe("responses in columns", () => {
  it("give back every field as given: nulls, ratings, groups and owners", () => {
    const list: SurveyResponse[] = [
      { ...response("a", 9, 1.75e12, 0), group: "Oslo", drivers: [4, null, 2.5], outcome: 3.25, comment: "fine", owner: "Lars" },
      { ...response(null, 0, null, 1), group: null, drivers: [null, null, null], weight: 0.5, ratingsValid: false },
      { ...response("b", 7, -0, 2), group: "Bergen", drivers: [1, 2, 3], owner: "(blank)" },
      { ...response("c", 10, 5, 3), group: "Oslo", drivers: [-0, 0, 7] },
    ];
    const responses = columns(list);
    expect(responses.length).toBe(4);
    list.forEach((r, i) => {
      expect(responses.at(i)).toEqual(r);
      // -0 kept as -0 (toEqual tells them apart)
      expect(Object.is(responses.at(i).date, r.date)).toBe(true);
    });
    expect([...responses]).toEqual(list);
    // brief: each response's customer, date, order, category, weight and group, as `at` gives them
    expect([...responses.brief()]).toEqual(list.map(({ customerId, date, order, category, weight, group }) => ({ customerId, date, order, category, weight, group })));
    expect(responses.groups.list).toEqual(["Oslo", "Bergen"]);
  });
});

describe("responses in columns without weight and outcome columns", () => {
  it("give weight 1 and no outcome without a column for them, and refuse a weight or an outcome they could not keep", () => {
    const responses = new SurveyResponses(2, 1, { weight: false, outcome: false });
    expect(responses.weight.length).toBe(0);
    expect(responses.outcome.length).toBe(0);
    responses.push({ ...response("a", 9, null, 0), drivers: [3] });
    expect(responses.at(0)).toEqual({ ...response("a", 9, null, 0), drivers: [3] });
    expect(responses.weightOf(0)).toBe(1);
    expect(responses.outcomeOf(0)).toBeNull();
    expect(() => responses.push({ ...response("b", 7, null, 1), drivers: [2], weight: 2 })).toThrow(/weight other than 1/);
    expect(() => responses.push({ ...response("b", 7, null, 1), drivers: [2], outcome: 4 })).toThrow(/an outcome/);
    // with the columns, the values as given
    const kept = columns([{ ...response("a", 9, null, 0), weight: 2.5, outcome: 4 }]);
    expect(kept.weightOf(0)).toBe(2.5);
    expect(kept.outcomeOf(0)).toBe(4);
  });
});

describe("latestResponse", () => {
  it("keeps the latest date; on a tie or without dates the later row", () => {
    const latest = latestResponse([
      response("a", 3, 20, 0),
      response("a", 9, 10, 1),
      response("b", 5, 10, 2),
      response("b", 7, 10, 3),
      response("c", 1, null, 4),
      response("c", 10, 5, 5),
      response("c", 2, null, 6),
      response(null, 10, 99, 7),
    ]);
    expect(latest.get("a")!.score).toBe(3);
    expect(latest.get("b")!.score).toBe(7);
    expect(latest.get("c")!.score).toBe(10);
    expect(latest.size).toBe(3);
  });
  it("picks the same responses from columns, by index, ids in the same order", () => {
    const list = [response("a", 3, 20, 0), response("a", 9, 10, 1), response("b", 5, 10, 2), response("b", 7, 10, 3), response("c", 1, null, 4), response("c", 10, 5, 5), response("c", 2, null, 6), response(null, 10, 99, 7)];
    const latest = new LatestResponses(columns(list));
    const objects = latestResponse(list);
    expect([...latest.keys()]).toEqual([...objects.keys()]);
    for (const [id, r] of objects) {
      expect(latest.indexOf(id)).toBe(r.order);
      expect(latest.get(id)).toEqual(r);
    }
    expect(latest.has("z")).toBe(false);
    expect(latest.indexOf("z")).toBeUndefined();
  });
});

describe("joinCustomers", () => {
  it("matches trimmed string ids, keeps leading zeros, and derives churn from the last period", () => {
    const finance = emptyFinanceTotals();
    const month = (m: number) => ({ granularity: "month" as const, ordinal: 2025 * 12 + m - 1 });
    addFinanceRow(finance, "00123", 100, 40, month(1));
    addFinanceRow(finance, "00123", 50, 20, month(3));
    addFinanceRow(finance, "123", 999, 0, month(1));
    addFinanceRow(finance, "00777", 10, 5, month(2));
    const latest = new LatestResponses(columns([response("00123", 10, 1, 0), response("00777", 0, 1, 1), response("00999", 8, 1, 2)]));
    const join = joinCustomers(latest, finance);
    expect(join.report).toEqual({
      respondents: 3,
      financeCustomers: 3,
      matched: 2,
      unmatchedRespondents: 1,
      unmatchedFinanceCustomers: 1,
      matchRate: 2 / 3,
    });
    expect(Array.from(join.customers)).toEqual([
      { customerId: "00123", category: "promoter", score: 10, group: null, revenue: 150, cost: 60, churned: false, lastResponseDate: 1, periodsActive: 2,
        // months 1 to 3 at risk; in the window's first period (month 1) with 100, in its last (month 3) with 50
        monthsAtRisk: 3, startRevenue: 100, endRevenue: 50, lastPeriod: 2025 * 12 + 2,
        // run-rate: 150 over the file's last three months (1 to 3) = 50 a month, × 12; first month's revenue 100
        runRate: 600, firstRevenue: 100, responsePeriod: null, nextPurchase: null, revenueAfter: 0,
        // a three-month window has no 12-month cohort
        cohortStartRevenue: null, cohortEndRevenue: null },
      { customerId: "00777", category: "detractor", score: 0, group: null, revenue: 10, cost: 5, churned: true, lastResponseDate: 1, periodsActive: 1,
        // only month 2: not in the start cohort, nothing in the last period
        monthsAtRisk: 1, startRevenue: null, endRevenue: 0, lastPeriod: 2025 * 12 + 1,
        // run-rate: 10 over its months among the last three, from its first (2 and 3) = 5 a month, × 12
        runRate: 60, firstRevenue: 10, responsePeriod: null, nextPurchase: null, revenueAfter: 0, cohortStartRevenue: null, cohortEndRevenue: null },
    ]);
  });
});

describe("joinCustomers, whatever order the files come in", () => {
  it("gives the matched customers in id order, each with its own latest answer and money, and marks who answered", () => {
    const random = createRandom(3);
    const ids = Array.from({ length: 400 }, (_, k) => `K${random.integer(0, 99999)}-${k}`);
    const shuffled = (list: string[]) => list.map((id) => ({ id, key: random.next() })).sort((a, b) => a.key - b.key).map((x) => x.id);
    const inFinance = shuffled(ids.filter(() => random.chance(0.8)));
    const inSurvey = shuffled(ids.filter(() => random.chance(0.7)));
    const finance = emptyFinanceTotals();
    inFinance.forEach((id, k) => addFinanceRow(finance, id, k + 1, null, { granularity: "month", ordinal: 24300 }));
    const latest = new LatestResponses(columns(inSurvey.map((id, k) => response(id, k % 11, k, k))));
    // the finance file as it comes, sorted by id, and with each customer's answer asked while it is read (respondentOf, as the pipeline does)
    for (const [sortedFinance, asked] of [[false, false], [true, false], [false, true]] as const) {
      const totals = sortedFinance || asked ? emptyFinanceTotals() : finance;
      if (asked) totals.respondentOf = (id) => latest.indexOf(id) ?? -1;
      if (sortedFinance) [...inFinance].sort().forEach((id) => addFinanceRow(totals, id, inFinance.indexOf(id) + 1, null, { granularity: "month", ordinal: 24300 }));
      if (asked) inFinance.forEach((id, k) => addFinanceRow(totals, id, k + 1, null, { granularity: "month", ordinal: 24300 }));
      if (asked) for (let c = 0; c < totals.customers.size; c++) expect(totals.customers.respondentOf(c)).toBe(latest.indexOf(totals.customers.idOf(c)) ?? -1);
      const join = joinCustomers(latest, totals);
      const matched = inSurvey.filter((id) => inFinance.includes(id)).sort();
      expect(join.customers.ids).toEqual(matched);
      expect(Array.from({ length: matched.length }, (_, i) => join.customers.scoreAt(i))).toEqual(matched.map((id) => inSurvey.indexOf(id) % 11));
      expect(Array.from(join.customers.revenue.subarray(0, matched.length))).toEqual(matched.map((id) => inFinance.indexOf(id) + 1));
      expect([...totals.customers.keys()].filter((_, c) => join.answered[c] === 1).sort()).toEqual(matched);
      expect(join.report.matched).toBe(matched.length);
    }
  });
});

describe("joinCustomers letting the store's recent revenue go (releaseRecent)", () => {
  it("gives the same matched customers, run-rates and cohort revenue as a join that keeps it; a recent read afterwards throws", () => {
    const random = createRandom(11);
    const build = () => {
      const totals = emptyFinanceTotals();
      const rows: [string, number, number][] = [];
      for (let k = 0; k < 300; k++) {
        // customers over up to 30 months, some leaving early, some missing months, rows shuffled
        const first = random.integer(1, 20);
        const last = Math.min(30, first + random.integer(0, 25));
        for (let m = first; m <= last; m++) if (random.chance(0.85)) rows.push([`C${k}`, m, Math.round(random.next() * 100000) / 100]);
      }
      return { totals, rows: rows.map((r) => ({ r, key: random.next() })).sort((a, b) => a.key - b.key).map((x) => x.r) };
    };
    const { rows } = build();
    const fill = () => {
      const totals = emptyFinanceTotals();
      for (const [id, m, revenue] of rows) addFinanceRow(totals, id, revenue, null, { granularity: "month", ordinal: 2024 * 12 + m - 1 });
      return totals;
    };
    const latest = new LatestResponses(columns(Array.from({ length: 200 }, (_, k) => response(`C${k + 50}`, k % 11, k, k))));
    const kept = joinCustomers(latest, fill());
    const released = fill();
    const join = joinCustomers(latest, released, { releaseRecent: true });
    expect(join.customers.length).toBe(kept.customers.length);
    // the recent-revenue columns have values of both kinds (a cohort start and none, run-rates of leavers and stayers)
    const defined = (a: Float64Array) => Array.from(a.subarray(0, join.customers.length)).filter((v) => !Number.isNaN(v)).length;
    expect(defined(kept.customers.cohortStartRevenue)).toBeGreaterThan(20);
    expect(defined(kept.customers.cohortStartRevenue)).toBeLessThan(kept.customers.length);
    expect([...join.customers]).toEqual([...kept.customers]);
    // what the lists read of a customer (pickAt) is what `at` gives
    for (let i = 0; i < join.customers.length; i++) {
      const { customerId, category, score, group, lastResponseDate, revenue, periodsActive, churned } = join.customers.at(i);
      expect(join.customers.pickAt(i)).toEqual({ customerId, category, score, group, lastResponseDate, revenue, periodsActive, churned });
    }
    // each customer's own recent revenue, read from a store that keeps it
    const reference = fill();
    const start = cohortStart(reference)!;
    join.customers.ids.forEach((id, i) => {
      const money = reference.customers.get(id)!;
      expect(MatchedCustomers.valueAt(join.customers.runRate, i), id).toBe(runRate(money, reference));
      expect(MatchedCustomers.valueAt(join.customers.cohortStartRevenue, i), id).toBe(revenueInOrNull(money, start));
      expect(join.customers.cohortEndRevenue[i], id).toBe(revenueInOrNull(money, reference.lastPeriod!) ?? 0);
    });
    expect(() => runRate(released.customers.peek("C60")!, released)).toThrow(/recent revenue was read after the store released it/);
    // the rest of a snapshot is still there
    expect(released.customers.peek("C60")!.revenue).toBe(fill().customers.peek("C60")!.revenue);
  });
});

describe("the per-customer state for run-rates and repurchases", () => {
  const month = (m: number) => ({ granularity: "month" as const, ordinal: 2025 * 12 + m - 1 });
  it("keeps the latest 13 periods' revenue whatever order the rows come in", () => {
    const finance = emptyFinanceTotals();
    // months 1 to 15 in a shuffled order, and a second row in month 15
    for (const m of [7, 1, 15, 3, 12, 9, 2, 14, 4, 11, 5, 13, 8, 6, 10]) addFinanceRow(finance, "A", m * 10, null, month(m));
    addFinanceRow(finance, "A", 5, null, month(15));
    const a = finance.customers.get("A")!;
    expect(a.recentPeriods).toEqual(Array.from({ length: 13 }, (_, i) => month(i + 3).ordinal));
    expect(a.recentRevenue).toEqual([...Array.from({ length: 12 }, (_, i) => (i + 3) * 10), 155]);
  });
  it("tracks, after each answer, the next period with a row and the revenue in the repurchase window", () => {
    const finance = emptyFinanceTotals();
    // A answered in March 2025: it bought again in May (in the window of 2) and in September (outside it)
    finance.responseMonthOf = (id) => (id === "A" ? 2025 * 12 + 2 : null);
    finance.repurchaseWindow = 2;
    for (const [m, revenue] of [[9, 90], [3, 30], [5, 50], [1, 10]] as const) addFinanceRow(finance, "A", revenue, null, month(m));
    addFinanceRow(finance, "B", 7, null, month(4));
    const a = finance.customers.get("A")!;
    expect(a.responsePeriod).toBe(month(3).ordinal);
    expect(a.nextAfterResponse).toBe(month(5).ordinal);
    expect(a.revenueAfterResponse).toBe(50);
    expect(finance.customers.get("B")!.responsePeriod).toBeNull();
  });
});
