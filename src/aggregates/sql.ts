/**
 * The SQL that reduces a finance table to the aggregates of definition.ts, in each dialect: three
 * SELECT statements (customers, coverage, summary) over the finance table and a respondents table
 * (one column, customer_id: `loyalty respondents` writes it). Each groups once, per customer: the
 * respondents' rows for customers.csv (an entry per row in its periods), every row for coverage.csv
 * and summary.csv (a per-customer pass that an engine may keep and share: perCustomerQuery).
 * Pure: it only writes text.
 *
 * What the dialects differ in, and nothing else: the text type, identifier quoting, string
 * literals, ordered string aggregation and the value on the latest row. Everything else is SQL
 * they all take: CTEs, CASE, CAST, SUBSTRING(x, 1, 7), CONCAT, COALESCE, NULLIF, TRIM,
 * COUNT(DISTINCT), LEFT JOIN, IN.
 *
 * The period is the first seven characters of the period column as text: a DATE or TIMESTAMP
 * (as text YYYY-MM-DD…) or a text column of YYYY-MM, YYYY-MM-DD, YYYY-Qn or YYYY values gives
 * the month (or the quarter, or the year), which loyalty reads as it reads a finance file's
 * periods. Money is summed in the column's own type: DECIMAL / NUMERIC sums are exact in every
 * engine (a DOUBLE's sum can differ in the last bits from run to run on a parallel engine).
 */
import { AGGREGATE_FILES, type Dialect } from "./definition.js";

const unreadCustomerColumns = AGGREGATE_FILES.find((f) => f.name === "customers")!.columns.filter((c) => c.unread).map((c) => c.name);

export interface SqlColumns {
  /** The finance table, as written in SQL (it may be qualified: schema.table, project.dataset.table). */
  financeTable: string;
  /** The respondents table, as written in SQL. */
  respondentsTable: string;
  customerId: string;
  period: string;
  revenue: string;
  cost?: string | undefined;
  group?: string | undefined;
  churn?: string | undefined;
}

export interface AggregateQuery {
  name: "customers" | "coverage" | "summary";
  sql: string;
}

interface Flavour {
  text: string;
  /** A floating type, for the cost column's NULL without a cost column (a bare NULL has no type to sum). */
  number: string;
  quote(identifier: string): string;
  literal(value: string): string;
  /** Ordered aggregation of `value` (a text) with a space between, ordered by `key`. */
  listagg(value: string, key: string): string;
  /**
   * An aggregate: `value` on the row with the greatest `key` (keys are distinct within a group);
   * `skipNulls`: on the row with the greatest key among those whose value is not null.
   */
  latest(value: string, key: string, skipNulls: boolean): string;
  /** A sum of money as text. */
  amountText?(value: string): string;
}

const doubleQuoted = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;
const singleQuoted = (value: string) => `'${value.replace(/'/g, "''")}'`;
const backticked = (identifier: string) => `\`${identifier.replace(/`/g, "\\`")}\``;
const SIMPLE = /^[A-Za-z_][A-Za-z0-9_]*$/;

