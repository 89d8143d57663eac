/**
 * The byte-scanning engine behind `CsvEngine`, the default: the same records, line numbers and
 * errors as the csv-parse engine (strict RFC 4180 quoting, any line ending, BOM stripped, empty
 * lines skipped but counted, a field without its quotes' doubling), found by scanning the
 * Buffers for delimiters, quotes and line ends. A string is made only per field, never per chunk
 * or per line, and a field of plain ASCII is copied byte for byte (no UTF-8 decoding).
 *
 * One difference from csv-parse, on purpose: the line of a quoting error after a CRLF inside a
 * quoted field. csv-parse counts that CRLF as two lines; here every line number is the physical
 * line (CRLF, LF and a lone CR each end one line), as it is everywhere else in loyalty.
 *
 * Records are yielded in batches of 2048, as by the csv-parse engine. Before a record that fails
 * (bad quoting, a NUL byte) every record before it is handed on, so the first problem in the file
 * is the one reported, also when it is found downstream (a repeated header, a row too long).
 * csv-parse drops the records of the chunk it failed in, so there a later quoting error can win.
 */
import { isAscii } from "node:buffer";
import type { Readable } from "node:stream";
import { InputError } from "../errors.js";
import type { BulkPlan, CsvEngine, CsvEngineOptions, CsvRecord, CsvRecordStream, RawRecord, RecordSink, ScannedRecords, SegmentScanners } from "./read-csv.js";
import { ESCAPED_QUOTES, FOR_SCANNER, bulkScanner, undoubled, type BulkScanner } from "./scan-kernel.js";

const BATCH = 2048;
const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** A record that needs bytes beyond the buffer: scanned again when more have come. */
const INCOMPLETE = -1;

type Slice = (buffer: Buffer, start: number, end: number) => string;

/** Fields up to this many bytes are looked up among a column's recent strings (shortField). */
const SHORT_FIELD = 24;
/** Slots of a column's table of recent short strings (a power of two). */
const SHORT_SLOTS = 4096;
interface ShortStrings {
  strings: (string | undefined)[];
  asked: number;
  found: number;
}
const latin1: Slice = (buffer, start, end) => buffer.latin1Slice(start, end);
const utf8: Slice = (buffer, start, end) => buffer.utf8Slice(start, end);

declare module "node:buffer" {
  interface Buffer {
    latin1Slice(start: number, end: number): string;
    utf8Slice(start: number, end: number): string;
  }
}

function nulError(file: string, values: string[], line: number): InputError | null {
  for (let column = 0; column < values.length; column++) {
    if (values[column]!.includes("\u0000")) {
      return new InputError({ file, line, column: column + 1 }, "contains a NUL byte, so this is not a text file", { hint: "export it again as CSV UTF-8" });
    }
  }
  return null;
}

/** The record being handed to a sink as bytes; one object, filled again for each record. */
class RawRow implements RawRecord {
  bytes: Buffer = Buffer.alloc(0);
  line = 0;
  count = 0;
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  /** The bytes of the record OR-ed together: below 0x80, every field is ASCII; with ESCAPED_QUOTES, a quoted field's range holds doubled quotes. */
  high = 0;

  record(): CsvRecord {
    const values: string[] = new Array(this.count);
    const slice = this.high < 0x80 ? latin1 : utf8;
    for (let k = 0; k < this.count; k++) values[k] = slice(this.bytes, this.starts[k]!, this.ends[k]!);
    if ((this.high & ESCAPED_QUOTES) !== 0) for (let k = 0; k < this.count; k++) values[k] = undoubled(values[k]!);
    return { values, line: this.line };
  }

  /** Room for one more field. */
  field(k: number, start: number, end: number): void {
    if (k >= this.starts.length) {
      const starts = new Int32Array(this.starts.length * 2);
      const ends = new Int32Array(this.starts.length * 2);
      starts.set(this.starts);
      ends.set(this.ends);
      this.starts = starts;
      this.ends = ends;
    }
    this.starts[k] = start;
    this.ends[k] = end;
  }
}

