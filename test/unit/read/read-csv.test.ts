import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../../src/errors.js";
import { openCsv, type CsvRecord } from "../../../src/read/read-csv.js";
import { sniffDelimiter } from "../../../src/read/sniff-dialect.js";

const dir = mkdtempSync(join(tmpdir(), "loyalty-read-"));
function write(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}
async function readAll(path: string): Promise<{ header: string[]; records: CsvRecord[]; delimiter: string; encoding: string }> {
  const source = await openCsv(path);
  const records: CsvRecord[] = [];
  for await (const batch of source.records) records.push(...batch);
  return { header: source.header.values, records, delimiter: source.format.delimiter, encoding: source.format.encoding };
}

describe("sniffDelimiter", () => {
  it("finds , ; tab and | and ignores delimiters inside quotes", () => {
    expect(sniffDelimiter("a,b,c\n1,2,3\n")).toBe(",");
    expect(sniffDelimiter("a;b;c\n1,5;2,5;3\n")).toBe(";");
    expect(sniffDelimiter("a\tb\n1\t2\n")).toBe("\t");
    expect(sniffDelimiter("a|b\n1|2\n")).toBe("|");
    expect(sniffDelimiter('"x;y",b\n"1;2",3\n')).toBe(",");
    expect(sniffDelimiter("single\n1\n2\n")).toBe(",");
  });
});

