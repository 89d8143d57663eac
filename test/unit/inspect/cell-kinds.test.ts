// inspect counts every cell's kind (number, date, period, text) whether a text is parsed or
// remembered (a repeated value, a column of few values, a cell equal to the one before it).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { inspectFile } from "../../../src/inspect.js";

describe("inspect's column types on repeated values", () => {
  it("counts each cell, remembered or not: a late text in a number column, dates, periods, more distinct texts than it remembers", async () => {
    const rows = ["id,amount,when,period,mixed"];
    for (let i = 0; i < 6000; i++) {
      // runs of the same id (as a customer's rows), amounts of few values, then one text among them
      const amount = i === 5990 ? "n/a?" : String((i % 7) * 10);
      const mixed = i % 3 === 0 ? "2025-03" : i % 3 === 1 ? "2025-04-01" : `x${i}`;
      rows.push(`C${Math.floor(i / 4)},${amount},2025-0${1 + (i % 9)}-15,2025-${String(1 + (i % 12)).padStart(2, "0")},${mixed}`);
    }
    const folder = mkdtempSync(join(tmpdir(), "loyalty-inspect-"));
    const path = join(folder, "kinds.csv");
    writeFileSync(path, `${rows.join("\n")}\n`);
    const file = await inspectFile(path);
    const column = (name: string) => file.columns.find((c) => c.name === name)!;
    expect(file.rows).toBe(6000);
    expect(column("id").type).toBe("text");
    expect(column("amount").type).toBe("text");
    expect(file.notes.some((n) => n.includes('column "amount": 1 of 6000 values are not numbers'))).toBe(true);
    expect(column("amount").max).toBe(60);
    expect(column("when").type).toBe("date");
    expect(column("period").type).toBe("period");
    expect(column("mixed").type).toBe("text");
  });
});
