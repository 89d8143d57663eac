// One test per class of shared/INPUT-QUALITY.md: accept, warn with a count, or reject naming
// file, line (and column) with exit 2. Fixtures are made here, small, at test time. Every run uses
// the default settings (the 1,000-resample bootstrap included), as a new user would.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Report } from "../../src/report/report.js";
import { runCli } from "../support/run-cli.js";

const dir = mkdtempSync(join(tmpdir(), "loyalty-iq-"));
function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}
/** A plain survey of n rows (customer K0.., region, nps) as CSV lines after the header. */
const rows = (n: number, delimiter = ",") => Array.from({ length: n }, (_, i) => [`K${i}`, i % 2 ? "Oslo" : "Malmö", String(i % 11)].join(delimiter));
const survey = (lines: string[], header = "customer_id,region,nps") => [header, ...lines].join("\n") + "\n";

async function accept(args: string[]): Promise<Report> {
  const result = await runCli([...args, "--format", "json"]);
  expect(result.code, result.stderr).toBe(0);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  return JSON.parse(result.stdout) as Report;
}
async function reject(args: string[], message: RegExp): Promise<void> {
  const result = await runCli(args);
  expect(result.code).toBe(2);
  expect(result.stdout).toBe("");
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}
const warning = (report: Report, code: string) => report.warnings.find((w) => w.code === code);

describe("encodings", () => {
  it("E1 UTF-8 BOM, also before a quoted header: accepted, BOM stripped", async () => {
    const report = await accept(["analyze", "--survey", file("e1.csv", `\uFEFF"customer_id","region","nps"\n${rows(5).join("\n")}\n`)]);
    expect(report.inputs.survey.columns.customerId).toBe("customer_id");
    expect(report.inputs.survey.format.encoding).toBe("utf-8-bom");
  });
  it("E2 UTF-16LE and UTF-16BE with a BOM: accepted", async () => {
    const text = survey(rows(5, "\t"), "customer_id\tregion\tnps");
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    const be = Buffer.from(le.subarray(2)).swap16();
    expect((await accept(["analyze", "--survey", file("e2le.txt", le)])).nps.overall.n).toBe(5);
    expect((await accept(["analyze", "--survey", file("e2be.txt", Buffer.concat([Buffer.from([0xfe, 0xff]), be]))])).inputs.survey.format.encoding).toBe("utf-16be");
  });
  it("E3 Windows-1252 without a BOM: warned (guessed), names decoded right; named with --encoding: no warning", async () => {
    const bytes = Buffer.from(survey(["K1;Malm\xf6;9", "K2;\xc5rhus;3"].map((l) => l.replace(/;/g, ",")), "customer_id,region,nps"), "latin1");
    const report = await accept(["analyze", "--survey", file("e3.csv", bytes)]);
    expect(report.nps.byGroup.map((g) => g.group)).toEqual(["Århus", "Malmö"]);
    expect(warning(report, "encoding-guessed")!.message).toMatch(/e3\.csv: not valid UTF-8, so it was read as windows-1252/);
    expect(warning(await accept(["analyze", "--survey", file("e3.csv", bytes), "--encoding", "windows-1252"]), "encoding-guessed")).toBeUndefined();
  });
  it("E4 mostly UTF-8 with one stray legacy byte: rejected at that line", async () => {
    const bytes = Buffer.concat([Buffer.from(survey(["K1,Malmö,9", "K2,Oslo,3"]), "utf8"), Buffer.from("K3,G"), Buffer.from([0xf6]), Buffer.from("teborg,7\n")]);
    await reject(["analyze", "--survey", file("e4.csv", bytes)], /^loyalty: e4\.csv:4:5: has a byte that is not valid UTF-8/);
  });
});

