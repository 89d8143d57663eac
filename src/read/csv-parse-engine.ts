/**
 * The csv-parse engine behind `CsvEngine`: strict RFC 4180 quoting, any line ending, BOM
 * stripped, empty lines skipped (but counted, so line numbers stay physical).
 * A record starts on the line after the previous record's end; it ends after the line breaks
 * inside its quoted fields. An empty line comes out of csv-parse as a record of one empty field
 * and is skipped here, one line further. csv-parse's `info` is not used: its `lines` counts a CRLF
 * inside a quoted field as two lines, and copying it for every record took a quarter of the
 * time of a large file.
 */
import type { Readable } from "node:stream";
import { CsvError, parse } from "csv-parse";
import { InputError } from "../errors.js";
import type { CsvEngine, CsvEngineOptions, CsvRecord } from "./read-csv.js";

const BATCH = 2048;

/** Physical line breaks inside a field: CRLF, LF and lone CR each count once. */
function lineBreaks(value: string): number {
  if (value.indexOf("\n") === -1 && value.indexOf("\r") === -1) return 0;
  let count = 0;
  for (let i = 0; i < value.length; i++) {
    const char = value.charCodeAt(i);
    if (char === 10) count++;
    else if (char === 13) {
      count++;
      if (value.charCodeAt(i + 1) === 10) i++;
    }
  }
  return count;
}

function toInputError(error: CsvError, file: string, recordStart: number): InputError {
  const { lines: line, index } = error as unknown as { lines?: number; index?: number };
  // csv-parse's `index` is the 0-based field within the record
  const column = typeof index === "number" ? index + 1 : undefined;
  switch (error.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return new InputError({ file, line: recordStart }, "a quoted field that starts in this record is never closed", {
        hint: 'check for a missing closing quote ("); a quote inside a field must be doubled ("")',
      });
    case "INVALID_OPENING_QUOTE":
      return new InputError({ file, line, column }, 'a quote (") appears inside a field that is not quoted', {
        hint: 'quote the whole field and double the inner quote (""), or remove it',
      });
    case "CSV_INVALID_CLOSING_QUOTE":
      return new InputError({ file, line, column }, "a quoted field is followed by text before the next delimiter", {
        hint: 'a quote inside a quoted field must be doubled ("")',
      });
    default:
      return new InputError({ file, line }, `cannot be parsed as CSV: ${error.message}`, { cause: error });
  }
}

export const csvParseEngine: CsvEngine = (input: Readable, options: CsvEngineOptions) => ({
  async *[Symbol.asyncIterator](): AsyncGenerator<CsvRecord[]> {
    const parser = input.pipe(
      parse({
        bom: true,
        delimiter: options.delimiter,
        record_delimiter: ["\r\n", "\n", "\r"],
        relax_column_count: true,
      }),
    );
    input.on("error", (error) => parser.destroy(error));
    let previousEnd = 0;
    let batch: CsvRecord[] = [];
    try {
      for await (const record of parser as AsyncIterable<string[]>) {
        const line = previousEnd + 1;
        if (record.length === 1 && record[0] === "") {
          // an empty line
          previousEnd = line;
          continue;
        }
        let end = line;
        for (const value of record) end += lineBreaks(value);
        previousEnd = end;
        for (let column = 0; column < record.length; column++) {
          if (record[column]!.includes("\u0000")) {
            throw new InputError({ file: options.file, line, column: column + 1 }, "contains a NUL byte, so this is not a text file", {
              hint: "export it again as CSV UTF-8",
            });
          }
        }
        batch.push({ values: record, line });
        if (batch.length >= BATCH) {
          yield batch;
          batch = [];
        }
      }
    } catch (error) {
      if (error instanceof CsvError) throw toInputError(error, options.file, previousEnd + 1);
      throw error;
    }
    if (batch.length > 0) yield batch;
  },
});
