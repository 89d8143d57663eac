// The byte-scanning engine against the csv-parse engine: the same records, lines and errors on
// thousands of random inputs made of the characters that matter (delimiters, quotes, every line
// ending, non-ASCII, NUL), handed over in random chunks that split records and UTF-8 sequences.
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { InputError } from "../../../src/errors.js";
import { csvParseEngine } from "../../../src/read/csv-parse-engine.js";
import { monthBytes, plainBytes } from "../../../src/normalise/finance.js";
import type { BulkPlan, CsvEngine, ScannedRecords, SegmentScanners } from "../../../src/read/read-csv.js";
import { scanEngine, scannersHere, segmentScanner, type SegmentRequest } from "../../../src/read/scan-engine.js";

interface Outcome {
  batches: { values: string[]; line: number }[][];
  error: { message: string; line: number | undefined; column: number | undefined } | null;
}

/** The bytes cut at the given offsets into non-empty chunks. */
function chunksOf(bytes: Buffer, cuts: number[]): Buffer[] {
  const chunks: Buffer[] = [];
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    if (cut <= from || cut >= bytes.length) continue;
    chunks.push(bytes.subarray(from, cut));
    from = cut;
  }
  chunks.push(bytes.subarray(from));
  return chunks.filter((c) => c.length > 0);
}

async function run(engine: CsvEngine, bytes: Buffer, cuts: number[] = [], delimiter: "," | ";" | "\t" | "|" = ","): Promise<Outcome> {
  const outcome: Outcome = { batches: [], error: null };
  try {
    for await (const batch of engine(Readable.from(chunksOf(bytes, cuts)), { delimiter, file: "x.csv" })) {
      outcome.batches.push(batch.map((r) => ({ values: [...r.values], line: r.line })));
    }
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    outcome.error = { message: error.message, line: error.location.line, column: error.location.column };
  }
  return outcome;
}

/** A small deterministic generator (mulberry32), so a failure can be replayed from its case number. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = ["a", "b", "12", ",", ",", ";", '"', '"', '""', "\n", "\r\n", "\r", " ", "é", "王", "\u0000", "\uFEFF", "x,y", '"q"', '"a\nb"', '"c,d"'];

/** A random text of up to 23 pieces. */
function randomText(random: () => number): string {
  const parts: string[] = [];
  const length = Math.floor(random() * 24);
  for (let p = 0; p < length; p++) parts.push(PIECES[Math.floor(random() * PIECES.length)]!);
  return parts.join("");
}

