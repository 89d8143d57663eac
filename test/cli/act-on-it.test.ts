// The lists to act on and the small loop, on the demo data (which plants weak account managers,
// comments and low-spending promoters): upsell, ambassadors, feedback in every format, and
// what they find against what was planted.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { marked, type Tokens } from "marked";
import { describe, expect, it } from "vitest";
import { safeFileName } from "../../src/cli/commands/feedback.js";
import type { PlantedTruth } from "../../src/generate/synthetic.js";
import { AmbassadorsReportSchema, AtRiskReportSchema, FeedbackReportSchema, UpsellReportSchema } from "../../src/report/list-schemas.js";
import { fixturePath, readJsonFixture } from "../support/fixtures.js";
import { runCli } from "../support/run-cli.js";

const survey = fixturePath("demo", "survey.csv");
const finance = fixturePath("demo", "finance.csv");
const truth = readJsonFixture<PlantedTruth>("demo", "truth.json");
const dir = mkdtempSync(join(tmpdir(), "loyalty-act-"));

async function ok(args: string[]): Promise<string> {
  const result = await runCli(args);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}

describe("loyalty upsell", () => {
  it("finds the planted low-spending promoters first, and only customers below their group's median", async () => {
    const report = UpsellReportSchema.parse(JSON.parse(await ok(["upsell", "-s", survey, "-F", finance, "-n", "1000", "-f", "json"])));
    const planted = new Set(truth.upsell.customers);
    const top10 = report.customers.slice(0, 10).map((c) => c.customerId);
    // spend of a planted promoter is 0.35 × the usual; natural spread (log-sd 0.4) puts some others low too
    expect(top10.filter((id) => planted.has(id)).length).toBeGreaterThanOrEqual(8);
    for (const c of report.customers) {
      expect(c.category).toBe("promoter");
      expect(c.headroom).toBeCloseTo(c.groupMedian - c.revenuePerMonth, 9);
      expect(c.potential!).toBeCloseTo(c.headroom * c.monthsRemaining!, 9);
      expect(c.monthsRemaining!).toBeLessThanOrEqual(60);
    }
    const potentials = report.customers.map((c) => c.potential!);
    expect(potentials).toEqual([...potentials].sort((a, b) => b - a));
    // nearly every planted promoter still with the company (a row in the last month) is on the full list
    const active = new Set(readFileSync(finance, "utf8").split("\n").filter((l) => l.includes(",2025-12,")).map((l) => l.split(",")[0]!));
    const stayed = [...planted].filter((id) => active.has(id));
    const listed = new Set(report.customers.map((c) => c.customerId));
    expect(stayed.filter((id) => listed.has(id)).length / stayed.length).toBeGreaterThan(0.9);
    expect(report.eligible).toBe(report.customers.length);
  });
  it("months remaining follow the category's churn hazard: (1 − (1 − h)^60) / h", async () => {
    const analysis = JSON.parse(await ok(["analyze", "-s", survey, "-F", finance, "--bootstrap", "0", "-f", "json"]));
    const h = analysis.retention.byCategory.find((r: { category: string }) => r.category === "promoter").monthlyHazard as number;
    const report = UpsellReportSchema.parse(JSON.parse(await ok(["upsell", "-s", survey, "-F", finance, "-n", "1", "-f", "json"])));
    expect(report.customers[0]!.monthsRemaining!).toBeCloseTo((1 - (1 - h) ** 60) / h, 9);
    const passives = UpsellReportSchema.parse(JSON.parse(await ok(["upsell", "-s", survey, "-F", finance, "--include", "passives", "-n", "1000", "-f", "json"])));
    expect(passives.customers.some((c) => c.category === "passive")).toBe(true);
    expect(passives.include).toEqual(["promoter", "passive"]);
  });
  it("CSV is CRM-ready: formula-like comments neutralised, money to the cent, the comment whole", async () => {
    const csv = await ok(["upsell", "-s", survey, "-F", finance, "-n", "1000", "-f", "csv"]);
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual(["rank", "customer_id", "category", "score", "group", "last_response_date", "revenue_per_month", "group_median", "headroom", "months_remaining", "potential", "comment"]);
    expect(rows.every((r) => /^\d+(\.\d{1,2})?$/.test(r.headroom!))).toBe(true);
    expect(rows.some((r) => r.comment!.length > 48)).toBe(true);
    const withDash = rows.find((r) => r.comment!.startsWith("'-"));
    if (withDash) expect(withDash.comment!.startsWith("'- ")).toBe(true);
    expect(rows.every((r) => !/^[=+\-@]/.test(r.comment!))).toBe(true);
  });
  it("without churn (a single period), ranks by headroom and says why months left are missing", async () => {
    const s = join(dir, "one-s.csv");
    const f = join(dir, "one-f.csv");
    writeFileSync(s, "customer_id,region,nps,comment\nA,Oslo,10,Great\nB,Oslo,9,\nC,Oslo,3,Bad\nD,Oslo,10,- fine\n");
    writeFileSync(f, "customer_id,period,revenue\nA,2025-01,100\nB,2025-01,40\nC,2025-01,500\nD,2025-01,300\n");
    const report = UpsellReportSchema.parse(JSON.parse(await ok(["upsell", "-s", s, "-F", f, "-f", "json"])));
    // median of 100, 40, 500, 300 = 200: A (100) and B (40) are below it
    expect(report.customers.map((c) => [c.customerId, c.headroom, c.potential])).toEqual([["B", 160, null], ["A", 100, null]]);
    expect(report.notes[0]).toMatch(/not shown: .*single period/);
    expect(report.customers[1]!.comment).toBe("Great");
  });
  it("errors a user can act on", async () => {
    const r = await runCli(["upsell", "-s", survey]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/upsell needs --finance/);
  });
});