/** Scans records out of byte buffers; keeps the physical line count between calls. */
class Scanner {
  /** The physical line the next record starts on. */
  line = 1;
  batch: CsvRecord[] = [];
  /** Full batches ready to be yielded. */
  ready: CsvRecord[][] = [];
  /** Per column, the last unquoted field made into a string: its bytes (buffer, start, length) and the string. */
  private readonly previousBuffer: (Buffer | undefined)[] = [];
  private readonly previousStart: number[] = [];
  private readonly previousLength: number[] = [];
  private readonly previousValue: string[] = [];
  /** Per column, the strings of its short ASCII fields seen lately (see `shortField`); null once the column proves to repeat too little. */
  private readonly seen: (ShortStrings | null)[] = [];
  constructor(
    readonly delimiter: number,
    readonly file: string,
  ) {}

  /**
   * Scans whole records from `buffer`; returns where the first record not scanned starts (the
   * buffer's length when all were). With `final`, the end of the buffer ends the last record.
   */
  scan(buffer: Buffer, final: boolean): number {
    const slice = isAscii(buffer) ? latin1 : utf8;
    this.nul = buffer.indexOf(0) !== -1;
    // records as bytes to the sink, unless a NUL byte needs every record checked as strings
    const raw = this.sink !== null && !this.nul;
    const n = buffer.length;
    const bulk = raw ? this.bulk : null;
    let start = 0;
    while (start < n) {
      if (bulk !== null) {
        // the common records in bulk, up to one that is not (scanned below, as before) or the buffer's end
        const done = bulk.scan(buffer, start, final, this.line, this.take);
        this.line += done.rows;
        start = done.next;
        if (done.reason !== FOR_SCANNER) return start;
      }
      const end = raw ? this.rawRecord(buffer, start, n, final, slice) : this.record(buffer, start, n, final, slice);
      if (end === INCOMPLETE) return start;
      start = end;
    }
    return n;
  }

  /**
   * Forgets the fields made into strings (their bytes and strings), before scanning memory that
   * may have held other bytes since (a helper's runs come in buffers used again).
   */
  forget(): void {
    this.previousBuffer.length = 0;
    this.previousStart.length = 0;
    this.previousLength.length = 0;
    this.previousValue.length = 0;
  }

  /** Whether the buffer being scanned has a NUL byte: then each record is checked, as by the csv-parse engine. */
  private nul = false;
  /** Where the records go once diverted (CsvRecordStream.divert); null: into batches. */
  sink: RecordSink | null = null;
  private readonly row = new RawRow();

  divert(sink: RecordSink): void {
    // the records of the batch being filled go before any that reach the sink
    if (this.batch.length > 0) {
      this.ready.push(this.batch);
      this.batch = [];
    }
    this.sink = sink;
    const bulk = sink.bulk;
    if (bulk) {
      this.bulk = bulkScanner(this.delimiter, bulk.plan, new RawRow());
      this.take = (records) => bulk.take(records);
      if (this.bulk !== null) this.bulkPlan = bulk.plan;
    }
  }

  /** The sink's plan for its records in bulk, when the bulk scanner takes them (else null). */
  bulkPlan: BulkPlan | null = null;

  /** The bulk scanner for the sink's common records (RecordSink.bulk), null without one. */
  private bulk: BulkScanner | null = null;
  private take: (records: ScannedRecords) => void = () => {};

