import { describe, expect, it } from "vitest";
import { benchmarkVariance, compareToBenchmark } from "../../../src/metrics/benchmarks.js";
import { holm, versusRest } from "../../../src/metrics/feedback.js";
import { ambassadors, expectedMonthsRemaining, latestComments, latestCommentsOf, upsell, withLatestComments, type ListInput } from "../../../src/metrics/lists.js";
import { SurveyResponses } from "../../../src/normalise/survey.js";
import { categoryOf } from "../../../src/metrics/nps.js";
import { addCategoryToNpsTally, emptyNpsTally, npsSummary, type NpsCategory } from "../../../src/metrics/nps.js";
import { standardNormalCdf } from "../../../src/stats/distributions.js";
import { createRandom } from "../../../src/stats/random.js";

const tallyOf = (promoters: number, passives: number, detractors: number) => {
  const t = emptyNpsTally();
  const add = (k: NpsCategory, n: number) => { for (let i = 0; i < n; i++) addCategoryToNpsTally(t, k); };
  add("promoter", promoters); add("passive", passives); add("detractor", detractors);
  return t;
};

describe("Holm's adjustment", () => {
  it("equals R's p.adjust(p, 'holm')", () => {
    // R: p.adjust(c(0.01, 0.04, 0.03, 0.005, 0.5), "holm") = 0.04 0.09 0.09 0.025 0.5
    const got = holm([0.01, 0.04, 0.03, 0.005, 0.5]);
    [0.04, 0.09, 0.09, 0.025, 0.5].forEach((want, i) => expect(got[i]!).toBeCloseTo(want, 12));
    expect(holm([0.2, null, 0.01])).toEqual([0.2, null, 0.02]);
    // R: p.adjust(c(0.9, 0.8), "holm") = 1 1
    expect(holm([0.9, 0.8])).toEqual([1, 1]);
  });
  it("against the rest: a unit far below is flagged, a small one never", () => {
    const units = [
      ...[40, 42, 38, 41, 39].map((p) => ({ tally: tallyOf(p, 80 - p, 20), small: false })),
      { tally: tallyOf(10, 30, 60), small: false },
      { tally: tallyOf(0, 0, 5), small: true },
    ];
    const judged = versusRest(units, 30);
    expect(judged.map((j) => j.flag)).toEqual([null, null, null, null, null, "below", null]);
    // a small unit gets no comparison: an interval from 5 answers would not hold
    expect(judged[6]!.vsRest).toBeNull();
    // the rest pools the five (200 promoters, 100 detractors) and the small one (5 detractors): 505 answers
    expect(judged[5]!.vsRest!.difference).toBeCloseTo(-50 - (100 * 95) / 505, 12);
  });
});

describe("the chance of meeting a target", () => {
  it("is calibrated: of the groups told P(true NPS ≥ target) ≈ q, about q of them meet it (simulation, flat prior)", () => {
    const random = createRandom(7);
    const bins = Array.from({ length: 5 }, () => ({ said: 0, met: 0, count: 0 }));
    const n = 200;
    for (let run = 0; run < 20000; run++) {
      // a true promoter and detractor share, uniformly over the simplex's central part
      const p = 0.15 + 0.5 * random.next();
      const d = 0.05 + 0.4 * random.next() * (1 - p);
      let [np, nd] = [0, 0];
      for (let i = 0; i < n; i++) {
        const u = random.next();
        if (u < p) np++;
        else if (u < p + d) nd++;
      }
      const s = npsSummary(tallyOf(np, n - np - nd, nd), 30);
      // the target anywhere within 40 points of the truth: a flat prior for the truth around it
      const target = 100 * (p - d) + 40 * (random.next() - 0.5) * 2;
      const chance = standardNormalCdf((s.nps - target) / s.stdError);
      const bin = bins[Math.min(4, Math.floor(chance * 5))]!;
      bin.said += chance;
      bin.count++;
      if (100 * (p - d) >= target) bin.met++;
    }
    for (const b of bins) {
      expect(b.count).toBeGreaterThan(500);
      expect(Math.abs(b.met / b.count - b.said / b.count)).toBeLessThan(0.04);
    }
  });
});

describe("benchmarks", () => {
  it("a benchmark's variance: from its shares, else the largest its NPS allows (1 − NPS², no passives)", () => {
    expect(benchmarkVariance({ name: "x", nps: -10, n: 800, promoterShare: 0.3, detractorShare: 0.4, line: 2 })).toEqual({ variance: 0.7 - 0.01, source: "shares" });
    expect(benchmarkVariance({ name: "x", nps: 40, n: 800, promoterShare: null, detractorShare: null, line: 2 }).variance).toBeCloseTo(1 - 0.16, 15);
  });
  it("two-sample with n, a fixed value without; significant when the interval excludes 0", () => {
    const ours = npsSummary(tallyOf(50, 30, 20), 30); // NPS 30, SE 7.8102
    const fixed = compareToBenchmark(ours, null, { name: "f", nps: 10, n: null, promoterShare: null, detractorShare: null, line: 2 });
    expect(fixed.ciLow).toBeCloseTo(ours.ciLow - 10, 12);
    expect(fixed.significant).toBe(true);
    const sample = compareToBenchmark(ours, "A", { name: "s", nps: 20, n: 100, promoterShare: null, detractorShare: null, line: 3 });
    // SE = √(7.8102² + 100² · 0.96 / 100) = √(61 + 96) = 12.530
    expect(sample.ciHigh - sample.difference).toBeCloseTo(1.959963984540054 * Math.sqrt(61 + 96), 9);
    expect(sample.significant).toBe(false);
  });
});