describe("dialect", () => {
  const finance = (name: string, content: string) => file(name, content);
  const people = file("people.csv", survey(["K1,Oslo,9", "K2,Oslo,3", "K3,Malmö,7"]));
  it("D1 semicolons and decimal comma '1 234,50': accepted", async () => {
    const report = await accept(["analyze", "--survey", people, "--finance", finance("d1.csv", "kund;period;intäkt;kostnad\nK1;2025-01;1 234,50;234,50\nK2;2025-01;10,25;1\n")]);
    expect(report.revenue!.byCategory[0]!.revenue).toBe(1234.5);
  });
  it("D2 no-break and narrow no-break thousands, Unicode minus: accepted", async () => {
    const report = await accept(["analyze", "--survey", people, "--finance", finance("d2.csv", "kund;period;intäkt;kostnad\nK1;2025-01;1\u00a0234,50;\u22121\u202f000,00\n")]);
    expect(report.revenue!.byCategory[0]).toMatchObject({ revenue: 1234.5, cost: -1000 });
  });
  it("D3 US thousands '1,234.50' (quoted): accepted", async () => {
    const report = await accept(["analyze", "--survey", people, "--finance", finance("d3.csv", 'customer_id,period,revenue,cost\nK1,2025-01,"1,234.50",100\n')]);
    expect(report.revenue!.byCategory[0]!.revenue).toBe(1234.5);
  });
  it("D4 a currency with the amount: accepted; mixed currencies in a column: rejected at the line", async () => {
    const report = await accept(["analyze", "--survey", people, "--finance", finance("d4.csv", "kund;period;intäkt;kostnad\nK1;2025-01;1 234,50 kr;100 kr\nK2;2025-01;kr 20,00;5 kr\n")]);
    expect(report.revenue!.byCategory[0]!.revenue).toBe(1234.5);
    await reject(["analyze", "--survey", people, "--finance", finance("d4b.csv", "kund;period;intäkt;kostnad\nK1;2025-01;1 234,50 kr;100\nK2;2025-01;€20,00;5\n")], /^loyalty: d4b\.csv:3:3: column "intäkt" mixes currencies: EUR here, kr on line 2/);
  });
  it("D5 tab, CR-only, CRLF, mixed line endings and no final newline: accepted", async () => {
    const content = "customer_id\tregion\tnps\rK1\tOslo\t9\r\nK2\tOslo\t3\nK3\tOslo\t7";
    expect((await accept(["analyze", "--survey", file("d5.csv", content)])).nps.overall.n).toBe(3);
  });
  it("D6 Excel's sep=; line: accepted, line numbers stay physical", async () => {
    const report = await accept(["analyze", "--survey", file("d6.csv", "sep=;\ncustomer_id;region;nps\nK1;Oslo;9\nK2;Oslo;11\n")]);
    expect(report.inputs.survey.format.sepLine).toBe(true);
    expect(report.inputs.survey.rejects[0]!.line).toBe(4);
  });
  it("D7 trailing empty lines accepted; delimiter-only rows warned with a count, never respondents", async () => {
    const report = await accept(["analyze", "--survey", file("d7.csv", `${survey(["K1,Oslo,9", ",,", "K2,Oslo,3", ",,"])}\n\n\n`)]);
    expect(report.nps.overall.n).toBe(2);
    expect(report.inputs.survey).toMatchObject({ rowsRead: 4, rowsAccepted: 2, rowsExcluded: 2 });
    expect(warning(report, "rows-excluded")).toMatchObject({ count: 2 });
  });
  it("D8 quoted fields with LF, CRLF, doubled quotes, delimiters and emoji: accepted, records counted not lines", async () => {
    const report = await accept(["analyze", "--survey", file("d8.csv", 'customer_id,region,nps\nK1,"Oslo,\nnorth 🎉",9\nK2,"Say ""hi""\r\n",3\n')]);
    expect(report.inputs.survey.rowsRead).toBe(2);
    expect(report.nps.byGroup.map((g) => g.group).sort()).toEqual(['Oslo,\nnorth 🎉', 'Say "hi"']);
  });
  it("D9 whitespace around headers and values: trimmed", async () => {
    const report = await accept(["analyze", "--survey", file("d9.csv", " customer_id , region ,  nps \n K1 , Oslo , 9 \n")]);
    expect(report.inputs.survey.columns.score).toBe("nps");
    expect(report.nps.byGroup[0]!.group).toBe("Oslo");
  });
});

