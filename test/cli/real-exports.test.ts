// The shapes real exports have (issue 9), on small hand-made files of each shape: a bad cell in a
// rating column, ratings and scores written as words, columns that are not ratings, the header
// names real exports use, legacy Qualtrics, silent assumptions said, workbooks with the data on
// another sheet, and output paths that cannot be written. Every run uses the default settings.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { ReportSchema, type Report } from "../../src/report/report.js";
import { runCli } from "../support/run-cli.js";

const dir = mkdtempSync(join(tmpdir(), "loyalty-real-"));
function file(name: string, lines: string[], eol = "\n"): string {
  const path = join(dir, name);
  writeFileSync(path, lines.join(eol) + eol);
  return path;
}
async function report(args: string[]): Promise<{ report: Report; stderr: string }> {
  const result = await runCli([...args, "--format", "json"]);
  expect(result.code, result.stderr).toBe(0);
  const parsed = JSON.parse(result.stdout) as Report;
  expect(ReportSchema.safeParse(parsed).success).toBe(true);
  return { report: parsed, stderr: result.stderr };
}
const warning = (r: Report, code: string) => r.warnings.find((w) => w.code === code);

// 40 passengers: scores 0-10 and three 1-5 ratings; row 9 has "x" in Seat_Comfort
const airline = file("airline.csv", [
  "passenger_id,Recommend,Seat_Comfort,Food,Wifi",
  ...Array.from({ length: 40 }, (_, i) => `P${i},${(i * 7) % 11},${i === 7 ? "x" : (i % 5) + 1},${((i * 3) % 5) + 1},${((i * 2 + 1) % 5) + 1}`),
]);
// hand count of (i * 7) % 11 for i = 0..39: promoters (9, 10), detractors (0-6)
const airlineScores = Array.from({ length: 40 }, (_, i) => (i * 7) % 11);
const airlineNps = (100 * (airlineScores.filter((s) => s >= 9).length - airlineScores.filter((s) => s <= 6).length)) / 40;

