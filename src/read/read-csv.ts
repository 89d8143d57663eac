/**
 * Delimited text → rows with their physical line numbers, streamed: never the whole file in
 * memory. The only place that opens input files.
 *
 * The parser sits behind `CsvEngine` (a stream of bytes in, batches of `CsvRecord` out), so a
 * faster scanner can replace csv-parse without touching anything downstream.
 */
import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { basename } from "node:path";
import type { Readable } from "node:stream";
import { InputError } from "../errors.js";
import { csvParseEngine } from "./csv-parse-engine.js";
import type { DecimalMark } from "./parse-number.js";
import { sniffDelimiter, type Delimiter } from "./sniff-dialect.js";

/** One record of the file: its fields and the physical line it starts on (1-based). */
export interface CsvRecord {
  values: string[];
  line: number;
}

/** What was detected about a file's format; reported in inputs.*.format. */
export interface CsvFormat {
  encoding: "utf-8" | "utf-8-bom" | "utf-16le" | "utf-16be";
  delimiter: Delimiter;
  decimal: DecimalMark;
  headerRows: number;
}

export interface CsvEngineOptions {
  delimiter: Delimiter;
  /** The name used in error messages. */
  file: string;
}

/** A CSV parser: bytes (UTF-8, possibly with a BOM) in, batches of records out, in file order. */
export type CsvEngine = (input: Readable, options: CsvEngineOptions) => AsyncIterable<CsvRecord[]>;

/** An opened delimited file: its format, header and a one-shot stream of data records. */
export interface CsvSource {
  /** The path as the user gave it. */
  path: string;
  /** The name used in messages (the path's base name). */
  file: string;
  format: CsvFormat;
  header: CsvRecord;
  /** Data records after the header, in batches. Can be iterated once. */
  records: AsyncIterable<CsvRecord[]>;
}

export interface OpenCsvOptions {
  delimiter?: Delimiter;
  engine?: CsvEngine;
}

const SNIFF_BYTES = 64 * 1024;

async function readHead(path: string, file: string): Promise<{ head: Buffer; size: number }> {
  let size: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new InputError({ file }, "is a folder, not a file", { hint: "give the path of a CSV file" });
    size = info.size;
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new InputError({ file: path }, "no such file", { hint: "check the path", cause: error });
    throw new InputError({ file: path }, `cannot be read (${code ?? String(error)})`, { cause: error });
  }
  const handle = await open(path, "r");
  try {
    const head = Buffer.alloc(Math.min(SNIFF_BYTES, size));
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return { head: head.subarray(0, bytesRead), size };
  } finally {
    await handle.close();
  }
}

function detectEncoding(head: Buffer, file: string): CsvFormat["encoding"] {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return "utf-8-bom";
  if (head[0] === 0xff && head[1] === 0xfe) return "utf-16le";
  if (head[0] === 0xfe && head[1] === 0xff) return "utf-16be";
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
    throw new InputError({ file }, "looks like a ZIP file or an Excel workbook (.xlsx), not CSV text", {
      hint: "save it from Excel as CSV UTF-8 and pass that file",
    });
  }
  const nul = head.indexOf(0);
  if (nul !== -1) {
    const line = head.subarray(0, nul).toString("latin1").split("\n").length;
    throw new InputError({ file, line }, "contains a NUL byte, so it is not a text file (or is UTF-16 without a byte-order mark)", {
      hint: "export it again as CSV UTF-8",
    });
  }
  // A multi-byte character may be cut at the end of the sample: decode a few bytes less.
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(head.subarray(0, Math.max(0, head.length - 3)));
  } catch {
    const bad = firstInvalidUtf8(head);
    throw new InputError({ file, line: bad.line, column: bad.column }, "is not valid UTF-8 text (it may be Windows-1252, as Nordic Excel saves CSV)", {
      hint: "save it from Excel as CSV UTF-8",
    });
  }
  return "utf-8";
}

function firstInvalidUtf8(bytes: Buffer): { line: number; column: number } {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0a) {
      try {
        decoder.decode(bytes.subarray(lineStart, i));
      } catch {
        break;
      }
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: 1 };
}

/** Re-encodes a UTF-16 byte stream (after its BOM) to UTF-8 for the engine. */
async function* utf16ToUtf8(input: Readable, encoding: "utf-16le" | "utf-16be"): AsyncGenerator<Buffer> {
  const decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: false });
  for await (const chunk of input) yield Buffer.from(decoder.decode(chunk as Buffer, { stream: true }), "utf8");
  yield Buffer.from(decoder.decode(), "utf8");
}

/**
 * Opens a delimited text file: sniffs encoding (UTF-8, UTF-8 with BOM, UTF-16 with BOM) and
 * delimiter, reads the header, and returns a stream of the data records.
 * @throws {InputError} for a missing, empty, binary or non-UTF-8 file, or a malformed record
 */
export async function openCsv(path: string, options: OpenCsvOptions = {}): Promise<CsvSource> {
  const file = basename(path);
  const { head, size } = await readHead(path, file);
  const encoding = detectEncoding(head, file);
  const text =
    encoding === "utf-16le" || encoding === "utf-16be"
      ? new TextDecoder(encoding).decode(head.subarray(0, head.length - (head.length % 2)))
      : head.toString("utf8").replace(/^\uFEFF/, "");
  if (text.trim() === "") throw new InputError({ file }, "the file is empty", { hint: "export the data again, with its header row" });
  const delimiter = options.delimiter ?? sniffDelimiter(text, head.length === size);

  const stream = createReadStream(path, { highWaterMark: 1024 * 1024 });
  const bytes: Readable =
    encoding === "utf-16le" || encoding === "utf-16be"
      ? (await import("node:stream")).Readable.from(utf16ToUtf8(stream, encoding))
      : stream;
  const engine = options.engine ?? csvParseEngine;
  const iterator = engine(bytes, { delimiter, file })[Symbol.asyncIterator]();

  // Pull the header out of the first batch; hand the rest on untouched.
  let first = await iterator.next();
  while (!first.done && first.value.length === 0) first = await iterator.next();
  if (first.done) throw new InputError({ file }, "the file is empty", { hint: "export the data again, with its header row" });
  const [header, ...rest] = first.value;
  const records: AsyncIterable<CsvRecord[]> = {
    async *[Symbol.asyncIterator]() {
      if (rest.length > 0) yield rest;
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
    // a ";" file comes from a decimal-comma locale (Excel in the Nordics, Germany, France)
    format: { encoding, delimiter, decimal: delimiter === ";" ? "," : ".", headerRows: 1 },
    header: { line: header!.line, values: header!.values.map((name) => name.replace(/^\uFEFF/, "").trim()) },
    records,
  };
}
