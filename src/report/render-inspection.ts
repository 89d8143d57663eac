/** `loyalty inspect` for people: per file a sentence, the column table and the notes, fitted to the width like the report. */
import { Chalk } from "chalk";
import { styled, type Cell, type TableBlock } from "./document.js";
import type { InspectedFile } from "../inspect.js";
import { renderTableBlock, safeLabel, wrapText } from "./render-terminal.js";

/** Columns listed in the table; the JSON has every one. */
const MAX_ROWS = 200;

const shorten = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export function renderInspection(files: readonly InspectedFile[], options: { color: boolean; width?: number }): string {
  const chalk = new Chalk({ level: options.color ? 1 : 0 });
  const width = Math.max(40, options.width ?? 80);
  const out: string[] = [];
  const say = (text: string, indent = "") => out.push(...wrapText(safeLabel(text), width, indent));
  for (const file of files) {
    const f = file.format;
    out.push(...wrapText(safeLabel(file.path), width).map((l) => chalk.bold.underline(l)));
    say(
      `${file.kind} file, ${file.rows.toLocaleString("en-US")} data rows; ` +
        (f.container === "xlsx"
          ? `Excel workbook${f.renamed ? " (named as if it were not)" : ""}, sheet ${JSON.stringify(f.sheet)}`
          : `encoding ${f.encoding}${f.encodingGuessed ? " (guessed)" : ""}, delimiter ${JSON.stringify(f.delimiter)}${f.sepLine ? " (from its sep= line)" : ""}, decimal mark ${JSON.stringify(f.decimal)}`) +
        `, layout ${f.layout}, ${f.headerRows} header row${f.headerRows === 1 ? "" : "s"}`,
    );
    if (file.sheets) {
      say(`sheets: ${file.sheets.map((sheet) => `${sheet.name} (${sheet.rows.toLocaleString("en-US")} rows × ${sheet.columns} columns)${sheet.name === f.sheet ? " ← read" : ""}`).join(", ")}`);
    }
    // a table of thousands of rows is unreadable (and slow to lay out): the first ones, and a note
    const shown = file.columns.slice(0, MAX_ROWS);
    const table: TableBlock = {
      kind: "table",
      id: "columns",
      columns: [
        { key: "column", label: "column", unit: "text" },
        { key: "type", label: "type", unit: "text", drop: 2 },
        { key: "role", label: "role", unit: "text" },
        { key: "blank", label: "blank", unit: "count", drop: 3 },
        { key: "distinct", label: "distinct", unit: "text", align: "right", drop: 3 },
        { key: "range", label: "range", unit: "text", align: "right", drop: 4 },
        { key: "examples", label: "examples", unit: "text", drop: 5 },
      ],
      rows: shown.map((c): Cell[] => [
        c.label ? `${c.name}\n${shorten(c.label, 28)}` : c.name,
        c.type,
        styled(c.role ?? "", c.role ? "strong" : null),
        c.blank,
        c.distinct >= 1000 ? "1000+" : String(c.distinct),
        c.min === null ? "" : `${c.min} to ${c.max}`,
        c.examples.map((e) => shorten(e, 24)).join(", "),
      ]),
    };
    out.push(...renderTableBlock(table, width, chalk));
    if (file.columns.length > MAX_ROWS) say(`… and ${(file.columns.length - MAX_ROWS).toLocaleString("en-US")} more columns (all of them are in --format json)`);
    for (const c of shown) if (c.words) say(`${c.name}: words read as ${c.words}`);
    const reasons = shown.filter((c) => c.driver !== null);
    if (reasons.length > 0) {
      out.push(chalk.bold("drivers"));
      for (const c of reasons) say(`  ${c.role === "driver" ? "✓" : "·"} ${c.name}: ${c.driver!.replace(/^(a driver|not a driver): /, "")}`, "    ");
    }
    for (const note of file.notes) out.push(...wrapText(`? ${safeLabel(note)}`, width, "  ").map((l) => chalk.yellow(l)));
    out.push("");
  }
  return out.join("\n");
}