describe("a bad cell in a rating column", () => {
  it("takes the row out of the driver model only: NPS counts every score, with drivers detected or named", async () => {
    const detected = await report(["analyze", "--survey", airline]);
    const named = await report(["analyze", "--survey", airline, "--drivers", "Seat_Comfort,Food,Wifi"]);
    for (const { report: r } of [detected, named]) {
      expect(r.nps.overall.n).toBe(40);
      expect(r.nps.overall.nps).toBeCloseTo(airlineNps, 10);
      expect(r.inputs.survey.rowsRejected).toBe(0);
      expect(r.inputs.survey.ratingRejects).toEqual({ rows: 1, rejects: [{ line: 9, column: 3, columnName: "Seat_Comfort", reason: 'expected a number or blank, got "x"' }] });
      expect(r.drivers!.n).toBe(39);
      expect(r.drivers!.droppedInvalidRating).toBe(1);
      expect(r.drivers!.drivers).toEqual(["Seat_Comfort", "Food", "Wifi"]);
    }
    expect(detected.stderr).toMatch(/airline\.csv: 1 row with an invalid rating left out of the driver model, its score still counted \(first at airline\.csv:9:3: column "Seat_Comfort"/);
  });
  it("--strict makes it an error at its line and column", async () => {
    const result = await runCli(["analyze", "--survey", airline, "--strict"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^loyalty: airline\.csv:9:3: column "Seat_Comfort": expected a number or blank, got "x"/);
  });
});

describe("ratings and scores written as words", () => {
  const food = ["Poor", "Fair", "Good", "Very good", "Excellent"];
  const staff = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"];
  const swedish = ["Mycket missnöjd", "Missnöjd", "Varken eller", "Nöjd", "Mycket nöjd"];
  const words = file("words.csv", [
    "customer_id,nps,Food,Staff,Bemötande",
    ...Array.from({ length: 30 }, (_, i) => `K${i},${i % 11},${i === 4 ? "Awful" : food[i % 5]},${staff[(i * 3) % 5]},${swedish[(i * 2 + (i > 14 ? 1 : 0)) % 5]}`),
  ]);
  it("English and Nordic vocabularies are detected per column and read as 1-5; an unknown word is a located rating reject", async () => {
    const { report: r, stderr } = await report(["analyze", "--survey", words]);
    expect(r.inputs.survey.columns.drivers).toEqual(["Food", "Staff", "Bemötande"]);
    expect(r.inputs.survey.wordScales).toEqual([
      { column: "Food", scale: "quality (English)", min: 1, max: 5 },
      { column: "Staff", scale: "agreement (English)", min: 1, max: 5 },
      { column: "Bemötande", scale: "satisfaction (Swedish)", min: 1, max: 5 },
    ]);
    expect(r.nps.overall.n).toBe(30);
    expect(r.inputs.survey.ratingRejects.rejects[0]).toMatchObject({ line: 6, column: 3, columnName: "Food" });
    expect(r.inputs.survey.ratingRejects.rejects[0]!.reason).toMatch(/expected a rating word of the quality \(English\) scale \(Poor=1, Fair=2, Good=3, Very good=4, Excellent=5\) or blank, got "Awful"/);
    expect(r.drivers!.n).toBe(29);
    // the mean rating is the mean of the words' values: Food on rows other than row 4
    const foodValues = Array.from({ length: 30 }, (_, i) => i).filter((i) => i !== 4).map((i) => (i % 5) + 1);
    const foodMean = foodValues.reduce((a, b) => a + b, 0) / foodValues.length;
    expect(r.drivers!.importance.find((d) => d.driver === "Food")!.mean).toBeCloseTo(foodMean, 10);
    expect(stderr).toMatch(/words\.csv: column "Bemötande" holds words, read on the satisfaction \(Swedish\) scale as Mycket missnöjd=1, Missnöjd=2, Varken nöjd eller missnöjd=3, Nöjd=4, Mycket nöjd=5/);
  });
  it("--rating-map reads words no vocabulary holds", async () => {
    const custom = file("custom.csv", ["customer_id,nps,Vibe", ...Array.from({ length: 12 }, (_, i) => `K${i},${i % 11},${["Meh", "OK", "Great"][i % 3]}`)]);
    const { report: r } = await report(["analyze", "--survey", custom, "--rating-map", "Meh=1,OK=2,Great=3"]);
    expect(r.inputs.survey.columns.drivers).toEqual(["Vibe"]);
    expect(r.drivers!.importance[0]!.mean).toBeCloseTo(2, 10);
  });
  const yesNo = file("ymn.csv", ["customer_id,Would you recommend us?,Service", ...Array.from({ length: 20 }, (_, i) => `K${i},${["Yes", "Maybe", "No"][i % 3]},${(i % 5) + 1}`)]);
  it("a score column of words is an error that names the scale, --scale and --score-map", async () => {
    const result = await runCli(["analyze", "--survey", yesNo]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^loyalty: ymn\.csv:1:2: column "Would you recommend us\?": the scores are words of the yes\/maybe\/no \(English\) scale \(No=1, Maybe=2, Yes=3\), not 0-10 numbers; read them on that scale with --scale 1-3 .*--score-map/);
  });
  it("--score-map maps score words to 0-10; --scale 1-3 reads them on the vocabulary's scale", async () => {
    const { report: mapped } = await report(["analyze", "--survey", yesNo, "--score-map", "No=0,Maybe=8,Yes=10"]);
    // 7 Yes (promoters), 7 Maybe (passives), 6 No (detractors): NPS = 100 (7 - 6) / 20 = 5
    expect([mapped.nps.overall.promoters, mapped.nps.overall.passives, mapped.nps.overall.detractors]).toEqual([7, 7, 6]);
    expect(mapped.nps.overall.nps).toBeCloseTo(5, 10);
    const { report: scaled } = await report(["analyze", "--survey", yesNo, "--scale", "1-3"]);
    expect(scaled.nps.overall.nps).toBeCloseTo(5, 10);
    expect(scaled.inputs.survey.wordScales[0]).toMatchObject({ column: "Would you recommend us?", scale: "yes/maybe/no (English)" });
  });
  it("a word outside --score-map is a reject at its line and column", async () => {
    const odd = file("ymn-odd.csv", ["customer_id,recommend", "K1,Yes", "K2,Perhaps", "K3,No"]);
    const { report: r } = await report(["analyze", "--survey", odd, "--score-map", "No=0,Maybe=8,Yes=10"]);
    expect(r.inputs.survey.rejects[0]).toMatchObject({ line: 3, column: 2, columnName: "recommend" });
    expect(r.nps.overall.n).toBe(2);
  });
  it("inspect shows the vocabulary of each word column and says how to read a score of words", async () => {
    const result = await runCli(["inspect", words, yesNo, "--no-color", "--width", "300"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Food: words read as quality \(English\): Poor=1, Fair=2, Good=3, Very good=4, Excellent=5/);
    expect(result.stdout).toMatch(/the score column "Would you recommend us\?" holds words of the yes\/maybe\/no \(English\) scale, not 0-10 numbers: pass --scale 1-3/);
    expect(result.stdout).not.toMatch(/Infinity/);
  });
});

describe("driver detection keeps to ratings", () => {
  const mixed = file("mixed.csv", [
    "customer_id,nps,service,price,churn,Churn Score,age,orders_count,cltv,tenure_months,Value for money",
    ...Array.from({ length: 24 }, (_, i) => `K${i},${i % 11},${(i % 5) + 1},${((i * 3) % 5) + 1},${i % 2},${(i * 13) % 100},${20 + ((i * 7) % 60)},${i % 9},${(i * 37) % 100},${i % 24},${((i * 2) % 5) + 1}`),
  ]);
  it("flags, other models' scores, ages, counts and money are not drivers; a value-for-money rating is", async () => {
    const { report: r } = await report(["analyze", "--survey", mixed]);
    expect(r.inputs.survey.columns.drivers).toEqual(["service", "price", "Value for money"]);
  });
  it("inspect says why each column was or was not taken", async () => {
    const result = await runCli(["inspect", mixed, "--no-color", "--width", "300"]);
    expect(result.stdout).toMatch(/✓ service: whole numbers 1-5/);
    expect(result.stdout).toMatch(/· churn: its header \("churn"\) says it is not a rating/);
    expect(result.stdout).toMatch(/· Churn Score: its header \("churn"\) says it is not a rating/);
    expect(result.stdout).toMatch(/· age: its header \("age"\) says it is not a rating/);
    expect(result.stdout).toMatch(/· orders_count: its header \("count"\) says it is not a rating/);
    const flags = file("flags.csv", ["customer_id,nps,resolved,service", ...Array.from({ length: 12 }, (_, i) => `K${i},${i % 11},${i % 2},${(i % 5) + 1}`)]);
    expect((await runCli(["inspect", flags, "--no-color", "--width", "300"])).stdout).toMatch(/· resolved: it only holds 0 and 1: a flag, not a rating \(name it with --drivers to use it\)/);
  });
  it("--no-drivers: no driver model, and no warning asking for drivers", async () => {
    const { report: r } = await report(["analyze", "--survey", mixed, "--no-drivers"]);
    expect(r.inputs.survey.columns.drivers).toEqual([]);
    expect(r.drivers).toBeNull();
  });
});

describe("the column names real exports use", () => {
  it("e-commerce reviews and payments: review_score, review_answer_timestamp, payment_value, customer_state", async () => {
    const reviews = file("order_reviews.csv", [
      "review_id,order_id,customer_state,review_score,review_comment_message,review_creation_date,review_answer_timestamp",
      ...Array.from({ length: 20 }, (_, i) => `r${i},o${i},${["SP", "RJ"][i % 2]},${(i % 5) + 1},,2018-01-${String(i + 1).padStart(2, "0")} 00:00:00,2018-02-${String(i + 1).padStart(2, "0")} 10:00:00`),
    ]);
    const payments = file("order_payments.csv", ["order_id,payment_sequential,payment_type,payment_installments,payment_value", ...Array.from({ length: 20 }, (_, i) => `o${i},1,credit_card,1,${10 + i}.50`)]);
    const { report: r } = await report(["analyze", "--survey", reviews, "--finance", payments, "--customer-id", "order_id", "--scale", "1-5"]);
    expect(r.inputs.survey.columns).toMatchObject({ score: "review_score", date: "review_answer_timestamp", group: "customer_state", customerId: "order_id" });
    expect(r.inputs.finance!.columns).toMatchObject({ customerId: "order_id", revenue: "payment_value" });
    // 1-5 top two boxes: 5 promoter, 4 passive, 1-3 detractor; scores cycle 1..5 over 20 rows
    expect(r.nps.overall.nps).toBeCloseTo((100 * (4 - 12)) / 20, 10);
    expect(r.revenue!.total.revenue).toBeCloseTo(20 * 10.5 + (19 * 20) / 2, 9);
  });
  it("telco: Customer ID, Satisfaction Score, City, Total Revenue; churn columns are not drivers", async () => {
    const status = file("telco-status.csv", [
      "Customer ID,Quarter,Satisfaction Score,Customer Status,Churn Value,Churn Score,CLTV,City",
      ...Array.from({ length: 16 }, (_, i) => `${1000 + i}-QWER,Q3,${(i % 5) + 1},${i % 5 < 2 ? "Churned" : "Stayed"},${i % 5 < 2 ? 1 : 0},${40 + i},${3000 + i},${["Fresno", "San Diego"][i % 2]}`),
    ]);
    const services = file("telco-services.csv", ["Customer ID,Count,Quarter,Tenure in Months,Monthly Charge,Total Revenue", ...Array.from({ length: 16 }, (_, i) => `${1000 + i}-QWER,1,Q3,${i + 1},50.5,${100 * (i + 1)}`)]);
    const { report: r } = await report(["analyze", "--survey", status, "--finance", services, "--scale", "1-5"]);
    expect(r.inputs.survey.columns).toMatchObject({ customerId: "Customer ID", score: "Satisfaction Score", group: "City", drivers: [] });
    expect(r.inputs.finance!.columns).toMatchObject({ customerId: "Customer ID", revenue: "Total Revenue" });
    expect(r.join!.matched).toBe(16);
  });
  it("Qualtrics' ExternalReference and SurveyMonkey's Custom Data 1 are the customer id", async () => {
    const q = file("q.csv", ["ResponseId,ExternalReference,Q1_NPS,Q2", ...Array.from({ length: 10 }, (_, i) => `R_${i},C${i},${i},${(i % 5) + 1}`)]);
    expect((await report(["analyze", "--survey", q])).report.inputs.survey.columns.customerId).toBe("ExternalReference");
    const sm = file("sm.csv", ["Respondent ID,Custom Data 1,How likely are you to recommend us?", ...Array.from({ length: 10 }, (_, i) => `${900 + i},C${i},${i}`)]);
    expect((await report(["analyze", "--survey", sm])).report.inputs.survey.columns.customerId).toBe("Custom Data 1");
  });
  it("init and inspect take the column and scale options, and init writes them into the config", async () => {
    const survey = file("init-survey.csv", ["id,rating,grade,place", ...Array.from({ length: 12 }, (_, i) => `K${i},${(i % 5) + 1},${["Poor", "Good", "Excellent"][i % 3]},${["A", "B"][i % 2]}`)]);
    const inspected = await runCli(["inspect", survey, "--score", "rating", "--scale", "1-5", "--format", "json"]);
    expect(inspected.code, inspected.stderr).toBe(0);
    const columns = (JSON.parse(inspected.stdout) as { files: { columns: { name: string; role: string | null }[] }[] }).files[0]!.columns;
    expect(columns.find((c) => c.name === "rating")!.role).toBe("score");
    const config = join(dir, "init.config.json");
    const init = await runCli(["init", "--survey", survey, "--score", "rating", "--customer-id", "id", "--by", "place", "--scale", "1-5", "--rating-map", "Poor=1,Good=2,Excellent=3", "--output", config]);
    expect(init.code, init.stderr).toBe(0);
    expect(JSON.parse(readFileSync(config, "utf8"))).toMatchObject({ survey: { customerId: "id", score: "rating", by: "place", drivers: ["grade"], scale: "1-5", ratingMap: "Poor=1,Good=2,Excellent=3" } });
    const { report: r } = await report(["analyze", "--config", config]);
    expect(r.nps.scale).toMatchObject({ min: 1, max: 5 });
    expect(r.inputs.survey.columns.drivers).toEqual(["grade"]);
    const noDrivers = join(dir, "none.config.json");
    expect((await runCli(["init", "--survey", survey, "--score", "rating", "--scale", "1-5", "--no-drivers", "--output", noDrivers])).code).toBe(0);
    expect(JSON.parse(readFileSync(noDrivers, "utf8")).survey.drivers).toBe(false);
    expect((await report(["analyze", "--config", noDrivers])).report.drivers).toBeNull();
  });
});

describe("legacy Qualtrics exports (V1… first, labels second, a trailing comma)", () => {
  const lines = [
    "\uFEFFV1,V2,V3,V4,V5,V6,V7,V8,V9,V10,Q1,Q2_1,Q2_2,",
    "ResponseID,ResponseSet,Name,ExternalDataReference,EmailAddress,IPAddress,Status,StartDate,EndDate,Finished,How likely are you to recommend us to a friend?,How satisfied are you with - Service,How satisfied are you with - Price,",
    ...Array.from({ length: 12 }, (_, i) => `R_${i},Default Response Set,"Doe, J${i}",C${i},,1.2.3.${i},${i === 3 ? 1 : 0},2015-01-${String(i + 1).padStart(2, "0")} 10:00:00,2015-01-${String(i + 1).padStart(2, "0")} 10:05:00,${i === 5 ? 0 : 1},${i % 11},${(i % 5) + 1},${((i * 2) % 5) + 1},`),
  ];
  const legacy = file("legacy.csv", lines, "\r\n");
  it("is detected, with or without --layout qualtrics, and its preview and unfinished rows are excluded", async () => {
    for (const args of [[], ["--layout", "qualtrics"]]) {
      const { report: r } = await report(["analyze", "--survey", legacy, ...args]);
      expect(r.inputs.survey.format).toMatchObject({ layout: "qualtrics", headerRows: 2 });
      expect([r.inputs.survey.rowsRead, r.inputs.survey.rowsAccepted, r.inputs.survey.rowsExcluded]).toEqual([12, 10, 2]);
      expect(r.inputs.survey.columns).toMatchObject({ customerId: "ExternalDataReference", score: "Q1", date: "EndDate", drivers: ["Q2_1", "Q2_2"] });
      // the first data row (line 3) is a response, not a header
      expect(r.nps.overall.n).toBe(10);
    }
  });
});

describe("silent assumptions are said", () => {
  it("without a date column the latest response is by file order, and the report says so", async () => {
    const repeat = file("repeat.csv", ["customer_id,nps", "A,10", "B,3", "A,2", "C,9"]);
    const { report: r } = await report(["analyze", "--survey", repeat]);
    expect(r.inputs.survey.latestBy).toBe("file order");
    expect(warning(r, "latest-by-file-order")!.message).toMatch(/^repeat\.csv: no response date column, so the latest response of each of the 1 customer who answered more than once is taken to be the last one in the file/);
  });
  it("an NPS on n = 1 has an adjusted-Wald interval of real width, and is flagged", async () => {
    const one = file("one.csv", ["customer_id,nps", "A,10"]);
    const { report: r } = await report(["analyze", "--survey", one]);
    expect(r.nps.overall).toMatchObject({ n: 1, nps: 100, ciMethod: "adjusted-wald", ciHigh: 100, smallSample: true });
    // n' = 4, p+' = 1.75/4, p-' = 0.75/4: centre 25, half-width 1.96 sqrt((0.625 - 0.0625)/4) = 73.50
    expect(r.nps.overall.ciLow).toBeCloseTo(25 - 100 * 1.959963984540054 * Math.sqrt(0.5625 / 4), 9);
    expect(warning(r, "small-sample")!.message).toMatch(/^one\.csv: only 1 scored response/);
  });
  it("--nps-per customer counts each customer's latest response once", async () => {
    const repeat = file("repeat-dated.csv", ["customer_id,nps,date,region", "A,10,2025-01-01,N", "A,2,2025-02-01,N", "B,9,2025-01-05,N", "C,3,2025-01-07,S"]);
    const perResponse = (await report(["analyze", "--survey", repeat])).report;
    const perCustomer = (await report(["analyze", "--survey", repeat, "--nps-per", "customer"])).report;
    expect(perResponse.nps.overall.n).toBe(4);
    expect(perResponse.nps.overall.nps).toBeCloseTo(0, 10);
    // A's latest is 2 (detractor): B promoter, A and C detractors -> 100 (1 - 2) / 3
    expect(perCustomer.nps.overall.n).toBe(3);
    expect(perCustomer.nps.overall.nps).toBeCloseTo(-100 / 3, 10);
    expect(perCustomer.nps.byGroup.find((g) => g.group === "N")!.n).toBe(2);
    expect(perCustomer.inputs.survey.npsPer).toBe("customer");
  });
  it("row warnings name their file; a missing column is reported at the header line", async () => {
    const survey = file("named.csv", ["customer_id,nps,region", "A,10,N", "B,3,N", "C,9,S"]);
    const finance = file("named-finance.csv", ["customer_id,period,revenue", "A,2025-01,10"]);
    const { report: r } = await report(["analyze", "--survey", survey, "--finance", finance]);
    expect(warning(r, "unmatched-respondents")!.message).toMatch(/^named\.csv: 2 respondents of 3 have no finance rows in named-finance\.csv/);
    expect(warning(r, "small-groups")!.message).toMatch(/^named\.csv: 2 groups/);
    const noRevenue = file("norev.csv", ["customer_id,period,amount_due"]);
    const result = await runCli(["analyze", "--survey", survey, "--finance", noRevenue]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^loyalty: norev\.csv:1: no revenue column found/);
  });
});

describe("workbooks with the data on another sheet", () => {
  it("a title sheet is skipped; with no table anywhere the other sheets are named; inspect lists every sheet", async () => {
    const path = join(dir, "book.xlsx");
    const book = new ExcelJS.Workbook();
    book.addWorksheet("Read me").addRow(["Survey export, March"]);
    const answers = book.addWorksheet("Answers");
    answers.addRow(["Report generated 2025-03-01"]);
    answers.addRow([]);
    answers.addRow(["customer_id", "nps", "service"]);
    for (let i = 0; i < 12; i++) answers.addRow([`K${i}`, i % 11, (i % 5) + 1]);
    await book.xlsx.writeFile(path);
    const { report: r, stderr } = await report(["analyze", "--survey", path]);
    expect(r.inputs.survey.format).toMatchObject({ sheet: "Answers", skippedSheets: ["Read me"] });
    expect(r.nps.overall.n).toBe(12);
    // the header is on the sheet's row 3: rejects and messages keep the sheet's row numbers
    expect(r.inputs.survey.rowsRead).toBe(12);
    expect(stderr).toMatch(/book\.xlsx: sheet "Read me" holds no table, so sheet "Answers" was read/);
    const inspected = await runCli(["inspect", path, "--no-color", "--width", "300"]);
    expect(inspected.stdout).toMatch(/sheets: Read me \(1 rows × 1 columns\), Answers \(14 rows × 3 columns\) ← read/);
    const wrong = join(dir, "wrong.xlsx");
    const other = new ExcelJS.Workbook();
    other.addWorksheet("Summary").addRow(["region", "total"]);
    other.getWorksheet("Summary")!.addRow(["N", 5]);
    const data = other.addWorksheet("Data");
    data.addRow(["customer_id", "nps"]);
    data.addRow(["K1", 9]);
    await other.xlsx.writeFile(wrong);
    const result = await runCli(["analyze", "--survey", wrong]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^loyalty: wrong\.xlsx:1: sheet "Summary": no score column found .*; the workbook has other sheets: "Data" \(2 rows, 2 columns\); name the one with the answers with --sheet/);
  });
});

describe("output paths that cannot be written are input errors, and leave no temporary file", () => {
  const survey = file("out-survey.csv", ["customer_id,nps", "A,9", "B,3"]);
  const cases: [string, string, RegExp][] = [
    ["a folder", dir, /cannot write .*: it is a folder; give a file name/],
    ["a path under a file", join(survey, "report.json"), /cannot write .*report\.json: a part of the path is a file, not a folder/],
    ["a folder that cannot be created", "/proc/loyalty-nope/report.json", /cannot write \/proc\/loyalty-nope\/report\.json: /],
  ];
  it.each(cases)("%s: exit 2 naming the path", async (_what, output, message) => {
    const result = await runCli(["analyze", "--survey", survey, "--format", "json", "--output", output]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/internal error/);
    expect(readdirSync(dir).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });
  it("a folder that does not exist yet is created; the write leaves only the report", async () => {
    const target = join(dir, "new", "deeper", "report.json");
    const result = await runCli(["analyze", "--survey", survey, "--output", target]);
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(target)).toBe(true);
    expect(readdirSync(join(dir, "new", "deeper"))).toEqual(["report.json"]);
  });
  it("a stale temporary file of a dead process is removed by the next write", async () => {
    const folder = join(dir, "stale");
    mkdirSync(folder);
    writeFileSync(join(folder, ".report.json.999999999.tmp"), "{");
    const result = await runCli(["analyze", "--survey", survey, "--output", join(folder, "report.json")]);
    expect(result.code, result.stderr).toBe(0);
    expect(readdirSync(folder)).toEqual(["report.json"]);
  });
});