describe("scan engine", () => {
  it("gives the csv-parse engine's records, lines and errors on 4,000 random inputs in random chunks", { timeout: 60_000 }, async () => {
    const random = rng(20261202);
    let clean = 0;
    for (let k = 0; k < 4000; k++) {
      const body = randomText(random);
      const text = (random() < 0.1 ? "\uFEFF" : "") + body;
      const bytes = Buffer.from(text, "utf8");
      const cuts = Array.from({ length: Math.floor(random() * 4) }, () => Math.floor(random() * (bytes.length + 1)));
      const expected = await run(csvParseEngine, bytes);
      const actual = await run(scanEngine, bytes, cuts);
      const context = `case ${k}: ${JSON.stringify(text)} cut at ${cuts}`;
      if (expected.error === null) {
        clean++;
        expect(actual, context).toEqual(expected);
        continue;
      }
      // csv-parse hands on a prefix of the records before its error (it drops the chunk it failed in); the scan engine, all of them
      const records = (o: Outcome) => o.batches.flat();
      expect(records(actual).slice(0, records(expected).length), context).toEqual(records(expected));
      if (text.includes("\u0000")) {
        // a text with a NUL byte is an error in both; csv-parse takes a NUL right after a closing quote into the field and may
        // then fail further on, where the scan engine stops at the NUL (or at the text after the closing quote)
        expect(actual.error, context).not.toBeNull();
        continue;
      }
      expect(actual.error?.message, context).toBe(expected.error?.message);
      expect(actual.error?.column, context).toBe(expected.error?.column);
      // csv-parse counts a CRLF inside a quoted field as two lines in its errors; the scan engine, physically, as one. And the
      // csv-parse engine places an unclosed quote after the last record it was handed, which can be records before it
      if (!text.includes("\r") && !expected.error.message.includes("never closed")) expect(actual.error?.line, context).toBe(expected.error?.line);
    }
    // both kinds are well covered: files that parse, and files that fail
    expect(clean).toBeGreaterThan(500);
    expect(clean).toBeLessThan(3200);
  });

  it("batches as the csv-parse engine does, over many chunks, with each delimiter", async () => {
    for (const delimiter of [",", ";", "\t", "|"] as const) {
      const rows = Array.from({ length: 5000 }, (_, i) => [`C${i}`, i % 7 === 0 ? `"two${delimiter}\r\nlines"` : `${i}.5`, "ÅÄÖ"].join(delimiter));
      const bytes = Buffer.from(`${rows.join(i(delimiter))}\n`, "utf8");
      const cuts = Array.from({ length: 40 }, (_, c) => Math.floor((bytes.length * (c + 1)) / 41) + c);
      const expected = await run(csvParseEngine, bytes, [], delimiter);
      const actual = await run(scanEngine, bytes, cuts, delimiter);
      expect(actual.batches.map((b) => b.length)).toEqual([2048, 2048, 904]);
      expect(actual).toEqual(expected);
    }
    function i(delimiter: string) {
      return delimiter === "|" ? "\r\n" : "\n";
    }
  });

  it("places a quoting error after a CRLF inside a quoted field on its physical line", async () => {
    const bytes = Buffer.from('x\r\n"a\r\nb"x\n', "utf8");
    expect((await run(scanEngine, bytes)).error).toEqual({ message: "a quoted field is followed by text before the next delimiter", line: 3, column: 1 });
    expect((await run(scanEngine, Buffer.from('a,"b"\n\n\n"c\r\n\r\nd" e\n'))).error?.line).toBe(6);
    expect((await run(scanEngine, Buffer.from('x,y\n"a\nb""é;'))).error).toEqual({ message: "a quoted field that starts in this record is never closed", line: 2, column: undefined });
  });

  it("gives the same fields where short ones repeat and where they collide in its table of recent strings", async () => {
    const random = rng(7);
    // column 2 repeats for its first 2,000 rows (so its table stays on), then takes 30,000 values
    // of one to 24 characters that share the table's 4,096 slots; column 1 is unique ids (its table goes off)
    const rows = Array.from({ length: 30000 }, (_, i) => {
      const short = i < 2000 ? ["Oslo", "Bergen", "", "10"][i % 4]! : Math.floor(random() * 40000).toString(36).repeat(1 + Math.floor(random() * 4)).slice(0, 1 + Math.floor(random() * 24));
      return `R${i},${short},${["a", "ab", "abc"][i % 3]}`;
    });
    const bytes = Buffer.from(rows.join("\n"));
    const expected = (await run(csvParseEngine, bytes)).batches.flat();
    const actual = (await run(scanEngine, bytes, [50000, 123457])).batches.flat();
    expect(actual.length).toBe(30000);
    expect(actual).toEqual(expected);
    expect(actual[2001]!.values[1]).toBe(rows[2001]!.split(",")[1]);
  });

  it("hands on every record before a failing one", async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `${i},v`);
    rows[2500] = 'bad,a"b';
    const outcome = await run(scanEngine, Buffer.from(rows.join("\n")), [7000, 20000]);
    expect(outcome.batches.map((b) => b.length)).toEqual([2048, 452]);
    expect(outcome.error).toEqual({ message: 'a quote (") appears inside a field that is not quoted', line: 2501, column: 2 });
  });
});

/** The records as a sink takes them once diverted after `after` batches (raw ones made into strings), with the first error. */
async function runDiverted(bytes: Buffer, cuts: number[], after: number): Promise<{ records: { values: string[]; line: number }[]; raw: number; error: Outcome["error"] }> {
  const records: { values: string[]; line: number }[] = [];
  let raw = 0;
  let error: Outcome["error"] = null;
  const stream = scanEngine(Readable.from(chunksOf(bytes, cuts)), { delimiter: ",", file: "x.csv" });
  let batches = 0;
  if (after === 0) stream.divert!({ raw: (row) => (raw++, records.push(row.record())), record: (r) => records.push({ values: [...r.values], line: r.line }) });
  try {
    for await (const batch of stream) {
      for (const r of batch) records.push({ values: [...r.values], line: r.line });
      if (++batches === after) stream.divert!({ raw: (row) => (raw++, records.push(row.record())), record: (r) => records.push({ values: [...r.values], line: r.line }) });
    }
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    error = { message: e.message, line: e.location.line, column: e.location.column };
  }
  return { records, raw, error };
}

