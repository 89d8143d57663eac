/**
 * A file's records in columns, for a file read whole (the survey): per record its physical line
 * and number of fields, per column its cells. A column whose cells repeat (a region, a date, a
 * rating, a score) keeps each distinct text once and a code per cell; a column of mostly new texts
 * (ids, comments) keeps the texts. No object or array is made per record: a million survey rows
 * took about 310 bytes each as `CsvRecord`s (an object, an array of 13 and the strings), here
 * about 4 bytes a repeating cell and 8 and the string a new one.
 *
 * Records come as strings (`addRecord`: csv-parse, workbooks, the scanner's records with quotes) or
 * as bytes (`addRaw`, `addScanned`: the byte scanner's common records), and read back the same:
 * a field of bytes is the string the scanner would have made of it (Latin-1 for ASCII, else
 * UTF-8), and a repeating field of ASCII bytes is found among its column's texts without a string.
 */
import type { CsvRecord, RawRecord, RecordSink, ScannedRecords } from "./read-csv.js";
import { hashBytes, IdTable } from "./id-table.js";
import { ESCAPED_QUOTES, undoubled } from "./scan-kernel.js";

const QUOTE = 0x22;

/** Records a column takes in before it may give up coding its cells (ids are new from the first). */
const CODED_TRIAL = 2048;

/** Keys of fields of up to two bytes: 0 for none, 1 + b for one, 257 + (b0·256 + b1) for two. */
const SHORT_KEYS = 257 + 65536;

function shortKey(bytes: Uint8Array, start: number, end: number): number {
  return end === start ? 0 : end - start === 1 ? 1 + bytes[start]! : 257 + ((bytes[start]! << 8) | bytes[start + 1]!);
}

/** One column's cells: codes into its distinct texts while they repeat, else the texts. */
class Column {
  /** Distinct texts by code; null once the column keeps its texts (`plain`). */
  texts: string[] | null = [];
  private dictionary: IdTable | null = new IdTable(16);
  codes: Int32Array;
  plain: string[] | null = null;

  /** A column added at record `from` (a record longer than those before): the earlier records have no cell here. */
  constructor(capacity: number, from: number) {
    this.codes = new Int32Array(capacity);
    if (from > 0) this.toPlain(from);
  }

  grow(capacity: number): void {
    if (this.plain !== null) return;
    const codes = new Int32Array(capacity);
    codes.set(this.codes);
    this.codes = codes;
  }

  /** Keeps the texts from now on: the first `rows` cells written out. */
  private toPlain(rows: number): void {
    const texts = this.texts ?? [];
    const plain = new Array<string>(rows);
    for (let i = 0; i < rows; i++) plain[i] = texts[this.codes[i]!] ?? "";
    this.plain = plain;
    this.texts = null;
    this.dictionary = null;
    this.short = null;
    this.utf8 = null;
    this.codes = new Int32Array(0);
  }

  /** A new distinct text at record i: its code, or -1 once the column has turned plain (then the caller sets the cell). */
  private added(i: number, text: string): number {
    const texts = this.texts!;
    if (texts.length >= CODED_TRIAL / 2 && texts.length * 2 > i) {
      this.toPlain(i);
      return -1;
    }
    texts.push(text);
    return texts.length - 1;
  }

  setString(i: number, text: string): void {
    if (this.plain !== null) {
      this.plain[i] = text;
      return;
    }
    const dictionary = this.dictionary!;
    let code = dictionary.findString(text);
    if (code < 0) {
      code = this.added(i, text);
      if (code < 0) {
        this.plain![i] = text;
        return;
      }
      dictionary.addString(text, code);
    }
    this.codes[i] = code;
  }

  /**
   * The codes of the column's fields of up to two ASCII bytes (a score, a rating, a blank), plus
   * one (0: not seen yet), by shortKey: found without a hash or a comparison. Made at the first.
   */
  private short: Int32Array | null = null;