describe("the lists", () => {
  const c = (id: string, category: NpsCategory, group: string, revenue: number, periods: number, churned = false): ListInput => ({ customerId: id, category, score: category === "promoter" ? 10 : category === "passive" ? 8 : 3, group, lastResponseDate: null, revenue, periodsActive: periods, churned });
  it("months remaining at a hazard h within a horizon H: Σ (1 − h)^(k−1) = (1 − (1 − h)^H) / h", () => {
    let sum = 0;
    for (let k = 1; k <= 60; k++) sum += 0.97 ** (k - 1);
    expect(expectedMonthsRemaining(0.03, 60)).toBeCloseTo(sum, 12);
    expect(expectedMonthsRemaining(0, 60)).toBe(60);
  });
  it("upsell: promoters still there below their group's median per month, by headroom × months left", () => {
    const customers = [
      c("A", "promoter", "N", 1200, 12), // 100 a month
      c("B", "promoter", "N", 600, 12), // 50
      c("C", "detractor", "N", 3600, 12), // 300
      c("D", "promoter", "N", 240, 12, true), // 20, but left
      c("E", "passive", "N", 480, 12), // 40
      c("F", "promoter", "S", 100, 1), // 100, the only one in S
    ];
    // N's median per month of 100, 50, 300, 20, 40 is 50: only E (40) and D (20, left) are below
    const hazards = new Map<NpsCategory, number | null>([["promoter", 0.01], ["passive", 0.02]]);
    const comments = new Map([["E", { text: "ok", date: null }]]);
    expect(upsell(customers, { top: 10, hazards, horizonMonths: 60, monthsPerPeriod: 1, comments }).customers).toEqual([]);
    const both = upsell(customers, { top: 10, includePassives: true, hazards, horizonMonths: 60, monthsPerPeriod: 1, comments }).customers;
    expect(both.map((x) => [x.customerId, x.headroom, x.comment])).toEqual([["E", 10, "ok"]]);
    expect(both[0]!.potential).toBeCloseTo(10 * expectedMonthsRemaining(0.02, 60), 12);
    // quarters: revenue per month divides by 3 months a period
    const quarterly = upsell([c("A", "promoter", "N", 300, 1), c("B", "passive", "N", 900, 1), c("C", "passive", "N", 1200, 1)], { top: 10, hazards, horizonMonths: 60, monthsPerPeriod: 3, comments });
    expect(quarterly.customers[0]!.revenuePerMonth).toBe(100);
    expect(quarterly.customers[0]!.headroom).toBe(200);
  });
  it("ambassadors: score, then the answer's month, then revenue; the latest comment, not the latest answer's", () => {
    const d = (s: string) => Date.parse(`${s}T00:00:00Z`);
    const list = ambassadors(
      [
        { customerId: "A", category: "promoter", score: 9, group: null, lastResponseDate: d("2025-06-30"), revenue: 900, churned: false },
        { customerId: "B", category: "promoter", score: 10, group: null, lastResponseDate: d("2025-01-05"), revenue: 10, churned: false },
        { customerId: "C", category: "promoter", score: 9, group: null, lastResponseDate: d("2025-06-01"), revenue: 950, churned: false },
        { customerId: "D", category: "promoter", score: 10, group: null, lastResponseDate: d("2025-06-01"), revenue: 5, churned: true },
        { customerId: "E", category: "passive", score: 8, group: null, lastResponseDate: d("2025-06-01"), revenue: 5000, churned: false },
      ],
      { top: 10, comments: latestComments([
        { customerId: "C", date: d("2025-01-01"), order: 0, comment: "old" },
        { customerId: "C", date: d("2025-03-01"), order: 1, comment: "newer" },
        { customerId: "C", date: d("2025-06-01"), order: 2, comment: null },
      ]) },
    );
    expect(list.customers.map((x) => x.customerId)).toEqual(["B", "C", "A"]);
    expect(list.customers[1]!.comment).toBe("newer");
  });
});

describe("the latest comments of the listed customers, from the responses in columns", () => {
  it("are latestComments' for those customers: the latest response with a comment, by date (none earliest), then by row", () => {
    const random = createRandom(21);
    const responses = new SurveyResponses(3000, 0);
    const objects: { customerId: string | null; date: number | null; order: number; comment: string | null }[] = [];
    for (let i = 0; i < 3000; i++) {
      const customerId = random.chance(0.03) ? null : `C${random.integer(0, 499)}`;
      // few dates, so ties are common; some without a date; many without a comment
      const date = random.chance(0.2) ? null : Date.UTC(2025, random.integer(0, 3), 1);
      const comment = random.chance(0.5) ? null : `comment ${i}`;
      const score = random.integer(0, 10);
      responses.push({ line: i + 2, customerId, score, category: categoryOf(score), date, group: null, drivers: [], weight: 1, outcome: null, comment, owner: null, ratingsValid: true });
      objects.push({ customerId, date, order: i, comment });
    }
    const all = latestComments(objects);
    const wanted = new Set(Array.from({ length: 120 }, (_, k) => `C${k * 4}`));
    const some = latestCommentsOf(responses, wanted);
    expect([...some.keys()].sort()).toEqual([...all.keys()].filter((id) => wanted.has(id)).sort());
    for (const [id, comment] of some) expect(comment, id).toEqual(all.get(id));
    // the rows of a list get their customer's, or null
    const rows = [{ customerId: "C0", comment: null }, { customerId: "nobody", comment: "kept?" }, { customerId: "C4", comment: null }];
    expect(withLatestComments(rows, responses)).toEqual(rows.map((r) => ({ ...r, comment: all.get(r.customerId)?.text ?? null })));
    expect(some.size).toBeGreaterThan(50);
  });
});
