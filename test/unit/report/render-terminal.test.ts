import { describe, expect, it } from "vitest";
import { Chalk } from "chalk";
import type { TableBlock } from "../../../src/report/document.js";
import { displayWidth, renderTableBlock, renderTerminal, wrapText } from "../../../src/report/render-terminal.js";

const chalk = new Chalk({ level: 0 });
const widest = (lines: string[]) => Math.max(...lines.join("\n").split("\n").map(displayWidth));

const table: TableBlock = {
  kind: "table",
  id: "t",
  columns: [
    { key: "group", label: "group", unit: "text" },
    { key: "n", label: "responses", unit: "count" },
    { key: "revenue", label: "revenue per customer", unit: "money", drop: 1 },
    { key: "share", label: "share of revenue", unit: "share", drop: 2 },
    { key: "nps", label: "NPS", unit: "points" },
    { key: "ci", label: "95% CI", unit: "points", interval: true },
  ],
  rows: [
    ["Oslo", 1234, 10523.4, 0.25, 12.34, { low: 3.1, high: 21.9 }],
    ["København", 88, 8209, 0.5, -4, { low: -14, high: 6 }],
  ],
};

describe("terminal tables", () => {
  it("measure what a terminal shows: escapes take no room, CJK and emoji two", () => {
    expect(displayWidth("\u001b[1mbold\u001b[22m")).toBe(4);
    expect(displayWidth("東京")).toBe(4);
    expect(displayWidth("Malmö")).toBe(5);
    expect(displayWidth("e\u0301")).toBe(1);
  });
  it("wrap text at word boundaries, breaking only words longer than a line", () => {
    expect(wrapText("one two three four", 9)).toEqual(["one two", "three", "four"]);
    expect(wrapText("a verylongwordindeed", 8)).toEqual(["a", "verylong", "wordinde", "ed"]);
    expect(wrapText("- item that wraps", 10, "  ")).toEqual(["- item", "  that", "  wraps"]);
  });
  it("print the whole table when it fits", () => {
    const lines = renderTableBlock(table, 120, chalk);
    expect(lines.join("\n")).toMatch(/│ Oslo +│ +1,234 │ +10,523 │ +25\.0% │ +\+12\.3 │ +\+3\.1 to \+21\.9 │/);
    expect(lines.join("\n")).not.toMatch(/left out/);
  });
  it("fold headers, then drop the highest drop number first, saying so", () => {
    const narrow = renderTableBlock(table, 64, chalk);
    expect(widest(narrow)).toBeLessThanOrEqual(64);
    const text = narrow.join("\n");
    expect(text).toMatch(/│ revenue per │/);
    expect(text).toMatch(/│ +customer │/);
    expect(text).toMatch(/\(share of revenue left out to fit 64 columns/);
    expect(text).toContain("10,523");
    const cut = renderTableBlock(table, 50, chalk).join("\n");
    expect(cut).toMatch(/\(revenue per customer, share of revenue left out/);
    expect(cut).not.toContain("10,523");
  });
  it("fall back to one record per row when even the essential columns do not fit", () => {
    const lines = renderTableBlock(table, 40, chalk);
    expect(widest(lines)).toBeLessThanOrEqual(40);
    expect(lines).toContain("Oslo");
    expect(lines.some((l) => /^ {2}95% CI +\+3\.1 to \+21\.9$/.test(l))).toBe(true);
    expect(lines.some((l) => /^ {2}share of revenue +25\.0%$/.test(l))).toBe(true);
  });
  it("split a table marked split into parts that repeat its first column", () => {
    const wide: TableBlock = {
      kind: "table",
      id: "w",
      split: true,
      columns: [{ key: "d", label: "driver", unit: "text" }, ...Array.from({ length: 8 }, (_, i) => ({ key: `g${i}`, label: `Group number ${i}`, unit: "share" as const, decimals: 0 }))],
      rows: [["service", ...Array.from({ length: 8 }, (_, i) => i / 10)]],
    };
    const lines = renderTableBlock(wide, 60, chalk);
    expect(widest(lines)).toBeLessThanOrEqual(60);
    const text = lines.join("\n");
    expect(text.match(/service/g)!.length).toBeGreaterThan(1);
    for (let i = 0; i < 8; i++) expect(text).toContain(`${i * 10}%`);
  });
  it("make labels from the data harmless", () => {
    const evil: TableBlock = { ...table, rows: [["Oslo\u001b]0;pwned\u0007", 1, 1, 0.1, 1, { low: 0, high: 2 }]] };
    const text = renderTerminal({ title: "t", subtitle: "loyalty 0", headline: [], sections: [{ id: "nps", title: "NPS", blocks: [evil] }] }, { color: false, width: 80 });
    expect(text).not.toMatch(/\u001b/);
    expect(text).toContain("Oslo\\u001b]0;pwned\\u0007");
  });
});
