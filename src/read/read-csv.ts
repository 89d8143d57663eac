/**
 * Delimited text → rows with their physical line numbers, streamed: never the whole file in
 * memory. The only place that opens input files.
 *
 * The parser sits behind `CsvEngine` (a stream of bytes in, batches of `CsvRecord` out): the byte
 * scanner (scan-engine.ts) by default, csv-parse (--csv-engine csv-parse) as the reference. Both
 * give the same records; the test suite runs every fixture through both.
 */
import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { basename } from "node:path";
import { Readable } from "node:stream";
import { InputError } from "../errors.js";
import { csvParseEngine } from "./csv-parse-engine.js";
import { scanEngine, type SegmentLog, type SegmentRequest } from "./scan-engine.js";
import type { DecimalMark } from "./parse-number.js";
import { decodeHead, detectEncoding, loadDecoder, toUtf8, type Encoding } from "./decode.js";
import { detectLayout, type Layout } from "./detect-layout.js";
import { DELIMITER_CANDIDATES as DELIMITERS, sniffDelimiter, type Delimiter } from "./sniff-dialect.js";

/** One record of the file: its fields and the physical line it starts on (1-based). */
export interface CsvRecord {
  values: string[];
  line: number;
}

/** What was detected about a file's format; reported in inputs.*.format. */
export interface CsvFormat {
  encoding: Encoding;
  /** True when the encoding was inferred from the bytes (no byte-order mark, not named). */
  encodingGuessed: boolean;
  delimiter: Delimiter;
  decimal: DecimalMark;
  headerRows: number;
  layout: Layout;
  /** Whether the file starts with Excel's `sep=` hint line. */
  sepLine: boolean;
  /** "xlsx" for an Excel workbook, "parquet" for a Parquet file (--engine duckdb): then encoding and delimiter do not apply. */
  container: "csv" | "xlsx" | "parquet";
  /** The sheet read from a workbook. */
  sheet: string | null;
  /** A workbook whose name does not say so (e.g. saved as .csv). */
  renamed: boolean;
  /** Workbook sheets before the one read that hold no table (a notes or title sheet). */
  skippedSheets: string[];
}

export interface CsvEngineOptions {
  delimiter: Delimiter;
  /** The name used in error messages. */
  file: string;
}

/**
 * A record as the byte scanner found it, before any string is made: field k is the UTF-8 bytes
 * `bytes[starts[k], ends[k])`, none of them quoted. Valid only during the call it is handed to
 * (the object and its arrays are used again for the next record).
 */
export interface RawRecord {
  readonly bytes: Buffer;
  readonly line: number;
  readonly count: number;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /** The record's bytes OR-ed together: below 0x80, every field is ASCII. */
  readonly high: number;
  /** The same record with its fields as strings, as the batches carry it. */
  record(): CsvRecord;
}

/**
 * What a sink asks the byte scanner to read of each common record, in bulk (RecordSink.bulk):
 * records of `fields` plain fields, with column `key` hashed, columns `numbers` read as plain
 * numbers and column `month` as a YYYY-MM month.
 */
export interface BulkPlan {
  fields: number;
  key: number;
  /** At most two columns, each with its decimal mark's character code. */
  numbers: readonly { index: number; mark: number }[];
  /** -1: none. */
  month: number;
}

/**
 * Common records as the bulk scanner found them (valid only during the call they are handed to):
 * record r's field k is `bytes[starts[r·fields + k], ends[r·fields + k])`, unquoted, and the record
 * is on line `line + r`.
 */
export interface ScannedRecords {
  count: number;
  bytes: Buffer;
  line: number;
  readonly fields: number;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /** The record's field bytes OR-ed together (and maybe a few bytes after it): below 0x80, every field is ASCII; scan-kernel.ts ESCAPED_QUOTES: a field holds doubled quotes. */
  readonly high: Int32Array;
  /** The key column's bytes hashed (FNV-1a, 32 bits, as a signed integer), and whether they are those of the record before (0 for the first of a batch). */
  readonly hash: Int32Array;
  readonly same: Uint8Array;
  /** numbers[2r + j]: plan.numbers[j] read as a plain number (plainBytes: NaN when it is not one). */
  readonly numbers: Float64Array;
  /** The month column as a month ordinal (monthBytes: -1 when it is not a YYYY-MM). */
  readonly months: Int32Array;
  /** Record r as a RawRecord (the same object for every call). */
  raw(r: number): RawRecord;
}

