/** `loyalty inspect` as tables for people. */
import { Chalk } from "chalk";
import Table from "cli-table3";
import type { InspectedFile } from "../inspect.js";
import { safeLabel } from "./render-terminal.js";

/** Columns listed in the table; the JSON has every one. */
const MAX_ROWS = 200;

export function renderInspection(files: readonly InspectedFile[], options: { color: boolean }): string {
  const chalk = new Chalk({ level: options.color ? 1 : 0 });
  const out: string[] = [];
  for (const file of files) {
    const f = file.format;
    out.push(
      chalk.bold.underline(safeLabel(file.path)),
      `${file.kind} file, ${file.rows.toLocaleString("en-US")} data rows; ` +
        (f.container === "xlsx"
          ? `Excel workbook${f.renamed ? " (named as if it were not)" : ""}, sheet ${JSON.stringify(f.sheet)}`
          : `encoding ${f.encoding}${f.encodingGuessed ? " (guessed)" : ""}, delimiter ${JSON.stringify(f.delimiter)}${f.sepLine ? " (from its sep= line)" : ""}, decimal mark ${JSON.stringify(f.decimal)}`) +
        `, layout ${f.layout}, ${f.headerRows} header row${f.headerRows === 1 ? "" : "s"}`,
    );
    if (file.sheets) {
      out.push(`sheets: ${file.sheets.map((sheet) => `${safeLabel(sheet.name)} (${sheet.rows.toLocaleString("en-US")} rows × ${sheet.columns} columns)${sheet.name === f.sheet ? " ← read" : ""}`).join(", ")}`);
    }
    const table = new Table({
      head: ["column", "type", "role", "blank", "distinct", "range", "examples"].map((h) => chalk.bold(h)),
      style: { head: [], border: [] },
      chars: { mid: "", "left-mid": "", "mid-mid": "", "right-mid": "" },
      colAligns: ["left", "left", "left", "right", "right", "right", "left"],
    });
    // a table of thousands of rows is unreadable (and slow to lay out): the first ones, and a note
    const shown = file.columns.slice(0, MAX_ROWS);
    for (const c of shown) {
      const name = c.label ? `${safeLabel(c.name)}\n${chalk.dim(safeLabel(c.label.length > 50 ? `${c.label.slice(0, 49)}…` : c.label))}` : safeLabel(c.name);
      table.push([
        name,
        c.type,
        c.role ? chalk.green(c.role) : "",
        String(c.blank),
        c.distinct >= 1000 ? "1000+" : String(c.distinct),
        c.min === null ? "" : `${c.min} to ${c.max}`,
        c.examples.map((e) => safeLabel(e.length > 24 ? `${e.slice(0, 23)}…` : e)).join(", "),
      ]);
    }
    out.push(table.toString());
    if (file.columns.length > MAX_ROWS) out.push(`… and ${(file.columns.length - MAX_ROWS).toLocaleString("en-US")} more columns (all of them are in --format json)`);
    for (const c of shown) if (c.words) out.push(`${safeLabel(c.name)}: words read as ${safeLabel(c.words)}`);
    const reasons = shown.filter((c) => c.driver !== null);
    if (reasons.length > 0) {
      out.push(chalk.bold("drivers"));
      for (const c of reasons) out.push(`  ${c.role === "driver" ? chalk.green("✓") : "·"} ${safeLabel(c.name)}: ${c.driver!.replace(/^(a driver|not a driver): /, "")}`);
    }
    for (const note of file.notes) out.push(chalk.yellow(`? ${safeLabel(note)}`));
    out.push("");
  }
  return out.join("\n");
}
