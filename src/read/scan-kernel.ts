/**
 * The byte scanner's bulk path in WebAssembly (kernels/scan.c, compiled by kernels/build.sh and
 * committed as kernels/scan-wasm.ts): the common records of a buffer (plain fields, the number of
 * fields asked for, one line each) found a few thousand at a time, with the columns a sink asks
 * for read on the way (BulkPlan). One instance per scanner; the buffer being scanned is copied
 * into its memory once. Where WebAssembly cannot be compiled, the scanner keeps to TypeScript.
 */
import { SCAN_WASM } from "./kernels/scan-wasm.js";
import { instantiate, layout, wasmModule, type KernelExports } from "../wasm.js";
import type { BulkPlan, RawRecord, ScannedRecords } from "./read-csv.js";

/**
 * In a scanned record's `high`: a quoted field of it holds a doubled quote, kept in its byte range
 * as it is in the file (two quotes); its text has one (undoubled). Set by the bulk scanner only.
 */
export const ESCAPED_QUOTES = 0x100;

/** A quoted field's text from its bytes between the quotes: each doubled quote made one. */
export function undoubled(text: string): string {
  return text.includes('""') ? text.replaceAll('""', '"') : text;
}

interface Exports extends KernelExports {
  scan_records(
    buf: number,
    start: number,
    n: number,
    final: number,
    delimiter: number,
    fields: number,
    maxRows: number,
    key: number,
    num0: number,
    mark0: number,
    num1: number,
    mark1: number,
    month: number,
    starts: number,
    ends: number,
    high: number,
    hash: number,
    same: number,
    numbers: number,
    months: number,
    state: number,
  ): number;
  count_byte(buf: number, n: number, byte: number): number;
}

/** Records per call: their fields' places fit in a core's cache. */
const MAX_ROWS = 2048;
/** Records of more fields than this are left to TypeScript (a wide export is rarely this common row). */
export const MAX_BULK_FIELDS = 64;
/** Where the scan stopped (kernels/scan.c): the end of the whole records, or a record for the TypeScript scanner. */
export const FOR_SCANNER = 1;

const compiledModule = wasmModule(SCAN_WASM);

/** The instance that counts bytes (countByte), made at its first call; null where WebAssembly is not available. */
let counter: { exports: Exports; at: number; grow: (extra: number) => ArrayBuffer } | null | undefined;

/**
 * How many of `bytes` are `byte`, by the kernel (sixteen at a time), or null where WebAssembly is
 * not available. The bytes are copied into the kernel's memory, which grows to the largest asked.
 */
export function countByte(bytes: Uint8Array, byte: number): number | null {
  if (counter === undefined) {
    const module = compiledModule();
    if (module === null) counter = null;
    else {
      const exports = instantiate<Exports>(module);
      const { take, grow } = layout(exports);
      counter = { exports, at: take(0), grow };
    }
  }
  if (counter === null) return null;
  const memory = counter.grow(bytes.length + 16);
  new Uint8Array(memory, counter.at, bytes.length).set(bytes);
  return counter.exports.count_byte(counter.at, bytes.length, byte);
}

/** The record handed out by ScannedRecords.raw: the scanner's own (scan-engine.ts RawRow), filled again per call. */
export interface FillableRow extends RawRecord {
  bytes: Buffer;
  line: number;
  count: number;
  starts: Int32Array;
  ends: Int32Array;
  high: number;
}

export interface BulkScanner {
  /**
   * Scans the common records of `buffer` from `start`: hands them to `take` (in batches), and
   * returns where it stopped and why (FOR_SCANNER: the record there is for the TypeScript scanner;
   * else the rest of the buffer is an incomplete record, or empty). `line` is the first record's.
   */
  scan(buffer: Buffer, start: number, final: boolean, line: number, take: (records: ScannedRecords) => void): { next: number; reason: number; rows: number };
}

/**
 * A bulk scanner for records of `plan.fields` fields split by `delimiter`, or null where
 * WebAssembly is not available or the plan has more fields than MAX_BULK_FIELDS. `row` is the
 * object ScannedRecords.raw fills and hands out.
 */