  /**
   * Scans one record from `start` for the sink, as byte ranges: no string is made. A quoted field
   * is the range between its quotes when it holds no doubled quote and no line break; a record
   * with any other quoted field is scanned again from its start by `record` (as strings), which
   * also raises every quoting error. Returns as `record`.
   */
  private rawRecord(buffer: Buffer, start: number, n: number, final: boolean, slice: Slice): number {
    const delimiter = this.delimiter;
    const row = this.row;
    const line = this.line;
    let count = 0;
    let high = 0;
    let i = start;
    for (;;) {
      let j = i;
      let c = 0;
      if (i < n && buffer[i] === QUOTE) {
        // a quoted field without a doubled quote or a line break inside: its bytes between the quotes.
        // Anything else (and every error) is left to `record`, from the record's start.
        j = i + 1;
        while (j < n && (c = buffer[j]!) !== QUOTE && c !== LF && c !== CR) {
          high |= c;
          j++;
        }
        if (j >= n) {
          if (!final) return INCOMPLETE;
          return this.record(buffer, start, n, final, slice);
        }
        if (c !== QUOTE) return this.record(buffer, start, n, final, slice);
        if (j + 1 >= n && !final) return INCOMPLETE;
        const next = j + 1 < n ? buffer[j + 1]! : delimiter;
        if (next !== delimiter && next !== LF && next !== CR) return this.record(buffer, start, n, final, slice);
        row.field(count++, i + 1, j);
        j++;
        c = j < n ? buffer[j]! : 0;
      } else {
        while (j < n) {
          c = buffer[j]!;
          if (c === delimiter || c === LF || c === CR) break;
          high |= c;
          if (c === QUOTE) {
            throw new InputError({ file: this.file, line, column: count + 1 }, 'a quote (") appears inside a field that is not quoted', {
              hint: 'quote the whole field and double the inner quote (""), or remove it',
            });
          }
          j++;
        }
        if (j >= n && !final) return INCOMPLETE;
        row.field(count++, i, j);
      }
      let end: number;
      if (j >= n) end = n;
      else if (c === delimiter) {
        i = j + 1;
        if (i < n) continue;
        // a delimiter as the buffer's last byte: at the end of the file, the record ends with an empty field
        if (!final) return INCOMPLETE;
        row.field(count++, n, n);
        end = n;
      } else {
        if (c === CR) {
          if (j + 1 >= n && !final) return INCOMPLETE;
          if (buffer[j + 1] === LF) j++;
        }
        end = j + 1;
      }
      this.line = line + 1;
      // an empty line is one record of one empty field: skipped, as by the csv-parse engine
      if (count === 1 && row.starts[0] === row.ends[0]) return end;
      row.bytes = buffer;
      row.line = line;
      row.count = count;
      row.high = high;
      this.sink!.raw(row);
      return end;
    }
  }

  private push(values: string[], line: number, breaks: number): void {
    if (this.nul) {
      const error = nulError(this.file, values, line);
      if (error) throw error;
    }
    this.line = line + breaks + 1;
    // an empty line is one record of one empty field: skipped, as by the csv-parse engine
    if (values.length === 1 && values[0] === "") return;
    if (this.sink !== null) return this.sink.record({ values, line });
    this.batch.push({ values, line });
    if (this.batch.length >= BATCH) {
      this.ready.push(this.batch);
      this.batch = [];
    }
  }

