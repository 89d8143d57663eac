import { describe, expect, it } from "vitest";
import type { Report } from "../../src/report/report.js";
import { fixturePath } from "../support/fixtures.js";
import { checkDriverModel, checkImportance, checkJoin, checkNps, checkNpsByRegion, checkRevenueAndChurn, nordicExpected } from "../support/nordic-expected.js";
import { runJson } from "../support/run-cli.js";

// Every survey export variant with every finance variant, read with no options beyond the
// files and --by region, gives exactly R's numbers (issue: "real exports in, untouched").
const surveys = {
  "plain CSV": { file: "nordic-survey.csv", layout: "plain", encoding: "utf-8", headerRows: 1 },
  "Qualtrics (3 header rows, BOM)": { file: "nordic-survey.qualtrics.csv", layout: "qualtrics", encoding: "utf-8-bom", headerRows: 3 },
  "SurveyMonkey (2 header rows, US dates)": { file: "nordic-survey.surveymonkey.csv", layout: "surveymonkey", encoding: "utf-8", headerRows: 2 },
};
const finances = {
  "plain CSV": { file: "nordic-finance.csv", encoding: "utf-8", delimiter: ",", decimal: "." },
  "Swedish Excel (; decimal comma, NBSP, CRLF, Windows-1252)": { file: "nordic-finance.sv.csv", encoding: "windows-1252", delimiter: ";", decimal: "," },
  "Excel Unicode text (UTF-16LE, tab)": { file: "nordic-finance.utf16.txt", encoding: "utf-16le", delimiter: "\t", decimal: "." },
};

describe.each(Object.entries(surveys))("survey: %s", (_surveyName, survey) => {
  it.each(Object.entries(finances))("with finance: %s", async (_financeName, finance) => {
    const report = await runJson<Report>([
      "analyze",
      "--survey",
      fixturePath("reference", survey.file),
      "--finance",
      fixturePath("reference", finance.file),
      "--by",
      "region",
      "--bootstrap",
      "0",
    ]);
    expect(report.inputs.survey.format).toMatchObject({ layout: survey.layout, encoding: survey.encoding, headerRows: survey.headerRows });
    expect(report.inputs.finance!.format).toMatchObject({ encoding: finance.encoding, delimiter: finance.delimiter, decimal: finance.decimal });
    expect(report.inputs.survey.rowsAccepted).toBe(nordicExpected.rows.survey);
    expect(report.inputs.finance!.rowsAccepted).toBe(nordicExpected.rows.finance);
    checkNps(report.nps.overall, nordicExpected.nps.overall, "overall");
    checkNpsByRegion(report);
    checkJoin(report);
    checkRevenueAndChurn(report);
    checkDriverModel(report);
    checkImportance(report);
  });
});
