/**
 * Text encodings: detection from the first bytes, and streams that hand the CSV engine valid
 * UTF-8. Never a silent U+FFFD: a stray invalid byte in a UTF-8 file is an error at its line.
 */
import { isUtf8 } from "node:buffer";
import type Iconv from "iconv-lite";
import { InputError } from "../errors.js";
import { countByte } from "./scan-kernel.js";

export type Encoding = "utf-8" | "utf-8-bom" | "utf-16le" | "utf-16be" | "windows-1252";

/** Encodings the user can name with --encoding. */
export const ENCODING_NAMES: Record<string, Exclude<Encoding, "utf-8-bom">> = {
  "utf-8": "utf-8",
  utf8: "utf-8",
  "utf-16le": "utf-16le",
  "utf-16be": "utf-16be",
  "windows-1252": "windows-1252",
  cp1252: "windows-1252",
  "latin-1": "windows-1252",
  latin1: "windows-1252",
  "iso-8859-1": "windows-1252",
};

/** iconv-lite (half a megabyte of code and tables), loaded for the first file that is not UTF-8 (loadDecoder). */
let iconv: typeof Iconv | null = null;

/** Loads the transcoder a file in this encoding needs (none for UTF-8): before decodeHead and toUtf8 read it. */
export async function loadDecoder(detected: DetectedEncoding): Promise<void> {
  if (iconv === null && detected.encoding !== "utf-8" && detected.encoding !== "utf-8-bom") iconv = (await import("iconv-lite")).default;
}

function transcoder(): typeof Iconv {
  if (iconv === null) throw new Error("internal: loadDecoder was not awaited before a file that is not UTF-8 was decoded");
  return iconv;
}

export interface DetectedEncoding {
  encoding: Encoding;
  /** True when the encoding was inferred from the bytes rather than marked (BOM) or named (--encoding). */
  guessed: boolean;
  /** Bytes to skip at the start (the byte-order mark). */
  skip: number;
}

/** 1-based line and byte column of the first invalid UTF-8 sequence, or null. */
export function firstInvalidUtf8(bytes: Uint8Array, lineOffset = 0): { line: number; column: number } | null {
  let line = 1 + lineOffset;
  let lineStart = 0;
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    if (b === 0x0a) {
      line++;
      lineStart = i + 1;
      i++;
      continue;
    }
    if (b < 0x80) {
      i++;
      continue;
    }
    const length = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0) return { line, column: i - lineStart + 1 };
    if (i + length > bytes.length) return null; // cut at the end of a chunk: not (yet) invalid
    for (let k = 1; k < length; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return { line, column: i - lineStart + 1 };
    i += length;
  }
  return null;
}

function hasMultibyteUtf8(bytes: Uint8Array): boolean {
  for (let i = 0; i + 1 < bytes.length; i++) {
    const b = bytes[i]!;
    if (b >= 0xc2 && b <= 0xf4 && (bytes[i + 1]! & 0xc0) === 0x80) return true;
  }
  return false;
}

/**
 * The encoding of a file from its first bytes: a byte-order mark wins; then valid UTF-8; then, if
 * no valid multi-byte UTF-8 character appears, Windows-1252 (what Nordic Excel writes), marked as
 * guessed. Bytes that are mostly UTF-8 with a stray invalid byte are an error at that line.
 */
export function detectEncoding(head: Uint8Array, file: string, named?: Exclude<Encoding, "utf-8-bom">): DetectedEncoding {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: named === undefined || named === "utf-8" ? "utf-8-bom" : named, guessed: false, skip: named && named !== "utf-8" ? 0 : 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: "utf-16le", guessed: false, skip: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: "utf-16be", guessed: false, skip: 2 };
  if (named) return { encoding: named, guessed: false, skip: 0 };
  const invalid = firstInvalidUtf8(head);
  if (!invalid) return { encoding: "utf-8", guessed: false, skip: 0 };
  if (hasMultibyteUtf8(head)) {
    throw new InputError({ file, line: invalid.line, column: invalid.column }, "has a byte that is not valid UTF-8 in an otherwise UTF-8 file (two exports joined together?)", {
      hint: "fix or remove that line, or name the encoding with --encoding",
    });
  }
  return { encoding: "windows-1252", guessed: true, skip: 0 };
}

function countNewlines(chunk: Uint8Array): number {
  // a chunk of the stream (a megabyte) by the kernel: 0.5 ms a megabyte by indexOf, a line at a time
  if (chunk.length >= 4096) {
    const counted = countByte(chunk, 0x0a);
    if (counted !== null) return counted;
  }
  let count = 0;
  for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) count++;
  return count;
}

/** The length of the UTF-8 sequence a lead byte starts; 1 for ASCII and for a byte that cannot lead one. */
function sequenceLength(lead: number): number {
  return lead >= 0xf5 ? 1 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc2 ? 2 : 1;
}

