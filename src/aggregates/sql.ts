/**
 * The SQL that reduces a finance table to the aggregates of definition.ts, in each dialect: three
 * SELECT statements (customers, coverage, summary) over the finance table and a respondents table
 * (one column, customer_id: `loyalty respondents` writes it). Pure: it only writes text.
 *
 * What the dialects differ in, and nothing else: the text type, identifier quoting, string
 * literals, and ordered string aggregation. Everything else is SQL they all take: CTEs, CASE,
 * CAST, SUBSTRING(x, 1, 7), CONCAT, COALESCE, NULLIF, TRIM, ROW_NUMBER() OVER, LEFT JOIN, IN.
 *
 * The period is the first seven characters of the period column as text: a DATE or TIMESTAMP
 * (as text YYYY-MM-DD…) or a text column of YYYY-MM, YYYY-MM-DD, YYYY-Qn or YYYY values gives
 * the month (or the quarter, or the year), which loyalty reads as it reads a finance file's
 * periods. Money is summed in the column's own type: DECIMAL / NUMERIC sums are exact in every
 * engine (a DOUBLE's sum can differ in the last bits from run to run on a parallel engine).
 */
import { type Dialect } from "./definition.js";

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

/**
 * The three queries, in the order of definition.ts AGGREGATE_FILES. Each is a whole statement,
 * ending with a semicolon, whose result is the file of its name.
 */