  /** Scans one record from `start`; returns the offset after its line end, or INCOMPLETE. */
  private record(buffer: Buffer, start: number, n: number, final: boolean, slice: Slice): number {
    const delimiter = this.delimiter;
    const values: string[] = [];
    const line = this.line;
    let breaks = 0;
    let i = start;
    for (;;) {
      if (i < n && buffer[i] === QUOTE) {
        // a quoted field: up to the quote not followed by another
        let value = "";
        let from = ++i;
        for (;;) {
          if (i >= n) {
            if (!final) return INCOMPLETE;
            throw this.unclosed(line);
          }
          const c = buffer[i]!;
          if (c === QUOTE) {
            if (i + 1 >= n && !final) return INCOMPLETE;
            if (i + 1 < n && buffer[i + 1] === QUOTE) {
              value += slice(buffer, from, i + 1);
              i += 2;
              from = i;
              continue;
            }
            value += slice(buffer, from, i);
            i++;
            break;
          }
          if (c === LF) breaks++;
          else if (c === CR) {
            breaks++;
            if (i + 1 >= n && !final) return INCOMPLETE;
            if (buffer[i + 1] === LF) i++;
          }
          i++;
        }
        values.push(value);
        if (i >= n) {
          this.push(values, line, breaks);
          return n;
        }
        const next = buffer[i]!;
        if (next === delimiter) {
          i++;
          if (i >= n) return this.delimiterAtEnd(n, final, values, line, breaks);
          continue;
        }
        if (next === LF || next === CR) return this.lineEnd(buffer, i, n, final, values, line, breaks);
        throw new InputError({ file: this.file, line: line + breaks, column: values.length }, "a quoted field is followed by text before the next delimiter", {
          hint: 'a quote inside a quoted field must be doubled ("")',
        });
      }
      // an unquoted field: up to the delimiter or the line end
      let j = i;
      let c = 0;
      // the bytes OR-ed together: below 0x80, the field is ASCII and is copied without UTF-8 decoding
      let high = 0;
      // the same bytes as this column's field in the record before (a customer id or a region on
      // consecutive rows): then its string is used again, not made anew
      const k = values.length;
      const previous = this.previousBuffer[k];
      const from = this.previousStart[k]!;
      const length = this.previousLength[k]!;
      let same = previous !== undefined;
      while (j < n) {
        c = buffer[j]!;
        high |= c;
        if (c === delimiter || c === LF || c === CR) break;
        if (same && (j - i >= length || previous![from + j - i] !== c)) same = false;
        if (c === QUOTE) {
          throw new InputError({ file: this.file, line: line + breaks, column: values.length + 1 }, 'a quote (") appears inside a field that is not quoted', {
            hint: 'quote the whole field and double the inner quote (""), or remove it',
          });
        }
        j++;
      }
      if (j >= n && !final) return INCOMPLETE;
      if (same && j - i === length) values.push(this.previousValue[k]!);
      else {
        const value = high >= 0x80 ? buffer.utf8Slice(i, j) : j - i <= SHORT_FIELD ? this.shortField(k, buffer, i, j) : buffer.latin1Slice(i, j);
        values.push(value);
        this.previousBuffer[k] = buffer;
        this.previousStart[k] = i;
        this.previousLength[k] = j - i;
        this.previousValue[k] = value;
      }
      if (j >= n) {
        this.push(values, line, breaks);
        return n;
      }
      if (c === delimiter) {
        i = j + 1;
        if (i >= n) return this.delimiterAtEnd(n, final, values, line, breaks);
        continue;
      }
      return this.lineEnd(buffer, j, n, final, values, line, breaks);
    }
  }

  /**
   * The string of the short ASCII field `buffer[start, end)` in column k: the same string as the last
   * field of those bytes in that column when it is still in the column's table, else a new one. A
   * region, a segment, a date or an owner repeats down a survey; a string made once for each saves
   * about 24 bytes a cell. A column whose first 2,000 short fields were mostly new (ids) stops asking.
   */
  private shortField(k: number, buffer: Buffer, start: number, end: number): string {
    let table = this.seen[k];
    if (table === undefined) this.seen[k] = table = { strings: new Array<string | undefined>(SHORT_SLOTS), asked: 0, found: 0 };
    if (table === null) return buffer.latin1Slice(start, end);
    let hash = 0x811c9dc5;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ buffer[i]!, 0x01000193);
    const slot = (hash >>> 0) & (SHORT_SLOTS - 1);
    const known = table.strings[slot];
    table.asked += 1;
    if (known !== undefined && known.length === end - start) {
      let i = 0;
      while (i < known.length && known.charCodeAt(i) === buffer[start + i]) i++;
      if (i === known.length) {
        table.found += 1;
        return known;
      }
    }
    if (table.asked === 2000 && table.found < 1000) this.seen[k] = null;
    const value = buffer.latin1Slice(start, end);
    table.strings[slot] = value;
    return value;
  }

  /** A delimiter as the buffer's last byte: at the end of the file, the record ends with an empty field. */
  private delimiterAtEnd(n: number, final: boolean, values: string[], line: number, breaks: number): number {
    if (!final) return INCOMPLETE;
    values.push("");
    this.push(values, line, breaks);
    return n;
  }

  /** Ends the record at the line break at `i` (CRLF, LF or CR). */
  private lineEnd(buffer: Buffer, i: number, n: number, final: boolean, values: string[], line: number, breaks: number): number {
    if (buffer[i] === CR) {
      if (i + 1 >= n && !final) return INCOMPLETE;
      if (buffer[i + 1] === LF) i++;
    }
    this.push(values, line, breaks);
    return i + 1;
  }

  private unclosed(line: number): InputError {
    return new InputError({ file: this.file, line }, "a quoted field that starts in this record is never closed", {
      hint: 'check for a missing closing quote ("); a quote inside a field must be doubled ("")',
    });
  }
}

/**
 * Without a line feed in this many bytes (a file whose lines end with a lone CR, or a huge quoted
 * field), the runs stop and the rest of the file is scanned on this thread.
 */