describe("one-off buyers: no one is said to have left", () => {
  it("a transactional business keeps every promoter on the lists, and the linkage shows no churn rate", async () => {
    const reviews = fixturePath("reference", "transactional", "reviews.csv");
    const orders = fixturePath("reference", "transactional", "orders.csv");
    const args = ["-s", reviews, "-F", orders, "--scale", "1-5", "-n", "1000", "-f", "json"];
    const promoters = AmbassadorsReportSchema.parse(JSON.parse(await ok(["ambassadors", "-s", reviews, "--scale", "1-5", "-n", "1000", "-f", "json"]))).eligible;
    // with finance, a one-off buyer has no row in the last period: the derived rule would call 81% of them gone
    const withFinance = AmbassadorsReportSchema.parse(JSON.parse(await ok(["ambassadors", ...args])));
    expect(withFinance.ranking).not.toMatch(/have left/);
    expect(withFinance.eligible).toBeGreaterThan(0.9 * promoters);
    const report = JSON.parse(await ok(["analyze", "-s", reviews, "-F", orders, "--scale", "1-5", "-b", "customer_state", "--bootstrap", "0", "-f", "json"]));
    expect(report.linkage.groups.every((g: { churnRate: number | null }) => g.churnRate === null)).toBe(true);
    const atRisk = AtRiskReportSchema.parse(JSON.parse(await ok(["at-risk", ...args])));
    expect(atRisk.customers.every((c) => c.churned === null)).toBe(true);
  });
});

describe("loyalty ambassadors", () => {
  it("promoters still there, by score, then the month of the answer, then revenue, with their comment", async () => {
    const report = AmbassadorsReportSchema.parse(JSON.parse(await ok(["ambassadors", "-s", survey, "-F", finance, "-n", "1000", "-f", "json"])));
    expect(report.customers.every((c) => c.score >= 9)).toBe(true);
    for (let i = 1; i < report.customers.length; i++) {
      const [a, b] = [report.customers[i - 1]!, report.customers[i]!];
      const order = b.score - a.score || (b.answerMonth ?? "").localeCompare(a.answerMonth ?? "") || b.revenue! - a.revenue!;
      expect(order, `${a.customerId} before ${b.customerId}`).toBeLessThanOrEqual(0);
    }
    expect(report.customers.some((c) => c.comment !== null)).toBe(true);
    const analysis = JSON.parse(await ok(["analyze", "-s", survey, "-F", finance, "--bootstrap", "0", "-f", "json"]));
    const promoters = analysis.churn.byCategory.find((r: { category: string }) => r.category === "promoter");
    expect(report.eligible).toBe(promoters.customers - promoters.churned);
  });
  it("works from the survey alone, and its comment is the customer's latest", async () => {
    const s = join(dir, "amb.csv");
    writeFileSync(s, "customer_id,response_date,nps,kommentar\nA,2025-01-02,10,first\nA,2025-03-01,9,\nB,2025-02-01,10,only one\nC,2025-02-01,5,no\n");
    const report = AmbassadorsReportSchema.parse(JSON.parse(await ok(["ambassadors", "-s", s, "-f", "json"])));
    // A's latest answer is the 9 (March), its latest comment "first" (January)
    expect(report.customers.map((c) => [c.customerId, c.score, c.comment])).toEqual([["B", 10, "only one"], ["A", 9, "first"]]);
    expect(report.notes.join(" ")).toMatch(/Without --finance/);
  });
});

