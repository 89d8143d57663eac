import { describe, expect, it } from "vitest";
import { UsageError } from "../../../src/errors.js";
import { checkGate, describeResult, evaluateGate, parseGate, schemaPaths } from "../../../src/report/gates.js";
import { reportJsonSchema } from "../../../src/report/report.js";

const paths = schemaPaths(reportJsonSchema() as never);
const report = {
  nps: { overall: { nps: -3.5, n: 40 }, byGroup: [{ group: "Oslo", nps: -25 }, { group: "Bergen", nps: 10 }, { group: "Malmö", nps: -21 }] },
  drivers: null,
};

describe("--fail-if gates", () => {
  it("parse PATH OPERATOR NUMBER", () => {
    expect(parseGate(" nps.byGroup[*].nps <= -20 ")).toMatchObject({ path: "nps.byGroup[*].nps", steps: ["nps", "byGroup", "*", "nps"], operator: "<=", threshold: -20 });
    expect(parseGate("nps.byGroup[1].nps != 1e1")).toMatchObject({ steps: ["nps", "byGroup", 1, "nps"], operator: "!=", threshold: 10 });
    for (const bad of ["nps.overall.nps", "nps.overall.nps < zero", "nps..x < 1", "< 3", "nps.overall.nps =< 0"]) expect(() => parseGate(bad)).toThrow(UsageError);
  });
  it("know every numeric path of the report's schema, arrays as [*]", () => {
    for (const path of ["nps.overall.nps", "nps.byGroup[*].nps", "drivers.rSquared", "drivers.importance[*].lmgShare", "revenue.byCategory[*].revenuePerCustomer", "inputs.survey.rowsRejected"]) {
      expect(paths.get(path), path).toBe(true);
    }
    expect(paths.get("nps.overall")).toBe(false);
  });
  it("reject a path the report does not have, naming the nearest", () => {
    expect(() => checkGate(parseGate("nps.overal.nps < 0"), paths)).toThrow(/the report has no "nps.overal.nps"; the nearest numbers are nps\.overall\.nps/);
    expect(() => checkGate(parseGate("nps.overall < 0"), paths)).toThrow(/"nps.overall" is not a number/);
    expect(() => checkGate(parseGate("nps.byGroup[3].nps < 0"), paths)).not.toThrow();
  });
  it("trip when any value compares true, and say which", () => {
    const any = evaluateGate(parseGate("nps.byGroup[*].nps < -20"), report);
    expect(any.tripped).toBe(true);
    expect(any.hits.map((h) => [h.path, h.label])).toEqual([["nps.byGroup[0].nps", "Oslo"], ["nps.byGroup[2].nps", "Malmö"]]);
    expect(describeResult(any)).toBe("gate tripped: nps.byGroup[*].nps < -20: nps.byGroup[0].nps = -25 (Oslo), nps.byGroup[2].nps = -21 (Malmö)");
    expect(evaluateGate(parseGate("nps.byGroup[1].nps > 5"), report).tripped).toBe(true);
    expect(evaluateGate(parseGate("nps.overall.nps >= -3.5"), report).tripped).toBe(true);
    expect(evaluateGate(parseGate("nps.overall.nps > -3.5"), report).tripped).toBe(false);
    expect(evaluateGate(parseGate("nps.overall.n == 40"), report).tripped).toBe(true);
    expect(evaluateGate(parseGate("nps.overall.n != 40"), report).tripped).toBe(false);
  });
  it("do not trip on a section this report does not have, and say so", () => {
    const result = evaluateGate(parseGate("drivers.rSquared < 0.3"), report);
    expect(result).toMatchObject({ tripped: false, missing: ["drivers"] });
  });
});