  /** The cell at record i from bytes[start, end), its bytes ASCII when `ascii`, else UTF-8. */
  setBytes(i: number, bytes: Buffer, start: number, end: number, ascii: boolean): void {
    if (this.plain !== null) {
      this.plain[i] = ascii ? bytes.latin1Slice(start, end) : bytes.utf8Slice(start, end);
      return;
    }
    if (!ascii) return this.setUtf8(i, bytes, start, end);
    const key = end - start <= 2 ? shortKey(bytes, start, end) : -1;
    if (key >= 0) {
      const known = (this.short ??= new Int32Array(SHORT_KEYS))[key]!;
      if (known > 0) {
        this.codes[i] = known - 1;
        return;
      }
    }
    const dictionary = this.dictionary!;
    const hash = hashBytes(bytes, start, end);
    let code = dictionary.findBytes(bytes, start, end, hash);
    if (code < 0) {
      const text = bytes.latin1Slice(start, end);
      code = this.added(i, text);
      if (code < 0) {
        this.plain![i] = text;
        return;
      }
      dictionary.addBytes(bytes, start, end, hash, code);
    }
    this.codes[i] = code;
    if (key >= 0) this.short![key] = code + 1;
  }

  /**
   * The codes of the column's texts that are not ASCII, by their UTF-8 bytes ("Århus", "Göteborg"):
   * found without making the string. Made at the first (the dictionary keeps such texts apart, as strings).
   */
  private utf8: IdTable | null = null;

  /** setBytes of a field that is not ASCII. */
  private setUtf8(i: number, bytes: Buffer, start: number, end: number): void {
    const table = (this.utf8 ??= new IdTable(16));
    const hash = hashBytes(bytes, start, end);
    const known = table.findBytes(bytes, start, end, hash);
    if (known >= 0) {
      this.codes[i] = known;
      return;
    }
    this.setString(i, bytes.utf8Slice(start, end));
    // (no code once the column keeps its texts)
    if (this.plain === null) table.addBytes(bytes, start, end, hash, this.codes[i]!);
  }

  get(i: number): string {
    return this.plain !== null ? this.plain[i]! : this.texts![this.codes[i]!]!;
  }
}

declare module "node:buffer" {
  interface Buffer {
    latin1Slice(start: number, end: number): string;
    utf8Slice(start: number, end: number): string;
  }
}

export class RecordTable {
  length = 0;
  private capacity = 1024;
  private lines = new Int32Array(1024);
  private counts = new Int32Array(1024);
  private readonly columns: Column[] = [];

  /** The physical line of record i. */
  line(i: number): number {
    return this.lines[i]!;
  }

  /** How many fields record i has. */
  fieldCount(i: number): number {
    return this.counts[i]!;
  }

  /** The text of record i's field k; undefined when the record has fewer fields (as `values[k]` of a CsvRecord). */
  cell(i: number, k: number): string | undefined {
    return k < this.counts[i]! ? this.columns[k]!.get(i) : undefined;
  }

  /** Every record's field k, in file order ("" where a record has fewer fields, as `cellOf` reads it). */
  *cells(k: number): IterableIterator<string> {
    for (let i = 0; i < this.length; i++) yield this.cell(i, k) ?? "";
  }

  /**
   * `read` of record i's field k ("" where the record is shorter), for a table read whole: in a
   * column that codes its cells, read once per distinct text and then found by the cell's code
   * (`read` must be pure); in a column of new texts, read each time.
   */
  reader<T>(k: number, read: (text: string) => T): (i: number) => T {
    const column = this.columns[k];
    if (column === undefined || column.plain !== null) return (i) => read(this.cell(i, k) ?? "");
    const texts = column.texts!;
    const codes = column.codes;
    const counts = this.counts;
    const values = new Array<T>(texts.length);
    const known = new Uint8Array(texts.length);
    let blank: { value: T } | null = null;
    return (i) => {
      if (k >= counts[i]!) return (blank ??= { value: read("") }).value;
      const code = codes[i]!;
      if (known[code] === 1) return values[code]!;
      const value = read(texts[code]!);
      values[code] = value;
      known[code] = 1;
      return value;
    };
  }