describe("structure", () => {
  it("S1 unterminated quote: rejected at the line where the quote opened, fast with much text after it", async () => {
    const tail = "K9,Oslo,9\n".repeat(200_000);
    const started = Date.now();
    await reject(["analyze", "--survey", file("s1.csv", `customer_id,region,nps\nK1,Oslo,9\nK2,"Oslo,3\n${tail}`)], /^loyalty: s1\.csv:3: a quoted field that starts in this record is never closed/);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
  it("S2 bare quote inside an unquoted field: rejected at line and field", async () => {
    await reject(["analyze", "--survey", file("s2.csv", 'customer_id,region,nps\nK1,Os"lo,9\n')], /^loyalty: s2\.csv:2:2: a quote/);
  });
  it("S3 a row with too many fields: rejected with expected and found counts", async () => {
    await reject(["analyze", "--survey", file("s3.csv", survey(["K1,Oslo,9", "K2,Oslo,3,extra"]))], /^loyalty: s3\.csv:3:4: this row has 4 fields but the header has 3/);
  });
  it("S4 a short row missing trailing optional fields: warned and padded as missing (not 0)", async () => {
    const report = await accept(["analyze", "--survey", file("s4.csv", "customer_id,nps,region,service\nK1,9,Oslo,8\nK2,3\n")]);
    expect(report.nps.overall.n).toBe(2);
    expect(warning(report, "short-rows")).toMatchObject({ count: 1 });
    expect(warning(report, "group-blank")).toMatchObject({ count: 1 });
  });
  it("S5 header repeated mid-file (two exports joined): rejected at that line", async () => {
    const content = `${survey(["K1,Oslo,9"])}\uFEFFcustomer_id,region,nps\nK2,Oslo,3\n`;
    await reject(["analyze", "--survey", file("s5.csv", content)], /^loyalty: s5\.csv:3: the header row appears again here/);
  });
  it("S6 NUL bytes: rejected at that line", async () => {
    await reject(["analyze", "--survey", file("s6.csv", "customer_id,region,nps\nK1,Oslo,9\nK2,Os\u0000lo,3\n")], /^loyalty: s6\.csv:3: contains a NUL byte/);
  });
});

describe("headers", () => {
  it("H1 duplicate header of a column with a role: rejected naming it", async () => {
    await reject(["analyze", "--survey", file("h1.csv", "customer_id,nps,nps\nK1,9,8\n")], /^loyalty: h1\.csv:1: the header has 2 columns named "nps", and it is used as a role/);
  });
  it("H2 duplicate header of an unused column: warned", async () => {
    const report = await accept(["analyze", "--survey", file("h2.csv", "customer_id,nps,comment,comment\nK1,9,a,b\n")]);
    expect(warning(report, "duplicate-columns")!.message).toMatch(/h2\.csv: the header repeats "comment"/);
  });
  it("H3 required column missing: rejected listing the columns found", async () => {
    await reject(["analyze", "--survey", file("h3.csv", "customer_id,region\nK1,Oslo\n")], /no score column found .*columns are: customer_id, region/);
  });
  it("H4 trailing delimiter giving a blank last label: accepted, the empty column ignored", async () => {
    const report = await accept(["analyze", "--survey", file("h4.csv", "customer_id,nps,service,\nK1,9,8,\nK2,3,2,\nK3,7,6,\n")]);
    expect(report.inputs.survey.columns.drivers).toEqual(["service"]);
  });
});

describe("files", () => {
  it("F1 0-byte, whitespace-only and header-only files: rejected, never NPS 0", async () => {
    await reject(["analyze", "--survey", file("f1a.csv", "")], /f1a\.csv: the file is empty/);
    await reject(["analyze", "--survey", file("f1b.csv", "  \n \n")], /f1b\.csv: the file is empty/);
    await reject(["analyze", "--survey", file("f1c.csv", "customer_id,nps\n")], /f1c\.csv: no row has a score/);
  });
  it("F2 binary, a workbook renamed to .csv, an all-NUL file: rejected as not text", async () => {
    await reject(["analyze", "--survey", file("f2a.csv", Buffer.from("PK\u0003\u0004\u0014\u0000\u0006\u0000", "latin1"))], /f2a\.csv: is a ZIP file but not an Excel workbook that can be read/);
    await reject(["analyze", "--survey", file("f2b.csv", Buffer.alloc(64))], /f2b\.csv:1: contains a NUL byte/);
  });
  it("F3 a 10 MB field and a 2,000-column file: accepted within limits", async () => {
    const huge = "x".repeat(10 * 1024 * 1024);
    const report = await accept(["analyze", "--survey", file("f3a.csv", `customer_id,nps,comment\nK1,9,"${huge}"\nK2,3,short\n`)]);
    expect(report.nps.overall.n).toBe(2);
    const wideHeader = ["customer_id", "nps", ...Array.from({ length: 1998 }, (_, i) => `c${i}`)].join(",");
    const wideRow = (id: string, score: number) => [id, score, ...Array.from({ length: 1998 }, () => "text")].join(",");
    const wide = await accept(["analyze", "--survey", file("f3b.csv", `${wideHeader}\n${wideRow("K1", 9)}\n${wideRow("K2", 2)}\n`)]);
    expect(wide.nps.overall.n).toBe(2);
  }, 30_000);
});

describe("values", () => {
  it("V1 NPS 11, -1, 7.5: the rows rejected with file:line:column and counted, never clamped", async () => {
    const report = await accept(["analyze", "--survey", file("v1.csv", survey(["K1,Oslo,11", "K2,Oslo,-1", "K3,Oslo,7.5", "K4,Oslo,9"]))]);
    expect(report.inputs.survey.rejects.map((r) => [r.line, r.column])).toEqual([[2, 3], [3, 3], [4, 3]]);
    expect(report.nps.overall.n).toBe(1);
  });
  it("V2 N/A, NA, #N/A, blank, \"\": not answered, counted, never 0", async () => {
    const report = await accept(["analyze", "--survey", file("v2.csv", survey(["K1,Oslo,N/A", "K2,Oslo,NA", "K3,Oslo,#N/A", "K4,Oslo,", 'K5,Oslo,""', "K6,Oslo,10"]))]);
    expect(report.inputs.survey.scoreMissing).toBe(5);
    expect(report.nps.overall).toMatchObject({ n: 1, nps: 100 });
  });
  it("V3 NPS as choice text: mapped to its number", async () => {
    const report = await accept(["analyze", "--survey", file("v3.csv", survey(["K1,Oslo,10 - Extremely likely", "K2,Oslo,0 - Not at all likely"]))]);
    expect(report.nps.overall).toMatchObject({ promoters: 1, detractors: 1 });
  });
  it("V4 revenue 'TBD', '#N/A': the row rejected with line and column", async () => {
    const report = await accept(["analyze", "--survey", file("v4s.csv", survey(["K1,Oslo,9", "K2,Oslo,3"])), "--finance", file("v4.csv", "customer_id,period,revenue\nK1,2025-01,TBD\nK1,2025-02,#N/A\nK2,2025-02,5\n")]);
    expect(report.inputs.finance!.rejects.map((r) => [r.line, r.column, r.reason])).toEqual([
      [2, 3, 'expected a number, got "TBD"'],
      [3, 3, 'expected a number, got "#N/A"'],
    ]);
  });
});

describe("keys", () => {
  const people = () => file("keys.csv", survey(["00123 ,Oslo,9", "00123,Oslo,3", "777,Oslo,10", "1.00000E+11,Oslo,8"]));
  it("K1 duplicate customer in the survey: warned; the latest response is used, revenue never doubled", async () => {
    const report = await accept(["analyze", "--survey", people(), "--finance", file("k1.csv", "customer_id,period,revenue\n00123,2025-01,100\n")]);
    expect(warning(report, "repeat-respondents")).toMatchObject({ count: 1 });
    expect(report.revenue!.total.revenue).toBe(100);
    expect(report.revenue!.byCategory[2]).toMatchObject({ customers: 1, revenue: 100 }); // the later row: 3, a detractor
  });
  it("K2 several finance rows per customer and period: warned with a count and summed", async () => {
    const report = await accept(["analyze", "--survey", people(), "--finance", file("k2.csv", "customer_id,period,revenue\n777,2025-02,100\n777,2025-01,50\n777,2025-02,7\n777,2021-01,1\n777,2021-01,1\n")]);
    expect(report.revenue!.byCategory[0]!.revenue).toBe(159);
    expect(report.warnings.find((w) => w.code === "finance-repeated-periods")).toMatchObject({ count: 2 });
  });
  it("K3 ids are trimmed strings: '00123 ' matches '00123' but not '123'", async () => {
    const report = await accept(["analyze", "--survey", people(), "--finance", file("k3.csv", "customer_id,period,revenue\n 00123\t,2025-01,100\n123,2025-01,999\n")]);
    expect(report.join).toMatchObject({ matched: 1, unmatchedFinanceCustomers: 1 });
    expect(report.revenue!.total.revenue).toBe(100);
  });
  it("K4 Excel scientific-notation ids: warned", async () => {
    const report = await accept(["analyze", "--survey", people()]);
    expect(warning(report, "ids-scientific")).toMatchObject({ count: 1 });
  });
  it("K5 unmatched customers warned with counts; zero overlap rejected", async () => {
    const report = await accept(["analyze", "--survey", people(), "--finance", file("k5.csv", "customer_id,period,revenue\n777,2025-01,100\n")]);
    expect(warning(report, "unmatched-respondents")).toMatchObject({ count: 2 });
    await reject(["analyze", "--survey", people(), "--finance", file("k5b.csv", "customer_id,period,revenue\nX,2025-01,1\n")], /no customer id in keys\.csv .* matches one in k5b\.csv/);
  });
});

describe("survey-tool exports", () => {
  it("X1 Qualtrics: three header rows and a _NPS_GROUP column; previews and unfinished responses left out and counted", async () => {
    const content = [
      "StartDate,Status,Finished,customer_id,Q1_NPS_GROUP,Q1,Q2_1",
      "Start Date,Response Type,Finished,Customer,(Group) Q1,How likely are you to recommend us?,Service",
      '"{""ImportId"":""startDate""}","{""ImportId"":""status""}","{""ImportId"":""finished""}","{""ImportId"":""c""}","{""ImportId"":""QID1_NPS_GROUP""}","{""ImportId"":""QID1""}","{""ImportId"":""QID2_1""}"',
      "2025-01-02 09:00:00,IP Address,True,K1,3,10,9",
      "2025-01-02 09:00:00,Survey Preview,True,K2,1,2,2",
      "2025-01-02 09:00:00,IP Address,False,K3,1,3,2",
      "2025-01-02 09:00:00,IP Address,True,K4,2,7,6",
    ].join("\n");
    const report = await accept(["analyze", "--survey", file("x1.csv", content)]);
    expect(report.inputs.survey.format).toMatchObject({ layout: "qualtrics", headerRows: 3 });
    expect(report.inputs.survey.columns.score).toBe("Q1");
    expect(report.inputs.survey).toMatchObject({ rowsRead: 4, rowsAccepted: 2, rowsExcluded: 2 });
    expect(report.nps.overall).toMatchObject({ promoters: 1, passives: 1 });
  });
  it("X2 SurveyMonkey: two header rows", async () => {
    const content = [
      "Respondent ID,Customer,How likely is it that you would recommend us?,Rate us,",
      ",Response,Response,Service,Price",
      "1,K1,9,8,7",
      "2,K2,4,3,5",
    ].join("\n");
    const report = await accept(["analyze", "--survey", file("x2.csv", content)]);
    expect(report.inputs.survey.columns).toMatchObject({ customerId: "Customer", drivers: ["Service", "Price"] });
  });
  it("X3 Google Forms with Swedish headers, and Typeform's # token column", async () => {
    const google = await accept(["analyze", "--survey", file("x3a.csv", "Tidstämpel,Kundnummer,Hur troligt är det att du skulle rekommendera oss?\n2025-01-02 09:00:00,K1,9\n2025-01-03 10:00:00,K1,4\n")]);
    expect(google.inputs.survey.format.layout).toBe("google-forms");
    expect(google.inputs.survey.columns).toMatchObject({ customerId: "Kundnummer", date: "Tidstämpel" });
    const typeform = await accept(["analyze", "--survey", file("x3b.csv", "#,customer,How likely are you to recommend us?,Submit Date (UTC)\nabc,K1,10,2025-01-02 09:00:00\n")]);
    expect(typeform.inputs.survey.format.layout).toBe("typeform");
    expect(typeform.inputs.survey.columns.date).toBe("Submit Date (UTC)");
  });
});

describe("output safety", () => {
  it("O1/O2 formula-like and control-character group names: analysed normally, JSON verbatim, tables escaped", async () => {
    const path = file("o1.csv", 'customer_id,region,nps\nK1,"=HYPERLINK(""x"")",9\nK2,"+cmd",3\nK3,"Oslo\u001b[31m\u202e",7\n');
    const report = await accept(["analyze", "--survey", path]);
    expect(report.nps.byGroup.map((g) => g.group).sort()).toEqual(["+cmd", "=HYPERLINK(\"x\")", "Oslo\u001b[31m\u202e"]);
    const table = await runCli(["analyze", "--survey", path]);
    expect(table.stdout).not.toMatch(/\u001b|\u202e/);
  });
  it("O3 groups named __proto__, constructor, toString: all kept", async () => {
    const report = await accept(["analyze", "--survey", file("o3.csv", survey(["K1,__proto__,9", "K2,constructor,3", "K3,toString,7"].map((l) => l)))]);
    expect(report.nps.byGroup).toHaveLength(3);
  });
  it("N1 a constant driver, collinear drivers, n <= k + 1: warned, no NaN or Infinity", async () => {
    const lines = Array.from({ length: 6 }, (_, i) => `K${i},${i + 3},${i},${2 * i},5`);
    const report = await accept(["analyze", "--survey", file("n1.csv", survey(lines, "customer_id,nps,a,b,c")), "--drivers", "a,b,c"]);
    expect(report.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(["driver-collinear", "driver-constant"]));
    expect(JSON.stringify(report)).not.toMatch(/NaN|Infinity/);
    const tiny = await accept(["analyze", "--survey", file("n1b.csv", survey(["K1,9,1,5", "K2,3,2,1", "K3,5,3,2"], "customer_id,nps,a,b")), "--drivers", "a,b"]);
    expect(tiny.drivers).toBeNull();
    expect(warning(tiny, "drivers-too-few-rows")).toBeDefined();
  });
});

describe("standard input", () => {
  it("reads a survey from - and names it (standard input) in messages", async () => {
    const result = await runCli(["analyze", "--survey", "-", "--format", "json"], {}, "customer_id;region;nps\nK1;Oslo;9\nK2;Oslo;11\n");
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.inputs.survey).toMatchObject({ path: "-", rowsRead: 2, rowsRejected: 1 });
    expect(result.stderr).toMatch(/\(standard input\): 1 row rejected .*first at \(standard input\):3:3/);
  });
  it("refuses - for both files", async () => {
    await reject(["analyze", "--survey", "-", "--finance", "-"], /only one of --survey and --finance can read standard input/);
  });
});
