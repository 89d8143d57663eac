import { describe, expect, it } from "vitest";
import type { InspectedFile } from "../../src/inspect.js";
import { fixturePath } from "../support/fixtures.js";
import { runCli } from "../support/run-cli.js";

async function inspect(file: string): Promise<InspectedFile> {
  const result = await runCli(["inspect", fixturePath("reference", file), "--format", "json"]);
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { files: InspectedFile[] }).files[0]!;
}
const roles = (file: InspectedFile) => Object.fromEntries(file.columns.filter((c) => c.role).map((c) => [c.name, c.role]));

describe("loyalty inspect on each reference variant", () => {
  it("plain survey CSV", async () => {
    const file = await inspect("nordic-survey.csv");
    expect(file.format).toMatchObject({ encoding: "utf-8", encodingGuessed: false, delimiter: ",", decimal: ".", layout: "plain", headerRows: 1 });
    expect(file).toMatchObject({ kind: "survey", rows: 505 });
    expect(roles(file)).toEqual({
      customer_id: "customer id",
      region: "group",
      response_date: "date",
      nps: "score",
      product_quality: "driver",
      service: "driver",
      accessibility: "driver",
      value_for_money: "driver",
      brand: "driver",
    });
  });
  it("Qualtrics export: three header rows, the score found through its question text", async () => {
    const file = await inspect("nordic-survey.qualtrics.csv");
    expect(file.format).toMatchObject({ encoding: "utf-8-bom", delimiter: ",", decimal: ".", layout: "qualtrics", headerRows: 3 });
    expect(file.rows).toBe(505);
    expect(roles(file)).toEqual({
      customer_id: "customer id",
      region: "group",
      RecordedDate: "date",
      Q1_NPS: "score",
      Q2_1: "driver",
      Q2_2: "driver",
      Q2_3: "driver",
      Q2_4: "driver",
      Q2_5: "driver",
    });
    expect(file.columns.find((c) => c.name === "Q1_NPS")!.label).toMatch(/How likely is it that you would recommend us/);
  });
  it("SurveyMonkey export: two header rows, names from both", async () => {
    const file = await inspect("nordic-survey.surveymonkey.csv");
    expect(file.format).toMatchObject({ encoding: "utf-8", delimiter: ",", layout: "surveymonkey", headerRows: 2 });
    expect(file.rows).toBe(505);
    expect(roles(file)).toMatchObject({
      "Customer number": "customer id",
      Region: "group",
      "End Date": "date",
      "How likely is it that you would recommend us to a friend or colleague?": "score",
      "Product quality": "driver",
      Brand: "driver",
    });
    expect(file.notes).toEqual([]);
  });
  it("Swedish Excel finance: Windows-1252 (guessed), semicolons, decimal comma, Swedish headers", async () => {
    const file = await inspect("nordic-finance.sv.csv");
    expect(file.format).toMatchObject({ encoding: "windows-1252", encodingGuessed: true, delimiter: ";", decimal: ",", layout: "plain" });
    expect(file).toMatchObject({ kind: "finance", rows: 5583 });
    expect(roles(file)).toEqual({ Kundnummer: "customer id", Period: "period", Intäkt: "revenue", Kostnad: "cost" });
    expect(file.columns.find((c) => c.name === "Intäkt")!.type).toBe("number");
    expect(file.notes[0]).toMatch(/read as windows-1252/);
  });
  it("Excel Unicode text finance: UTF-16LE, tab-delimited", async () => {
    const file = await inspect("nordic-finance.utf16.txt");
    expect(file.format).toMatchObject({ encoding: "utf-16le", delimiter: "\t", decimal: "." });
    expect(file).toMatchObject({ kind: "finance", rows: 5583 });
    expect(Object.values(roles(file)).sort()).toEqual(["cost", "customer id", "period", "revenue"]);
  });
  it("prints a readable table by default", async () => {
    const result = await runCli(["inspect", fixturePath("reference", "nordic-finance.sv.csv"), "--width", "300"]);
    expect(result.stdout).toMatch(/finance file, 5,583 data rows; encoding windows-1252 \(guessed\), delimiter ";", decimal mark ","/);
    expect(result.stdout).toMatch(/│ Intäkt +│ number │ revenue +│/);
  });
});

describe("inspect on a branch P&L and an employee file", () => {
  it("names the P&L's group and customers columns, and says what the employee file is for", async () => {
    const result = await runCli(["inspect", fixturePath("pnl", "nordic-branch-pnl.csv"), fixturePath("employees", "enps-by-region.csv"), "--no-color", "--width", "300"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/│ Region\s+│ text\s+│ group\s+│/);
    expect(result.stdout).toMatch(/│ Kunder\s+│ integer │ customers │/);
    expect(result.stdout).toMatch(/read as a finance file per group \(a branch P&L\) by "Region", with customers per period in "Kunder"/);
    expect(result.stdout).toMatch(/looks like an employee file: pass it to analyze with --employees/);
  });
});