const LONGEST_RUN = 16 * 1024 * 1024;

export const scanEngine: CsvEngine = (input: Readable, options: CsvEngineOptions): CsvRecordStream => {
  const scanner = new Scanner(options.delimiter.charCodeAt(0), options.file);
  let diverted = false;
  // the threads that scan runs of whole lines, once diverted to a sink that takes records in bulk
  let helpers: SegmentScanners | null = null;
  return {
    divert(sink: RecordSink, scanners?: SegmentScanners | null): void {
      diverted = true;
      scanner.divert(sink);
      helpers = scanners && scanner.bulkPlan !== null ? scanners : null;
    },
    async *[Symbol.asyncIterator](): AsyncGenerator<CsvRecord[]> {
      let pending: Buffer | null = null;
      let first = true;
      // every record before a failing one is handed on first, so the first problem in the file is the one reported
      function* scan(buffer: Buffer, final: boolean): Generator<CsvRecord[], number> {
        let used: number;
        try {
          used = scanner.scan(buffer, final);
        } catch (error) {
          yield* scanner.ready;
          if (scanner.batch.length > 0) yield scanner.batch;
          throw error;
        }
        yield* scanner.ready;
        scanner.ready = [];
        // diverted: an empty batch per chunk, so that the reader can show its progress
        if (diverted) yield [];
        return used;
      }
      let runs: SegmentRuns | null = null;
      // the oldest runs handed on while `more` holds; a run given back ends the runs, its bytes before what is pending
      async function* settle(more: (runs: SegmentRuns) => boolean): AsyncGenerator<CsvRecord[]> {
        while (runs !== null && more(runs)) {
          const back = await runs.next();
          yield [];
          if (back === null) continue;
          runs = null;
          pending = pending ? Buffer.concat([back, pending]) : back;
        }
      }
      for await (const chunk of input as AsyncIterable<Buffer>) {
        if (runs === null && helpers !== null && !first) runs = new SegmentRuns(helpers, scanner);
        if (runs !== null) {
          // the whole lines to the helpers (a run ends with a line feed, which may yet be inside a
          // quoted field: SegmentRuns.next finds out), the rest with the next chunk
          const cut = chunk.lastIndexOf(LF) + 1;
          if (cut > 0) {
            runs.send(pending, chunk.subarray(0, cut));
            pending = cut < chunk.length ? chunk.subarray(cut) : null;
          } else pending = pending ? Buffer.concat([pending, chunk]) : chunk;
          const tooLong = cut === 0 && pending!.length >= LONGEST_RUN;
          yield* settle((under) => under.full || (tooLong && under.size > 0));
          if (runs !== null && !tooLong) continue;
          // a run that did not end where a record ends, or no line end for long: the rest on this thread
          runs = null;
          helpers = null;
          if (pending === null) continue;
          const buffer = pending;
          const used = yield* scan(buffer, false);
          pending = used < buffer.length ? buffer.subarray(used) : null;
          continue;
        }
        let buffer: Buffer = pending ? Buffer.concat([pending, chunk]) : chunk;
        if (first) {
          // a UTF-8 byte-order mark, possibly split over the first chunks
          if (buffer.length < 3 && BOM.subarray(0, buffer.length).equals(buffer)) {
            pending = buffer;
            continue;
          }
          if (buffer.subarray(0, 3).equals(BOM)) buffer = buffer.subarray(3);
          first = false;
        }
        const used = yield* scan(buffer, false);
        pending = used < buffer.length ? buffer.subarray(used) : null;
      }
      yield* settle((under) => under.size > 0);
      if (pending) {
        const buffer = first && pending.subarray(0, 3).equals(BOM) ? pending.subarray(3) : pending;
        yield* scan(buffer, true);
      }
      if (scanner.batch.length > 0) yield scanner.batch;
    },
  };
};

/** A run of a file's whole lines to scan on another thread, from where a record starts (SegmentScanners). */
export interface SegmentRequest {
  /** The run's bytes, in memory shared with the thread. */
  bytes: Uint8Array;
  delimiter: number;
  file: string;
  plan: BulkPlan;
}

