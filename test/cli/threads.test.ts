// Both cores: the driver analyses on worker threads give the same bytes as on one thread. These
// run the built bin (npm test builds first): worker threads load the compiled modules.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { fixturePath } from "../support/fixtures.js";

const bin = fileURLToPath(new URL("../../bin/loyalty.js", import.meta.url));
const run = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", env: { ...process.env, SOURCE_DATE_EPOCH: "0", NO_COLOR: "1" } });
const demo = ["--survey", fixturePath("demo", "survey.csv"), "--finance", fixturePath("demo", "finance.csv")];
const nordic = ["--survey", fixturePath("reference", "nordic-survey.csv"), "--finance", fixturePath("reference", "nordic-finance.csv")];

describe("--threads", { timeout: 120_000 }, () => {
  it.each([
    ["the demo by region, every format's source (JSON)", ["analyze", ...demo, "--by", "region", "--format", "json"]],
    ["the demo by segment, the promoter model", ["analyze", ...demo, "--by", "segment", "--outcome", "promoter", "--bootstrap", "50", "--format", "json"]],
    ["the Nordic reference by region, as a table", ["analyze", ...nordic, "--by", "region", "--width", "100"]],
    ["drivers alone, no finance", ["drivers", "--survey", fixturePath("demo", "survey.csv"), "--by", "region", "--format", "json"]],
  ])("%s: 1, 2 and 3 threads give the same bytes", (_name, args) => {
    const one = run([...args, "--threads", "1"]);
    expect(one.status, one.stderr).toBe(0);
    for (const threads of ["2", "3"]) {
      const more = run([...args, "--threads", threads]);
      expect(more.status, more.stderr).toBe(0);
      expect(more.stdout).toBe(one.stdout);
      expect(more.stderr).toBe(one.stderr);
    }
  });

  it("an error in a driver analysis on a worker is the same error, exit 2", () => {
    const args = ["analyze", ...demo, "--by", "region", "--outcome", "promoter", "--missing", "pairwise"];
    const one = run([...args, "--threads", "1"]);
    const two = run([...args, "--threads", "2"]);
    expect(one.status).toBe(2);
    expect(two.status).toBe(2);
    expect(two.stderr).toBe(one.stderr);
    expect(two.stderr).toMatch(/pairwise deletion applies/);
  });
});