describe("the lists as a person and a spreadsheet see them", () => {
  it("tables fit 80 columns, say how they are ranked, and leave out what does not fit by name", async () => {
    for (const command of ["upsell", "ambassadors"]) {
      const table = await ok([command, "-s", survey, "-F", finance, "-n", "12", "-w", "80"]);
      expect(Math.max(...table.split("\n").map((l) => [...l].length)), command).toBeLessThanOrEqual(80);
      expect(table, command).toMatch(/Ranked by/);
      expect(table.split("\n").filter((l) => /^│\s+\d+ │ C\d{6}/.test(l)), command).toHaveLength(12);
    }
    const wide = await ok(["ambassadors", "-s", survey, "-F", finance, "-n", "3", "-w", "160"]);
    expect(wide).toMatch(/latest comment/);
  });
  it("ambassadors CSV: a header row, one row per customer, the formula guard on comments", async () => {
    const rows = parse(await ok(["ambassadors", "-s", survey, "-F", finance, "-n", "1000", "-f", "csv"]), { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual(["rank", "customer_id", "score", "group", "last_response_date", "revenue", "comment"]);
    expect(rows.every((r) => !/^[=+\-@]/.test(r.comment!))).toBe(true);
    const out = join(dir, "asks.csv");
    expect((await runCli(["ambassadors", "-s", survey, "-F", finance, "-o", out, "-q"])).code).toBe(0);
    expect(readFileSync(out, "utf8").split("\r\n")[0]).toBe("rank,customer_id,score,group,last_response_date,revenue,comment");
  });
});

describe("comments: detected, never a driver or a group", () => {
  it("finds comment, kommentar, kommentti, why, feedback and question texts; a numeric feedback score is not one", async () => {
    for (const header of ["comment", "Kommentar", "kommentti", "Why did you give this score?", "Feedback", "Open text", "review_comment_message"]) {
      const s = join(dir, "c.csv");
      writeFileSync(s, `customer_id,store,nps,service,"${header}"\n${Array.from({ length: 12 }, (_, i) => `K${i},Oslo,${i % 11},${(i % 5) + 1},"text ${i}"`).join("\n")}\n`);
      const report = JSON.parse(await ok(["analyze", "-s", s, "-f", "json", "--bootstrap", "0"]));
      expect(report.inputs.survey.columns.comment, header).toBe(header);
      expect(report.inputs.survey.columns.drivers, header).toEqual(["service"]);
      expect(report.inputs.survey.columns.group, header).toBe("store");
    }
    const numeric = join(dir, "n.csv");
    writeFileSync(numeric, `customer_id,nps,feedback score\n${Array.from({ length: 12 }, (_, i) => `K${i},${i % 11},${(i % 5) + 1}`).join("\n")}\n`);
    const report = JSON.parse(await ok(["analyze", "-s", numeric, "-f", "json", "--bootstrap", "0"]));
    expect(report.inputs.survey.columns.comment).toBeNull();
  });
  it("'Why did you choose this store?' is the comment, not the group; --comment names another", async () => {
    const s = join(dir, "why.csv");
    writeFileSync(s, `customer_id,nps,Why did you choose this store?,notes\n${Array.from({ length: 12 }, (_, i) => `K${i},${i % 11},because ${i},n${i}`).join("\n")}\n`);
    const report = JSON.parse(await ok(["analyze", "-s", s, "-f", "json", "--bootstrap", "0"]));
    expect(report.inputs.survey.columns.comment).toBe("Why did you choose this store?");
    expect(report.inputs.survey.columns.group).toBeNull();
    const named = JSON.parse(await ok(["analyze", "-s", s, "--comment", "notes", "-f", "json", "--bootstrap", "0"]));
    expect(named.inputs.survey.columns.comment).toBe("notes");
  });
  it("at-risk carries the comment too", async () => {
    const report = AtRiskReportSchema.parse(JSON.parse(await ok(["at-risk", "-s", survey, "-F", finance, "-f", "json"])));
    expect(report.customers.some((c) => c.comment !== null && /Disappointed|Inte nöjd|poor|worse/.test(c.comment))).toBe(true);
  });
});

describe("loyalty feedback", () => {
  it("flags below the rest exactly the planted weak account managers", async () => {
    const report = FeedbackReportSchema.parse(JSON.parse(await ok(["feedback", "-s", survey, "-F", finance, "-f", "json"])));
    expect(report.ownerColumn).toBe("account_manager");
    const weak = Object.entries(truth.ownerEffects).filter(([, e]) => e < 0).map(([name]) => name).sort();
    expect(report.owners.filter((o) => o.flag === "below").map((o) => o.owner).sort()).toEqual(weak);
    expect(report.owners.filter((o) => o.flag === "above").every((o) => truth.ownerEffects[o.owner]! > 0)).toBe(true);
    expect(report.owners.reduce((s, o) => s + o.responses, 0)).toBe(report.overall.n);
    expect(report.latestPeriod).toBe("2025-Q4");
    expect(report.previousPeriod).toBe("2025-Q3");
    for (const o of report.owners) {
      expect(o.change!.difference).toBeCloseTo(o.latest!.nps - o.previous!.nps, 9);
      expect(o.callBack.every((c) => c.score <= 6 && c.date! >= "2025-10-01")).toBe(true);
      // still there first, then by value
      const keys = o.callBack.map((c) => [c.churned ? 1 : 0, -c.revenue!] as const);
      expect(keys).toEqual([...keys].sort((a, b) => a[0] - b[0] || a[1] - b[1]));
      expect(o.share.every((s) => s.score >= 9 && s.date! >= "2025-10-01")).toBe(true);
    }
  });
  it("over 20 generated data sets, chance alone flags an owner with no planted effect below the rest at most once in twenty", async () => {
    let falseBelow = 0;
    let missed = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const out = join(dir, `g${seed}`);
      expect((await runCli(["generate", "--out", out, "--customers", "2000", "--months", "12", "--seed", String(seed), "-q"])).code).toBe(0);
      const report = FeedbackReportSchema.parse(JSON.parse(await ok(["feedback", "-s", join(out, "survey.csv"), "-f", "json"])));
      for (const o of report.owners) {
        if (o.flag === "below" && truth.ownerEffects[o.owner]! >= 0) falseBelow++;
        if (o.flag !== "below" && truth.ownerEffects[o.owner]! < 0) missed++;
      }
    }
    expect(falseBelow).toBeLessThanOrEqual(1);
    expect(missed).toBe(0);
  });
  it("renders every format; --split writes one file per owner with safe names and an index", async () => {
    const table = await ok(["feedback", "-s", survey, "-F", finance, "-w", "80", "-n", "3"]);
    expect(Math.max(...table.split("\n").map((l) => [...l].length))).toBeLessThanOrEqual(80);
    expect(table).toMatch(/Detractors to call back in 2025-Q4/);
    const md = await ok(["feedback", "-s", survey, "-F", finance, "-f", "markdown"]);
    const tables = marked.lexer(md, { gfm: true }).filter((t): t is Tokens.Table => t.type === "table");
    expect(tables[0]!.header.map((h) => h.text).slice(0, 6)).toEqual(["account_manager", "n", "NPS", "95% CI", "vs the rest (95% CI)", "flag"]);
    const html = await ok(["feedback", "-s", survey, "-F", finance, "-f", "html"]);
    expect(html).toMatch(/<section id="jonas-berg">/);
    expect(html).toMatch(/data-chart="intervals"/);
    const csv = await ok(["feedback", "-s", survey, "-F", finance, "-f", "csv", "--section", "owners"]);
    expect(csv.split("\r\n")[0]).toMatch(/^owner,n,nps,ci_low,ci_high,vs_rest_ci_low,vs_rest_ci_high,flag/);
    const split = join(dir, "split");
    expect((await runCli(["feedback", "-s", survey, "-F", finance, "--split", split, "-q"])).code).toBe(0);
    expect(readdirSync(split).sort()).toEqual([...Object.keys(truth.ownerEffects).map((n) => `${n.toLowerCase().replace(/ /g, "-")}.md`), "index.md"].sort());
    expect(readFileSync(join(split, "jonas-berg.md"), "utf8")).toMatch(/^# Customer feedback for Jonas Berg\n[\s\S]*Detractors to call back/);
    const htmlSplit = join(dir, "split-html");
    expect((await runCli(["feedback", "-s", survey, "--split", htmlSplit, "-f", "html", "-q"])).code).toBe(0);
    expect(readdirSync(htmlSplit)).toContain("index.html");
  });
  it("file names are safe for any owner name", () => {
    const taken = new Set<string>();
    expect(safeFileName("Åsa / Øberg", taken)).toBe("asa-oberg");
    expect(safeFileName("Åsa: Øberg", taken)).toBe("asa-oberg-2");
    expect(safeFileName("../../etc/passwd", taken)).toBe("etc-passwd");
    expect(safeFileName("CON", taken)).toBe("owner-con");
    expect(safeFileName("王芳", taken)).toMatch(/^owner-[0-9a-f]{8}$/);
    expect(safeFileName("x".repeat(200), taken)).toHaveLength(60);
  });
  it("errors a user can act on", async () => {
    const s = join(dir, "no-owner.csv");
    writeFileSync(s, "customer_id,nps\nA,9\nB,3\n");
    const r = await runCli(["feedback", "-s", s]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no owner column found .*--owner/);
    const both = await runCli(["feedback", "-s", survey, "--split", dir, "-o", join(dir, "x.md")]);
    expect(both.code).toBe(2);
  });
});
