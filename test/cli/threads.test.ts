// Both cores: the driver analyses on worker threads give the same bytes as on one thread. These
// run the built bin (npm test builds first): worker threads load the compiled modules.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

// The finance file's scan on helper threads (scan-workers.ts): a generated file of 8 MB, past the
// first megabyte the main thread reads itself, with quoted line breaks (runs that end inside a
// quoted field go back to the main thread), rejected rows and, in a copy, a quoting error.
describe("--threads, the finance file scanned by helper threads", { timeout: 120_000 }, () => {
  let dir = "";
  // the file's records (the header too) and rows given "n/a" as revenue
  let records = 0;
  let rejected = 0;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "loyalty-scan-"));
    const made = run(["generate", "--out", dir, "--customers", "20000", "--months", "12", "--seed", "3", "--quiet"]);
    expect(made.status, made.stderr).toBe(0);
    const lines = readFileSync(join(dir, "finance.csv"), "utf8").split("\n");
    for (let i = 1; i < lines.length - 1; i++) {
      const fields = lines[i]!.split(",");
      if (i % 997 === 0) fields[1] = `"${fields[1]!.slice(0, 2)}\n${fields[1]!.slice(2)}"`;
      if (i % 1499 === 0) fields[3] = "n/a";
      if (i % 1499 === 0) rejected++;
      lines[i] = fields.join(",");
    }
    records = lines.at(-1) === "" ? lines.length - 1 : lines.length;
    writeFileSync(join(dir, "finance.csv"), lines.join("\n"));
    lines[150_000] = lines[150_000]!.replace(",", ',x"y,');
    writeFileSync(join(dir, "broken.csv"), lines.join("\n"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("1, 2 and 3 threads (no helper, one, two) give the same bytes", () => {
    const args = ["analyze", "--survey", join(dir, "survey.csv"), "--finance", join(dir, "finance.csv"), "--by", "region", "--bootstrap", "0", "--format", "json"];
    const one = run([...args, "--threads", "1"]);
    expect(one.status, one.stderr).toBe(0);
    // the rejected rows are counted and the quoted line breaks read
    const report = JSON.parse(one.stdout) as { inputs: { finance: { rowsRejected: number; rowsRead: number } } };
    expect(report.inputs.finance.rowsRejected).toBe(rejected);
    expect(report.inputs.finance.rowsRead).toBe(records - 1);
    for (const threads of ["2", "3"]) {
      const more = run([...args, "--threads", threads]);
      expect(more.status, more.stderr).toBe(0);
      expect(more.stdout).toBe(one.stdout);
      expect(more.stderr).toBe(one.stderr);
    }
  });

  it("a quoting error deep in the file is the same error on the same line", () => {
    const args = ["analyze", "--survey", join(dir, "survey.csv"), "--finance", join(dir, "broken.csv"), "--by", "region", "--bootstrap", "0"];
    const one = run([...args, "--threads", "1"]);
    expect(one.status).toBe(2);
    expect(one.stderr).toMatch(/broken\.csv:150\d\d\d:\d+: a quote/);
    for (const threads of ["2", "3"]) {
      const more = run([...args, "--threads", threads]);
      expect(more.status).toBe(2);
      expect(more.stderr).toBe(one.stderr);
    }
  });

  it("the built helpers scan the runs (real threads), and the sink gets the records of one thread", async () => {
    const { scanEngine } = (await import(new URL("../../dist/read/scan-engine.js", import.meta.url).href)) as typeof import("../../src/read/scan-engine.js");
    const { startScanWorkers } = (await import(new URL("../../dist/scan-workers.js", import.meta.url).href)) as typeof import("../../src/scan-workers.js");
    const bytes = readFileSync(join(dir, "finance.csv"));
    const plan = { fields: 5, key: 0, numbers: [{ index: 3, mark: 46 }, { index: 4, mark: 46 }], month: 2 };
    const read = async (scanners: import("../../src/read/read-csv.js").SegmentScanners | null) => {
      const chunks = Array.from({ length: Math.ceil(bytes.length / 65536) }, (_, c) => bytes.subarray(c * 65536, (c + 1) * 65536));
      const stream = scanEngine(Readable.from(chunks), { delimiter: ",", file: "finance.csv" });
      const seen: string[] = [];
      const take = (records: import("../../src/read/read-csv.js").ScannedRecords) => {
        for (let r = 0; r < records.count; r++) seen.push(`${records.line + r}:${records.hash[r]}:${records.numbers[2 * r]}:${records.months[r]}`);
      };
      stream.divert!({ raw: (row) => seen.push(`${row.line}:${row.record().values.join("|")}`), record: (r) => seen.push(`${r.line}:${r.values.join("|")}`), bulk: { plan, take } }, scanners);
      for await (const batch of stream) for (const r of batch) seen.push(`${r.line}:${r.values.join("|")}`);
      return seen;
    };
    const helpers = startScanWorkers(2)!;
    let scanned = 0;
    const counting = { width: helpers.width, scan: (request: Parameters<typeof helpers.scan>[0]) => (scanned++, helpers.scan(request)), release: helpers.release };
    try {
      const expected = await read(null);
      expect(await read(counting)).toEqual(expected);
      expect(expected.length).toBe(records);
      expect(scanned).toBeGreaterThan(100);
    } finally {
      helpers.stop();
    }
  });
});
