/**
 * The document for a terminal: headings, wrapped sentences and cli-table3 tables that fit the
 * width. A table too wide first folds its headers onto two lines, then drops its lower-priority
 * columns (saying which), then wraps its text columns, and last turns into one record per row.
 * Labels from the data are made visible (no escape can move the cursor); colour is passed in.
 */
import { Chalk, type ChalkInstance } from "chalk";
import Table from "cli-table3";
import { cellValue, type Block, type Cell, type Column, type ReportDocument, type TableBlock, type Tone } from "./document.js";
import { alignOf, formatValue } from "./format.js";

export interface TerminalOptions {
  color: boolean;
  /** Columns available; 80 when unknown. */
  width: number;
}

/** Escapes terminal control characters (ANSI/OSC escapes, BEL, bidi overrides) in data labels. */
export function safeLabel(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** safeLabel per line: a cell may hold a line break on purpose (a column name over its question). */
const safeLines = (text: string) => text.split("\n").map(safeLabel).join("\n");

const ANSI = /\u001b\[[0-9;]*m/g;
const WIDE = /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|\p{Extended_Pictographic}/u;
const ZERO = /[\p{Mn}\p{Me}\u200b-\u200d\ufe0f]/u;

/** Columns a string takes in a terminal: escapes take none, East Asian wide characters and emoji two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text.replace(ANSI, "")) {
    if (ZERO.test(char)) continue;
    width += WIDE.test(char) ? 2 : 1;
  }
  return width;
}

/** Word-wraps plain text to `width` columns; a word longer than a line is broken. */
export function wrapText(text: string, width: number, indent = ""): string[] {
  const room = Math.max(8, width - displayWidth(indent));
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (let word of paragraph.split(/ +/)) {
      while (displayWidth(word) > room) {
        if (line) {
          lines.push(line);
          line = "";
        }
        let head = "";
        for (const char of word) {
          if (displayWidth(head + char) > room) break;
          head += char;
        }
        lines.push(head);
        word = word.slice(head.length);
      }
      if (!line) line = word;
      else if (displayWidth(`${line} ${word}`) <= room) line += ` ${word}`;
      else {
        lines.push(line);
        line = word;
      }
    }
    lines.push(line);
  }
  return lines.map((l, i) => (i === 0 ? l : indent + l));
}

function paint(chalk: ChalkInstance, tone: Tone | null, text: string): string {
  if (!tone || text === "") return text;
  return tone === "bad" ? chalk.red(text) : tone === "warn" ? chalk.yellow(text) : tone === "muted" ? chalk.dim(text) : chalk.bold(text);
}

interface Prepared {
  columns: Column[];
  /** Plain text per cell, for measuring. */
  plain: string[][];
  /** Coloured text per cell. */
  painted: string[][];
}

function prepare(table: TableBlock, chalk: ChalkInstance): Prepared {
  const keep = table.columns.map((c, i) => [c, i] as const).filter(([c]) => c.only !== "csv");
  const plain: string[][] = [];
  const painted: string[][] = [];
  table.rows.forEach((row, r) => {
    const isTotal = table.total === true && r === table.rows.length - 1;
    const p: string[] = [];
    const c: string[] = [];
    for (const [column, i] of keep) {
      const { value, tone, mark, unit, decimals } = cellValue(row[i] as Cell);
      const own: Column = unit ? { ...column, unit, ...(decimals === undefined ? {} : { decimals }) } : column;
      // a total row leaves the cells that do not add up blank
      const text = isTotal && value === null ? "" : formatValue(value, own, safeLines) + mark;
      p.push(text);
      c.push(paint(chalk, isTotal ? "strong" : tone, text));
    }
    plain.push(p);
    painted.push(c);
  });
  return { columns: keep.map(([c]) => c), plain, painted };
}

/** A header folded at word boundaries to `width` columns where it can be. */
function foldHeader(label: string, width: number): string {
  const text = safeLabel(label);
  // as narrow as the content or the longest word allows, in at most two lines ("revenue per" over "customer")
  let room = Math.max(width, ...text.split(" ").map(displayWidth));
  while (wrapText(text, room).length > 2) room += 1;
  return wrapText(text, room).join("\n");
}

const lineWidth = (block: string) => Math.max(0, ...block.split("\n").map(displayWidth));

function contentWidth(prepared: Prepared, index: number): number {
  return Math.max(1, ...prepared.plain.map((row) => lineWidth(row[index]!)));
}

/** The table laid out with the given columns, or null when it cannot fit `width`. */
function layout(prepared: Prepared, indices: number[], width: number, chalk: ChalkInstance, mode: "plain" | "folded" | "wrapped"): string | null {
  const headers = indices.map((i) => {
    const label = safeLabel(prepared.columns[i]!.label);
    return mode === "plain" ? label : foldHeader(label, contentWidth(prepared, i));
  });
  const widths = indices.map((i, k) => Math.max(contentWidth(prepared, i), lineWidth(headers[k]!)));
  const frame = indices.length + 1 + indices.length * 2;
  let wrap = false;
  if (frame + widths.reduce((a, b) => a + b, 0) > width) {
    if (mode !== "wrapped") return null;
    // narrow the widest text columns, down to 12 columns each, until the table fits
    const texts = indices.map((i, k) => [k, prepared.columns[i]!] as const).filter(([, c]) => c.unit === "text");
    let excess = frame + widths.reduce((a, b) => a + b, 0) - width;
    for (const [k] of [...texts].sort((a, b) => widths[b[0]]! - widths[a[0]]!)) {
      const floor = Math.max(12, lineWidth(headers[k]!));
      const cut = Math.min(excess, widths[k]! - floor);
      if (cut > 0) {
        widths[k]! -= cut;
        excess -= cut;
      }
    }
    if (excess > 0) return null;
    wrap = true;
  }
  const table = new Table({
    head: headers.map((h) => chalk.bold(h)),
    style: { head: [], border: [] },
    chars: { mid: "", "left-mid": "", "mid-mid": "", "right-mid": "" },
    colAligns: indices.map((i) => alignOf(prepared.columns[i]!)),
    colWidths: widths.map((w) => w + 2),
    ...(wrap ? { wordWrap: true, wrapOnWordBoundary: true } : {}),
  });
  for (const row of prepared.painted) table.push(indices.map((i) => row[i]!));
  const text = table.toString();
  return lineWidth(text) <= width ? text : null;
}

/** One record per row: the first column as its title, then "label  value" lines. */
function records(prepared: Prepared, width: number, chalk: ChalkInstance): string[] {
  const labels = prepared.columns.map((c) => safeLabel(c.label));
  const keyWidth = Math.min(Math.max(...labels.slice(1).map(displayWidth)), Math.floor(width / 2));
  const out: string[] = [];
  prepared.plain.forEach((row, r) => {
    out.push(...wrapText(row[0]!, width).map((l, i) => (i === 0 ? chalk.bold(l) : l)));
    for (let i = 1; i < row.length; i++) {
      const key = labels[i]!.padEnd(keyWidth + (labels[i]!.length - displayWidth(labels[i]!)));
      const indent = " ".repeat(2 + keyWidth + 2);
      const lines = wrapText(row[i]!.replace(/\n/g, " "), width, indent);
      // a value on one line keeps its colour; a wrapped one is plain
      out.push(`  ${key}  ${lines.length === 1 ? prepared.painted[r]![i]! : lines[0]!}`, ...lines.slice(1));
    }
  });
  return out;
}

export function renderTableBlock(table: TableBlock, width: number, chalk: ChalkInstance): string[] {
  const prepared = prepare(table, chalk);
  const all = prepared.columns.map((_, i) => i);
  const out: string[] = [];
  if (table.title) out.push(...wrapText(safeLabel(table.title), width).map((l) => chalk.bold(l)));
  for (const mode of ["plain", "folded"] as const) {
    const text = layout(prepared, all, width, chalk, mode);
    if (text) return [...out, text];
  }
  if (table.split) {
    const chunks = splitColumns(prepared, width, chalk);
    if (chunks) return [...out, ...chunks];
  }
  // drop the lower-priority columns, highest drop number first, until it fits
  const droppable = all.filter((i) => (prepared.columns[i]!.drop ?? 0) > 0).sort((a, b) => (prepared.columns[b]!.drop ?? 0) - (prepared.columns[a]!.drop ?? 0) || b - a);
  const kept = new Set(all);
  const dropped: number[] = [];
  for (const i of droppable) {
    kept.delete(i);
    dropped.push(i);
    const indices = all.filter((k) => kept.has(k));
    const text = layout(prepared, indices, width, chalk, "folded");
    if (text) return [...out, text, ...droppedNote(prepared, dropped, width, chalk)];
  }
  const essential = all.filter((k) => kept.has(k));
  const wrapped = layout(prepared, essential, width, chalk, "wrapped");
  if (wrapped) return [...out, wrapped, ...droppedNote(prepared, dropped, width, chalk)];
  return [...out, ...records(prepared, width, chalk)];
}

/** The table in parts of as many columns as fit, each repeating the first column (as R prints a wide matrix). */
function splitColumns(prepared: Prepared, width: number, chalk: ChalkInstance): string[] | null {
  const rest = prepared.columns.map((_, i) => i).slice(1);
  const parts: string[] = [];
  let start = 0;
  while (start < rest.length) {
    let end = start + 1;
    let best = layout(prepared, [0, rest[start]!], width, chalk, "folded");
    if (!best) return null;
    while (end < rest.length) {
      const next = layout(prepared, [0, ...rest.slice(start, end + 1)], width, chalk, "folded");
      if (!next) break;
      best = next;
      end += 1;
    }
    parts.push(best);
    start = end;
  }
  return parts;
}

function droppedNote(prepared: Prepared, dropped: number[], width: number, chalk: ChalkInstance): string[] {
  if (dropped.length === 0) return [];
  const names = dropped.sort((a, b) => a - b).map((i) => safeLabel(prepared.columns[i]!.label.replace(/\n/g, " ")));
  return wrapText(`(${names.join(", ")} left out to fit ${width} columns; a wider terminal or --format json/csv has them)`, width).map((l) => chalk.dim(l));
}

function renderBlock(block: Block, width: number, chalk: ChalkInstance): string[] {
  switch (block.kind) {
    case "sentence": {
      const lines = wrapText(safeLabel(block.text), width);
      return block.strong ? lines.map((l) => chalk.bold(l)) : lines;
    }
    case "note":
      return wrapText(safeLabel(block.text), width);
    case "subheading":
      return ["", ...wrapText(safeLabel(block.text), width).map((l) => chalk.bold(l))];
    case "list":
      return [
        ...(block.title ? wrapText(safeLabel(block.title), width).map((l) => chalk.bold(l)) : []),
        ...block.items.flatMap((item) => wrapText(`- ${safeLabel(item)}`, width, "  ")),
      ];
    case "table":
      return renderTableBlock(block, width, chalk);
    case "chart":
      // charts are drawn in HTML; the table beside each chart carries the same numbers
      return [];
  }
}

export function renderTerminal(document: ReportDocument, options: TerminalOptions): string {
  const chalk = new Chalk({ level: options.color ? 1 : 0 });
  const width = Math.max(40, options.width);
  const out: string[] = [chalk.bold(safeLabel(document.subtitle.split(",")[0]!))];
  for (const section of document.sections) {
    out.push("", ...wrapText(safeLabel(section.title), width).map((l) => chalk.bold.underline(l)));
    for (const block of section.blocks) out.push(...renderBlock(block, width, chalk));
  }
  return `${out.join("\n")}\n`;
}
