import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { addToNpsTally, emptyNpsTally, mergeNpsTallies, npsSummary } from "../../src/metrics/nps.js";
import type { Report } from "../../src/report/report.js";
import { createRandom } from "../../src/stats/random.js";
import { runJson } from "../support/run-cli.js";

const SEED = 20261122;
const dir = mkdtempSync(join(tmpdir(), "loyalty-prop-"));

describe("NPS invariants (seeded, seed printed on failure)", () => {
  const random = createRandom(SEED);
  it(`NPS lies in [-100, 100], its interval contains it, and tallies merge in any order (seed ${SEED})`, () => {
    for (let run = 0; run < 500; run++) {
      const scores = Array.from({ length: random.integer(1, 60) }, () => random.integer(0, 10));
      const weights = scores.map(() => (random.chance(0.5) ? 1 : random.integer(1, 5) / 2));
      const cut1 = random.integer(0, scores.length);
      const cut2 = random.integer(cut1, scores.length);
      const tallies = [emptyNpsTally(), emptyNpsTally(), emptyNpsTally()];
      const all = emptyNpsTally();
      scores.forEach((s, i) => {
        addToNpsTally(tallies[i < cut1 ? 0 : i < cut2 ? 1 : 2]!, s, weights[i]);
        addToNpsTally(all, s, weights[i]);
      });
      const summary = npsSummary(all);
      expect(summary.nps).toBeGreaterThanOrEqual(-100);
      expect(summary.nps).toBeLessThanOrEqual(100);
      expect(summary.ciLow).toBeLessThanOrEqual(summary.nps + 1e-9);
      expect(summary.ciHigh).toBeGreaterThanOrEqual(summary.nps - 1e-9);
      const [a, b, c] = tallies as [typeof all, typeof all, typeof all];
      const left = npsSummary(mergeNpsTallies(mergeNpsTallies(a, b), c));
      const right = npsSummary(mergeNpsTallies(c, mergeNpsTallies(b, a)));
      expect(left.nps).toBeCloseTo(summary.nps, 9);
      expect(right.nps).toBeCloseTo(summary.nps, 9);
      expect(right.stdError).toBeCloseTo(summary.stdError, 9);
    }
  });
});

describe("report invariants", () => {
  it(`results do not depend on row order, and revenue by category sums to the total (seed ${SEED})`, async () => {
    const random = createRandom(SEED + 1);
    const customers = Array.from({ length: 120 }, (_, i) => `K${String(i).padStart(4, "0")}`);
    const surveyRows = customers.map(
      (id, i) => `${id},${random.pick(["Oslo", "Malmö", "Århus"])},2025-${String((i % 9) + 1).padStart(2, "0")}-${String((i % 27) + 1).padStart(2, "0")},${random.integer(0, 10)},${random.integer(1, 10)},${random.integer(1, 10)}`,
    );
    const financeRows = customers.flatMap((id) =>
      Array.from({ length: random.integer(1, 6) }, (_, m) => `${id},2025-0${m + 1},${(random.integer(1000, 90000) / 100).toFixed(2)},${(random.integer(100, 50000) / 100).toFixed(2)}`),
    );
    const shuffle = <T>(items: T[]) => {
      const copy = [...items];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = random.integer(0, i);
        [copy[i], copy[j]] = [copy[j]!, copy[i]!];
      }
      return copy;
    };
    const run = async (survey: string[], finance: string[], tag: string) => {
      const s = join(dir, `survey-${tag}.csv`);
      const f = join(dir, `finance-${tag}.csv`);
      writeFileSync(s, ["customer_id,region,response_date,nps,service,price", ...survey].join("\n"));
      writeFileSync(f, ["customer_id,period,revenue,cost", ...finance].join("\n"));
      return runJson<Report>(["analyze", "--survey", s, "--finance", f]);
    };
    const original = await run(surveyRows, financeRows, "a");
    const shuffled = await run(shuffle(surveyRows), shuffle(financeRows), "b");
    const strip = (r: Report) => ({ ...r, inputs: null, warnings: r.warnings.map((w) => w.code) });
    const a = strip(original);
    const b = strip(shuffled);
    expect(b.nps).toEqual(a.nps);
    expect(b.join).toEqual(a.join);
    expect(b.churn).toEqual(a.churn);
    // sums in another order can differ in the last bit
    b.revenue!.byCategory.forEach((row, i) => expect(row.revenue).toBeCloseTo(a.revenue!.byCategory[i]!.revenue, 6));
    b.drivers!.terms.forEach((t, i) => expect(t.estimate).toBeCloseTo(a.drivers!.terms[i]!.estimate, 9));
    const total = original.revenue!.byCategory.reduce((sum, row) => sum + row.revenue, 0);
    expect(total).toBeCloseTo(original.revenue!.total.revenue, 6);
    expect(original.revenue!.byCategory.reduce((sum, row) => sum + row.customers, 0)).toBe(original.join!.matched);
  });
});
