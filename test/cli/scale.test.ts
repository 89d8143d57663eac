import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Report } from "../../src/report/report.js";
import { runCli, runJson } from "../support/run-cli.js";

const dir = mkdtempSync(join(tmpdir(), "loyalty-scale-"));
// 20 answers on a 1-5 scale: eight 5s, six 4s, three 3s, two 2s, one 1
const scores = [5, 5, 5, 5, 5, 5, 5, 5, 4, 4, 4, 4, 4, 4, 3, 3, 3, 2, 2, 1];
const file = join(dir, "five-point.csv");
writeFileSync(file, ["customer_id,score", ...scores.map((s, i) => `K${i},${s}`)].join("\n"));

describe("score scales", () => {
  it("a 1-5 score column without --scale is an error that names the detected scale and the option", async () => {
    const result = await runCli(["analyze", "--survey", file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'loyalty: five-point.csv: column "score": every one of the 20 scores lies between 1 and 5, so it looks like a 1-5 scale, not a 0-10 NPS question ' +
        "(read as NPS, every answer would be a detractor); pass --scale 1-5 (promoters 5, passives 4, detractors 1-3; change with --categories), or --scale 0-10 to read it as NPS anyway\n",
    );
  });
  it("--scale 1-5 puts 5 as promoter, 4 as passive, 1-3 as detractor", async () => {
    const report = await runJson<Report>(["analyze", "--survey", file, "--scale", "1-5"]);
    // 8 promoters, 6 passives, 6 detractors of 20: NPS = 100 (8 - 6) / 20 = 10
    expect(report.nps.overall).toMatchObject({ n: 20, promoters: 8, passives: 6, detractors: 6 });
    expect(report.nps.overall.nps).toBeCloseTo(10, 12);
    expect(report.nps.scale).toEqual({ min: 1, max: 5, promoterFrom: 5, passiveFrom: 4 });
  });
  it("--categories moves the cut-offs; values outside the scale are rejected rows", async () => {
    const report = await runJson<Report>(["analyze", "--survey", file, "--scale", "1-5", "--categories", "4,3"]);
    // promoters 4-5: 14, passives 3: 3, detractors 1-2: 3
    expect(report.nps.overall).toMatchObject({ promoters: 14, passives: 3, detractors: 3 });
    const withSix = join(dir, "six.csv");
    writeFileSync(withSix, ["customer_id,score", ...scores.map((s, i) => `K${i},${s}`), "K99,6"].join("\n"));
    const six = await runJson<Report>(["analyze", "--survey", withSix, "--scale", "1-5"]);
    expect(six.inputs.survey.rejects[0]).toMatchObject({ line: 22, reason: 'expected a whole number 1-5 or blank, got "6"' });
    const bad = await runCli(["analyze", "--survey", file, "--scale", "1-5", "--categories", "9,7"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--categories 9,7 does not fit the scale 1-5/);
  });
  it("--scale 0-10 reads such a column as NPS anyway", async () => {
    const report = await runJson<Report>(["analyze", "--survey", file, "--scale", "0-10"]);
    expect(report.nps.overall.nps).toBe(-100);
  });
  it("choice-text scores map to their number", async () => {
    const texts = join(dir, "choice.csv");
    writeFileSync(texts, "customer_id,How likely are you to recommend us?\nA,10 - Extremely likely\nB,0 - Not at all likely\nC,8\n");
    const report = await runJson<Report>(["analyze", "--survey", texts]);
    expect(report.nps.overall).toMatchObject({ n: 3, promoters: 1, passives: 1, detractors: 1 });
  });
});
