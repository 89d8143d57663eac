// The finance loader's byte path (addRaw, and addScanned in bulk, fed by the scan engine once diverted) against its
// string path (add, the definition): the same sums, accounting, rejects and errors on random
// files full of the cells that must leave the byte path (spaces, decimal commas, currencies,
// 16-digit amounts, quarters, missing ids, non-ASCII, a repeated header, bad flags).
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { InputError } from "../../../src/errors.js";
import { createFinanceLoader, monthBytes, plainBytes } from "../../../src/normalise/finance.js";
import { parsePeriod } from "../../../src/read/parse-date.js";
import { plainNumber } from "../../../src/read/parse-number.js";
import type { CsvRecord } from "../../../src/read/read-csv.js";
import { scanEngine } from "../../../src/read/scan-engine.js";
import { createRandom, type Random } from "../../../src/stats/random.js";

const HEADER = ["customer_id", "region", "period", "revenue", "cost", "churned"];

function cell(random: Random, kind: string): string {
  const pick = <T>(xs: readonly T[]) => xs[random.integer(0, xs.length - 1)]!;
  const amount = () => (random.next() * 2000 - 200).toFixed(random.integer(0, 3));
  switch (kind) {
    case "id":
      return random.chance(0.96) ? `C${random.integer(1, 120)}` : pick([" C5", "C5 ", "", "na", "N/A", "-", "Ö7", "K9", "12345678901234567890", "customer_id"]);
    case "region":
      return random.chance(0.9) ? pick(["Oslo", "Bergen", "Århus", "Malmö"]) : pick(["", " Oslo", "NA", "null", "Åbo "]);
    case "period":
      return random.chance(0.95) ? `${random.integer(2024, 2026)}-${String(random.integer(1, 12)).padStart(2, "0")}` : pick(["2025-13", "2025-00", " 2025-03", "2025-03-15", "202503", "2025-3", "x"]);
    case "money":
      return random.chance(0.93) ? amount() : pick(["", "-0", "+3", "-0.00", "1234567890123456", "123456789012345", "\"12,5\"", "\"1 234,50\"", "kr 100", "100 kr", "abc", "1e3", ".5", "5.", "2e15", "007.10"]);
    default:
      return random.chance(0.9) ? pick(["0", "1", "yes", "no"]) : pick(["", "maybe", "Churned", " 1"]);
  }
}

/** A random file; with `fault`, one row late in it stops the load (an extra field, a quarter among months, the header again, a stray quote). */
function file(random: Random, rows: number, fault: boolean, quoted: boolean): string {
  const lines = [HEADER.join(",")];
  const at = fault ? random.integer(2100, rows - 1) : -1;
  for (let i = 0; i < rows; i++) {
    const values = [cell(random, "id"), cell(random, "region"), cell(random, "period"), cell(random, "money"), cell(random, "money"), cell(random, "flag")];
    // a blank extra field is allowed; a missing one makes a reject
    if (random.chance(0.01)) values.push("");
    if (random.chance(0.01)) values.pop();
    // some files quote every id and period (as R's write.csv does): read between the quotes
    if (quoted) {
      values[0] = `"${values[0]}"`;
      if (values.length > 2) values[2] = `"${values[2]}"`;
    }
    if (i === at) {
      const kind = random.integer(0, 3);
      if (kind === 0) values.push("extra");
      else if (kind === 1) values[2] = "2025-Q2";
      else if (kind === 2) values.splice(0, values.length, ...HEADER);
      else values[1] = 'Os"lo';
    }
    lines.push(values.join(","));
  }
  return `${lines.join("\n")}\n`;
}

interface Outcome {
  state: unknown;
  error: { message: string; line: number | undefined; column: number | undefined } | null;
}

/** Loads the file's records through `add` only, or (diverted) the first batch through add and the rest through the sink. */
async function load(text: string, diverted: boolean, bulk = false, chunk = 8192, header: string[] = HEADER): Promise<Outcome> {
  const bytes = Buffer.from(text, "utf8");
  const chunks = Array.from({ length: Math.ceil(bytes.length / chunk) }, (_, i) => bytes.subarray(i * chunk, (i + 1) * chunk));
  const stream = scanEngine(Readable.from(chunks), { delimiter: ",", file: "f.csv" });
  const iterator = stream[Symbol.asyncIterator]();
  const first = await iterator.next();
  const records: CsvRecord[] = first.done ? [] : first.value;
  const sample = records.slice(1, 200);
  const loader = createFinanceLoader("f.csv", header, {}, ".", {
    sample,
    decimalNamed: true,
    rawHeader: header,
    churnColumn: header.length > 5 ? 5 : undefined,
    surveyGroup: "region",
    groupOf: (id) => (id.endsWith("3") ? null : `G${id.length}`),
    responseMonthOf: (id) => (id.endsWith("1") ? null : 2025 * 12 + (id.length % 12)),
    repurchaseWindow: 6,
  });
  let error: Outcome["error"] = null;
  try {
    // as the pipeline: the first batch (2048 records) as strings, then the rest to the sink
    for (const record of records.slice(1)) loader.add(record);
    if (diverted) stream.divert!({ raw: (row) => loader.addRaw(row), record: (record) => loader.add(record), bulk: bulk ? loader.bulk : undefined });
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) for (const record of next.value) loader.add(record);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    error = { message: e.message, line: e.location.line, column: e.location.column };
  }
  const totals = loader.totals;
  const state = {
    account: loader.account,
    flagInvalid: loader.flagInvalid,
    currency: loader.currency(),
    customers: [...totals.customers.entries()],
    granularity: totals.granularity,
    firstPeriod: totals.firstPeriod,
    lastPeriod: totals.lastPeriod,
    repeated: totals.repeatedPeriodRows,
    groupPeriods: [...totals.groupPeriods].map(([g, m]) => [g, [...m]]),
  };
  return { state, error };
}

