// Churn from a flag (--churn-column, or a detected Churn Value / Customer Status column), from the
// finance rows with --churn-after K, and no churn at all where the data cannot show anyone leave.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Report } from "../../src/report/report.js";
import { parseChurnFlag } from "../../src/normalise/churn-flag.js";
import { runCli } from "../support/run-cli.js";

const dir = mkdtempSync(join(tmpdir(), "loyalty-churn-"));
const file = (name: string, lines: string[]) => {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
};
async function report(args: string[]) {
  const result = await runCli([...args, "--bootstrap", "0", "--format", "json"]);
  expect(result.code, result.stderr).toBe(0);
  return { report: JSON.parse(result.stdout) as Report, stderr: result.stderr };
}

// a telco-style snapshot: 1-5 satisfaction, a churn flag in the status file, one row of services per customer (no period)
const scores = [1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2, 3, 4, 5];
const churned = (i: number) => scores[i]! <= 2 || (scores[i] === 3 && i % 2 === 0);
const status = file("telco-status.csv", [
  "Customer ID,Quarter,Satisfaction Score,Customer Status,Churn Value,City",
  ...scores.map((s, i) => `${1000 + i}-QWER,Q3,${s},${churned(i) ? "Churned" : i % 3 ? "Stayed" : "Joined"},${churned(i) ? 1 : 0},${["Fresno", "San Diego"][i % 2]}`),
]);
const services = file("telco-services.csv", ["Customer ID,Count,Quarter,Tenure in Months,Total Revenue", ...scores.map((_, i) => `${1000 + i}-QWER,1,Q3,${i + 1},${100 * (i + 1)}`)]);

