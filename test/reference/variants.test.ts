import { describe, expect, it } from "vitest";
import type { Report } from "../../src/report/report.js";
import { fixturePath, readJsonFixture } from "../support/fixtures.js";
import { close, checkDriverModel, checkImportance, checkJoin, checkNps, checkNpsByRegion, checkRevenueAndChurn, nordicExpected } from "../support/nordic-expected.js";
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
      "--period",
      "quarter",
      "--lag",
      "1",
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
    checkMoney(report);
  });
});

/** The money sections, spot-checked against fixtures/reference/nordic-money.R (test/reference/money.test.ts checks them all). */
function checkMoney(report: Report): void {
  const money = readJsonFixture<{
    revenueWeightedNps: number;
    retention: { category: string; grossRevenueRetention: number; lifetimeValue: number; monthlyHazard: number }[];
    forwardRevenueAtRisk: { revenueAtRisk: number }[];
    scenarios: Record<string, { oneYearRevenue: number; lifetimeValue: number }>;
    trend: { periods: { nps: number }[]; changes: { paired: { change: number; p: number } }[] };
    lag: { byKpi: { kpi: string; slope: number }[] };
  }>("reference", "nordic-money-expected.json");
  close(report.retention!.revenueWeightedNps, money.revenueWeightedNps, "revenue-weighted NPS");
  for (const want of money.retention) {
    const got = report.retention!.byCategory.find((c) => c.category === want.category)!;
    close(got.grossRevenueRetention, want.grossRevenueRetention, `${want.category} GRR`);
    close(got.monthlyHazard, want.monthlyHazard, `${want.category} hazard`);
    close(got.lifetimeValue, want.lifetimeValue, `${want.category} LTV`);
  }
  close(report.value!.revenueAtRisk.total, money.forwardRevenueAtRisk.reduce((s, c) => s + c.revenueAtRisk, 0), "revenue at risk");
  for (const s of report.value!.scenarios) {
    close(s.oneYearRevenue, money.scenarios[s.name]!.oneYearRevenue, `${s.name} one year`);
    close(s.lifetimeValue, money.scenarios[s.name]!.lifetimeValue, `${s.name} lifetime`);
  }
  money.trend.periods.forEach((p, i) => close(report.trend!.periods[i]!.nps, p.nps, `quarter ${i} nps`));
  money.trend.changes.forEach((c, i) => {
    close(report.trend!.changes[i]!.paired!.change, c.paired.change, `change ${i} paired`);
    close(report.trend!.changes[i]!.paired!.p, c.paired.p, `change ${i} paired p`);
  });
  for (const k of money.lag.byKpi) close(report.lag!.byKpi.find((g) => g.kpi === k.kpi)!.slope, k.slope, `lag ${k.kpi} slope`);
}