const FLAVOURS: Record<Dialect, Flavour> = {
  // DuckDB: an ordered aggregate keeps a sort per group (a million customers: out of memory); a list sorted afterwards does not. Each value starts with its period
  duckdb: {
    text: "VARCHAR",
    number: "DOUBLE",
    quote: doubleQuoted,
    literal: singleQuoted,
    listagg: (v) => `ARRAY_TO_STRING(LIST_SORT(LIST(${v})), ' ')`,
    latest: (v, k, skip) => (skip ? `ARG_MAX(${v}, ${k}) FILTER (WHERE ${v} IS NOT NULL)` : `ARG_MAX_NULL(${v}, ${k})`),
    // as a DOUBLE's shortest text (DuckDB writes the shortest that reads back): a DECIMAL(38,10) sum
    // written out whole is twice as long, and its aggregation into the list took 3.7 s of 6 on the medium file
    amountText: (v) => `CAST(CAST(${v} AS DOUBLE) AS VARCHAR)`,
  },
  postgres: {
    text: "TEXT",
    number: "DOUBLE PRECISION",
    quote: doubleQuoted,
    literal: singleQuoted,
    listagg: (v, k) => `STRING_AGG(${v}, ' ' ORDER BY ${k})`,
    latest: (v, k, skip) => `(ARRAY_AGG(${v} ORDER BY ${k} DESC)${skip ? ` FILTER (WHERE ${v} IS NOT NULL)` : ""})[1]`,
  },
  // Spark's COLLECT_LIST has no order: each value starts with its period, so sorting the values orders them by period
  spark: {
    text: "STRING",
    number: "DOUBLE",
    quote: backticked,
    literal: (v) => `'${v.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`,
    listagg: (v) => `ARRAY_JOIN(ARRAY_SORT(COLLECT_LIST(${v})), ' ')`,
    // MAX_BY skips the rows whose key is null
    latest: (v, k, skip) => `MAX_BY(${v}, ${skip ? `CASE WHEN ${v} IS NOT NULL THEN ${k} END` : k})`,
  },
  bigquery: {
    text: "STRING",
    number: "FLOAT64",
    quote: backticked,
    literal: (v) => `'${v.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`,
    listagg: (v, k) => `STRING_AGG(${v}, ' ' ORDER BY ${k})`,
    // an array cannot hold a null: without skipping, the value goes in a struct
    latest: (v, k, skip) => (skip ? `ARRAY_AGG(${v} IGNORE NULLS ORDER BY ${k} DESC LIMIT 1)[SAFE_OFFSET(0)]` : `ARRAY_AGG(STRUCT(${v} AS v) ORDER BY ${k} DESC LIMIT 1)[SAFE_OFFSET(0)].v`),
  },
  // Snowflake folds unquoted names to upper case and keeps quoted ones as written: a plain name is left unquoted
  snowflake: {
    text: "VARCHAR",
    number: "DOUBLE",
    quote: (id) => (SIMPLE.test(id) ? id : doubleQuoted(id)),
    literal: singleQuoted,
    listagg: (v, k) => `LISTAGG(${v}, ' ') WITHIN GROUP (ORDER BY ${k})`,
    latest: (v, k, skip) => `MAX_BY(${v}, ${skip ? `CASE WHEN ${v} IS NOT NULL THEN ${k} END` : k})`,
  },
};

/** How the queries are put together (aggregateQueries). */
export interface QueryOptions {
  /**
   * The per-customer pass (perCustomerQuery) kept as a table of this name by the engine that runs
   * the queries: coverage and summary read it instead of scanning the finance table again
   * (--engine duckdb). Without it each statement is whole, with its own pass.
   */
  perCustomerTable?: string | undefined;
  /**
   * customers.csv's periods handed over as lists, not as text (DuckDB in process: --engine duckdb):
   * `periods` holds the entries' periods alone, separated by spaces, and two more columns,
   * `revenues` and `costs`, their amounts as lists of DOUBLE, in the same order. The same entries
   * as the text's, without writing each amount as text and reading it back.
   */
  listedPeriods?: boolean | undefined;
}