/** The kinds of SegmentLog.events: records in bulk, a record as bytes, a record as strings. */
const BULK = 0;
const RAW = 1;
const STRINGS = 2;

/**
 * What the scanner handed its sink from a run, in order, to be handed to the real sink on the
 * reading thread: the same calls with the same records. Lines are from the run's first (1).
 */
export interface SegmentLog {
  /** The bytes of the whole records scanned: the run's length when its last line ended a record. */
  used: number;
  /** The physical lines in those bytes. */
  lines: number;
  /** Four numbers per call: its kind (BULK, RAW, STRINGS), the first record's index in its arrays, how many, the first's line. */
  events: Int32Array;
  eventCount: number;
  /** The records in bulk (ScannedRecords' arrays, one after another). */
  starts: Int32Array;
  ends: Int32Array;
  high: Int32Array;
  hash: Int32Array;
  same: Uint8Array;
  numbers: Float64Array;
  months: Int32Array;
  /** Per RAW record from its index: its high, then its fields' starts and ends, in pairs. */
  raws: Int32Array;
  /** The STRINGS records' fields. */
  records: string[][];
  /** The scanner's error at the record after the last one logged (its line from the run's first). */
  error: { line: number | undefined; column: number | undefined; message: string; hint: string | undefined } | null;
}

/** A log's arrays hold this many bulk records to begin with, per byte of the run (grown when short). */
const RECORDS_PER_BYTE = 1 / 24;

/** A sink that logs what it is handed (SegmentLog), for a run scanned on another thread. */
class SegmentLogger implements RecordSink {
  readonly bulk: { plan: BulkPlan; take(records: ScannedRecords): void };
  private log!: SegmentLog;
  private count = 0;
  private raws: number[] = [];
  constructor(private readonly plan: BulkPlan) {
    this.bulk = { plan, take: (records) => this.take(records) };
  }

  /** Logs handed back (SegmentScanners.release), to fill again rather than make anew. */
  readonly spare: SegmentLog[] = [];

  /** Bytes per bulk record in the runs so far (none yet: 0). */
  private bytesPerRecord = 0;

  begin(bytes: number): void {
    this.count = 0;
    this.raws = [];
    // room for the records of a run as long as the ones before were, and a quarter more (grown when short)
    const room = Math.ceil(this.bytesPerRecord > 0 ? (1.25 * bytes) / this.bytesPerRecord : bytes * RECORDS_PER_BYTE) + 64;
    const spare = this.spare.pop();
    this.log =
      spare !== undefined && spare.high.length >= room
        ? Object.assign(spare, { used: 0, lines: 0, eventCount: 0, records: [], error: null })
        : { used: 0, lines: 0, events: new Int32Array(64), eventCount: 0, ...columns(this.plan.fields, room), raws: new Int32Array(0), records: [], error: null };
  }

  finish(used: number, lines: number, error: SegmentLog["error"]): SegmentLog {
    const log = this.log;
    if (this.count > 1000) this.bytesPerRecord = used / this.count;
    log.used = used;
    log.lines = lines;
    log.raws = Int32Array.from(this.raws);
    log.error = error;
    return log;
  }

  private event(kind: number, from: number, count: number, line: number): void {
    const log = this.log;
    if (4 * log.eventCount + 4 > log.events.length) log.events = grown(log.events, 2 * log.events.length);
    log.events.set([kind, from, count, line], 4 * log.eventCount);
    log.eventCount += 1;
  }

  private take(records: ScannedRecords): void {
    const { count, fields } = records;
    const log = this.log;
    const at = this.count;
    if (at + count > log.high.length) {
      const room = 2 * (at + count);
      log.starts = grown(log.starts, room * fields);
      log.ends = grown(log.ends, room * fields);
      log.high = grown(log.high, room);
      log.hash = grown(log.hash, room);
      log.same = grown(log.same, room);
      log.numbers = grown(log.numbers, 2 * room);
      log.months = grown(log.months, room);
    }
    log.starts.set(records.starts.subarray(0, count * fields), at * fields);
    log.ends.set(records.ends.subarray(0, count * fields), at * fields);
    log.high.set(records.high.subarray(0, count), at);
    log.hash.set(records.hash.subarray(0, count), at);
    log.same.set(records.same.subarray(0, count), at);
    log.numbers.set(records.numbers.subarray(0, 2 * count), 2 * at);
    log.months.set(records.months.subarray(0, count), at);
    this.event(BULK, at, count, records.line);
    this.count = at + count;
  }

