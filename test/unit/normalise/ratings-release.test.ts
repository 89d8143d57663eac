// The survey's ratings are let go once the driver analyses are done (40 MB for a million responses):
// the analysis is whole without them, and reading them afterwards is an error, never a made-up null.
import { describe, expect, it } from "vitest";
import { computeAnalysis } from "../../../src/pipeline.js";
import { SurveyResponses } from "../../../src/normalise/survey.js";
import { fixturePath } from "../../support/fixtures.js";

describe("the ratings let go after the driver analyses", () => {
  it("computeAnalysis has its drivers, and the responses no ratings left", async () => {
    const analysis = await computeAnalysis({ survey: fixturePath("demo", "survey.csv"), finance: fixturePath("demo", "finance.csv"), surveyColumns: { by: "region" }, importance: { bootstrap: 20 }, threads: 1 });
    expect(analysis.drivers.model?.drivers.length).toBeGreaterThan(2);
    expect(analysis.driversByGroup.filter((g) => g.analysis !== null).length).toBeGreaterThan(2);
    expect(analysis.survey.responses.ratings.every((column) => column.length === 0)).toBe(true);
    expect(() => analysis.survey.responses.at(0)).toThrow(/after the responses let them go/);
  });
  it("SurveyResponses.releaseRatings: the other columns stay", () => {
    const responses = new SurveyResponses(2, 2);
    responses.push({ line: 2, customerId: "A", score: 9, category: "promoter", date: null, group: "Oslo", drivers: [5, 4], weight: 1, outcome: null, comment: null, owner: null, ratingsValid: true });
    expect(responses.at(0).drivers).toEqual([5, 4]);
    responses.releaseRatings();
    expect(responses.groupOf(0)).toBe("Oslo");
    expect(responses.score[0]).toBe(9);
    expect(() => [...responses]).toThrow(/ratings were read/);
  });
});
