/**
 * The document as one self-contained HTML file for a board: inline CSS, charts as inline SVG, no
 * script, no font or image from the network (a Content-Security-Policy forbids any), printable
 * (tables and charts do not break across pages). Text from the data is escaped.
 */
import { cellValue, type Block, type Cell, type Column, type ReportDocument, type TableBlock } from "./document.js";
import { alignOf, formatValue } from "./format.js";

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** Control and bidi characters from the data shown as \uXXXX, then escaped. */
const label = (text: string) => escapeHtml(text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`));

const STYLE = `
:root { --ink: #1f2d3d; --muted: #5a6b7b; --rule: #d9e0e7; --band: #f5f7fa; --bad: #c53030; --warn: #b7791f; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); margin: 0 auto; max-width: 1040px; padding: 24px 32px 48px; }
header { border-bottom: 3px solid var(--ink); margin-bottom: 16px; }
h1 { font-size: 26px; margin: 0 0 4px; }
.subtitle { color: var(--muted); margin: 0 0 12px; }
.headline { background: var(--band); border-left: 4px solid #2b6cb0; padding: 12px 16px 12px 32px; margin: 16px 0 24px; font-size: 15px; }
.headline li { margin: 4px 0; font-weight: 600; }
section { margin: 28px 0; }
h2 { font-size: 19px; border-bottom: 1px solid var(--rule); padding-bottom: 4px; margin: 0 0 10px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
p { margin: 6px 0; }
p.strong { font-weight: 600; }
p.note { color: var(--muted); font-size: 12.5px; }
table { border-collapse: collapse; margin: 8px 0 12px; font-variant-numeric: tabular-nums; font-size: 13px; }
caption { text-align: left; font-weight: 600; padding-bottom: 4px; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--rule); vertical-align: top; }
th { text-align: left; border-bottom: 2px solid var(--ink); font-weight: 600; }
th.num, td.num { text-align: right; white-space: nowrap; }
tr.total td { font-weight: 700; border-top: 2px solid var(--ink); }
td.bad { color: var(--bad); font-weight: 600; }
td.warn { color: var(--warn); }
td.muted { color: var(--muted); }
td.strong { font-weight: 700; }
.table-wrap { overflow-x: auto; }
figure { margin: 12px 0 18px; }
figure .charts { display: flex; flex-wrap: wrap; gap: 16px; }
figcaption { font-weight: 600; margin-bottom: 6px; }
figure svg { max-width: 100%; height: auto; }
ul.list { margin: 4px 0 10px; padding-left: 22px; }
section#warnings li { color: var(--warn); }
footer { color: var(--muted); font-size: 12px; border-top: 1px solid var(--rule); margin-top: 32px; padding-top: 8px; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  .headline { break-inside: avoid; }
  table, figure, .table-wrap { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  .table-wrap { overflow: visible; }
}
@page { margin: 16mm; }
`;

function table(block: TableBlock): string {
  const keep = block.columns.map((c, i) => [c, i] as const).filter(([c]) => !c.only || c.only === "people");
  const visible = keep.filter(([c]) => c.unit !== "bar");
  const head = visible.map(([c]) => `<th${alignOf(c) === "right" ? ' class="num"' : ""} scope="col">${label(c.label)}</th>`).join("");
  const rows = block.rows
    .map((row, r) => {
      const total = block.total === true && r === block.rows.length - 1;
      const cells = visible
        .map(([column, i]) => {
          const { value, tone, mark, unit, decimals } = cellValue(row[i] as Cell);
          const own: Column = unit ? { ...column, unit, ...(decimals === undefined ? {} : { decimals }) } : column;
          const classes = [alignOf(column) === "right" ? "num" : "", tone ?? ""].filter(Boolean).join(" ");
          return `<td${classes ? ` class="${classes}"` : ""}>${formatValue(value, own, label)}${label(mark)}</td>`;
        })
        .join("");
      return `<tr${total ? ' class="total"' : ""}>${cells}</tr>`;
    })
    .join("\n");
  return `<div class="table-wrap"><table id="${escapeHtml(block.id)}">${block.title ? `<caption>${label(block.title)}</caption>` : ""}<thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody></table></div>`;
}

function block(b: Block, sectionId: string, chart: (b: Extract<Block, { kind: "chart" }>) => string): string {
  switch (b.kind) {
    case "sentence":
      return `<p${b.strong ? ' class="strong"' : ""}>${label(b.text)}</p>`;
    case "note":
      return `<p class="note">${label(b.text)}</p>`;
    case "subheading":
      return `<h3>${label(b.text)}</h3>`;
    case "list":
      return `${b.title ? `<p>${label(b.title)}</p>` : ""}<ul class="list">${b.items.map((i, k) => `<li>${b.links?.[k] ? `<a href="${escapeHtml(encodeURI(b.links[k]!))}">${label(i)}</a>` : label(i)}</li>`).join("")}</ul>`;
    case "table":
      return table(b);
    case "chart":
      return `<figure class="chart" id="${escapeHtml(`${sectionId}-${b.id}`)}" data-chart="${b.chart.type}"><figcaption>${label(b.title)}</figcaption><div class="charts">${chart(b)}</div></figure>`;
  }
}

export async function renderHtml(document: ReportDocument): Promise<string> {
  const { renderChart } = await import("./charts.js");
  const body = document.sections
    .map((s) => `<section id="${escapeHtml(s.id)}">\n<h2>${label(s.title)}</h2>\n${s.blocks.map((b) => block(b, s.id, (c) => renderChart(c.chart))).join("\n")}\n</section>`)
    .join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="${escapeHtml(document.subtitle.split(",")[0]!)}">
<title>${label(document.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${label(document.title)}</h1>
<p class="subtitle">${label(document.subtitle)}</p>
</header>
${document.headline.length > 0 ? `<ul class="headline">${document.headline.map((h) => `<li>${label(h)}</li>`).join("")}</ul>` : ""}
${body}
<footer>Made by ${escapeHtml(document.subtitle)}. Intervals are 95% confidence intervals; the JSON report (--format json) has every number unrounded.</footer>
</body>
</html>
`;
}