describe("scan engine, diverted to a sink", () => {
  it("hands the sink the records and the error the batches carry, in file order, on 4,000 random inputs", async () => {
    const random = rng(7);
    let raw = 0;
    for (let k = 0; k < 4000; k++) {
      const text = randomText(random);
      const bytes = Buffer.from(text, "utf8");
      const cuts = Array.from({ length: Math.floor(random() * 4) }, () => Math.floor(random() * (bytes.length + 1)));
      const expected = await run(scanEngine, bytes, cuts);
      const actual = await runDiverted(bytes, cuts, 0);
      const context = `case ${k}: ${JSON.stringify(text)} cut at ${cuts}`;
      expect(actual.records, context).toEqual(expected.batches.flat());
      expect(actual.error, context).toEqual(expected.error);
      raw += actual.raw;
    }
    // the unquoted records of buffers without a NUL byte reach the sink as bytes: enough of them to count
    expect(raw).toBeGreaterThan(500);
  });

  it("hands on the records already in batches before any reaches the sink, when diverted mid-file", async () => {
    const rows = Array.from({ length: 9000 }, (_, i) => (i % 11 === 0 ? `C${i},"q,${i}",é` : `C${i},${i}.5,x`));
    const bytes = Buffer.from(`${rows.join("\n")}\n`, "utf8");
    const cuts = Array.from({ length: 30 }, (_, c) => Math.floor((bytes.length * (c + 1)) / 31) + c);
    const expected = (await run(scanEngine, bytes, cuts)).batches.flat();
    for (const after of [1, 2, 3]) {
      const actual = await runDiverted(bytes, cuts, after);
      expect(actual.records).toEqual(expected);
      expect(actual.raw).toBeGreaterThan(0);
    }
  });
});

/** FNV-1a of the bytes, as CustomerStore.slotOfBytes computes it (as a signed 32-bit integer: the same bits). */
function fnv(bytes: Uint8Array): number {
  let hash = 0x811c9dc5;
  for (const b of bytes) hash = Math.imul(hash ^ b, 0x01000193);
  return hash | 0;
}

/** The records as a sink with a bulk plan takes them (bulk ones checked against the plan's readings), with the first error. */
async function runBulk(bytes: Buffer, cuts: number[], plan: BulkPlan, scanners: SegmentScanners | null = null): Promise<{ records: { values: string[]; line: number }[]; bulk: number; error: Outcome["error"] }> {
  const records: { values: string[]; line: number }[] = [];
  let bulk = 0;
  let error: Outcome["error"] = null;
  const stream = scanEngine(Readable.from(chunksOf(bytes, cuts)), { delimiter: ",", file: "x.csv" });
  const take = (scanned: ScannedRecords): void => {
    let previous: Buffer | null = null;
    for (let r = 0; r < scanned.count; r++) {
      const row = scanned.raw(r);
      const field = (k: number) => row.bytes.subarray(row.starts[k]!, row.ends[k]!);
      expect(row.count).toBe(plan.fields);
      expect(scanned.hash[r]).toBe(fnv(field(plan.key)));
      expect(scanned.same[r]).toBe(previous !== null && previous.equals(field(plan.key)) ? 1 : 0);
      previous = Buffer.from(field(plan.key));
      plan.numbers.forEach((number, j) => {
        const read = plainBytes(row.bytes, row.starts[number.index]!, row.ends[number.index]!, number.mark);
        expect(Object.is(scanned.numbers[2 * r + j], read), `${field(number.index).toString()}: ${scanned.numbers[2 * r + j]} against ${read}`).toBe(true);
      });
      if (plan.month >= 0) expect(scanned.months[r]).toBe(monthBytes(row.bytes, row.starts[plan.month]!, row.ends[plan.month]!));
      bulk++;
      records.push(row.record());
    }
  };
  stream.divert!({ raw: (row) => records.push(row.record()), record: (r) => records.push({ values: [...r.values], line: r.line }), bulk: { plan, take } }, scanners);
  try {
    for await (const batch of stream) for (const r of batch) records.push({ values: [...r.values], line: r.line });
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    error = { message: e.message, line: e.location.line, column: e.location.column };
  }
  return { records, bulk, error };
}

