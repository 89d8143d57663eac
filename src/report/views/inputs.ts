/** The inputs section: what was read from each file, and which columns play which role. */
import type { Block, Section } from "../document.js";
import { dash, num } from "../format.js";
import type { Report } from "../report.js";

type Input = Report["inputs"]["survey"] | NonNullable<Report["inputs"]["finance"]>;

function describeFormat(input: Input): string {
  const f = input.format;
  if (f.container === "xlsx") return `Excel workbook, sheet ${JSON.stringify(f.sheet)}`;
  if (f.container === "parquet") return "Parquet";
  return `${f.encoding}, delimiter ${JSON.stringify(f.delimiter)}, decimal ${JSON.stringify(f.decimal)}${f.layout === "plain" ? "" : `, ${f.layout} layout`}`;
}

function rowsSentence(name: string, input: Input): string {
  return (
    `${name}: ${input.path} — ${num(input.rowsRead)} rows read = ${num(input.rowsAccepted)} accepted + ${num(input.rowsRejected)} rejected` +
    (input.rowsExcluded > 0 ? ` + ${num(input.rowsExcluded)} excluded` : "") +
    ` (${describeFormat(input)})`
  );
}

const quoted = (name: string | null | undefined) => (name ? `"${name}"` : dash);

export function inputsView(report: Report): Section {
  const { survey, finance } = report.inputs;
  const c = survey.columns;
  const blocks: Block[] = [
    { kind: "sentence", text: rowsSentence("survey", survey) },
    {
      kind: "note",
      text: `score ${quoted(c.score)}, customer ${quoted(c.customerId)}, date ${quoted(c.date)}, group ${quoted(c.group)}, drivers ${c.drivers.length > 0 ? c.drivers.join(", ") : dash}`,
    },
  ];
  if (finance) {
    const f = finance.columns;
    const aggregates = finance.aggregates;
    blocks.push(
      {
        kind: "sentence",
        text: aggregates?.inProcess
          ? `finance: ${finance.path} — reduced in process by DuckDB (--engine duckdb): ${num(finance.rowsRead)} rows read = ${num(finance.rowsAccepted)} accepted + ${num(finance.rowsRejected)} rejected (without a customer id, period or readable revenue) (${describeFormat(finance)})`
          : aggregates
            ? `finance: pre-aggregated by ${aggregates.engine} (loyalty sql), read from ${aggregates.directory} — the finance table's ${num(finance.rowsRead)} rows = ${num(finance.rowsAccepted)} accepted + ${num(finance.rowsRejected)} rejected (without a customer id, period or revenue)`
            : rowsSentence("finance", finance),
      },
      {
        kind: "note",
        text:
          `${f.customerId ? `customer ${quoted(f.customerId)}` : `per group ${quoted(f.group)}, customers ${quoted(f.customers)}`}, revenue ${quoted(f.revenue)}, cost ${quoted(f.cost)}, ` +
          `periods ${finance.firstPeriod ?? dash} to ${finance.lastPeriod ?? dash}`,
      },
    );
  }
  return { id: "inputs", title: "Inputs", blocks };
}