/**
 * Whether the bytes can begin a valid sequence, byte by byte as the WHATWG decoder checks them (so
 * a cut-off sequence is rejected as soon as TextDecoder would: E0 80 never becomes valid).
 */
function validPrefix(bytes: Uint8Array): boolean {
  const lead = bytes[0]!;
  for (let i = 1; i < bytes.length; i++) {
    const b = bytes[i]!;
    const [low, high] = i > 1 ? [0x80, 0xbf] : lead === 0xe0 ? [0xa0, 0xbf] : lead === 0xed ? [0x80, 0x9f] : lead === 0xf0 ? [0x90, 0xbf] : lead === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
    if (b < low || b > high) return false;
  }
  return true;
}

/** Where a UTF-8 sequence that the chunk's end cuts off begins (the chunk's length when none is). */
function incompleteTail(chunk: Uint8Array, from: number): number {
  for (let i = chunk.length - 1; i >= Math.max(from, chunk.length - 3); i--) {
    const byte = chunk[i]!;
    if ((byte & 0xc0) === 0x80) continue;
    return chunk.length - i < sequenceLength(byte) && validPrefix(chunk.subarray(i)) ? i : chunk.length;
  }
  return chunk.length;
}

/**
 * The bytes of a file as UTF-8 for the CSV engine: UTF-8 is validated as it streams (an invalid
 * byte is an error naming its line), other encodings are transcoded.
 */
export async function* toUtf8(input: AsyncIterable<Buffer>, detected: DetectedEncoding, file: string): AsyncGenerator<Buffer> {
  let skip = detected.skip;
  const chunks = (async function* () {
    for await (const chunk of input) {
      if (skip > 0) {
        const cut = Math.min(skip, chunk.length);
        skip -= cut;
        if (chunk.length > cut) yield chunk.subarray(cut);
      } else yield chunk;
    }
  })();
  if (detected.encoding === "utf-8" || detected.encoding === "utf-8-bom") {
    // validated without decoding (buffer.isUtf8), a sequence split between chunks checked whole;
    // as TextDecoder's streaming mode did, a sequence cut off at the end of the file is not an error
    let tail: Buffer = Buffer.alloc(0);
    const valid = (chunk: Buffer): boolean => {
      let start = 0;
      if (tail.length > 0) {
        const need = sequenceLength(tail[0]!) - tail.length;
        if (chunk.length < need) {
          tail = Buffer.concat([tail, chunk]);
          return validPrefix(tail);
        }
        if (!isUtf8(Buffer.concat([tail, chunk.subarray(0, need)]))) return false;
        start = need;
      }
      const cut = incompleteTail(chunk, start);
      tail = Buffer.from(chunk.subarray(cut));
      return isUtf8(chunk.subarray(start, cut));
    };
    let lines = 0;
    let carry = Buffer.alloc(0);
    for await (const chunk of chunks) {
      if (!valid(chunk)) {
        const joined = Buffer.concat([carry, chunk]);
        const bad = firstInvalidUtf8(joined, lines - countNewlines(carry)) ?? { line: lines + 1, column: 1 };
        throw new InputError({ file, line: bad.line, column: bad.column }, "has a byte that is not valid UTF-8", {
          hint: "if the whole file is in another encoding, name it with --encoding (e.g. windows-1252); otherwise fix that line",
        });
      }
      lines += countNewlines(chunk);
      // keep the last partial line so an error can be placed exactly
      const lastNewline = chunk.lastIndexOf(0x0a);
      carry = lastNewline === -1 ? Buffer.concat([carry, chunk]) : Buffer.from(chunk.subarray(lastNewline + 1));
      if (carry.length > 1 << 20) carry = carry.subarray(carry.length - (1 << 20));
      yield chunk;
    }
    return;
  }
  const name = detected.encoding === "windows-1252" ? "win1252" : detected.encoding;
  await loadDecoder(detected);
  const decoder = transcoder().getDecoder(name);
  for await (const chunk of chunks) {
    const text = decoder.write(chunk);
    if (text) yield Buffer.from(text, "utf8");
  }
  const rest = decoder.end();
  if (rest) yield Buffer.from(rest, "utf8");
}

/** Decodes the first bytes of a file for sniffing (after loadDecoder). */
export function decodeHead(head: Uint8Array, detected: DetectedEncoding): string {
  const body = head.subarray(detected.skip);
  switch (detected.encoding) {
    case "utf-8":
    case "utf-8-bom":
      return Buffer.from(body).toString("utf8");
    case "windows-1252":
      return transcoder().decode(Buffer.from(body), "win1252");
    default:
      return transcoder().decode(Buffer.from(body.subarray(0, body.length - (body.length % 2))), detected.encoding);
  }
}