const BULK_PIECES = ["C1", "C2", "12", "-3.5", "+0", "1,5", "2025-03", "2025-13", "1234567890123456", ".5", "5.", "-0", '"C2"', '"7.25"', '"a""b"', '"x\ny"', 'q"', "", "é", "\r\n", "\r", "\n\n"];

describe("scan engine, in bulk for a sink", () => {
  it("hands the sink the records and the error the batches carry, the plan's columns read as plainBytes, monthBytes and FNV-1a, on 3,000 random files", { timeout: 60_000 }, async () => {
    const random = rng(11);
    let bulk = 0;
    for (let k = 0; k < 3000; k++) {
      // records of mostly three fields, with the pieces that must leave the bulk path
      const lines: string[] = [];
      for (let i = Math.floor(random() * 40); i > 0; i--) {
        const fields = random() < 0.9 ? 3 : Math.floor(random() * 5);
        const values = Array.from({ length: fields }, () => (random() < 0.7 ? ["C1", "C2", "12", "3.25", "2025-03", "2024-12"][Math.floor(random() * 6)]! : BULK_PIECES[Math.floor(random() * BULK_PIECES.length)]!));
        lines.push(values.join(",").replace(/\\r\\n/g, "\r\n").replace(/\\r/g, "\r").replace(/\\n/g, "\n"));
      }
      const ending = ["\n", "\r\n", "\r", ""][Math.floor(random() * 4)]!;
      const text = lines.join(random() < 0.8 ? "\n" : "\r\n") + ending;
      const bytes = Buffer.from(text, "utf8");
      const cuts = Array.from({ length: Math.floor(random() * 4) }, () => Math.floor(random() * (bytes.length + 1)));
      const plan: BulkPlan = { fields: 3, key: Math.floor(random() * 3), numbers: random() < 0.5 ? [{ index: 1, mark: 46 }, { index: 2, mark: 44 }] : [{ index: 2, mark: 46 }], month: random() < 0.7 ? Math.floor(random() * 3) : -1 };
      const expected = await run(scanEngine, bytes, cuts);
      const actual = await runBulk(bytes, cuts, plan);
      const context = `case ${k}: ${JSON.stringify(text)} cut at ${cuts}`;
      expect(actual.records, context).toEqual(expected.batches.flat());
      expect(actual.error, context).toEqual(expected.error);
      bulk += actual.bulk;
    }
    expect(bulk).toBeGreaterThan(20_000);
  });

  it("scans records across many buffers, and more than one call's worth in a buffer", { timeout: 60_000 }, async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => (i % 997 === 0 ? `C${i >> 3},"q""${i}",2025-01` : `C${i >> 3},${i}.5,2025-0${1 + (i % 9)}`));
    const bytes = Buffer.from(`${rows.join("\n")}\n`, "utf8");
    const plan: BulkPlan = { fields: 3, key: 0, numbers: [{ index: 1, mark: 46 }], month: 2 };
    const expected = (await run(scanEngine, bytes)).batches.flat();
    for (const cuts of [[], Array.from({ length: 60 }, (_, c) => Math.floor((bytes.length * (c + 1)) / 61) + c)]) {
      const actual = await runBulk(bytes, cuts, plan);
      expect(actual.records).toEqual(expected);
      expect(actual.error).toBeNull();
      // (the records with a doubled quote too)
      expect(actual.bulk).toBe(20_000);
    }
  });
});

/** scannersHere, counting the runs it scans and the runs it was sent in all. */
function countingScanners(width: number): SegmentScanners & { runs: number } {
  const here = scannersHere(width);
  const counting = { width, runs: 0, scan: (request: SegmentRequest) => (counting.runs++, here.scan(request)) };
  return counting;
}

