/**
 * The format-neutral document model. Every section of the report describes itself once, from the
 * Report alone, as blocks: sentences, notes, tables with typed columns, charts. The terminal,
 * Markdown, HTML and CSV renderers render those blocks and nothing else, so a section is one
 * view module (src/report/views/) and no renderer knows what a section contains.
 */

/** How a column's numbers read: the unit decides rounding in tables and in CSV. */
export type Unit =
  | "text"
  /** a whole number of things (customers, responses) */
  | "count"
  /** an amount of money: no decimals in tables, the currency's decimals in CSV */
  | "money"
  /** a change in money, with its sign */
  | "signedMoney"
  /** NPS points, −100…100, with their sign */
  | "points"
  /** a fraction 0…1, shown as a percentage */
  | "share"
  /** a plain number with `decimals` places */
  | "number"
  /** a difference of two fractions, shown in percentage points ("−0.35 pp") */
  | "pp"
  /** a p-value: "<0.001" below 0.001 */
  | "pValue"
  /** a share drawn as a bar: terminal only (HTML has charts, CSV and Markdown the share itself) */
  | "bar";

export interface Column {
  /** The CSV header and a stable name: snake_case. */
  key: string;
  label: string;
  unit: Unit;
  /** Places after the point in tables (defaults per unit). */
  decimals?: number;
  /** The cells are intervals { low, high }. */
  interval?: boolean;
  /**
   * Which columns a narrow terminal drops first: 0 (the default) is never dropped; among the
   * others the highest number goes first.
   */
  drop?: number;
  /** Aligned left (text) or right (numbers); default by unit. */
  align?: "left" | "right";
  /** Only in CSV (a flag a table shows as a mark), or only for people (a bar). */
  only?: "csv" | "people";
}

export interface Interval {
  low: number | null;
  high: number | null;
}

export type Value = string | number | null | Interval;

/** How a renderer may emphasise a cell: red, yellow, dim, bold. */
export type Tone = "bad" | "warn" | "muted" | "strong";

export interface Styled {
  value: Value;
  tone: Tone | null;
  /** A marker people see after the value ("*" for a small sample, explained in a note); CSV leaves it out. */
  mark?: string;
  /** This cell's own unit, where a column mixes them (a slope in money or in percentage points). */
  unit?: Unit;
  decimals?: number;
}

export type Cell = Value | Styled;

export interface TableBlock {
  kind: "table";
  /** Unique in its section; `--section nps.by-group` picks it for CSV. */
  id: string;
  title?: string;
  columns: Column[];
  rows: Cell[][];
  /** The last row is a total (bold in tables). */
  total?: boolean;
  /** Too wide for a terminal: print it in parts of columns, each with the first column, rather than drop columns. */
  split?: boolean;
}

export interface TextBlock {
  /** sentence: a finding; note: how to read what is above it; subheading: a title within the section. */
  kind: "sentence" | "note" | "subheading";
  text: string;
  /** A sentence said first, in bold: the headline of its section. */
  strong?: boolean;
}

export interface ListBlock {
  kind: "list";
  title?: string;
  items: string[];
  /** A relative link per item (a file beside this one), drawn as a link in HTML and Markdown. */
  links?: string[];
}

/** One point with an interval, e.g. a group's NPS. */
export interface IntervalPoint {
  label: string;
  value: number;
  low: number | null;
  high: number | null;
  /** Drawn faded: a small sample. */
  faded?: boolean;
}

export type Chart =
  | {
      /** horizontal dots with interval rules, one per label, with a zero line */
      type: "intervals";
      points: IntervalPoint[];
      axis: string;
      /** Reference line (e.g. the overall NPS). */
      reference?: { value: number; label: string };
    }
  | {
      /** bars per category for one or more measures, each measure its own panel */
      type: "bars";
      categories: string[];
      measures: { label: string; unit: "money" | "share"; values: (number | null)[] }[];
    }
  | {
      /** the importance–performance quadrant: importance share against performance, split lines */
      type: "quadrant";
      points: { label: string; x: number; y: number; quadrant: string }[];
      xLabel: string;
      yLabel: string;
      xCut: number;
      yCut: number;
    }
  | {
      /** groups as points, the fitted line and its 95% confidence band */
      type: "scatter";
      points: { label: string; x: number; y: number }[];
      line: { x: number; y: number; low: number; high: number }[] | null;
      xLabel: string;
      yLabel: string;
    }
  | {
      /** step curves of the share still there, one per series (Kaplan–Meier) */
      type: "survival";
      series: { label: string; steps: { t: number; survival: number }[]; end: number }[];
      xLabel: string;
    }
  | {
      /** a measure over ordered periods with its interval band */
      type: "trend";
      points: IntervalPoint[];
      axis: string;
    };

export interface ChartBlock {
  kind: "chart";
  id: string;
  title: string;
  chart: Chart;
}

export type Block = TableBlock | TextBlock | ListBlock | ChartBlock;

export interface Section {
  /** The section's name in --sections and in CSV: one of build-document.ts's SECTION_IDS. */
  id: string;
  title: string;
  blocks: Block[];
}

export interface ReportDocument {
  title: string;
  /** Tool version and time: "loyalty 0.1.0, 2026-01-01T00:00:00.000Z". */
  subtitle: string;
  /** The sentences a board reads first. */
  headline: string[];
  sections: Section[];
}

/** A cell's value and tone. */
export function cellValue(cell: Cell): { value: Value; tone: Tone | null; mark: string; unit?: Unit; decimals?: number } {
  if (cell !== null && typeof cell === "object" && "tone" in cell) {
    return { value: cell.value, tone: cell.tone, mark: cell.mark ?? "", ...(cell.unit ? { unit: cell.unit } : {}), ...(cell.decimals === undefined ? {} : { decimals: cell.decimals }) };
  }
  return { value: cell, tone: null, mark: "" };
}

/** A number with its own unit in a column of mixed units. */
export function inUnit(value: number | null, unit: Unit, decimals?: number): Cell {
  return { value, tone: null, unit, ...(decimals === undefined ? {} : { decimals }) };
}

export function styled(value: Value, tone: Tone | null | undefined, mark?: string): Cell {
  return tone || mark ? { value, tone: tone ?? null, ...(mark ? { mark } : {}) } : value;
}

/** An interval cell. */
export const interval = (low: number | null, high: number | null): Interval => ({ low, high });

export function isInterval(value: Value): value is Interval {
  return value !== null && typeof value === "object";
}