  raw(row: RawRecord): void {
    this.event(RAW, this.raws.length, row.count, row.line);
    this.raws.push(row.high);
    for (let k = 0; k < row.count; k++) this.raws.push(row.starts[k]!, row.ends[k]!);
  }

  record(record: CsvRecord): void {
    this.event(STRINGS, this.log.records.length, record.values.length, record.line);
    this.log.records.push(record.values);
  }
}

/** A bulk log's arrays with room for `room` records of `fields` fields. */
function columns(fields: number, room: number) {
  return {
    starts: new Int32Array(room * fields),
    ends: new Int32Array(room * fields),
    high: new Int32Array(room),
    hash: new Int32Array(room),
    same: new Uint8Array(room),
    numbers: new Float64Array(2 * room),
    months: new Int32Array(room),
  };
}

function grown<T extends Int32Array | Uint8Array | Float64Array>(array: T, length: number): T {
  const bigger = new (array.constructor as new (length: number) => T)(length);
  bigger.set(array);
  return bigger;
}

/**
 * Scans runs of whole lines (SegmentRequest) as the reading thread would, logging what it hands
 * on (SegmentLog): what a helper thread runs. Keeps its scanner, and the scanner's WebAssembly
 * instance, from one run of a file to the next.
 */
export function segmentScanner(): { scan(request: SegmentRequest): SegmentLog; reuse(log: SegmentLog): void } {
  let kept: { key: string; scanner: Scanner; logger: SegmentLogger } | null = null;
  const scan = (request: SegmentRequest): SegmentLog => {
    const key = JSON.stringify([request.delimiter, request.file, request.plan]);
    if (kept?.key !== key) {
      const scanner = new Scanner(request.delimiter, request.file);
      const logger = new SegmentLogger(request.plan);
      scanner.divert(logger);
      kept = { key, scanner, logger };
    }
    const { scanner, logger } = kept;
    const bytes = Buffer.from(request.bytes.buffer, request.bytes.byteOffset, request.bytes.length);
    logger.begin(bytes.length);
    scanner.line = 1;
    scanner.forget();
    try {
      const used = scanner.scan(bytes, false);
      return logger.finish(used, scanner.line - 1, null);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      return logger.finish(0, 0, { line: error.location.line, column: error.location.column, message: error.message, hint: error.hint });
    }
  };
  // (a log of a run of the same size is filled again: the runs are about a chunk each)
  const reuse = (log: SegmentLog): void => {
    if (kept !== null && kept.logger.spare.length < 2) kept.logger.spare.push(log);
  };
  return { scan, reuse };
}

/**
 * SegmentScanners on this thread: each run scanned when it is sent. The runs, their order and
 * every check of SegmentRuns as with helper threads (tests), without the threads.
 */
export function scannersHere(width: number): SegmentScanners {
  const { scan, reuse } = segmentScanner();
  return { width, scan: (request) => Promise.resolve().then(() => scan(request)), release: reuse };
}

/**
 * The runs of a file under way on helper threads, in file order. Each run starts where the run
 * before ended: at a record's start, if that run's last line feed ended a record; which it did if
 * its records were all whole (SegmentLog.used). The logs are handed to the sink in order, each
 * only once the run before proved whole, with the lines counted on; a run that did not end where a
 * record ends (a line feed inside a quoted field) and all after it are given back, to be scanned
 * on this thread from its last whole record.
 */
/** Shared memory for a run, at least: a chunk of the file (1 MB) and the line it ended inside. */
const RUN_MEMORY = 1024 * 1024 + 64 * 1024;

class SegmentRuns {
  private readonly queue: { bytes: Buffer; log: Promise<SegmentLog> }[] = [];
  private readonly row = new RawRow();
  constructor(
    private readonly scanners: SegmentScanners,
    private readonly scanner: Scanner,
  ) {}

  get size(): number {
    return this.queue.length;
  }

  get full(): boolean {
    return this.queue.length >= this.scanners.width;
  }