/** The SQL's parts in a dialect: the common table expressions each statement is made of. */
function parts(dialect: Dialect, columns: SqlColumns) {
  const f = FLAVOURS[dialect];
  const text = (expression: string) => `CAST(${expression} AS ${f.text})`;
  const column = (name: string) => `f.${f.quote(name)}`;
  const blankless = (expression: string) => `NULLIF(TRIM(${text(expression)}), '')`;
  // the finance rows, named as the rest of the SQL reads them
  const financeRows = [
    "finance_rows AS (",
    "  SELECT",
    `    ${blankless(column(columns.customerId))} AS customer_id,`,
    `    SUBSTRING(${text(column(columns.period))}, 1, 7) AS period,`,
    `    ${column(columns.revenue)} AS revenue,`,
    `    ${columns.cost ? column(columns.cost) : `CAST(NULL AS ${f.number})`} AS cost,`,
    `    ${columns.group ? blankless(column(columns.group)) : `CAST(NULL AS ${f.text})`} AS finance_group,`,
    `    ${columns.churn ? blankless(column(columns.churn)) : `CAST(NULL AS ${f.text})`} AS churn_flag`,
    `  FROM ${columns.financeTable} AS f`,
    ")",
  ];
  // whether loyalty would use the row: a customer id, a period and the money
  const usable = (row: string) => `${row}.customer_id IS NOT NULL AND ${row}.period IS NOT NULL AND ${row}.revenue IS NOT NULL${columns.cost ? ` AND ${row}.cost IS NOT NULL` : ""}`;
  const accepted = ["accepted AS (", "  SELECT * FROM finance_rows AS r", `  WHERE ${usable("r")}`, ")"];
  // (not named "respondents": a CTE of the table's own name would hide the table in some engines)
  const answered = ["answered AS (", `  SELECT DISTINCT TRIM(${text(`r.${f.quote("customer_id")}`)}) AS customer_id FROM ${columns.respondentsTable} AS r`, ")"];
  // every finance customer in one pass over all rows (those without an id together, as one):
  // the rows read and accepted, the money, the first and last period and how many periods, and
  // its group on its latest period with one (the greatest "period:group": the greatest group there)
  const when = (expression: string) => `CASE WHEN c.accepted = 1 THEN ${expression} END`;
  // (`withGroup` false: without the group, which the summary does not need)
  const perCustomer = (withGroup = true) => [
    "  SELECT",
    "    c.customer_id AS customer_id,",
    "    COUNT(*) AS rows_read,",
    "    SUM(c.accepted) AS row_count,",
    `    SUM(${when("c.revenue")}) AS revenue,`,
    `    MIN(${when("c.period")}) AS first_period,`,
    `    MAX(${when("c.period")}) AS last_period,`,
    `    COUNT(DISTINCT ${when("c.period")}) AS period_count${withGroup ? "," : ""}`,
    ...(withGroup ? [`    ${f.latest(when("c.finance_group"), "CONCAT(c.period, ':', c.finance_group)", true)} AS finance_group`] : []),
    "  FROM (",
    `    SELECT r.*, CASE WHEN ${usable("r")} THEN 1 ELSE 0 END AS accepted FROM finance_rows AS r`,
    "  ) AS c",
    "  GROUP BY c.customer_id",
  ];
  return { f, financeRows, accepted, answered, perCustomer };
}

const withClause = (...ctes: string[][]) => `WITH\n${ctes.map((p) => p.join("\n")).join(",\n")}`;

/**
 * The per-customer pass that coverage.csv and summary.csv are made from (one row per finance
 * customer), as a whole statement: for an engine that keeps its result as a table and gives the
 * table's name to aggregateQueries (QueryOptions.perCustomerTable).
 */
export function perCustomerQuery(dialect: Dialect, columns: SqlColumns): string {
  const { financeRows, perCustomer } = parts(dialect, columns);
  return `${withClause(financeRows)}\n${perCustomer().map((line) => line.slice(2)).join("\n")};`;
}

/**
 * The three queries, in the order of definition.ts AGGREGATE_FILES. Each is a whole statement,
 * ending with a semicolon, whose result is the file of its name. Each reads the finance table
 * once: customers.csv the respondents' rows, one level of grouping (a customer's rows in a period
 * each give an entry of its periods, which loyalty adds up); coverage.csv and summary.csv every
 * customer's sums (the same per-customer pass, which an engine may keep: QueryOptions).
 */
