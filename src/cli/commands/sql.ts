import { Command, Option } from "commander";
import { AGGREGATE_FILES, DIALECTS, type Dialect } from "../../aggregates/definition.js";
import { aggregateQueries } from "../../aggregates/sql.js";
import { surveyRespondents } from "../../pipeline.js";
import { csvCell } from "../../report/render-csv.js";
import type { Io } from "../io.js";
import { columnOptions, readOptions, scaleOptions, surveyOption, type ReadFlags, type ScaleFlags } from "../options.js";
import { scaleFromOptions } from "./analyze.js";

interface SqlOptions {
  dialect: Dialect;
  financeTable: string;
  respondentsTable: string;
  financeCustomerId: string;
  periodColumn: string;
  revenue: string;
  cost?: string;
  financeGroup?: string;
  churnColumn?: string;
  query?: (typeof AGGREGATE_FILES)[number]["name"];
}

/** `loyalty sql`: the SQL that reduces a finance table to the aggregates of --finance-aggregates. */
export function sqlCommand(io: Io): Command {
  return new Command("sql")
    .description("print the SQL that reduces a finance table in a database or warehouse to the aggregates --finance-aggregates reads (customers, coverage, summary)")
    .addOption(new Option("--dialect <dialect>", "the engine's SQL dialect").choices(DIALECTS).makeOptionMandatory())
    .addOption(new Option("--finance-table <name>", "the finance table, as written in SQL (schema.table, project.dataset.table…)").makeOptionMandatory())
    .addOption(new Option("--respondents-table <name>", "the table of the survey's respondents: one column, customer_id (loyalty respondents writes it)").default("respondents"))
    .addOption(new Option("--finance-customer-id <column>", "the finance table's customer id column").default("customer_id").helpGroup("Finance table columns:"))
    .addOption(new Option("--period-column <column>", "its period column: a DATE or TIMESTAMP, or text that starts YYYY-MM (or YYYY-Qn, YYYY)").default("period").helpGroup("Finance table columns:"))
    .addOption(new Option("--revenue <column>", "its revenue column").default("revenue").helpGroup("Finance table columns:"))
    .addOption(new Option("--cost <column>", "its cost column (default: none, so no margin)").helpGroup("Finance table columns:"))
    .addOption(new Option("--finance-group <column>", "its customer group column, for the coverage per group (default: none)").helpGroup("Finance table columns:"))
    .addOption(new Option("--churn-column <column>", "its churn flag column (1/0, yes/no, Churned/Stayed…; default: none)").helpGroup("Finance table columns:"))
    .addOption(new Option("--query <name>", "print only this query (to run it alone and save its result as NAME.csv)").choices(AGGREGATE_FILES.map((f) => f.name)))
    .action((options: SqlOptions) => {
      const queries = aggregateQueries(options.dialect, {
        financeTable: options.financeTable,
        respondentsTable: options.respondentsTable,
        customerId: options.financeCustomerId,
        period: options.periodColumn,
        revenue: options.revenue,
        cost: options.cost,
        group: options.financeGroup,
        churn: options.churnColumn,
      });
      if (options.query) {
        io.stdout(`${queries.find((q) => q.name === options.query)!.sql}\n`);
        return;
      }
      const blocks = queries.map((q) => {
        const file = AGGREGATE_FILES.find((f) => f.name === q.name)!;
        return `-- ${q.name}.csv: ${file.meaning}\n${q.sql}\n`;
      });
      io.stdout(
        `-- loyalty sql --dialect ${options.dialect}: the finance aggregates of ${options.financeTable} for loyalty analyze --finance-aggregates DIR.\n` +
          `-- Save each query's result, with its header row, as the CSV file named above it, in DIR.\n\n${blocks.join("\n")}`,
      );
    });
}

interface RespondentsOptions extends ReadFlags, ScaleFlags {
  survey: string;
  customerId?: string;
  score?: string;
  date?: string;
  output?: string;
  quiet?: boolean;
}

/** `loyalty respondents`: the survey's respondents' ids, the respondents table of loyalty sql. */
export function respondentsCommand(io: Io): Command {
  const command = new Command("respondents")
    .description("write the ids of the survey's respondents (each customer whose latest response has a score, once): the respondents table of loyalty sql")
    .addOption(surveyOption().makeOptionMandatory())
    .addOption(new Option("-o, --output <file>", "write the ids to this CSV file (default: standard output)"))
    .addOption(new Option("-q, --quiet", "print nothing on standard error"));
  for (const option of [...columnOptions().filter((o) => ["--customer-id", "--score", "--date"].includes(o.long!)), ...scaleOptions().filter((o) => ["--scale", "--score-map"].includes(o.long!)), ...readOptions()]) command.addOption(option);
  return command.action(async (options: RespondentsOptions) => {
    const { ids, file } = await surveyRespondents({
      survey: options.survey,
      scale: scaleFromOptions(options),
      words: { score: options.scoreMap },
      // the score decides who is a respondent; no driver is read
      surveyColumns: { customerId: options.customerId, score: options.score, date: options.date, drivers: [] },
      read: { encoding: options.encoding, delimiter: options.delimiter, decimal: options.decimal, layout: options.layout, sheet: options.sheet, csvEngine: options.csvEngine },
      dateFormat: options.dateFormat,
      stdin: io.stdin,
    });
    const text = `customer_id\n${ids.map((id) => `${csvCell(id)}\n`).join("")}`;
    if (options.output) {
      await io.writeFile(options.output, text);
      if (!options.quiet) io.stderr(`loyalty: wrote ${options.output} (${ids.length.toLocaleString("en-US")} respondents of ${file})\n`);
    } else io.stdout(text);
  });
}
