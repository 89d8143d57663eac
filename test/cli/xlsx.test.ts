import { copyFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/report/report.js";
import { fixturePath } from "../support/fixtures.js";
import { checkDriverModel, checkJoin, checkNps, checkNpsByRegion, checkRevenueAndChurn, nordicExpected } from "../support/nordic-expected.js";
import { runCli, runJson } from "../support/run-cli.js";

const dir = mkdtempSync(join(tmpdir(), "loyalty-xlsx-"));
const workbook = join(dir, "survey.xlsx");

// The reference survey as an analyst's workbook: a notes sheet first, the data on "Svar", numbers as
// numbers, dates as Excel dates, blanks as empty cells.
beforeAll(async () => {
  const lines = readFileSync(fixturePath("reference", "nordic-survey.csv"), "utf8").trim().split("\n");
  const book = new ExcelJS.Workbook();
  book.addWorksheet("Notes").addRow(["Exported from the survey tool"]);
  const sheet = book.addWorksheet("Svar");
  lines.forEach((line, i) => {
    const cells = line.split(",").map((c) => c.replace(/^"|"$/g, ""));
    if (i === 0) return void sheet.addRow(cells);
    sheet.addRow(cells.map((c, j) => (c === "" ? null : j === 4 ? new Date(`${c}T00:00:00Z`) : j >= 5 ? Number(c) : c)));
  });
  await book.xlsx.writeFile(workbook);
});

describe("Excel workbooks", () => {
  it("the reference survey as .xlsx (sheet named with --sheet) gives R's numbers", async () => {
    const report = await runJson<Report>([
      "analyze", "--survey", workbook, "--sheet", "Svar", "--finance", fixturePath("reference", "nordic-finance.csv"), "--by", "region", "--bootstrap", "0",
    ]);
    expect(report.inputs.survey.format).toMatchObject({ container: "xlsx", sheet: "Svar", renamed: false });
    expect(report.inputs.survey.rowsRead).toBe(nordicExpected.rows.survey);
    checkNps(report.nps.overall, nordicExpected.nps.overall, "overall");
    checkNpsByRegion(report);
    checkJoin(report);
    checkRevenueAndChurn(report);
    checkDriverModel(report);
  });
  it("a missing sheet is an error listing the sheets; without --sheet the first sheet with a table is read", async () => {
    const missing = await runCli(["analyze", "--survey", workbook, "--sheet", "Answers"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('loyalty: survey.xlsx: has no sheet named "Answers"; sheets are: Notes, Svar; pass one of these names to --sheet\n');
    // the first sheet holds only a title row, so the first sheet with a table is read, and said so
    const first = await runCli(["analyze", "--survey", workbook, "--bootstrap", "0", "--format", "json"]);
    expect(first.code, first.stderr).toBe(0);
    expect((JSON.parse(first.stdout) as Report).inputs.survey.format).toMatchObject({ sheet: "Svar", skippedSheets: ["Notes"] });
    expect(first.stderr).toMatch(/survey\.xlsx: sheet "Notes" holds no table, so sheet "Svar" was read; name another with --sheet/);
  });
  it("a workbook saved under a .csv name is recognised, read, and said so", async () => {
    const renamed = join(dir, "survey-export.csv");
    copyFileSync(workbook, renamed);
    const report = await runJson<Report>(["analyze", "--survey", renamed, "--sheet", "Svar", "--bootstrap", "0"]);
    expect(report.inputs.survey.format).toMatchObject({ container: "xlsx", renamed: true });
    expect(report.warnings.find((w) => w.code === "workbook-renamed")!.message).toBe('survey-export.csv is an Excel workbook, not CSV text: read its sheet "Svar"');
    expect(report.nps.overall.n).toBe(505);
  });
  it("inspect shows the workbook's sheet and columns", async () => {
    const result = await runCli(["inspect", workbook, "--sheet", "Svar"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/survey file, 505 data rows/);
    expect(result.stdout).toMatch(/│ nps +│ integer │ score/);
  });
});
