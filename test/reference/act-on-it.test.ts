// Targets, benchmarks and feedback per owner against base R (fixtures/reference/act-on-it.R) on the
// demo data: the minimum detectable change, the chance of meeting a target, the two-sample and
// fixed benchmark differences, each owner and group against the rest with Holm's adjustment
// (R's p.adjust), and the change between quarters.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FeedbackReportSchema, TargetsReportSchema } from "../../src/report/list-schemas.js";
import type { Report } from "../../src/report/report.js";
import { fixturePath, readJsonFixture } from "../support/fixtures.js";
import { runCli } from "../support/run-cli.js";

interface Diff { difference: number; ciLow: number; ciHigh: number; p: number; adjustedP?: number }
interface Expected {
  feedback: { owner: string; n: number; nps: number; vsRest: Diff & { adjustedP: number }; latest: number; previous: number; change: Diff }[];
  targets: { group: string; n: number; nps: number; stdError: number; minimumDetectableChange: number; chanceMet: { minus5: number; same: number; plus5: number }; adjustedP: number }[];
  benchmarks: (Diff & { benchmark: string; group: string | null })[];
}
const R = readJsonFixture<Expected>("reference", "act-on-it-expected.json");
const survey = fixturePath("demo", "survey.csv");
const benchmarks = fixturePath("reference", "benchmarks.csv");
const dir = mkdtempSync(join(tmpdir(), "loyalty-act-ref-"));
const close = (actual: number, expected: number, label: string) => expect(Math.abs(actual - expected), `${label}: ${actual} vs R ${expected}`).toBeLessThan(1e-9 * Math.max(1, Math.abs(expected)));

async function json(args: string[]): Promise<unknown> {
  const result = await runCli([...args, "-f", "json"]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
}

describe("feedback per owner equals R", () => {
  it("NPS, the difference with the rest, its Holm-adjusted p, and the change from Q3 to Q4", async () => {
    const report = FeedbackReportSchema.parse(await json(["feedback", "-s", survey]));
    expect(report.owners.map((o) => o.owner).sort()).toEqual(R.feedback.map((f) => f.owner).sort());
    for (const want of R.feedback) {
      const o = report.owners.find((x) => x.owner === want.owner)!;
      expect(o.overall.n).toBe(want.n);
      close(o.overall.nps, want.nps, `${o.owner} nps`);
      for (const k of ["difference", "ciLow", "ciHigh", "p", "adjustedP"] as const) close(o.vsRest![k]!, want.vsRest[k], `${o.owner} vsRest.${k}`);
      close(o.latest!.nps, want.latest, `${o.owner} latest`);
      close(o.previous!.nps, want.previous, `${o.owner} previous`);
      for (const k of ["difference", "ciLow", "ciHigh", "p"] as const) close(o.change![k]!, want.change[k], `${o.owner} change.${k}`);
      expect(o.flag === "below", o.owner).toBe(want.vsRest.adjustedP < 0.05 && want.vsRest.difference < 0);
    }
  });
});

describe("targets equal R", () => {
  it("the minimum detectable change, the chance of meeting a target, and the groups against the rest", async () => {
    const targets = join(dir, "targets.csv");
    const rows = R.targets.flatMap((t) => [`${t.group},${t.nps + 5}`]);
    writeFileSync(targets, `group,target\n${rows.join("\n")}\n`);
    const report = TargetsReportSchema.parse(await json(["targets", "-s", survey, "-b", "region", "--targets", targets]));
    for (const want of R.targets) {
      const g = report.groups.find((x) => x.group === want.group)!;
      expect(g.n).toBe(want.n);
      close(g.nps, want.nps, `${g.group} nps`);
      close(g.stdError, want.stdError, `${g.group} se`);
      close(g.minimumDetectableChange, want.minimumDetectableChange, `${g.group} mdc`);
      close(g.chanceMet!, want.chanceMet.plus5, `${g.group} chance of today + 5`);
      close(g.vsRest!.adjustedP!, want.adjustedP, `${g.group} Holm p`);
    }
  });
  it("the benchmark rule aims part of the way to the first benchmark, never inside the noise", async () => {
    const report = TargetsReportSchema.parse(await json(["targets", "-s", survey, "-b", "region", "--benchmark", benchmarks, "--target-rule", "benchmark:0.5"]));
    for (const g of report.groups) {
      const wanted = g.nps + 0.5 * Math.max(0, -5 - g.nps);
      close(g.proposedTarget!, Math.max(wanted, g.nps + g.minimumDetectableChange), `${g.group} target`);
    }
    expect(report.rule).toBe("50% of the way to Nordic banks 2025 (-5.0)");
  });
});

describe("benchmarks equal R", () => {
  it("analyze --benchmark: two-sample with n (shares or the bound), fixed without, overall and per group", async () => {
    const report = (await json(["analyze", "-s", survey, "-b", "region", "--benchmark", benchmarks, "--bootstrap", "0"])) as Report;
    const got = report.benchmarks!.comparisons;
    expect(got).toHaveLength(R.benchmarks.length);
    for (const want of R.benchmarks) {
      const c = got.find((x) => x.benchmark === want.benchmark && x.group === want.group)!;
      for (const k of ["difference", "ciLow", "ciHigh", "p"] as const) close(c[k]!, want[k], `${want.benchmark} / ${want.group ?? "overall"} ${k}`);
      expect(c.significant).toBe(want.ciLow > 0 || want.ciHigh < 0);
      expect(c.method).toBe(want.benchmark === "All industries" ? "fixed" : "two-sample");
    }
    expect(got.find((c) => c.benchmark === "Peers")!.benchmarkVariance).toBe("shares");
    expect(got.find((c) => c.benchmark === "Nordic banks 2025")!.benchmarkVariance).toBe("bound");
  });
});
