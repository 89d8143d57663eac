/**
 * The document as GitHub-flavoured Markdown, readable as a CI job summary
 * (`loyalty analyze … --format markdown >> "$GITHUB_STEP_SUMMARY"`): the headline first, then one
 * `##` heading per section with pipe tables. Text from the data is escaped so that a group called
 * `*bold*` or `a|b` stays text and cannot break a table or inject HTML.
 */
import { cellValue, type Block, type Cell, type Column, type ReportDocument, type TableBlock } from "./document.js";
import { alignOf, formatValue } from "./format.js";

/** Escapes Markdown and inline HTML; control characters are shown as \uXXXX. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
    .replace(/[\\`*{}[\]<>|#~!]|(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, (c) => `\\${c}`)
    .replace(/&/g, "&amp;");
}

function table(block: TableBlock): string[] {
  const keep = block.columns.map((c, i) => [c, i] as const).filter(([c]) => !c.only);
  const lines: string[] = [];
  if (block.title) lines.push(`**${escapeMarkdown(block.title)}**`, "");
  lines.push(`| ${keep.map(([c]) => escapeMarkdown(c.label)).join(" | ")} |`);
  lines.push(`| ${keep.map(([c]) => (alignOf(c) === "right" ? "---:" : ":---")).join(" | ")} |`);
  block.rows.forEach((row, r) => {
    const total = block.total === true && r === block.rows.length - 1;
    const cells = keep.map(([column, i]) => {
      const { value, mark, unit, decimals } = cellValue(row[i] as Cell);
      const own: Column = unit ? { ...column, unit, ...(decimals === undefined ? {} : { decimals }) } : column;
      const text = formatValue(value, own, escapeMarkdown) + escapeMarkdown(mark);
      return total && text !== "" ? `**${text}**` : text;
    });
    lines.push(`| ${cells.join(" | ")} |`);
  });
  return lines;
}

function block(b: Block): string[] {
  switch (b.kind) {
    case "sentence":
      return [b.strong ? `**${escapeMarkdown(b.text)}**` : escapeMarkdown(b.text)];
    case "note":
      return [`_${escapeMarkdown(b.text)}_`];
    case "subheading":
      return [`### ${escapeMarkdown(b.text)}`];
    case "list":
      return [...(b.title ? [escapeMarkdown(b.title), ""] : []), ...b.items.map((item, k) => (b.links?.[k] ? `- [${escapeMarkdown(item)}](<${encodeURI(b.links[k]!)}>)` : `- ${escapeMarkdown(item)}`))];
    case "table":
      return table(b);
    case "chart":
      // a chart needs HTML; its numbers are in the section's table
      return [];
  }
}

export function renderMarkdown(document: ReportDocument): string {
  const out: string[] = [`# ${escapeMarkdown(document.title)}`, "", `_${escapeMarkdown(document.subtitle)}_`, ""];
  if (document.headline.length > 0) {
    for (const line of document.headline) out.push(`- **${escapeMarkdown(line)}**`);
    out.push("");
  }
  for (const section of document.sections) {
    out.push(`## ${escapeMarkdown(section.title)}`, "");
    for (const b of section.blocks) {
      const lines = block(b);
      if (lines.length > 0) out.push(...lines, "");
    }
  }
  return `${out.join("\n").replace(/\n+$/, "")}\n`;
}