describe("openCsv", () => {
  it("streams records with the physical line each starts on, across quoted newlines, CRLF and blank lines", async () => {
    const path = write("lines.csv", 'id,text\r\n1,"two\r\nlines"\r\n\r\n2,"a ""quoted"", field"\r\n3,plain\r\n');
    const { header, records } = await readAll(path);
    expect(header).toEqual(["id", "text"]);
    expect(records).toEqual([
      { values: ["1", "two\r\nlines"], line: 2 },
      { values: ["2", 'a "quoted", field'], line: 5 },
      { values: ["3", "plain"], line: 6 },
    ]);
  });

  it("gives the same records and batches with the first megabyte in small pieces (firstRead), a quoted line break across every piece's end", async () => {
    // 1.5 MB of records, some with a line break in quotes, so that pieces of 1,000 bytes cut records and quotes
    const rows = Array.from({ length: 40_000 }, (_, i) => `C${i},${i % 5 === 0 ? `"a ""quoted"" line\nbreak ${i}"` : `plain ${i}`},é${i % 7}`);
    const path = write("pieces.csv", `id,text,x\n${rows.join("\n")}\n`);
    const batches = async (firstRead?: number) => {
      const source = await openCsv(path, { firstRead });
      const out: CsvRecord[][] = [];
      for await (const batch of source.records) out.push(batch);
      return out;
    };
    const whole = await batches();
    expect(whole.flat()).toHaveLength(40_000);
    expect(await batches(1000)).toEqual(whole);
    expect(await batches(64 * 1024)).toEqual(whole);
  });

  it("strips a UTF-8 BOM from the first header name, also before a quoted header", async () => {
    const { header, encoding } = await readAll(write("bom.csv", '\uFEFF"customer_id";"nps"\n1;9\n'));
    expect(header).toEqual(["customer_id", "nps"]);
    expect(encoding).toBe("utf-8-bom");
  });

  it("reads UTF-16LE with a BOM (Excel's Unicode text) and keeps non-ASCII names", async () => {
    const text = "region\tnps\nMalmö\t9\nÅrhus\t3\n";
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    const { records, delimiter, encoding } = await readAll(write("u16.txt", bytes));
    expect(encoding).toBe("utf-16le");
    expect(delimiter).toBe("\t");
    expect(records.map((r) => r.values[0])).toEqual(["Malmö", "Århus"]);
  });

  it("accepts a file without a final newline and with CR-only line ends", async () => {
    const { records } = await readAll(write("cr.csv", "a,b\r1,2\r3,4"));
    expect(records).toEqual([
      { values: ["1", "2"], line: 2 },
      { values: ["3", "4"], line: 3 },
    ]);
  });

  it("rejects an unterminated quote at the line where the record starts", async () => {
    const path = write("open-quote.csv", 'a,b\n1,2\n3,"never closed\n4,5\n6,7\n');
    await expect(readAll(path)).rejects.toThrow(InputError);
    await expect(readAll(path)).rejects.toThrow(/^a quoted field/);
    const error = await readAll(path).catch((e: InputError) => e);
    expect((error as InputError).describe()).toMatch(/^open-quote\.csv:3: a quoted field that starts in this record is never closed/);
  });

  it("rejects a bare quote inside an unquoted field, naming the line", async () => {
    const error = await readAll(write("bare.csv", 'a,b\n1,2\n3,ab"c\n')).catch((e: InputError) => e);
    expect((error as InputError).describe()).toMatch(/^bare\.csv:3:2: a quote/);
  });

  it("rejects empty, whitespace-only, binary, ZIP and non-UTF-8 files with clear messages", async () => {
    await expect(openCsv(write("empty.csv", ""))).rejects.toThrow(/the file is empty/);
    await expect(openCsv(write("blank.csv", " \n\n"))).rejects.toThrow(/the file is empty/);
    await expect(openCsv(write("zip.csv", Buffer.from("PK\u0003\u0004rest", "latin1")))).rejects.toThrow(/Excel workbook/);
    await expect(openCsv(write("nul.csv", Buffer.from("a,b\n1,\u00002\n", "latin1")))).rejects.toThrow(/NUL byte/);
    await expect(openCsv(join(dir, "missing.csv"))).rejects.toThrow(/no such file/);
  });

  it("reads Windows-1252 (Swedish Excel) when the bytes are not UTF-8, and says it guessed", async () => {
    // "intäkt" with ä = 0xE4, a no-break space 0xA0 and the euro sign 0x80 (Windows-1252, not Latin-1)
    const latin = Buffer.concat([
      Buffer.from("region;nps;int\xe4kt\r\nMalm\xf6;9;1\xa0234,50\r\n\xc5rhus;3;5 ", "latin1"),
      Buffer.from([0x80]),
      Buffer.from("\r\n", "latin1"),
    ]);
    const path = write("cp1252.csv", latin);
    const source = await openCsv(path);
    const records: CsvRecord[] = [];
    for await (const batch of source.records) records.push(...batch);
    expect(source.format).toMatchObject({ encoding: "windows-1252", encodingGuessed: true, delimiter: ";", decimal: "," });
    expect(source.header.values).toEqual(["region", "nps", "intäkt"]);
    expect(records.map((r) => r.values)).toEqual([
      ["Malmö", "9", "1\u00a0234,50"],
      ["Århus", "3", "5 €"],
    ]);
  });

  it("rejects a stray invalid byte in an otherwise UTF-8 file at its line and column, near the start or far beyond the sniffed part", async () => {
    const early = Buffer.concat([Buffer.from("region,nps\nMalmö,9\nOslo,", "utf8"), Buffer.from([0xe9]), Buffer.from(",7\n")]);
    const error = await readAll(write("stray.csv", early)).catch((e: InputError) => e);
    expect((error as InputError).describe()).toMatch(/^stray\.csv:3:6: has a byte that is not valid UTF-8/);
    const filler = Array.from({ length: 20000 }, (_, i) => `Malmö,${i % 11}`).join("\n");
    const late = Buffer.concat([Buffer.from(`region,nps\n${filler}\nOslo`, "utf8"), Buffer.from([0xff]), Buffer.from(",7\n")]);
    const lateError = await readAll(write("late.csv", late)).catch((e: InputError) => e);
    expect(lateError).toBeInstanceOf(InputError);
    expect((lateError as InputError).describe()).toMatch(/^late\.csv:20002:5: has a byte that is not valid UTF-8/);
  });

  it("skips Excel's sep= hint line, takes its delimiter, and keeps physical line numbers", async () => {
    const { header, records, delimiter } = await readAll(write("sep.csv", "sep=;\r\nregion;nps\r\nOslo;9\r\n"));
    expect(delimiter).toBe(";");
    expect(header).toEqual(["region", "nps"]);
    expect(records).toEqual([{ values: ["Oslo", "9"], line: 3 }]);
  });
});