export function aggregateQueries(dialect: Dialect, columns: SqlColumns, options: QueryOptions = {}): AggregateQuery[] {
  const { f, financeRows, accepted, answered, perCustomer } = parts(dialect, columns);
  const text = (expression: string) => `CAST(${expression} AS ${f.text})`;
  const amount = f.amountText ?? text;
  const entry = `CONCAT(a.period, ':', ${amount("a.revenue")}, ':', COALESCE(${amount("a.cost")}, ''))`;
  // a customer's group: on its latest period with one; its flag: on its latest period (the
  // greatest flag there, when its rows in that period differ); the keys hold the value, so that
  // the rows of one period are told apart by it
  const customers = [
    withClause(financeRows, accepted, answered),
    "SELECT",
    "  a.customer_id AS customer_id,",
    "  COUNT(*) AS row_count,",
    "  SUM(a.revenue) AS revenue,",
    "  SUM(a.cost) AS cost,",
    "  MIN(a.period) AS first_period,",
    "  MAX(a.period) AS last_period,",
    `  ${f.latest("a.finance_group", "CONCAT(a.period, ':', a.finance_group)", true)} AS finance_group,`,
    // (without a churn column, no flag to look for on every row)
    `  ${columns.churn ? f.latest("a.churn_flag", "CONCAT(a.period, ':', COALESCE(a.churn_flag, ''))", false) : `CAST(NULL AS ${f.text})`} AS churn_flag,`,
    `  ${f.listagg(entry, entry)} AS periods`,
    "FROM accepted AS a",
    "WHERE a.customer_id IN (SELECT customer_id FROM answered)",
    "GROUP BY a.customer_id",
    "ORDER BY a.customer_id;",
  ].join("\n");
  const listed = () => {
    if (dialect !== "duckdb") throw new Error(`internal: listed periods are DuckDB's, not ${dialect}'s`);
    // the entries sorted by period (then by amount: one order for a period's entries, run after run), then taken apart
    const struct = `{'period': a.period, 'revenue': CAST(a.revenue AS DOUBLE), 'cost': CAST(a.cost AS DOUBLE)}`;
    return customers
      .replace(`  ${f.listagg(entry, entry)} AS periods`, `  LIST_SORT(LIST(${struct})) AS entries`)
      // (without the columns loyalty does not read: definition.ts `unread`)
      .replace(/^SELECT\n/m, `SELECT * EXCLUDE (entries, ${unreadCustomerColumns.join(", ")}),\n  ARRAY_TO_STRING(LIST_TRANSFORM(entries, e -> e.period), ' ') AS periods,\n  LIST_TRANSFORM(entries, e -> e.revenue) AS revenues,\n  LIST_TRANSFORM(entries, e -> e.cost) AS costs\nFROM (\nSELECT\n`)
      .replace(/\nORDER BY a\.customer_id;$/, "\n) AS listed\nORDER BY customer_id;");
  };
  const kept = options.perCustomerTable;
  const source = kept ?? "per_customer";
  const perCustomerCte = (withGroup: boolean) => ["per_customer AS (", ...perCustomer(withGroup), ")"];
  const coverage = [
    kept ? withClause(answered) : withClause(financeRows, perCustomerCte(true), answered),
    "SELECT",
    "  p.finance_group AS finance_group,",
    "  COUNT(*) AS customers,",
    "  SUM(p.revenue) AS revenue,",
    "  SUM(CASE WHEN r.customer_id IS NULL THEN 0 ELSE 1 END) AS respondents,",
    "  SUM(CASE WHEN r.customer_id IS NULL THEN 0 ELSE p.revenue END) AS respondent_revenue,",
    "  SUM(CASE WHEN p.first_period = p.last_period THEN 1 ELSE 0 END) AS single_period_customers",
    `FROM ${source} AS p`,
    "LEFT JOIN answered AS r ON r.customer_id = p.customer_id",
    "WHERE p.row_count > 0",
    "GROUP BY p.finance_group",
    "ORDER BY p.finance_group;",
  ].join("\n");
  const name = (value: string | undefined) => (value === undefined ? `CAST(NULL AS ${f.text})` : f.literal(value));
  const total = (column: string) => `COALESCE(SUM(p.${column}), 0)`;
  const summary = [
    ...(kept ? [] : [withClause(financeRows, perCustomerCte(false))]),
    "SELECT",
    `  ${total("rows_read")} AS rows_read,`,
    `  ${total("rows_read")} - ${total("row_count")} AS rows_rejected,`,
    "  MIN(p.first_period) AS first_period,",
    "  MAX(p.last_period) AS last_period,",
    `  ${total("row_count")} - ${total("period_count")} AS repeated_period_rows,`,
    `  ${f.literal(dialect)} AS engine,`,
    `  ${name(columns.customerId)} AS customer_id_column,`,
    `  ${name(columns.period)} AS period_column,`,
    `  ${name(columns.revenue)} AS revenue_column,`,
    `  ${name(columns.cost)} AS cost_column,`,
    `  ${name(columns.group)} AS group_column,`,
    `  ${name(columns.churn)} AS churn_column`,
    `FROM ${source} AS p;`,
  ].join("\n");
  return [
    { name: "customers", sql: options.listedPeriods ? listed() : customers },
    { name: "coverage", sql: coverage },
    { name: "summary", sql: summary },
  ];
}
