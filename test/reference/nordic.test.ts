import { beforeAll, describe, expect, it } from "vitest";
import { ReportSchema, type Report } from "../../src/report/report.js";
import { fixturePath } from "../support/fixtures.js";
import { checkDriverModel, checkJoin, checkNps, checkNpsByRegion, checkRevenueAndChurn, nordicExpected } from "../support/nordic-expected.js";
import { runJson } from "../support/run-cli.js";

describe("loyalty analyze on the Nordic reference data equals R", () => {
  let report: Report;
  beforeAll(async () => {
    report = await runJson<Report>([
      "analyze",
      "--survey",
      fixturePath("reference", "nordic-survey.csv"),
      "--finance",
      fixturePath("reference", "nordic-finance.csv"),
      "--by",
      "region",
      "--bootstrap",
      "50",
    ]);
  });

  it("produces a report that validates against the published schema", () => {
    expect(() => ReportSchema.parse(report)).not.toThrow();
  });
  it("accounts for every row", () => {
    const { survey, finance } = report.inputs;
    expect(survey.rowsRead).toBe(nordicExpected.rows.survey);
    expect(survey.rowsAccepted + survey.rowsRejected + survey.rowsExcluded).toBe(nordicExpected.rows.survey);
    expect(finance!.rowsRead).toBe(nordicExpected.rows.finance);
    expect(finance!.rowsAccepted + finance!.rowsRejected + finance!.rowsExcluded).toBe(nordicExpected.rows.finance);
  });
  it("NPS overall", () => checkNps(report.nps.overall, nordicExpected.nps.overall, "overall"));
  it("NPS for every region", () => checkNpsByRegion(report));
  it("the join counts", () => checkJoin(report));
  it("revenue and churn by category", () => checkRevenueAndChurn(report));
  it("the driver model: every term and the model statistics", () => {
    expect(report.drivers!.terms.map((t) => t.term)).toEqual(nordicExpected.drivers.terms.map((t) => (t.term === "(Intercept)" ? "intercept" : t.term)));
    checkDriverModel(report);
  });
  it("NPS by segment too (--by segment)", async () => {
    const bySegment = await runJson<Report>(["analyze", "--survey", fixturePath("reference", "nordic-survey.csv"), "--by", "segment", "--bootstrap", "0"]);
    for (const want of nordicExpected.nps.by_segment) checkNps(bySegment.nps.byGroup.find((g) => g.group === want.group)!, want, want.group!);
  });
});
