// The survey's records in columns (read/record-table.ts) against the records as csv-parse reads
// them: the same fields, lines and field counts whether the table is filled from strings or from
// the byte scanner (its bulk kernel, its byte ranges and its string records, in random chunks),
// with columns that repeat, columns of new texts, a column that turns from repeating to new
// halfway, non-ASCII text, quoted fields, and records shorter and longer than the header.
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { csvParseEngine } from "../../../src/read/csv-parse-engine.js";
import type { CsvRecord } from "../../../src/read/read-csv.js";
import { RecordTable, TableSink } from "../../../src/read/record-table.js";
import { scanEngine } from "../../../src/read/scan-engine.js";
import { createRandom, type Random } from "../../../src/stats/random.js";

const WORDS = ["Oslo", "Århus", "Göteborg", "Helsinki", "", "NA", " 7", "7", "9", "10", "2025-01-15", "Very likely", "王"];

function field(random: Random, column: number, row: number, rows: number): string {
  switch (column) {
    case 0:
      // new in every record (an id)
      return `C${String(row).padStart(6, "0")}`;
    case 1:
      // repeats in the first half, new texts in the second (the column turns plain)
      return row < rows / 2 ? WORDS[random.integer(0, 3)]! : `free text ${row} ${random.integer(0, 1e6)}`;
    case 2: {
      // a comment: repeated phrases, some quoted with a delimiter, a doubled quote or a line break inside
      const phrases = ["fine", "slow, but friendly", 'nobody "called back"', "line\nbreak", "bra service – tack"];
      return phrases[random.integer(0, phrases.length - 1)]!;
    }
    default:
      return WORDS[random.integer(0, WORDS.length - 1)]!;
  }
}