  /**
   * Field k's distinct texts, in the order they first appear, with how many records have each: for
   * a column that codes its cells (a pass over its codes, no string per cell); null for a column
   * of new texts. A record without the field counts as "" (as `cells` reads it).
   */
  counted(k: number): { texts: readonly string[]; counts: Int32Array } | null {
    const column = this.columns[k];
    if (column === undefined || column.plain !== null) return null;
    const texts = column.texts!;
    const codes = column.codes;
    const counts = new Int32Array(texts.length + 1);
    let short = 0;
    for (let i = 0; i < this.length; i++) {
      if (k < this.counts[i]!) counts[codes[i]!]! += 1;
      else short++;
    }
    if (short === 0) return { texts, counts: counts.subarray(0, texts.length) };
    const blank = texts.indexOf("");
    if (blank >= 0) {
      counts[blank]! += short;
      return { texts, counts: counts.subarray(0, texts.length) };
    }
    counts[texts.length] = short;
    return { texts: [...texts, ""], counts };
  }

  /** Record i as the scanner hands it out. */
  record(i: number): CsvRecord {
    const count = this.counts[i]!;
    const values = new Array<string>(count);
    for (let k = 0; k < count; k++) values[k] = this.columns[k]!.get(i);
    return { values, line: this.lines[i]! };
  }

  /** Room for record i with `count` fields; returns i. */
  private next(line: number, count: number): number {
    const i = this.length;
    if (i === this.capacity) {
      this.capacity *= 2;
      const lines = new Int32Array(this.capacity);
      lines.set(this.lines);
      this.lines = lines;
      const counts = new Int32Array(this.capacity);
      counts.set(this.counts);
      this.counts = counts;
      for (const column of this.columns) column.grow(this.capacity);
    }
    while (this.columns.length < count) this.columns.push(new Column(this.capacity, i));
    // a kept text for each column the record does not reach (no hole in its array)
    for (let k = count; k < this.columns.length; k++) if (this.columns[k]!.plain !== null) this.columns[k]!.plain![i] = "";
    this.lines[i] = line;
    this.counts[i] = count;
    this.length = i + 1;
    return i;
  }

  addRecord(record: CsvRecord): void {
    const values = record.values;
    const i = this.next(record.line, values.length);
    // (a workbook row's array has holes where cells are empty: read as blank, as cellOf reads them)
    for (let k = 0; k < values.length; k++) this.columns[k]!.setString(i, values[k] ?? "");
  }

  /** A record as byte ranges (its bytes OR-ed are `high`: below 0x80, every field is ASCII). */
  private addRanges(bytes: Buffer, starts: Int32Array, ends: Int32Array, base: number, count: number, high: number, line: number): void {
    const i = this.next(line, count);
    const escaped = (high & ESCAPED_QUOTES) !== 0;
    for (let k = 0; k < count; k++) {
      const start = starts[base + k]!;
      const end = ends[base + k]!;
      const ascii = high < 0x80 || asciiBytes(bytes, start, end);
      // a field with doubled quotes in its bytes: its text has one of each
      if (escaped && hasQuote(bytes, start, end)) this.columns[k]!.setString(i, undoubled(ascii ? bytes.latin1Slice(start, end) : bytes.utf8Slice(start, end)));
      else this.columns[k]!.setBytes(i, bytes, start, end, ascii);
    }
  }

  addRaw(row: RawRecord): void {
    this.addRanges(row.bytes, row.starts, row.ends, 0, row.count, row.high, row.line);
  }

  addScanned(records: ScannedRecords): void {
    for (let r = 0; r < records.count; r++) this.addRanges(records.bytes, records.starts, records.ends, r * records.fields, records.fields, records.high[r]!, records.line + r);
  }

  /** A table of records already read. */
  static of(records: Iterable<CsvRecord>): RecordTable {
    const table = new RecordTable();
    for (const record of records) table.addRecord(record);
    return table;
  }
}

/**
 * What fills a table from a scanner (CsvRecordStream.divert): the common records of `fields`
 * fields in bulk. A scanner keeps its sink while its source lives, so `close` lets the table go.
 */
export class TableSink implements RecordSink {
  readonly bulk: RecordSink["bulk"];
  constructor(
    private table: RecordTable | null,
    fields: number,
  ) {
    this.bulk = { plan: { fields, key: 0, numbers: [], month: -1 }, take: (records) => this.table!.addScanned(records) };
  }

  raw(row: RawRecord): void {
    this.table!.addRaw(row);
  }

  record(record: CsvRecord): void {
    this.table!.addRecord(record);
  }

  close(): void {
    this.table = null;
  }
}

function hasQuote(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i] === QUOTE) return true;
  return false;
}

function asciiBytes(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i]! >= 0x80) return false;
  return true;
}