export function aggregateQueries(dialect: Dialect, columns: SqlColumns): AggregateQuery[] {
  const f = FLAVOURS[dialect];
  const text = (expression: string) => `CAST(${expression} AS ${f.text})`;
  const column = (name: string) => `f.${f.quote(name)}`;
  const blankless = (name: string) => `NULLIF(TRIM(${text(column(name))}), '')`;
  // the finance rows, named as the rest of the SQL reads them; `accepted` says whether loyalty would use the row
  const financeRows = [
    "finance_rows AS (",
    "  SELECT",
    `    NULLIF(TRIM(${text(column(columns.customerId))}), '') AS customer_id,`,
    `    SUBSTRING(${text(column(columns.period))}, 1, 7) AS period,`,
    `    ${column(columns.revenue)} AS revenue,`,
    `    ${columns.cost ? column(columns.cost) : `CAST(NULL AS ${f.number})`} AS cost,`,
    `    ${columns.group ? blankless(columns.group) : `CAST(NULL AS ${f.text})`} AS finance_group,`,
    `    ${columns.churn ? `TRIM(${text(column(columns.churn))})` : `CAST(NULL AS ${f.text})`} AS churn_flag`,
    `  FROM ${columns.financeTable} AS f`,
    ")",
  ];
  const accepted = [
    "accepted AS (",
    "  SELECT * FROM finance_rows",
    `  WHERE customer_id IS NOT NULL AND period IS NOT NULL AND revenue IS NOT NULL${columns.cost ? " AND cost IS NOT NULL" : ""}`,
    ")",
  ];
  // the rows summed per customer and period (`where`: of the respondents only, for customers.csv)
  const byPeriod = (where: string) => [
    "by_period AS (",
    "  SELECT customer_id, period, SUM(revenue) AS revenue, SUM(cost) AS cost, COUNT(*) AS row_count,",
    "    MAX(finance_group) AS finance_group, MAX(churn_flag) AS churn_flag",
    `  FROM accepted${where}`,
    "  GROUP BY customer_id, period",
    ")",
  ];
  // (not named "respondents": a CTE of the table's own name would hide the table in some engines)
  const respondents = ["answered AS (", `  SELECT DISTINCT TRIM(${text(`r.${f.quote("customer_id")}`)}) AS customer_id FROM ${columns.respondentsTable} AS r`, ")"];
  const amount = f.amountText ?? text;
  const entry = `CONCAT(p.period, ':', ${amount("p.revenue")}, ':', COALESCE(${amount("p.cost")}, ''))`;
  const withClause = (...parts: string[][]) => `WITH\n${parts.map((p) => p.join("\n")).join(",\n")}`;
  // a customer's group: on its latest period with one; its flag: on its latest period
  const customers = [
    withClause(financeRows, accepted, respondents, byPeriod(" WHERE customer_id IN (SELECT customer_id FROM answered)")),
    "SELECT",
    "  p.customer_id AS customer_id,",
    "  SUM(p.row_count) AS row_count,",
    "  SUM(p.revenue) AS revenue,",
    "  SUM(p.cost) AS cost,",
    "  MIN(p.period) AS first_period,",
    "  MAX(p.period) AS last_period,",
    `  ${f.latest("p.finance_group", "p.period", true)} AS finance_group,`,
    `  ${f.latest("p.churn_flag", "p.period", false)} AS churn_flag,`,
    `  ${f.listagg(entry, "p.period")} AS periods`,
    "FROM by_period AS p",
    "GROUP BY p.customer_id",
    "ORDER BY p.customer_id;",
  ].join("\n");
  // every customer straight from its rows (no grouping per period first): its revenue, its group on
  // its latest period with one (the greatest "period:group", so the greatest group there, as
  // by_period's MAX takes it), and whether all its rows are in one period
  const perCustomer = [
    "per_customer AS (",
    "  SELECT a.customer_id AS customer_id, SUM(a.revenue) AS revenue,",
    `    ${f.latest("a.finance_group", "CONCAT(a.period, ':', a.finance_group)", true)} AS finance_group,`,
    "    CASE WHEN MIN(a.period) = MAX(a.period) THEN 1 ELSE 0 END AS single_period",
    "  FROM accepted AS a",
    "  GROUP BY a.customer_id",
    ")",
  ];
  const coverage = [
    withClause(financeRows, accepted, perCustomer, respondents),
    "SELECT",
    "  c.finance_group AS finance_group,",
    "  COUNT(*) AS customers,",
    "  SUM(c.revenue) AS revenue,",
    "  SUM(CASE WHEN r.customer_id IS NULL THEN 0 ELSE 1 END) AS respondents,",
    "  SUM(CASE WHEN r.customer_id IS NULL THEN 0 ELSE c.revenue END) AS respondent_revenue,",
    "  SUM(c.single_period) AS single_period_customers",
    "FROM per_customer AS c",
    "LEFT JOIN answered AS r ON r.customer_id = c.customer_id",
    "GROUP BY c.finance_group",
    "ORDER BY c.finance_group;",
  ].join("\n");
  const name = (value: string | undefined) => (value === undefined ? `CAST(NULL AS ${f.text})` : f.literal(value));
  const summary = [
    withClause(financeRows, accepted, byPeriod("")),
    "SELECT",
    "  t.rows_read AS rows_read,",
    "  t.rows_read - a.rows_accepted AS rows_rejected,",
    "  a.first_period AS first_period,",
    "  a.last_period AS last_period,",
    "  a.rows_accepted - b.customer_periods AS repeated_period_rows,",
    `  ${f.literal(dialect)} AS engine,`,
    `  ${name(columns.customerId)} AS customer_id_column,`,
    `  ${name(columns.period)} AS period_column,`,
    `  ${name(columns.revenue)} AS revenue_column,`,
    `  ${name(columns.cost)} AS cost_column,`,
    `  ${name(columns.group)} AS group_column,`,
    `  ${name(columns.churn)} AS churn_column`,
    "FROM (SELECT COUNT(*) AS rows_read FROM finance_rows) AS t",
    "CROSS JOIN (SELECT COUNT(*) AS rows_accepted, MIN(period) AS first_period, MAX(period) AS last_period FROM accepted) AS a",
    "CROSS JOIN (SELECT COUNT(*) AS customer_periods FROM by_period) AS b;",
  ].join("\n");
  return [
    { name: "customers", sql: customers },
    { name: "coverage", sql: coverage },
    { name: "summary", sql: summary },
  ];
}