describe("churn flags", () => {
  it("read 1/0, yes/no, Churned/Stayed/Joined and the Nordic words; anything else is not a flag", () => {
    for (const yes of ["1", "Yes", "TRUE", "Churned", "ja", "Kyllä", "avslutad", "opsagt"]) expect(parseChurnFlag(yes), yes).toBe(true);
    for (const no of ["0", "no", "false", "Stayed", "Joined", "nej", "ei", "aktiv"]) expect(parseChurnFlag(no), no).toBe(false);
    expect(parseChurnFlag(" ")).toBeNull();
    expect(parseChurnFlag("maybe")).toBeUndefined();
  });
  it("the telco snapshot: churn by category from Churn Value, with no hand-made file, and the time-based sections absent with the reason", async () => {
    const { report: r } = await report(["analyze", "--survey", status, "--finance", services, "--scale", "1-5", "--churn-column", "Churn Value"]);
    expect(r.churn).toMatchObject({ rule: "flag", lastPeriod: null, flag: { file: "telco-status.csv", column: "Churn Value", unknown: 0, invalid: 0 } });
    const expected = scores.filter((_, i) => churned(i)).length;
    expect(r.churn!.overall).toMatchObject({ customers: 20, churned: expected });
    // 1-5 top two boxes: 5 promoters, 4 passives, 1-3 detractors; every churned customer scored 1-3
    const byCategory = Object.fromEntries(r.churn!.byCategory.map((c) => [c.category, c.churned]));
    expect(byCategory).toEqual({ promoter: 0, passive: 0, detractor: expected });
    expect(r.absent.map((a) => a.section)).toEqual(["retention and lifetime value", "revenue at risk and scenarios", "survival"]);
    expect(r.absent[0]!.reason).toMatch(/telco-services\.csv has no period column/);
    expect(r.value).toBeNull();
  });
  it("is detected by its header when not named (Customer Status), and the report says which column it used", async () => {
    const { report: r, stderr } = await report(["analyze", "--survey", status, "--finance", services, "--scale", "1-5"]);
    expect(r.churn!.flag!.column).toBe("Customer Status");
    expect(r.churn!.overall.churned).toBe(scores.filter((_, i) => churned(i)).length);
    expect(stderr).toMatch(/churn comes from the flag column "Customer Status" in telco-status\.csv/);
  });
  it("a named column that neither file has is a usage error listing both files' columns", async () => {
    const result = await runCli(["analyze", "--survey", status, "--finance", services, "--scale", "1-5", "--churn-column", "Churned"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--churn-column "Churned": neither telco-services\.csv nor telco-status\.csv has that column; telco-services\.csv has "Customer ID"/);
  });
  it("in the finance file, the latest period's flag wins; unreadable flags are counted, located and left out", async () => {
    const survey = file("s.csv", ["customer_id,response_date,nps", "A,2025-01-05,10", "B,2025-01-05,3", "C,2025-01-05,8", "D,2025-01-05,2"]);
    const finance = file("f.csv", [
      "customer_id,period,revenue,avslutad",
      "A,2025-01,100,nej", "A,2025-02,100,nej", "A,2025-03,100,nej",
      "B,2025-01,100,nej", "B,2025-02,100,ja", "B,2025-03,100,ja",
      "C,2025-01,100,nej", "C,2025-02,100,nej", "C,2025-03,100,kanske",
      "D,2025-01,100,nej", "D,2025-03,100,ja",
    ]);
    const { report: r } = await report(["analyze", "--survey", survey, "--finance", finance]);
    expect(r.churn).toMatchObject({ rule: "flag", flag: { file: "f.csv", column: "avslutad", unknown: 1, invalid: 1, firstInvalid: { line: 10, column: 4, value: "kanske" } } });
    expect(r.churn!.overall).toEqual({ customers: 3, churned: 2, churnRate: 2 / 3 });
    expect(r.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(["churn-flag", "churn-flag-invalid", "churn-flag-unknown"]));
  });
});

describe("churn from the finance rows", () => {
  const survey = file("s2.csv", ["customer_id,response_date,nps", "A,2025-01-05,10", "B,2025-01-05,3", "C,2025-01-05,8"]);
  const finance = file("f2.csv", ["customer_id,period,revenue", "A,2025-01,1", "A,2025-04,1", "B,2025-01,1", "B,2025-03,1", "C,2025-01,1", "C,2025-02,1"]);
  it("--churn-after K: churned = no row in the file's last K periods", async () => {
    const one = (await report(["analyze", "--survey", survey, "--finance", finance])).report;
    expect(one.churn).toMatchObject({ rule: "derived", after: 1, lastPeriod: "2025-04", overall: { churned: 2 } });
    const two = (await report(["analyze", "--survey", survey, "--finance", finance, "--churn-after", "2"])).report;
    // B's last row is in 2025-03, one of the last two periods: not churned; C's is in 2025-02
    expect(two.churn).toMatchObject({ after: 2, overall: { churned: 1 } });
    expect(two.churn!.byCategory.find((c) => c.category === "passive")!.churned).toBe(1);
    const all = await runCli(["analyze", "--survey", survey, "--finance", finance, "--churn-after", "4"]);
    expect(all.code).toBe(2);
    expect(all.stderr).toMatch(/--churn-after 4: f2\.csv holds only 4 periods, so every customer would count as churned/);
  });
  it("a single-period snapshot without a flag shows no churn, and no scenario, and says why", async () => {
    const snapshot = file("f3.csv", ["customer_id,period,revenue", "A,2025-06,10", "B,2025-06,20", "C,2025-06,30"]);
    const { report: r } = await report(["analyze", "--survey", survey, "--finance", snapshot]);
    expect(r.churn).toBeNull();
    expect(r.retention).toBeNull();
    expect(r.value).toBeNull();
    expect(r.survival).toBeNull();
    expect(r.absent.map((a) => a.section)).toEqual(["churn", "retention and lifetime value", "revenue at risk and scenarios", "survival"]);
    expect(r.absent[0]!.reason).toBe("f3.csv holds a single period (2025-06), so no one can be seen to leave or stay over time; a churn flag column (--churn-column) gives churn by category");
    const table = await runCli(["analyze", "--survey", survey, "--finance", snapshot, "--bootstrap", "0"]);
    expect(table.stdout).not.toMatch(/rests on|one-year revenue/);
    expect(table.stdout).toMatch(/^Not shown$/m);
  });
});
