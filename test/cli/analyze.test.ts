import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ReportSchema, type Report } from "../../src/report/report.js";
import { fixturePath } from "../support/fixtures.js";
import { runCli, runJson } from "../support/run-cli.js";

const survey = fixturePath("reference", "nordic-survey.csv");
const finance = fixturePath("reference", "nordic-finance.csv");
const bad = (name: string) => fixturePath("bad", name);
const dir = mkdtempSync(join(tmpdir(), "loyalty-cli-"));
function write(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe("a mapped column that does not exist", () => {
  it("exits 2 and lists the columns that do exist, with no stack trace", async () => {
    const result = await runCli(["analyze", "--survey", survey, "--score", "likelihood"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'loyalty: nordic-survey.csv:1: no column "likelihood" (from --score); columns are: response_id, customer_id, region, segment, ' +
        "response_date, nps, product_quality, service, accessibility, value_for_money, brand; pass one of these names to --score\n",
    );
    expect(result.stdout).toBe("");
  });
  it("also for a finance column and a driver", async () => {
    const revenue = await runCli(["analyze", "--survey", survey, "--finance", finance, "--revenue", "net_rev"]);
    expect(revenue.code).toBe(2);
    expect(revenue.stderr).toMatch(/^loyalty: nordic-finance\.csv:1: no column "net_rev" \(from --revenue\); columns are: customer_id, period, revenue, cost/);
    const driver = await runCli(["analyze", "--survey", survey, "--drivers", "service,parking"]);
    expect(driver.stderr).toMatch(/no column "parking" \(from --drivers\)/);
  });
});

describe("a score of 11 on line 7", () => {
  it("warns naming line 7, excludes and counts the row, and exits 0", async () => {
    const result = await runCli(["analyze", "--survey", bad("score-11-line-7.csv"), "--format", "json"]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.inputs.survey).toMatchObject({ rowsRead: 12, rowsAccepted: 11, rowsRejected: 1, scoreMissing: 2 });
    expect(report.inputs.survey.rejects).toEqual([
      { line: 7, column: 4, columnName: "nps", reason: 'expected a whole number 0-10 or blank, got "11"' },
    ]);
    // 12 rows: 1 rejected (11), 2 not answered (NA, blank), so 9 responses; "9.0" counts as 9
    expect(report.nps.overall.n).toBe(9);
    expect(report.nps.overall.promoters).toBe(3);
    expect(result.stderr).toMatch(/score-11-line-7\.csv: 1 row rejected .*first at score-11-line-7\.csv:7:4: column "nps": expected a whole number 0-10 or blank, got "11"/);
    expect(result.stderr).toMatch(/2 rows with no score \(blank or NA\) left out/);
  });
  it("with --strict it is an error at file:line:column, exit 2", async () => {
    const result = await runCli(["analyze", "--survey", bad("score-11-line-7.csv"), "--strict"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^loyalty: score-11-line-7\.csv:7:4: column "nps": expected a whole number 0-10 or blank, got "11"; --strict/);
  });
  it("a non-numeric revenue is rejected and counted in the finance file too", async () => {
    const report = await runJson<Report>(["analyze", "--survey", bad("score-11-line-7.csv"), "--finance", bad("finance-small.csv")]);
    expect(report.inputs.finance).toMatchObject({ rowsRead: 13, rowsAccepted: 12, rowsRejected: 1 });
    expect(report.inputs.finance!.rejects[0]).toEqual({ line: 13, column: 3, columnName: "revenue", reason: 'expected a number, got "TBD"' });
    // hand count: respondents with a score and an id: C001-C005, C007, C010-C012 (C006 rejected, C008/C009 unanswered) = 9;
    // finance customers: C001 C002 C003 C005 C006 C007 C010 C011 C012 = 9; matched: C001 C002 C003 C005 C007 C010 C011 C012 = 8
    expect(report.join).toEqual({ respondents: 9, financeCustomers: 9, matched: 8, unmatchedRespondents: 1, unmatchedFinanceCustomers: 1, matchRate: 8 / 9 });
    // promoters C001 (9), C003 (10), C010 (9.0): revenue 220.5 + 610 + 510 = 1340.5; C001 is active in 2025-02, C003 too, C010 too
    const promoter = report.revenue!.byCategory[0]!;
    expect(promoter).toMatchObject({ category: "promoter", customers: 3, revenue: 1340.5, cost: 130 + 310 + 210 });
    // detractors C002 (6, only 2025-01: churned), C005 (3), C011 (5)
    expect(report.churn!.byCategory[2]).toMatchObject({ category: "detractor", customers: 3, churned: 1, churnRate: 1 / 3 });
  });
});

describe("errors name file, line and column and exit 2", () => {
  it("a ragged row", async () => {
    const path = write("ragged.csv", "customer_id,nps\nA,9\nB,7,extra\n");
    const result = await runCli(["analyze", "--survey", path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("loyalty: ragged.csv:3:3: this row has 3 fields but the header has 2; check for an unquoted delimiter inside a value, or a wrong --delimiter\n");
  });
  it("a missing file, an empty file, a header-only file", async () => {
    expect((await runCli(["analyze", "--survey", join(dir, "nope.csv")])).stderr).toMatch(/^loyalty: .*nope\.csv: no such file; check the path\n$/);
    const empty = await runCli(["analyze", "--survey", write("empty.csv", "")]);
    expect([empty.code, empty.stderr]).toEqual([2, "loyalty: empty.csv: the file is empty; export the data again, with its header row\n"]);
    const headerOnly = await runCli(["analyze", "--survey", write("header.csv", "customer_id,nps\n")]);
    expect(headerOnly.code).toBe(2);
    expect(headerOnly.stderr).toMatch(/header\.csv: no row has a score \(0 rows read/);
  });
  it("every row rejected: the message quotes the first reject", async () => {
    const result = await runCli(["analyze", "--survey", write("words.csv", "customer_id,nps\nA,ten\nB,nine\n")]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'loyalty: words.csv: no row has a score (2 rows read, 2 rejected, 0 not answered); the first rejected row is words.csv:2:2: column "nps": expected a whole number 0-10 or blank, got "ten"\n',
    );
  });
  it("dates whose day/month order nothing tells are an error that names --date-format", async () => {
    const path = write("usdates.csv", "customer_id,response_date,nps\nA,01/02/2025 9:15:00 AM,9\nB,01/03/2025 9:15:00 AM,7\n");
    const result = await runCli(["analyze", "--survey", path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'loyalty: usdates.csv: column "response_date": dates such as "01/02/2025 9:15:00 AM" can be read as MM/DD/YYYY or DD/MM/YYYY; name the format with --date-format MM/DD/YYYY\n',
    );
    const named = await runJson<Report>(["analyze", "--survey", path, "--date-format", "DD/MM/YYYY"]);
    expect(named.nps.overall.n).toBe(2);
  });
  it("no score column", async () => {
    const result = await runCli(["analyze", "--survey", write("noscore.csv", "customer_id,rating\nA,9\n")]);
    expect(result.stderr).toMatch(/^loyalty: noscore\.csv:1: no score column found \(looked for nps, .*\); columns are: customer_id, rating; name it with --score COLUMN/);
  });
  it("zero overlap between survey and finance ids", async () => {
    const f = write("other-ids.csv", "customer_id,period,revenue,cost\nX1,2025-01,10,5\n");
    const result = await runCli(["analyze", "--survey", survey, "--finance", f]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no customer id in nordic-survey\.csv .* matches one in other-ids\.csv/);
  });
  it("usage errors: unknown option, bad --min-n, missing --survey, unknown format", async () => {
    for (const args of [
      ["analyze", "--survey", survey, "--bogus"],
      ["analyze", "--survey", survey, "--min-n", "0"],
      ["analyze"],
      ["analyze", "--survey", survey, "--format", "xml"],
      ["analyze", "--survey", survey, "--output", join(dir, "x.pdf")],
      ["frobnicate"],
    ]) {
      const result = await runCli(args);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr, args.join(" ")).toMatch(/^loyalty: /);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });
  it("help and version exit 0", async () => {
    expect((await runCli(["--help"])).code).toBe(0);
    expect((await runCli(["analyze", "--help"])).stdout).toMatch(/--customer-id <column>/);
    expect((await runCli(["--version"])).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});

describe("output", () => {
  it("JSON is deterministic: same input, SOURCE_DATE_EPOCH set → same bytes, and --output writes the same bytes", async () => {
    const args = ["analyze", "--survey", survey, "--finance", finance, "--format", "json"];
    const a = await runCli(args, { SOURCE_DATE_EPOCH: "1767225600" });
    const b = await runCli(args, { SOURCE_DATE_EPOCH: "1767225600" });
    expect(a.stdout).toBe(b.stdout);
    expect((JSON.parse(a.stdout) as Report).generatedAt).toBe("2026-01-01T00:00:00.000Z");
    const out = join(dir, "report.json");
    const c = await runCli(["analyze", "--survey", survey, "--finance", finance, "--output", out], { SOURCE_DATE_EPOCH: "1767225600" });
    expect(c.code).toBe(0);
    expect(readFileSync(out, "utf8")).toBe(a.stdout);
    expect(ReportSchema.safeParse(JSON.parse(a.stdout)).success).toBe(true);
  });
  it("tables carry no colour when not a terminal, or with NO_COLOR; FORCE_COLOR forces it", async () => {
    const plain = await runCli(["analyze", "--survey", survey]);
    expect(plain.stdout).not.toMatch(/\u001b\[/);
    expect(plain.stdout).toMatch(/NPS \+6\.3 \(95% CI 0\.0 to \+12\.6/);
    expect((await runCli(["analyze", "--survey", survey], { FORCE_COLOR: "1" })).stdout).toMatch(/\u001b\[/);
    expect((await runCli(["analyze", "--survey", survey], { FORCE_COLOR: "1", NO_COLOR: "1" })).stdout).not.toMatch(/\u001b\[/);
  });
  it("escapes terminal control characters in group names in tables, keeps them verbatim in JSON", async () => {
    const path = write("evil.csv", 'customer_id,region,nps\nA,"Oslo\u001b]0;pwned\u0007",9\nB,"=HYPERLINK(""x"")",3\n');
    const table = await runCli(["analyze", "--survey", path]);
    expect(table.stdout).not.toMatch(/\u001b\]/);
    expect(table.stdout).toMatch(/Oslo\\u001b\]0;pwned\\u0007/);
    const report = await runJson<Report>(["analyze", "--survey", path]);
    expect(report.nps.byGroup.map((g) => g.group)).toContain("Oslo\u001b]0;pwned\u0007");
  });
  it("a bare quote is rejected at its line and field", async () => {
    const result = await runCli(["analyze", "--survey", write("bare.csv", 'customer_id,region,nps\nA,Oslo,9\nB,=HYPERLINK("x"),3\n')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^loyalty: bare\.csv:3:2: a quote \(\"\) appears inside a field that is not quoted/);
  });
  it("groups named like Object.prototype members are kept", async () => {
    const path = write("proto.csv", "customer_id,region,nps\nA,__proto__,9\nB,constructor,3\nC,toString,7\n");
    const report = await runJson<Report>(["analyze", "--survey", path]);
    expect(report.nps.byGroup.map((g) => g.group).sort()).toEqual(["__proto__", "constructor", "toString"]);
  });
});

describe("driver designs that cannot be estimated", () => {
  it("a constant driver is named in a warning and left out; no NaN anywhere", async () => {
    const rows = Array.from({ length: 40 }, (_, i) => `C${i},${i % 11},${(i * 7) % 10},${(i * 3) % 7},5`);
    const path = write("constant.csv", ["customer_id,nps,service,price,parking", ...rows].join("\n"));
    const result = await runCli(["analyze", "--survey", path, "--drivers", "service,price,parking", "--format", "json"]);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(/NaN|Infinity/);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.drivers!.drivers).toEqual(["service", "price"]);
    expect(report.warnings.find((w) => w.code === "driver-constant")!.message).toMatch(/driver "parking" has the same value/);
  });
});
