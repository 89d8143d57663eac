import { describe, expect, it } from "vitest";
import { analyze, computeAnalysis } from "../../../src/pipeline.js";
import { buildReport } from "../../../src/report/build-report.js";
import { fixturePath } from "../../support/fixtures.js";

const settings = { survey: fixturePath("demo", "survey.csv"), finance: fixturePath("demo", "finance.csv"), surveyColumns: { by: "region" }, importance: { bootstrap: 0 }, retention: { resamples: 0 }, threads: 1 };
const context = { now: new Date(Date.UTC(2026, 0, 1)), toolVersion: "test" };

describe("comments: kept for the lists, not read for a report", () => {
  it("computeAnalysis keeps each response's comment by default, and none with comments: false (the column still named)", async () => {
    const kept = await computeAnalysis(settings);
    const dropped = await computeAnalysis({ ...settings, comments: false });
    const commentsOf = (responses: typeof kept.survey.responses) => Array.from({ length: responses.length }, (_, i) => responses.commentOf(i));
    expect(commentsOf(kept.survey.responses).filter((c) => c !== null).length).toBeGreaterThan(1000);
    expect(commentsOf(dropped.survey.responses).every((c) => c === null)).toBe(true);
    expect(dropped.survey.columns.comment?.name).toBe("comment");
  });
  it("the report is the same bytes either way (it shows no comment)", async () => {
    const report = await analyze(settings, context);
    const withComments = buildReport(await computeAnalysis({ ...settings, comments: true }), context);
    expect(JSON.stringify(report)).toBe(JSON.stringify(withComments));
  });
});