describe("the finance loader's byte path", () => {
  it("gives add's sums, accounting, rejects and errors on 60 random files of 6,000 rows", { timeout: 60_000 }, async () => {
    const random = createRandom(20261202);
    let errors = 0;
    for (let k = 0; k < 60; k++) {
      // a file of more than one batch, so that most rows come after the divert
      const text = file(random, 6000, random.chance(0.3), random.chance(0.3));
      const expected = await load(text, false);
      const actual = await load(text, true);
      expect(actual, `file ${k}`).toEqual(expected);
      // in bulk (the scan kernel), in buffers that end anywhere in a record
      const inBulk = await load(text, true, true, 1000 + random.integer(0, 9000));
      expect(inBulk, `file ${k} in bulk`).toEqual(expected);
      if (expected.error) errors++;
    }
    // both kinds are covered: files that load, and files that stop with an error (a repeated header, a quarter among months)
    expect(errors).toBeGreaterThan(8);
    expect(errors).toBeLessThan(40);
  });

  it("gives add's sums on 40 random files sorted by customer (runs of a customer's rows, without a flag column)", { timeout: 60_000 }, async () => {
    const random = createRandom(20261207);
    for (let k = 0; k < 40; k++) {
      const withCost = random.chance(0.7);
      const header = withCost ? HEADER.slice(0, 5) : HEADER.slice(0, 4);
      const lines = [header.join(",")];
      let customer = 0;
      while (lines.length < 6000) {
        customer++;
        const id = random.chance(0.98) ? `C${customer}` : cell(random, "id");
        let month = random.integer(0, 40);
        const region = cell(random, "region");
        for (let row = random.integer(1, 40); row > 0; row--) {
          // mostly the next month; sometimes the same one again, one far before or after (outside the
          // customer's bits), another region, or a cell that leaves the byte path
          const roll = random.next();
          if (roll < 0.8) month += 1;
          else if (roll < 0.85) month -= random.integer(1, 30);
          else if (roll < 0.88) month += random.integer(40, 400);
          else if (roll < 0.9) month -= random.integer(40, 400);
          const period = random.chance(0.99) ? `${2000 + Math.floor(month / 12)}-${String((((month % 12) + 12) % 12) + 1).padStart(2, "0")}` : cell(random, "period");
          const values = [id, random.chance(0.97) ? region : cell(random, "region"), period, random.chance(0.97) ? (random.next() * 900).toFixed(2) : cell(random, "money")];
          if (withCost) values.push(random.chance(0.97) ? (random.next() * 500).toFixed(2) : cell(random, "money"));
          lines.push(values.join(","));
        }
      }
      const text = `${lines.join("\n")}\n`;
      const expected = await load(text, false, false, 8192, header);
      const inBulk = await load(text, true, true, 1000 + random.integer(0, 9000), header);
      expect(inBulk, `file ${k} in bulk`).toEqual(expected);
    }
  });

  it("reads plain numbers and YYYY-MM periods from bytes as plainNumber and parsePeriod read their strings", () => {
    const random = createRandom(5);
    const alphabet = ["0", "1", "5", "9", ".", ",", "-", "+", " ", "e", "Q"];
    for (let k = 0; k < 50_000; k++) {
      const text =
        random.chance(0.5)
          ? `${random.chance(0.2) ? "-" : ""}${random.integer(0, 10 ** random.integer(0, 9))}${random.chance(0.7) ? `.${String(random.integer(0, 10 ** random.integer(1, 8)))}` : ""}`
          : Array.from({ length: random.integer(0, 9) }, () => alphabet[random.integer(0, alphabet.length - 1)]).join("");
      const bytes = Buffer.from(`x${text}y`, "latin1");
      for (const [mark, code] of [[".", 46], [",", 44]] as const) {
        const fast = plainBytes(bytes, 1, bytes.length - 1, code);
        const digits = text.replace(/[^0-9]/g, "").length;
        // more than 15 digits: the byte path hands over to plainNumber
        if (digits > 15) expect(fast, text).toBeNaN();
        else expect(Object.is(fast, plainNumber(text, mark)), `${text} with ${mark}: ${fast} against ${plainNumber(text, mark)}`).toBe(true);
      }
      const period = `${String(random.integer(0, 9999)).padStart(random.integer(3, 4), "0")}-${String(random.integer(0, 14)).padStart(random.integer(1, 2), "0")}`;
      const p = Buffer.from(period, "latin1");
      const parsed = parsePeriod(period);
      expect(monthBytes(p, 0, p.length), period).toBe(parsed && parsed.granularity === "month" ? parsed.ordinal : -1);
    }
  });
});