describe("scan engine, runs of whole lines scanned by helpers (SegmentScanners)", () => {
  it("hands the sink the records and the error of the scan on this thread, for 1, 2 and 3 runs under way, on 1,200 random files", { timeout: 60_000 }, async () => {
    const random = rng(29);
    let runs = 0;
    let bulk = 0;
    for (let k = 0; k < 1200; k++) {
      const lines: string[] = [];
      for (let i = Math.floor(random() * 60); i > 0; i--) {
        const fields = random() < 0.9 ? 3 : Math.floor(random() * 5);
        const values = Array.from({ length: fields }, () => (random() < 0.75 ? ["C1", "C2", "12", "3.25", "2025-03", "2024-12"][Math.floor(random() * 6)]! : BULK_PIECES[Math.floor(random() * BULK_PIECES.length)]!));
        lines.push(values.join(","));
      }
      const ending = ["\n", "\r\n", "\r", ""][Math.floor(random() * 4)]!;
      const text = lines.join(random() < 0.8 ? "\n" : "\r\n") + ending;
      const bytes = Buffer.from(text, "utf8");
      // many small chunks: a run per chunk, ending at its last line feed (maybe inside a quoted field)
      const cuts = Array.from({ length: Math.floor(random() * 12) }, () => Math.floor(random() * (bytes.length + 1)));
      const plan: BulkPlan = { fields: 3, key: Math.floor(random() * 3), numbers: [{ index: 1, mark: 46 }, { index: 2, mark: 44 }], month: random() < 0.7 ? Math.floor(random() * 3) : -1 };
      const expected = await runBulk(bytes, cuts, plan);
      for (const width of [1, 2, 3]) {
        const scanners = countingScanners(width);
        const actual = await runBulk(bytes, cuts, plan, scanners);
        const context = `case ${k}, ${width} under way: ${JSON.stringify(text)} cut at ${cuts}`;
        expect(actual.records, context).toEqual(expected.records);
        expect(actual.error, context).toEqual(expected.error);
        expect(actual.bulk, context).toBe(expected.bulk);
        runs += scanners.runs;
      }
      bulk += expected.bulk;
    }
    expect(runs).toBeGreaterThan(3000);
    expect(bulk).toBeGreaterThan(12_000);
  });

  it("gives a run back to this thread when it ends inside a quoted field, and the lines go on", async () => {
    // a quoted line break at every 50th record: many runs end inside one
    const rows = Array.from({ length: 6000 }, (_, i) => (i % 50 === 7 ? `C${i >> 2},"1\n2",2025-01` : `C${i >> 2},${i}.5,2025-0${1 + (i % 9)}`));
    const bytes = Buffer.from(`${rows.join("\n")}\n`, "utf8");
    const plan: BulkPlan = { fields: 3, key: 0, numbers: [{ index: 1, mark: 46 }], month: 2 };
    const cuts = Array.from({ length: 80 }, (_, c) => Math.floor((bytes.length * (c + 1)) / 81));
    const expected = await runBulk(bytes, cuts, plan);
    expect(expected.records.at(-1)!.line).toBe(6120);
    const scanners = countingScanners(2);
    const actual = await runBulk(bytes, cuts, plan, scanners);
    expect(actual.records).toEqual(expected.records);
    expect(scanners.runs).toBeGreaterThan(0);
  });

  it("names the line of an error found by a helper from the file's first line", async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => `C${i},${i}.5,2025-01`);
    rows[4321] = 'C1,a"b,2025-01';
    const bytes = Buffer.from(`${rows.join("\n")}\n`, "utf8");
    const plan: BulkPlan = { fields: 3, key: 0, numbers: [{ index: 1, mark: 46 }], month: 2 };
    const cuts = Array.from({ length: 40 }, (_, c) => Math.floor((bytes.length * (c + 1)) / 41));
    const scanners = countingScanners(3);
    const actual = await runBulk(bytes, cuts, plan, scanners);
    expect(actual.error).toEqual({ message: 'a quote (") appears inside a field that is not quoted', line: 4322, column: 2 });
    expect(actual.records.length).toBe(4321);
    expect(scanners.runs).toBeGreaterThan(30);
  });

  it("scans a run as the thread reading would: the records of a run's log are those of the whole file", () => {
    const { scan } = segmentScanner();
    const text = 'C1,1.5,2025-01\r\nC1,"2",2025-02\n\nC2,x"y,2025-03\n';
    const bytes = Buffer.from(new SharedArrayBuffer(Buffer.byteLength(text)));
    bytes.write(text);
    const log = scan({ bytes, delimiter: 44, file: "x.csv", plan: { fields: 3, key: 0, numbers: [{ index: 1, mark: 46 }], month: 2 } });
    // the quote in an unquoted field stops it on line 4, after two records and an empty line
    expect(log.error).toEqual({ line: 4, column: 2, message: 'a quote (") appears inside a field that is not quoted', hint: expect.any(String) });
    const lines = Array.from({ length: log.eventCount }, (_, e) => [log.events[4 * e + 2], log.events[4 * e + 3]]);
    expect(lines.reduce((n, [count]) => n + count!, 0)).toBe(2);
    expect(lines[0]![1]).toBe(1);
  });

  it("scans a run in memory used again for other bytes: its strings are those bytes", () => {
    const { scan, reuse } = segmentScanner();
    const memory = new SharedArrayBuffer(64);
    const plan: BulkPlan = { fields: 3, key: 0, numbers: [{ index: 2, mark: 46 }], month: -1 };
    // a quoted line break sends the record to the string path, which uses a column's string again for the same bytes
    const strings = (text: string) => {
      const bytes = Buffer.from(memory, 0, Buffer.byteLength(text));
      bytes.write(text);
      const log = scan({ bytes, delimiter: 44, file: "x.csv", plan });
      const records = log.records.map((values) => values.join("|"));
      reuse(log);
      return records;
    };
    expect(strings('Oslo,"a\nb",1\n')).toEqual(["Oslo|a\nb|1"]);
    expect(strings('Osl2,"a\nb",1\n')).toEqual(["Osl2|a\nb|1"]);
  });
});