function quote(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A file of `rows` records under a header of `width` columns; some records are shorter or longer. */
function randomFile(random: Random, rows: number, width: number): Buffer {
  const lines = [Array.from({ length: width }, (_, k) => `col${k}`).join(",")];
  for (let row = 0; row < rows; row++) {
    const count = random.chance(0.02) ? random.integer(1, width + 3) : width;
    lines.push(Array.from({ length: count }, (_, k) => quote(field(random, k, row, rows))).join(","));
  }
  return Buffer.from(lines.join(random.chance(0.5) ? "\n" : "\r\n") + "\n", "utf8");
}

function chunks(bytes: Buffer, random: Random): Buffer[] {
  const out: Buffer[] = [];
  let from = 0;
  while (from < bytes.length) {
    const size = random.integer(1, 40_000);
    out.push(bytes.subarray(from, from + size));
    from += size;
  }
  return out;
}

async function csvParseRecords(bytes: Buffer): Promise<CsvRecord[]> {
  const records: CsvRecord[] = [];
  for await (const batch of csvParseEngine(Readable.from([bytes]), { delimiter: ",", file: "x.csv" })) records.push(...batch);
  return records;
}

/** The records after the header, read by the byte scanner into a table (diverted after its first batch, as the reader does). */
async function scannedTable(bytes: Buffer, random: Random, width: number): Promise<RecordTable> {
  const table = new RecordTable();
  const stream = scanEngine(Readable.from(chunks(bytes, random)), { delimiter: ",", file: "x.csv" });
  const sink = new TableSink(table, width);
  let header = true;
  let diverted = false;
  for await (const batch of stream) {
    for (const record of batch) {
      if (header) header = false;
      else table.addRecord(record);
    }
    if (!diverted) {
      stream.divert!(sink);
      diverted = true;
    }
  }
  sink.close();
  return table;
}

function expectSame(table: RecordTable, records: readonly CsvRecord[], width: number): void {
  expect(table.length).toBe(records.length);
  const read = (i: number) => ({ record: table.record(i), line: table.line(i), count: table.fieldCount(i), cells: Array.from({ length: width + 4 }, (_, k) => table.cell(i, k)) });
  const want = (r: CsvRecord) => ({ record: r, line: r.line, count: r.values.length, cells: Array.from({ length: width + 4 }, (_, k) => r.values[k]) });
  expect(records.map((_, i) => read(i))).toEqual(records.map(want));
  for (let k = 0; k < width + 4; k++) expect([...table.cells(k)]).toEqual(records.map((r) => r.values[k] ?? ""));
}

describe("RecordTable", () => {
  it("holds the records as csv-parse reads them, from strings and from the byte scanner", async () => {
    for (const seed of [1, 2, 3]) {
      const random = createRandom(seed);
      const width = 6;
      const bytes = randomFile(random, 6000, width);
      const records = (await csvParseRecords(bytes)).slice(1);
      expectSame(RecordTable.of(records), records, width);
      expectSame(await scannedTable(bytes, random, width), records, width);
    }
  });

  it("tells apart short fields that share a first byte, and texts that are not ASCII, read as bytes", async () => {
    // the short ones found by their bytes alone, the others by their UTF-8 bytes: each must be its own text
    const SHORT = ["10", "11", "1", "", "12", "1a", "a1", "9", " 9", "é", "Å", "Åb", "王", "Århus", "Aarhus", "Göteborg", "Goteborg", "NA"];
    const random = createRandom(9);
    const lines = ["id,short,other"];
    for (let i = 0; i < 6000; i++) lines.push([`C${i}`, SHORT[random.integer(0, SHORT.length - 1)]!, SHORT[random.integer(0, SHORT.length - 1)]!].map(quote).join(","));
    const bytes = Buffer.from(`${lines.join("\n")}\n`, "utf8");
    const records = (await csvParseRecords(bytes)).slice(1);
    const table = await scannedTable(bytes, random, 3);
    expectSame(table, records, 3);
    const kinds = (table as unknown as { columns: { plain: string[] | null }[] }).columns.map((c) => (c.plain === null ? "coded" : "plain"));
    expect(kinds).toEqual(["plain", "coded", "coded"]);
  });

  it("codes a repeating column and keeps the texts of a column of new ones", () => {
    const records: CsvRecord[] = Array.from({ length: 5000 }, (_, i) => ({ values: [`id${i}`, ["a", "b", "c"][i % 3]!, i < 2500 ? "x" : `new${i}`], line: i + 2 }));
    const table = RecordTable.of(records);
    const kinds = (table as unknown as { columns: { plain: string[] | null; texts: string[] | null }[] }).columns.map((c) => (c.plain === null ? `coded ${c.texts!.length}` : "plain"));
    // the third column repeats for 2,500 records, then every text is new: it turns plain on the way
    expect(kinds).toEqual(["plain", "coded 3", "plain"]);
    expectSame(table, records, 3);
  });

  it("reads each distinct text of a coded column once, and a blank for a record without the field", () => {
    const records: CsvRecord[] = Array.from({ length: 3000 }, (_, i) => ({ values: i % 100 === 7 ? [`id${i}`] : [`id${i}`, ["4", "5", " 5", "x"][i % 4]!], line: i + 2 }));
    const table = RecordTable.of(records);
    const asked: string[] = [];
    const read = (text: string) => {
      asked.push(text);
      return text.trim() === "" ? null : Number(text);
    };
    const at = table.reader(1, read);
    const values = records.map((_, i) => at(i));
    expect(values).toEqual(records.map((r) => read(r.values[1] ?? "")));
    asked.length = 0;
    records.forEach((_, i) => at(i));
    // every distinct text and the blank were read before: none again
    expect(asked).toEqual([]);
    // a column of new texts is read cell by cell
    const ids = table.reader(0, read);
    ids(0);
    ids(0);
    expect(asked).toEqual(["id0", "id0"]);
  });

  it("counts each distinct text of a coded column in the order they first appear, a short record as blank", () => {
    const random = createRandom(8);
    const texts = ["7", "9", " 9", "", "NA", "Bra", "10"];
    const records: CsvRecord[] = Array.from({ length: 4000 }, (_, i) => ({ values: random.chance(0.01) ? ["x"] : ["x", texts[random.integer(0, texts.length - 1)]!], line: i + 2 }));
    const table = RecordTable.of(records);
    const counted = table.counted(1)!;
    const want = new Map<string, number>();
    for (const r of records) want.set(r.values[1] ?? "", (want.get(r.values[1] ?? "") ?? 0) + 1);
    expect(counted.texts.map((t, c) => [t, counted.counts[c]])).toEqual([...want]);
    // a column of new texts has no such view
    expect(RecordTable.of(Array.from({ length: 3000 }, (_, i) => ({ values: [`id${i}`], line: i + 2 }))).counted(0)).toBeNull();
  });
});
