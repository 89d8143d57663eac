import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ReportSchema, type Report } from "../../src/report/report.js";
import { fixturePath } from "../support/fixtures.js";
import { runCli, runJson } from "../support/run-cli.js";

const survey = fixturePath("reference", "nordic-survey.csv");
const finance = fixturePath("reference", "nordic-finance.csv");
const pnl = fixturePath("pnl", "nordic-branch-pnl.csv");
const dir = () => mkdtempSync(join(tmpdir(), "loyalty-money-"));

describe("a finance file per group (branch P&L)", () => {
  it("runs the group linkage from it, and says why the customer-level sections are absent", async () => {
    // nordic-branch-pnl.csv (Swedish Excel: ;, decimal comma, NBSP thousands, Windows-1252): per region two months,
    // region i (alphabetical, Bergen = 0) with revenue 100,000 + 10,000·i then 110,000 + 10,000·i, cost 70,000 + 5,000·i
    // then 72,000 + 5,000·i, and 40 + i then 44 + i customers
    const report = await runJson<Report>(["analyze", "--survey", survey, "--finance", pnl, "--by", "region", "--bootstrap", "0"]);
    expect(ReportSchema.safeParse(report).success).toBe(true);
    expect(report.inputs.finance).toMatchObject({ level: "groups", columns: { customerId: null, group: "Region", customers: "Kunder", revenue: "Intäkt" } });
    expect([report.join, report.revenue, report.churn, report.retention, report.value, report.coverage]).toEqual([null, null, null, null, null, null]);
    expect(report.absent.map((a) => a.section)).toEqual(["revenue by category", "churn", "retention and lifetime value", "revenue at risk and scenarios", "coverage", "survival"]);
    expect(report.warnings.find((w) => w.code === "sections-absent")!.message).toMatch(/not computed, because .*nordic-branch-pnl\.csv has finance per group \(column "Region"\), not per customer/);
    const linkage = report.linkage!;
    expect(linkage.level).toBe("groups");
    const bergen = linkage.groups.find((g) => g.group === "Bergen")!;
    // Bergen: revenue 210,000 over a mean of 42 customers = 5,000; margin (210,000 − 142,000) / 42; growth 110/100 − 1
    expect(bergen.customers).toBe(42);
    expect(bergen.revenuePerCustomer).toBeCloseTo(5000, 9);
    expect(bergen.marginPerCustomer).toBeCloseTo(68000 / 42, 9);
    expect(bergen.revenueGrowth).toBeCloseTo(0.1, 12);
    expect(bergen.churnRate).toBeNull();
    const aarhus = linkage.groups.find((g) => g.group === "Århus")!;
    // Århus is region 7: (170,000 + 180,000) / 49
    expect(aarhus.revenuePerCustomer).toBeCloseTo(350000 / 49, 9);
    expect(linkage.byKpi.find((k) => k.kpi === "revenuePerCustomer")!.n).toBe(8);
    expect(linkage.byKpi.find((k) => k.kpi === "churnRate")!.slope).toBeNull();
  });
  it("at-risk refuses it with a clear error", async () => {
    const result = await runCli(["at-risk", "--survey", survey, "--finance", pnl, "--by", "region"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/finance per group, not per customer, so no customer can be ranked/);
    expect(result.stderr).not.toMatch(/at .*\.js/);
  });
  it("a P&L without a customers column is an error that says what to add", async () => {
    const folder = dir();
    const file = join(folder, "pnl.csv");
    writeFileSync(file, "region,period,revenue\nOslo,2025-01,100\n");
    const result = await runCli(["analyze", "--survey", survey, "--finance", file, "--by", "region"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no column with the number of customers.*--customers/s);
  });
});

describe("employees: eNPS per group and the service-profit chain", () => {
  it("reads eNPS given per group and period (averaged), Nordic decimals, and warns about groups without customers", async () => {
    const report = await runJson<Report>([
      "analyze", "--survey", survey, "--finance", finance, "--by", "region", "--bootstrap", "0", "--employees", fixturePath("employees", "enps-by-region.csv"),
    ]);
    const e = report.employees!;
    expect(e).toMatchObject({ mode: "groups", measure: "enps", moneyBasis: "margin", rowsRead: 17, rowsAccepted: 16, rowsExcluded: 1, columns: { group: "region", score: "eNPS" } });
    // Bergen: (12.5 + 17.5) / 2; Århus: 40 (its second half-year is blank)
    expect(e.groups.find((g) => g.group === "Bergen")).toMatchObject({ employee: 15, employeeRows: 2 });
    expect(e.groups.find((g) => g.group === "Århus")).toMatchObject({ employee: 40, employeeRows: 1 });
    expect(e.groups.find((g) => g.group === "Tromsø")).toMatchObject({ nps: null, money: null });
    expect(e.chain.map((l) => [l.from, l.to, l.n])).toEqual([
      ["employee", "nps", 8],
      ["nps", "money", 8],
      ["employee", "money", 8],
    ]);
    for (const link of e.chain) expect(link.ciLow!).toBeLessThan(link.r!);
    expect(report.warnings.map((w) => w.code)).toContain("employee-groups-unmatched");
  });
  it("needs a group column, and names what it looked for when the file has none", async () => {
    const folder = dir();
    const file = join(folder, "employees.csv");
    writeFileSync(file, "name,enps\nA,9\n");
    const result = await runCli(["analyze", "--survey", survey, "--by", "region", "--employees", file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/employees\.csv: no group column found .*--employee-group/s);
  });
});

describe("coverage, trend, lag and scenarios from the command line", () => {
  it("coverage per group when the finance file names each customer's group (the demo data)", async () => {
    const report = await runJson<Report>(["analyze", "--survey", fixturePath("demo", "survey.csv"), "--finance", fixturePath("demo", "finance.csv"), "--bootstrap", "0"]);
    const c = report.coverage!;
    expect(c.groupBy).toBe("region");
    expect(c.byGroup!.length).toBe(8);
    expect(c.byGroup!.reduce((s, g) => s + g.customers, 0)).toBe(report.join!.financeCustomers);
    expect(c.byGroup!.reduce((s, g) => s + g.respondents, 0)).toBe(report.join!.matched);
    expect(c.overall.customerShare).toBeCloseTo(report.join!.matched / report.join!.financeCustomers, 12);
  });
  it("--scenario replaces the default scenarios, and a scenario it cannot read is a usage error", async () => {
    const report = await runJson<Report>(["analyze", "--survey", survey, "--finance", finance, "--bootstrap", "0", "--scenario", "detractors-to-passives=25%", "--scenario", "retention=+2pp"]);
    expect(report.value!.scenarios.map((s) => s.name)).toEqual(["detractors-to-passives=25%", "retention=+2pp"]);
    const bad = await runCli(["analyze", "--survey", survey, "--finance", finance, "--scenario", "promoters-to-gold=5%"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/is not a scenario; write detractors-to-passives=10%/);
  });
  it("--lag needs a group column and a finance file; --period needs dates", async () => {
    const folder = dir();
    const noGroup = join(folder, "s.csv");
    writeFileSync(noGroup, "customer_id,nps\nC00001,9\n");
    const lag = await runCli(["analyze", "--survey", noGroup, "--finance", finance, "--lag", "1"]);
    expect(lag.code).toBe(2);
    expect(lag.stderr).toMatch(/--lag .* needs a group column/);
    const period = await runCli(["analyze", "--survey", noGroup, "--period", "month"]);
    expect(period.code).toBe(2);
    expect(period.stderr).toMatch(/--period needs the response date/);
  });
  it("a lag longer than the data is said so, not fitted", async () => {
    const report = await runJson<Report>(["analyze", "--survey", survey, "--finance", finance, "--by", "region", "--bootstrap", "0", "--period", "year", "--lag", "1"]);
    expect(report.lag!.rows).toEqual([]);
    expect(report.lag!.byKpi.every((k) => k.slope === null)).toBe(true);
    expect(report.warnings.find((w) => w.code === "lag-too-short")!.message).toMatch(/only 0 group-years have finance 1 year after/);
  });
  it("the table shows every money section", async () => {
    const result = await runCli([
      "analyze", "--survey", survey, "--finance", finance, "--by", "region", "--bootstrap", "0", "--period", "quarter", "--lag", "1", "--weighted-linkage",
      "--employees", fixturePath("reference", "nordic-employees.csv"), "--no-color",
    ]);
    expect(result.code).toBe(0);
    for (const heading of ["Retention and lifetime value by category", "Money at stake", "Survey coverage", "NPS by quarter", "NPS and money across region groups", "weighted by each group's responses", "NPS now, money later (lag 1 quarter)", "the service-profit chain"]) {
      expect(result.stdout, heading).toContain(heading);
    }
    expect(result.stdout).toMatch(/a promoter is worth 2\.7× a detractor in lifetime margin/);
    expect(result.stdout).toMatch(/detractors-to-passives=10% rests on:/);
  });
  it("a config file carries the money options", async () => {
    const folder = dir();
    const config = join(folder, "loyalty.config.json");
    writeFileSync(config, JSON.stringify({ analysis: { period: "quarter", scenarios: ["passives-to-promoters=20%"], weightedLinkage: true, bootstrap: 0 }, survey: { by: "region" } }));
    const report = await runJson<Report>(["--config", config, "analyze", "--survey", survey, "--finance", finance]);
    expect(report.trend!.unit).toBe("quarter");
    expect(report.value!.scenarios.map((s) => s.name)).toEqual(["passives-to-promoters=20%"]);
    expect(report.linkage!.weighted).not.toBeNull();
  });
});

describe("employee answers with a rejected row", () => {
  it("stay individual 0-10 answers (eNPS computed), the reject is counted, and two groups give no correlation", async () => {
    const folder = dir();
    const file = join(folder, "employees.csv");
    // Oslo: 9 and a typo; Bergen: 10 (promoter) and 3 (detractor) → eNPS 0; Oslo: one promoter → +100
    writeFileSync(file, "region,enps\nOslo,9\nOslo,x\nBergen,10\nBergen,3\n");
    const report = await runJson<Report>(["analyze", "--survey", survey, "--by", "region", "--bootstrap", "0", "--employees", file]);
    const e = report.employees!;
    expect(e).toMatchObject({ mode: "respondents", measure: "enps", rowsRead: 4, rowsAccepted: 3, rowsRejected: 1, rejects: [{ line: 3, column: 2, columnName: "enps" }] });
    expect(e.groups.map((g) => [g.group, g.employee])).toEqual([["Bergen", 0], ["Oslo", 100]]);
    expect(e.chain.every((l) => l.n <= 2 && l.r === null)).toBe(true);
    expect(report.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(["employee-rows-rejected", "chain-few-groups"]));
  });
});

it("warns that fewer than 8 groups are too few to say much", async () => {
  const report = await runJson<Report>(["analyze", "--survey", survey, "--finance", finance, "--by", "segment", "--bootstrap", "0"]);
  const groups = report.linkage!.groups.length;
  expect(groups).toBeLessThan(8);
  expect(report.warnings.find((w) => w.code === "linkage-few-groups")).toMatchObject({ message: `only ${groups} groups: too few groups to say much about how NPS goes with money across them`, count: groups });
});
