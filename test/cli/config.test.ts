import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Report } from "../../src/report/report.js";
import { fixturePath } from "../support/fixtures.js";
import { checkNps, checkRevenueAndChurn, nordicExpected } from "../support/nordic-expected.js";
import { runCli, runJson } from "../support/run-cli.js";

const dir = () => mkdtempSync(join(tmpdir(), "loyalty-config-"));

describe("loyalty init and loyalty.config.json", () => {
  it("init writes what it detected; analyze with only --config then gives R's numbers", async () => {
    const out = join(dir(), "loyalty.config.json");
    const init = await runCli(["init", "--survey", fixturePath("reference", "nordic-survey.qualtrics.csv"), "--finance", fixturePath("reference", "nordic-finance.sv.csv"), "--output", out]);
    expect(init.code, init.stderr).toBe(0);
    const config = JSON.parse(readFileSync(out, "utf8"));
    expect(config.survey).toMatchObject({ customerId: "customer_id", score: "Q1_NPS", date: "RecordedDate", by: "region", drivers: ["Q2_1", "Q2_2", "Q2_3", "Q2_4", "Q2_5"], layout: "qualtrics" });
    expect(config.finance).toEqual({ path: expect.stringMatching(/nordic-finance\.sv\.csv$/), customerId: "Kundnummer", period: "Period", revenue: "Intäkt", cost: "Kostnad" });
    expect(init.stderr).toMatch(/wrote .*loyalty\.config\.json: survey score "Q1_NPS", 5 drivers, finance revenue "Intäkt"/);
    const report = await runJson<Report>(["analyze", "--config", out, "--bootstrap", "0"]);
    checkNps(report.nps.overall, nordicExpected.nps.overall, "overall");
    checkRevenueAndChurn(report);
    expect(report.nps.groupBy).toBe("region");
  });
  it("a flag on the command line wins over the config", async () => {
    const folder = dir();
    const path = join(folder, "c.json");
    writeFileSync(path, JSON.stringify({ survey: { path: fixturePath("reference", "nordic-survey.csv"), by: "region" }, analysis: { minN: 100, bootstrap: 0 } }));
    const fromConfig = await runJson<Report>(["analyze", "--config", path]);
    expect(fromConfig.nps).toMatchObject({ groupBy: "region", minN: 100 });
    const overridden = await runJson<Report>(["analyze", "--config", path, "--by", "segment", "--min-n", "20"]);
    expect(overridden.nps).toMatchObject({ groupBy: "segment", minN: 20 });
  });
  it("rejects unknown keys, wrong types and bad values, naming the file and the key", async () => {
    const folder = dir();
    const write = (name: string, content: unknown) => {
      const path = join(folder, name);
      writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
      return path;
    };
    const unknown = await runCli(["analyze", "--config", write("u.json", { survey: { path: "x.csv", scor: "nps" }, colour: true })]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^loyalty: .*u\.json: is not a valid loyalty config: survey: unknown key "scor"; unknown key "colour"; see loyalty schema --config-schema/);
    const types = await runCli(["analyze", "--config", write("t.json", { analysis: { bootstrap: "many" } })]);
    expect(types.stderr).toMatch(/t\.json: is not a valid loyalty config: analysis\.bootstrap: /);
    const json = await runCli(["analyze", "--config", write("j.json", '{\n  "survey": {\n    "path": "a.csv",\n  }\n}')]);
    expect(json.stderr).toMatch(/^loyalty: .*j\.json(:\d+)?: is not valid JSON/);
    const missing = await runCli(["analyze", "--config", join(folder, "nope.json")]);
    expect(missing.stderr).toMatch(/config file ".*nope\.json" does not exist/);
  });
  it("init refuses to overwrite without --force, and schema --config-schema prints the config's JSON Schema", async () => {
    const out = join(dir(), "loyalty.config.json");
    writeFileSync(out, "{}");
    const demo = join(dir(), "demo.config.json");
    expect((await runCli(["init", "--survey", fixturePath("demo", "survey.csv"), "--output", demo])).code).toBe(0);
    expect(JSON.parse(readFileSync(demo, "utf8")).survey).toMatchObject({ comment: "comment", owner: "account_manager" });
    const refused = await runCli(["init", "--survey", fixturePath("reference", "nordic-survey.csv"), "--output", out]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/exists already; pass --force/);
    expect((await runCli(["init", "--survey", fixturePath("reference", "nordic-survey.csv"), "--output", out, "--force"])).code).toBe(0);
    const schema = JSON.parse((await runCli(["schema", "--config-schema"])).stdout);
    expect(schema.title).toBe("loyalty.config.json");
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(["survey", "finance", "read", "analysis"]));
  });
});
