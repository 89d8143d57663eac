import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import type { AtRiskReport } from "../../src/report/render-at-risk.js";
import { fixturePath } from "../support/fixtures.js";
import { nordicExpected } from "../support/nordic-expected.js";
import { runCli } from "../support/run-cli.js";

const survey = fixturePath("reference", "nordic-survey.csv");
const finance = fixturePath("reference", "nordic-finance.csv");
const dir = mkdtempSync(join(tmpdir(), "loyalty-at-risk-"));

async function json(args: string[]): Promise<AtRiskReport> {
  const result = await runCli(["at-risk", ...args, "--format", "json"]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as AtRiskReport;
}

describe("loyalty at-risk", () => {
  it("lists exactly the matched detractors, ranked by revenue (R: 103 detractors, 673,025.88 revenue)", async () => {
    const report = await json(["--survey", survey, "--finance", finance, "--top", "1000"]);
    const want = nordicExpected.revenue_by_category.find((c) => c.category === "detractor")!;
    expect(report.customers).toHaveLength(want.customers);
    expect(report.customers.every((c) => c.category === "detractor" && c.score <= 6)).toBe(true);
    const total = report.customers.reduce((sum, c) => sum + c.revenue, 0);
    expect(total).toBeCloseTo(want.revenue, 6);
    expect(report.customers.filter((c) => c.churned).length).toBe(want.churned);
    const revenues = report.customers.map((c) => c.revenue);
    expect(revenues).toEqual([...revenues].sort((a, b) => b - a));
    expect(report.customers.map((c) => c.rank)).toEqual(report.customers.map((_, i) => i + 1));
  });
  it("--top cuts the list; --include passives adds them", async () => {
    expect((await json(["--survey", survey, "--finance", finance, "--top", "10"])).customers).toHaveLength(10);
    const both = await json(["--survey", survey, "--finance", finance, "--top", "1000", "--include", "passives"]);
    expect(both.customers).toHaveLength(103 + 204);
  });
  it("carries score, group, last response date, revenue, margin, months active and whether the customer left", async () => {
    const [first] = (await json(["--survey", survey, "--finance", finance, "--by", "region", "--top", "1"])).customers;
    expect(Object.keys(first!)).toEqual(["rank", "customerId", "category", "score", "group", "lastResponseDate", "revenue", "margin", "monthsActive", "churned", "comment"]);
    expect(first!.lastResponseDate).toMatch(/^2025-\d{2}-\d{2}$/);
    expect(first!.monthsActive).toBeGreaterThan(0);
  });
  it("writes CSV ready for a CRM import, with formula-like text neutralised and numbers untouched", async () => {
    const s = join(dir, "s.csv");
    const f = join(dir, "f.csv");
    writeFileSync(s, 'customer_id,region,response_date,nps\nK1,"=HYPERLINK(""x"")",2025-01-03,2\nK2,+cmd,2025-01-04,3\nK3,Oslo,2025-01-05,10\nK4,"-2+3",2025-01-06,1\n');
    writeFileSync(f, "customer_id,period,revenue,cost\nK1,2025-01,-50.5,10\nK2,2025-01,300,100\nK3,2025-01,999,1\nK4,2025-01,20,5\n");
    const out = join(dir, "list.csv");
    const result = await runCli(["at-risk", "--survey", s, "--finance", f, "--by", "region", "--output", out]);
    expect(result.code, result.stderr).toBe(0);
    const rows = parse(readFileSync(out, "utf8"), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.customer_id)).toEqual(["K2", "K4", "K1"]);
    expect(rows.map((r) => r.group)).toEqual(["'+cmd", "'-2+3", "'=HYPERLINK(\"x\")"]);
    expect(rows[2]!.revenue).toBe("-50.5");
    // a single period cannot show anyone leave or stay: churned is unknown (blank), not "false"
    expect(rows[0]!.churned).toBe("");
  });
  it("escapes control and bidirectional-override characters from the data in the CSV and the table", async () => {
    const s = join(dir, "s-ctrl.csv");
    const f = join(dir, "f-ctrl.csv");
    // a group name with BEL, an ANSI escape and a right-to-left override
    writeFileSync(s, `customer_id,region,response_date,nps\nK1,Os\u0007lo\u001b[31m\u202Eevil,2025-01-03,2\nK2,Bergen,2025-01-04,3\n`);
    writeFileSync(f, "customer_id,period,revenue,cost\nK1,2025-01,50,10\nK2,2025-01,300,100\n");
    const out = join(dir, "list-ctrl.csv");
    expect((await runCli(["at-risk", "--survey", s, "--finance", f, "--by", "region", "--output", out])).code).toBe(0);
    const text = readFileSync(out, "utf8");
    expect(text).not.toMatch(/[\u0000-\u0009\u000b\u000c\u000e-\u001f\u202a-\u202e]/);
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    expect(rows.find((r) => r.customer_id === "K1")!.group).toBe("Os\\u0007lo\\u001b[31m\\u202eevil");
    const table = await runCli(["at-risk", "--survey", s, "--finance", f, "--by", "region", "--width", "200"]);
    expect(table.stdout).not.toMatch(/[\u0007\u001b\u202e]/);
    expect(table.stdout).toMatch(/Os\\u0007lo\\u001b\[31m\\u202eevil/);
    const warnings = await runCli(["analyze", "--survey", s, "--format", "json"]);
    expect(warnings.stderr).not.toMatch(/[\u0007\u001b\u202e]/);
  });
  it("needs both files: without --finance it is a usage error", async () => {
    const result = await runCli(["at-risk", "--survey", survey]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/at-risk needs --finance/);
  });
});