/** Takes every record, in file order: as bytes where the engine can (`raw`, or in bulk), else as strings. */
export interface RecordSink {
  raw(row: RawRecord): void;
  record(record: CsvRecord): void;
  /** The common records in bulk, read as `plan` asks, where the engine can; the others still come one by one. */
  bulk?: { plan: BulkPlan; take(records: ScannedRecords): void } | undefined;
}

/** The records of a file in batches; an engine that can also hand them over as bytes has `divert`. */
export interface CsvRecordStream extends AsyncIterable<CsvRecord[]> {
  /**
   * From now on, hands every record not yet in a batch to `sink`, in file order, right as it is
   * scanned; the batches then come empty, one per chunk read, and only drive the reading. The
   * records already in batches still come in them, before any record reaches the sink.
   */
  divert?(sink: RecordSink, scanners?: SegmentScanners | null): void;
}

/**
 * Threads that scan runs of a file's whole lines while this one adds up the records
 * (scan-engine.ts: scanSegment there, the runs and their order here). `width`: how many runs may be
 * under way at once.
 */
export interface SegmentScanners {
  readonly width: number;
  scan(request: SegmentRequest): Promise<SegmentLog>;
  /** A log whose records have been handed on, for its arrays to be filled again. */
  release?(log: SegmentLog): void;
}

/** A CSV parser: bytes (UTF-8, possibly with a BOM) in, batches of records out, in file order. */
export type CsvEngine = (input: Readable, options: CsvEngineOptions) => CsvRecordStream;

/** An opened delimited file: its format, header and a one-shot stream of data records. */
export interface CsvSource {
  /** The path as the user gave it. */
  path: string;
  /** The name used in messages (the path's base name). */
  file: string;
  format: CsvFormat;
  header: CsvRecord;
  /** The question text of each column where the export carries it (Qualtrics, SurveyMonkey), else the name. */
  labels: string[];
  /** The header row as written (the first header row), to recognise a header repeated mid-file. */
  rawHeader: string[];
  /** Header names that occur more than once; `header` holds them as "X (2)"… */
  duplicateNames: string[];
  /** Data records after the header, in batches. Can be iterated once. */
  records: AsyncIterable<CsvRecord[]>;
  /** The engine's `divert` (the records from the next batch on go to a sink), where it has one. */
  divert?: ((sink: RecordSink, scanners?: SegmentScanners | null) => void) | undefined;
  /** The file's size in bytes (null for standard input or a workbook), and how many have been read so far, for progress. */
  size?: number | null;
  bytesRead?: () => number;
}

export interface OpenCsvOptions {
  /** The workbook sheet to read (default: the first). */
  sheet?: string | undefined;
  /** Standard input, read when the path is "-". */
  stdin?: AsyncIterable<Buffer | string> | undefined;
  delimiter?: Delimiter | undefined;
  encoding?: Exclude<Encoding, "utf-8-bom"> | undefined;
  layout?: Layout | undefined;
  decimal?: DecimalMark | undefined;
  engine?: CsvEngine | undefined;
  /** The engine by name (--csv-engine), when `engine` is not given: "scan" (the default) or "csv-parse". */
  csvEngine?: CsvEngineName | undefined;
  /**
   * The file's first megabyte handed to the engine in pieces of this many bytes: the records
   * scanned before the header's batch (2,048 records) is out come as strings, before a sink can
   * be diverted to; a reader that diverts after the first batch (the survey's table, the finance
   * file after its sample) asks for small pieces, so that the rest of the megabyte reaches its sink
   * as bytes. The records and batches are the same (the first batch too: 2,048 records).
   */
  firstRead?: number | undefined;
}

export const CSV_ENGINES = { scan: scanEngine, "csv-parse": csvParseEngine } as const;
export type CsvEngineName = keyof typeof CSV_ENGINES;

const SNIFF_BYTES = 64 * 1024;

/** The bytes of an input: the first ones for sniffing, then the whole stream once. */
interface ByteSource {
  head: Buffer;
  /** True when `head` is the whole input. */
  complete: boolean;
  stream(): AsyncIterable<Buffer>;
}

