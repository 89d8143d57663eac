// Seeded byte- and cell-level mutations of a small survey and finance file (issue 15): every run
// of analyze, with its default settings, ends in exit 0 or 2, never prints a stack trace, writes
// JSON that validates against the published schema with no NaN (nor NaN or Infinity in the table),
// and accounts for every row:
// rows read = accepted + rejected + excluded, for both files. The seed is fixed and printed.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildDocument } from "../../src/report/build-document.js";
import { renderDocumentCsv } from "../../src/report/render-csv.js";
import { renderMarkdown } from "../../src/report/render-markdown.js";
import { renderTerminal } from "../../src/report/render-terminal.js";
import { ReportSchema, type Report } from "../../src/report/report.js";
import { createRandom, type Random } from "../../src/stats/random.js";
import { runCli } from "../support/run-cli.js";

// LOYALTY_FUZZ_SEED and LOYALTY_FUZZ_RUNS set a longer run outside CI (e.g. 10,000 mutations)
const SEED = Number(process.env.LOYALTY_FUZZ_SEED ?? 15015);
const MUTATIONS = Number(process.env.LOYALTY_FUZZ_RUNS ?? 300);
const dir = mkdtempSync(join(tmpdir(), "loyalty-fuzz-"));

const survey = [
  "customer_id,region,response_date,nps,service,price,staff",
  ...Array.from({ length: 16 }, (_, i) => `K${i},${["Oslo", "Malmö", "Århus"][i % 3]},2025-0${(i % 6) + 1}-1${i % 10},${(i * 7) % 11},${(i % 5) + 1},${((i * 3) % 5) + 1},${((i * 2 + 1) % 5) + 1}`),
].join("\n");
const finance = [
  "customer_id,period,revenue,cost",
  ...Array.from({ length: 16 }, (_, i) => [`K${i},2025-01,${100 + i * 10}.50,${40 + i}`, ...(i % 4 ? [`K${i},2025-02,${90 + i * 10},${35 + i}`] : [])]).flat(),
].join("\n");

const NASTY_CELLS = ["", " ", '"', '""', "NA", "11", "-1", "7.5", "1e308", "9".repeat(400), "-0", "Infinity", "NaN", "__proto__", "=cmd()", "\u0007\u202e", "\uFEFF", "x,y", "a\nb", "0x1F", "1 234,5", "−3", "9.0", "10 - Extremely likely"];
const NASTY_BYTES = [0x00, 0x22, 0x2c, 0x3b, 0x0a, 0x0d, 0x09, 0xff, 0xfe, 0xef, 0xbb, 0xbf, 0xf6, 0x80, 0x7f];

function mutate(text: string, random: Random): Buffer {
  const kind = random.integer(0, 7);
  const lines = text.split("\n");
  switch (kind) {
    case 0: {
      // replace one cell
      const line = random.integer(0, lines.length - 1);
      const cells = lines[line]!.split(",");
      cells[random.integer(0, cells.length - 1)] = NASTY_CELLS[random.integer(0, NASTY_CELLS.length - 1)]!;
      lines[line] = cells.join(",");
      return Buffer.from(lines.join("\n"));
    }
    case 1: {
      // insert, overwrite or delete bytes
      const bytes = Buffer.from(text);
      const at = random.integer(0, bytes.length - 1);
      const byte = NASTY_BYTES[random.integer(0, NASTY_BYTES.length - 1)]!;
      const mode = random.integer(0, 2);
      if (mode === 0) return Buffer.concat([bytes.subarray(0, at), Buffer.from([byte]), bytes.subarray(at)]);
      if (mode === 1) return Buffer.concat([bytes.subarray(0, at), Buffer.from([byte]), bytes.subarray(at + 1)]);
      return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + random.integer(1, 20))]);
    }
    case 2: {
      // duplicate, drop or swap lines (the header included)
      const a = random.integer(0, lines.length - 1);
      const b = random.integer(0, lines.length - 1);
      const mode = random.integer(0, 2);
      if (mode === 0) lines.splice(a, 0, lines[b]!);
      else if (mode === 1) lines.splice(a, 1);
      else [lines[a], lines[b]] = [lines[b]!, lines[a]!];
      return Buffer.from(lines.join("\n"));
    }
    case 3:
      // truncate anywhere
      return Buffer.from(text).subarray(0, random.integer(0, text.length));
    case 4: {
      // cut or pad a row
      const line = random.integer(Math.min(1, lines.length - 1), lines.length - 1);
      const cells = lines[line]!.split(",");
      lines[line] = random.chance(0.5) ? cells.slice(0, random.integer(0, cells.length - 1)).join(",") : `${lines[line]},${NASTY_CELLS[random.integer(0, NASTY_CELLS.length - 1)]}`;
      return Buffer.from(lines.join("\n"));
    }
    case 5:
      // change the delimiter of some lines, or the line ends
      return Buffer.from(random.chance(0.5) ? lines.map((l) => (random.chance(0.3) ? l.replace(/,/g, ";") : l)).join("\n") : lines.join(random.chance(0.5) ? "\r\n" : "\r"));
    case 6: {
      // one column constant, or every score the same
      const column = random.integer(0, lines[0]!.split(",").length - 1);
      const value = NASTY_CELLS[random.integer(0, 8)]!;
      return Buffer.from(lines.map((l, i) => (i === 0 ? l : l.split(",").map((c, j) => (j === column ? value : c)).join(","))).join("\n"));
    }
    default: {
      // several mutations at once
      let out: Buffer = Buffer.from(text);
      for (let k = 0; k < 3; k++) out = mutate(out.toString("latin1"), random);
      return out;
    }
  }
}