  /** Shared memory of runs handed to the sink, to use again (the sink keeps no bytes past its call). */
  private readonly spare: SharedArrayBuffer[] = [];

  /** Sends a run of whole lines, `head` (the end of the chunk before, or none) then `body`, copied into memory the helpers share. */
  send(head: Buffer | null, body: Buffer): void {
    const length = (head?.length ?? 0) + body.length;
    let memory = this.spare.pop();
    if (memory === undefined || memory.byteLength < length) memory = new SharedArrayBuffer(Math.max(length, RUN_MEMORY));
    const shared = Buffer.from(memory, 0, length);
    if (head !== null) head.copy(shared);
    body.copy(shared, head?.length ?? 0);
    const log = this.scanners.scan({ bytes: shared, delimiter: this.scanner.delimiter, file: this.scanner.file, plan: this.scanner.bulkPlan! });
    // (a log not waited for, after a run that was given back, must not fail unseen)
    log.catch(() => {});
    this.queue.push({ bytes: shared, log });
  }

  /**
   * Hands the oldest run's records to the sink. Returns null when the run ended where a record
   * ends; else the bytes to scan on this thread (from the run's last whole record, and every run
   * after it), and no run is left.
   */
  async next(): Promise<Buffer | null> {
    const head = this.queue.shift()!;
    let log: SegmentLog;
    try {
      log = await head.log;
    } catch {
      // a helper that failed (a thread that could not start): its run and the rest on this thread
      return this.giveBack(head.bytes, 0);
    }
    const base = this.scanner.line - 1;
    this.replay(head.bytes, log, base);
    if (log.error !== null) {
      const { line, column, message, hint } = log.error;
      const location = { file: this.scanner.file, ...(line === undefined ? {} : { line: line + base }), ...(column === undefined ? {} : { column }) };
      throw new InputError(location, message, hint === undefined ? {} : { hint });
    }
    this.scanner.line += log.lines;
    const back = log.used < head.bytes.length ? this.giveBack(head.bytes, log.used) : null;
    this.spare.push(head.bytes.buffer as SharedArrayBuffer);
    this.scanners.release?.(log);
    return back;
  }

  private giveBack(bytes: Buffer, from: number): Buffer {
    const back = Buffer.concat([bytes.subarray(from), ...this.queue.map((run) => run.bytes)]);
    this.queue.length = 0;
    return back;
  }

  /** The log's records to the sink, as the scanner handed them on, on lines from `base`. */
  private replay(bytes: Buffer, log: SegmentLog, base: number): void {
    const row = this.row;
    const sink = this.scanner.sink!;
    const fields = this.scanner.bulkPlan!.fields;
    const events = log.events;
    for (let e = 0; e < log.eventCount; e++) {
      const kind = events[4 * e]!;
      const from = events[4 * e + 1]!;
      const count = events[4 * e + 2]!;
      const line = events[4 * e + 3]! + base;
      if (kind === BULK) {
        const starts = log.starts.subarray(from * fields, (from + count) * fields);
        const ends = log.ends.subarray(from * fields, (from + count) * fields);
        const high = log.high.subarray(from, from + count);
        sink.bulk!.take({
          count,
          bytes,
          line,
          fields,
          starts,
          ends,
          high,
          hash: log.hash.subarray(from, from + count),
          same: log.same.subarray(from, from + count),
          numbers: log.numbers.subarray(2 * from, 2 * (from + count)),
          months: log.months.subarray(from, from + count),
          raw(r: number): RawRecord {
            row.bytes = bytes;
            row.line = line + r;
            row.count = fields;
            for (let k = 0; k < fields; k++) row.field(k, starts[r * fields + k]!, ends[r * fields + k]!);
            row.high = high[r]!;
            return row;
          },
        });
      } else if (kind === RAW) {
        const raws = log.raws;
        row.bytes = bytes;
        row.line = line;
        row.count = count;
        row.high = raws[from]!;
        for (let k = 0; k < count; k++) row.field(k, raws[from + 1 + 2 * k]!, raws[from + 2 + 2 * k]!);
        sink.raw(row);
      } else {
        sink.record({ values: log.records[from]!, line });
      }
    }
  }
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