/** Standard input as a byte source: buffers the first 64 KiB, then hands on the rest. */
async function stdinSource(stdin: AsyncIterable<Buffer | string>): Promise<ByteSource> {
  const iterator = stdin[Symbol.asyncIterator]();
  const first: Buffer[] = [];
  let length = 0;
  let done = false;
  while (length < SNIFF_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    const chunk = typeof next.value === "string" ? Buffer.from(next.value) : next.value;
    first.push(chunk);
    length += chunk.length;
  }
  const head = Buffer.concat(first);
  return {
    head: head.subarray(0, SNIFF_BYTES),
    complete: done,
    async *stream() {
      yield head;
      if (done) return;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
        yield typeof next.value === "string" ? Buffer.from(next.value) : next.value;
      }
    },
  };
}

/** A file-system error while reading `path` as an input error that says what to do. */
export function readError(path: string, error: unknown): InputError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const known: Record<string, [string, string]> = {
    ENOENT: ["no such file", "check the path"],
    EACCES: ["cannot be read: permission denied", "ask for read access to the file, or copy it somewhere you may read"],
    EPERM: ["cannot be read: the operation is not permitted", "check the file's permissions"],
    EISDIR: ["is a folder, not a file", "give the path of a CSV file"],
    EIO: ["cannot be read: the device reported an input/output error", "check the disk, or copy the file elsewhere"],
    ENAMETOOLONG: ["cannot be read: the name is too long", "check the path"],
    ENOTDIR: ["no such file: a part of the path is a file, not a folder", "check the path"],
    ELOOP: ["cannot be read: too many symbolic links", "check the path"],
    EMFILE: ["cannot be opened: too many open files", "close other programs, or raise the limit (ulimit -n)"],
  };
  const [message, hint] = (code && known[code]) || [`cannot be read (${code ?? (error instanceof Error ? error.message : String(error))})`, "check the file"];
  return new InputError({ file: path }, message, { hint, cause: error });
}

/** A file's bytes as a stream whose read errors (EACCES, EIO) are input errors naming the file. */
async function* fileStream(path: string, counter?: { bytes: number }, firstRead?: number): AsyncIterable<Buffer> {
  try {
    let first = firstRead !== undefined;
    for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) {
      if (counter) counter.bytes += (chunk as Buffer).length;
      if (first) {
        // in pieces: the engine yields its first batch (2,048 records) once it has scanned enough of them
        first = false;
        for (let from = 0; from < (chunk as Buffer).length; from += firstRead!) yield (chunk as Buffer).subarray(from, from + firstRead!);
        continue;
      }
      yield chunk as Buffer;
    }
  } catch (error) {
    throw readError(path, error);
  }
}

/**
 * Whether a file can be read, with openCsv's error where it cannot (no such file, a folder, no
 * permission): for the inputs opened late in a run, checked before its long work starts.
 */
export async function checkReadable(path: string): Promise<void> {
  if (path !== "-") await readHead(path, basename(path));
}

async function readHead(path: string, file: string): Promise<{ head: Buffer; size: number }> {
  let size: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new InputError({ file }, "is a folder, not a file", { hint: "give the path of a CSV file" });
    size = info.size;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw readError(path, error);
  }
  let handle;
  try {
    handle = await open(path, "r");
  } catch (error) {
    throw readError(path, error);
  }
  try {
    const head = Buffer.alloc(Math.min(SNIFF_BYTES, size));
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return { head: head.subarray(0, bytesRead), size };
  } finally {
    await handle.close();
  }
}

function checkBinary(head: Buffer, file: string): void {
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
    throw new InputError({ file }, "looks like a ZIP file or an Excel workbook (.xlsx), which cannot be read from standard input", {
      hint: "pass the workbook as a file, or save it as CSV UTF-8",
    });
  }
  // "PAR1": a Parquet file, which only the finance input takes (through DuckDB)
  if (head[0] === 0x50 && head[1] === 0x41 && head[2] === 0x52 && head[3] === 0x31) {
    throw new InputError({ file }, "is a Parquet file, and this input is read as text (CSV) or an Excel workbook", {
      hint: "a Parquet finance file is read through DuckDB: give it to analyze, at-risk, upsell, ambassadors or feedback as --finance FILE with --engine duckdb (a name ending .parquet needs no --engine); export other inputs as CSV",
    });
  }
  const utf16 = (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff);
  const nul = utf16 ? -1 : head.indexOf(0);
  if (nul !== -1) {
    const line = head.subarray(0, nul).toString("latin1").split("\n").length;
    throw new InputError({ file, line }, "contains a NUL byte, so it is not a text file (or is UTF-16 without a byte-order mark)", {
      hint: "export it again as CSV UTF-8",
    });
  }
}