function finiteEverywhere(value: unknown): boolean {
  if (typeof value === "number") return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(finiteEverywhere);
  if (value && typeof value === "object") return Object.values(value).every(finiteEverywhere);
  return true;
}

describe(`seeded fuzzing of a survey and a finance file (seed ${SEED}, ${MUTATIONS} mutations)`, () => {
  it("every run exits 0 or 2, with a schema-valid report that accounts for every row", async () => {
    const random = createRandom(SEED);
    const outcomes = { ok: 0, rejected: 0 };
    for (let run = 0; run < MUTATIONS; run++) {
      const mutateSurvey = random.chance(0.6);
      const surveyPath = join(dir, `s${run}.csv`);
      const financePath = join(dir, `f${run}.csv`);
      writeFileSync(surveyPath, mutateSurvey ? mutate(survey, random) : survey);
      writeFileSync(financePath, mutateSurvey ? finance : mutate(finance, random));
      const args = ["analyze", "--survey", surveyPath, "--finance", financePath, "--by", "region", "--format", "json"];
      const result = await runCli(args);
      const context = `run ${run} (seed ${SEED}): loyalty ${args.join(" ")} exited ${result.code}: ${result.stderr.slice(0, 400)}`;
      expect([0, 2], context).toContain(result.code);
      expect(result.stderr, context).not.toMatch(/internal error|\n\s+at /);
      if (result.code === 2) {
        outcomes.rejected++;
        expect(result.stderr, context).toMatch(/^loyalty: /);
        expect(result.stdout, context).toBe("");
        continue;
      }
      outcomes.ok++;
      const report = JSON.parse(result.stdout) as Report;
      expect(finiteEverywhere(report), context).toBe(true);
      const parsed = ReportSchema.safeParse(report);
      expect(parsed.success, `${context}\n${parsed.success ? "" : JSON.stringify(parsed.error.issues.slice(0, 3))}`).toBe(true);
      // the table a person reads never shows NaN or Infinity either
      // (unless the data itself holds those words, as a cell or a column name)
      if (!/NaN|Infinity/.test(readFileSync(surveyPath, "latin1") + readFileSync(financePath, "latin1"))) {
        const document = buildDocument(report);
        expect(renderTerminal(document, { color: false, width: 80 }), context).not.toMatch(/NaN|Infinity/);
        expect(renderMarkdown(document), context).not.toMatch(/NaN|Infinity/);
        expect(renderDocumentCsv(document, { moneyDecimals: 2 }), context).not.toMatch(/NaN|Infinity/);
      }
      for (const input of [report.inputs.survey, report.inputs.finance!]) {
        expect(input.rowsRead, context).toBe(input.rowsAccepted + input.rowsRejected + input.rowsExcluded);
      }
    }
    // the mutations reach both outcomes
    expect(outcomes.ok).toBeGreaterThan(MUTATIONS / 5);
    expect(outcomes.rejected).toBeGreaterThan(MUTATIONS / 20);
  }, Math.max(300_000, MUTATIONS * 250));
});
