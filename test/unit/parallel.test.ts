import { describe, expect, it } from "vitest";
import { sharedColumn, unitRunner, warmUp, type DriverTask, type Rehearsal } from "../../src/parallel.js";

/** A driver task of n made-up rows: two drivers and a score that follows them. */
function task(n: number, options: DriverTask["options"], kind: DriverTask["kind"] = "linear"): DriverTask {
  const outcome = sharedColumn(n);
  const service = sharedColumn(n);
  const price = sharedColumn(n);
  for (let i = 0; i < n; i++) {
    service[i] = 1 + ((i * 7) % 10);
    price[i] = i % 13 === 0 ? Number.NaN : 1 + ((i * 3) % 10);
    const score = Math.min(10, Math.round((service[i]! + (i % 5)) / 1.4));
    outcome[i] = kind === "logistic" ? (score >= 9 ? 1 : 0) : score;
  }
  return { outcomeName: "nps", outcome, drivers: [{ name: "service", values: service }, { name: "price", values: price }], rows: null, options, kind };
}

/** The analysis and its first two bootstrap blocks, as a worker runs them. */
function units(t: DriverTask) {
  const run = unitRunner();
  return [run(0, t, -1), run(0, t, 0), run(0, t, 1)];
}

describe("warmUp (a prewarmed worker's rehearsal)", () => {
  it("runs a plan and two bootstrap blocks of each of its two analyses, then stops", async () => {
    const linear: Rehearsal = { kind: "linear", options: { bootstrap: 200, seed: 3 } };
    expect(await warmUp(linear, () => false)).toBe(6);
    // a logistic model rehearses its plans only (its blocks are long steps)
    expect(await warmUp({ kind: "logistic", options: { bootstrap: 50, seed: 3 } }, () => false)).toBe(2);
    // without a bootstrap, the plans only; without importances, too
    expect(await warmUp({ kind: "linear", options: { bootstrap: 0 } }, () => false)).toBe(2);
    expect(await warmUp({ kind: "linear", options: null }, () => false)).toBe(2);
  });

  it("stops before its next unit once the job has come", async () => {
    let asked = 0;
    expect(await warmUp({ kind: "linear", options: { bootstrap: 200 } }, () => ++asked > 2)).toBe(2);
    expect(await warmUp({ kind: "linear", options: { bootstrap: 200 } }, () => true)).toBe(0);
  });

  it("leaves the analyses' results as they were, to the bit", async () => {
    for (const kind of ["linear", "logistic"] as const) {
      const options = { bootstrap: 100, seed: 11 };
      const before = JSON.stringify(units(task(3000, options, kind)));
      await warmUp({ kind, options }, () => false);
      expect(JSON.stringify(units(task(3000, options, kind)))).toBe(before);
      // (and the results are real ones: a model and resamples)
      expect(before).toMatch(/"rSquared"|"mcFadden/);
    }
  });
});