/**
 * Opens a delimited text file: sniffs encoding (UTF-8, UTF-8 with BOM, UTF-16 with BOM) and
 * delimiter, reads the header, and returns a stream of the data records.
 * @throws {InputError} for a missing, empty, binary or non-UTF-8 file, or a malformed record
 */
export async function openCsv(path: string, options: OpenCsvOptions = {}): Promise<CsvSource> {
  const fromStdin = path === "-";
  const file = fromStdin ? "(standard input)" : basename(path);
  let source: ByteSource;
  const counter = { bytes: 0 };
  let size: number | null = null;
  if (fromStdin) {
    if (!options.stdin) throw new InputError({ file }, "standard input is not available here");
    source = await stdinSource(options.stdin);
  } else {
    const stat = await readHead(path, file);
    const head = stat.head;
    if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
      // the workbook reader (exceljs) is loaded only for a workbook: it takes longer to load than most runs
      const { openXlsx } = await import("./read-xlsx.js");
      return openXlsx(path, file, { sheet: options.sheet, layout: options.layout, renamed: !/\.xls[xm]$/i.test(path) });
    }
    source = { head, complete: head.length === stat.size, stream: () => fileStream(path, counter, options.firstRead) };
    size = stat.size;
  }
  const head = source.head;
  checkBinary(head, file);
  const detected = detectEncoding(head, file, options.encoding);
  await loadDecoder(detected);
  const text = decodeHead(head, detected);
  if (text.trim() === "") throw new InputError({ file }, "the file is empty", { hint: "export the data again, with its header row" });
  // Excel's "sep=;" hint line names the delimiter and is not the header
  const hint = /^sep=(.)\r?\n/i.exec(text);
  const sniffed = hint ? text.slice(hint[0].length) : text;
  const delimiter = options.delimiter ?? ((hint?.[1] as Delimiter | undefined) && DELIMITERS.includes(hint![1] as Delimiter) ? (hint![1] as Delimiter) : sniffDelimiter(sniffed, source.complete));

  const bytes = Readable.from(toUtf8(source.stream(), detected, file));
  const engine = options.engine ?? CSV_ENGINES[options.csvEngine ?? "scan"];
  const stream = engine(bytes, { delimiter, file });
  const iterator = stream[Symbol.asyncIterator]();

  // Take the header rows (and the sep= line) from the first records; hand the rest on untouched.
  const pending: CsvRecord[] = [];
  const need = (count: number) => async () => {
    while (pending.length < count) {
      const next = await iterator.next();
      if (next.done) return;
      for (const record of next.value) pending.push(record);
    }
  };
  await need(hint ? 4 : 3)();
  if (hint) pending.shift();
  if (pending.length === 0) throw new InputError({ file }, "the file is empty", { hint: "export the data again, with its header row" });
  const layout = detectLayout(pending.slice(0, 3).map((r) => r.values), options.layout);
  const headerRecords = pending.splice(0, layout.headerRows);
  const records: AsyncIterable<CsvRecord[]> = {
    async *[Symbol.asyncIterator]() {
      if (pending.length > 0) yield pending;
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    },
  };
  return {
    path,
    file,
    format: {
      encoding: detected.encoding,
      encodingGuessed: detected.guessed,
      delimiter,
      // a ";" file comes from a decimal-comma locale (Excel in the Nordics, Germany, France)
      decimal: options.decimal ?? (delimiter === ";" ? "," : "."),
      headerRows: layout.headerRows,
      layout: layout.layout,
      sepLine: hint !== null,
      container: "csv",
      sheet: null,
      renamed: false,
      skippedSheets: [],
    },
    header: { line: headerRecords[0]!.line, values: layout.names },
    labels: layout.labels,
    rawHeader: headerRecords[0]!.values.map((v) => v.replace(/^\uFEFF/, "").trim()),
    duplicateNames: layout.duplicates,
    records,
    divert: stream.divert ? (sink, scanners) => stream.divert!(sink, scanners) : undefined,
    size,
    bytesRead: () => counter.bytes,
  };
}
