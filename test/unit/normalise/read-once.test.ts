import { describe, expect, it } from "vitest";
import { parseScore, readOnce } from "../../../src/normalise/coerce.js";

describe("readOnce", () => {
  it("gives what the reader gives, reading each distinct text once", () => {
    const texts = ["9", "10", "", "NA", "7.5", "9", "x", "10", "", "x", "7.5", "0"];
    let calls = 0;
    const read = readOnce((text: string) => {
      calls++;
      return parseScore(text);
    });
    for (let round = 0; round < 3; round++) for (const text of texts) expect(read(text)).toBe(parseScore(text));
    // null (not answered) and undefined (invalid) results are kept as well as numbers
    expect(calls).toBe(new Set(texts).size);
  });

  it("keeps at most `limit` texts, and stops looking up a column of mostly new texts", () => {
    let calls = 0;
    const read = readOnce((text: string) => {
      calls++;
      return text.length;
    }, 10);
    for (let i = 0; i < 100; i++) expect(read(`id${i}`)).toBe(`id${i}`.length);
    expect(calls).toBe(100);
    // it no longer looks up: a text seen before is read again
    expect(read("id0")).toBe(3);
    expect(calls).toBe(101);
  });

  it("keeps looking up a column that repeats, past `limit` distinct texts", () => {
    let calls = 0;
    const read = readOnce((text: string) => {
      calls++;
      return text;
    }, 4);
    for (let round = 0; round < 10; round++) for (const text of ["a", "b", "c", "d"]) read(text);
    for (const text of ["e", "f", "g"]) read(text);
    calls = 0;
    for (const text of ["a", "b", "c", "d"]) read(text);
    expect(calls).toBe(0);
  });
});