export function bulkScanner(delimiter: number, plan: BulkPlan, row: FillableRow): BulkScanner | null {
  const module = compiledModule();
  if (module === null || plan.fields < 1 || plan.fields > MAX_BULK_FIELDS || plan.numbers.length > 2) return null;
  const exports = instantiate<Exports>(module);
  const fields = plan.fields;
  const { take, grow } = layout(exports);
  const at = {
    numbers: take(8 * 2 * MAX_ROWS),
    starts: take(4 * fields * MAX_ROWS),
    ends: take(4 * fields * MAX_ROWS),
    high: take(4 * MAX_ROWS),
    hash: take(4 * MAX_ROWS),
    months: take(4 * MAX_ROWS),
    state: take(8),
    same: take(MAX_ROWS),
  };
  // the buffer being scanned, after everything else (its room grows with the buffers)
  const bufferAt = take(0);
  let memory: ArrayBuffer = exports.memory.buffer;
  let view: ScannedRecords;
  if (row.starts.length < fields) {
    row.starts = new Int32Array(fields);
    row.ends = new Int32Array(fields);
  }
  const views = (): void => {
    memory = exports.memory.buffer;
    view = {
      count: 0,
      bytes: Buffer.alloc(0),
      line: 0,
      fields,
      starts: new Int32Array(memory, at.starts, fields * MAX_ROWS),
      ends: new Int32Array(memory, at.ends, fields * MAX_ROWS),
      high: new Int32Array(memory, at.high, MAX_ROWS),
      hash: new Int32Array(memory, at.hash, MAX_ROWS),
      same: new Uint8Array(memory, at.same, MAX_ROWS),
      numbers: new Float64Array(memory, at.numbers, 2 * MAX_ROWS),
      months: new Int32Array(memory, at.months, MAX_ROWS),
      raw(r: number): RawRecord {
        row.bytes = this.bytes;
        row.line = this.line + r;
        row.count = fields;
        row.starts.set(this.starts.subarray(r * fields, (r + 1) * fields));
        row.ends.set(this.ends.subarray(r * fields, (r + 1) * fields));
        row.high = this.high[r]!;
        return row;
      },
    };
  };
  const room = (bytes: number): void => {
    if (grow(bytes) !== memory || view === undefined) views();
  };
  room(0);
  const [num0, num1] = plan.numbers;
  let copied: Buffer | null = null;
  let copiedLength = -1;
  return {
    scan(buffer, start, final, line, takeRecords) {
      const n = buffer.length;
      // the buffer in the kernel's memory once per buffer (a scan stopped for the TypeScript scanner goes on in the same one)
      if (buffer !== copied || n !== copiedLength) {
        // (16 bytes more: the kernel reads 16 at a time, and ignores what lies past n)
        room(n + 16);
        new Uint8Array(memory, bufferAt, n).set(buffer);
        copied = buffer;
        copiedLength = n;
      }
      const state = new Int32Array(memory, at.state, 2);
      let at0 = start;
      let rows = 0;
      for (;;) {
        const count = exports.scan_records(
          bufferAt,
          at0,
          n,
          final ? 1 : 0,
          delimiter,
          fields,
          MAX_ROWS,
          plan.key,
          num0?.index ?? 0,
          num0?.mark ?? -1,
          num1?.index ?? 0,
          num1?.mark ?? -1,
          plan.month,
          at.starts,
          at.ends,
          at.high,
          at.hash,
          at.same,
          at.numbers,
          at.months,
          at.state,
        );
        const stopped = state[0]!;
        const reason = state[1]!;
        if (count > 0) {
          // (the kernel's offsets are from the copy's start: the same as in `buffer`)
          view.count = count;
          view.bytes = buffer;
          view.line = line + rows;
          takeRecords(view);
          rows += count;
        }
        at0 = stopped;
        if (count < MAX_ROWS || reason === FOR_SCANNER || at0 >= n) return { next: at0, reason, rows };
      }
    },
  };
}