describe("UTF-8 validation as the bytes stream", () => {
  it("accepts and rejects what a fatal streaming TextDecoder does, on 3,000 random byte strings in random chunks", async () => {
    const { toUtf8 } = await import("../../../src/read/decode.js");
    const random = rng(42);
    // mostly valid text with a few stray bytes: lead bytes without continuations, lone continuations, overlong and 0xFF
    const pieces = [..."aé王😀\n", "é", "王", "😀"].map((s) => [...Buffer.from(s)]).concat([[0xc3], [0xa9], [0xe7, 0x8e], [0xf0, 0x9f, 0x98], [0xc0, 0xaf], [0xff], [0xed, 0xa0, 0x80]]);
    for (let k = 0; k < 3000; k++) {
      const bytes = Buffer.from(Array.from({ length: Math.floor(random() * 12) }, () => pieces[Math.floor(random() * (random() < 0.8 ? 8 : pieces.length))]!).flat());
      const cuts = Array.from({ length: Math.floor(random() * 5) }, () => Math.floor(random() * (bytes.length + 1))).sort((a, b) => a - b);
      const chunks: Buffer[] = [];
      let from = 0;
      for (const cut of [...cuts, bytes.length]) {
        if (cut <= from) continue;
        chunks.push(bytes.subarray(from, cut));
        from = cut;
      }
      const decoder = new TextDecoder("utf-8", { fatal: true });
      let expected = true;
      try {
        for (const chunk of chunks) decoder.decode(chunk, { stream: true });
      } catch {
        expected = false;
      }
      let actual = true;
      const out: Buffer[] = [];
      try {
        for await (const chunk of toUtf8((async function* () { yield* chunks; })(), { encoding: "utf-8", guessed: true, skip: 0 }, "x.csv")) out.push(chunk);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        actual = false;
      }
      expect(actual, `case ${k}: ${bytes.toString("hex")} cut at ${cuts}`).toBe(expected);
      if (actual) expect(Buffer.concat(out)).toEqual(bytes);
    }
  });
});
