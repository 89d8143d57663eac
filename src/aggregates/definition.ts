/**
 * The finance aggregates: what a SQL engine reduces a finance table to, so that loyalty can make
 * the same report without the raw rows (`loyalty sql`, `--finance-aggregates DIR`). One definition
 * drives the SQL (sql.ts), the reader (normalise/finance-aggregates.ts) and the README's table.
 *
 * Three files, CSV with a header row:
 * - customers.csv: one row per finance customer who answered the survey (its id is in the
 *   respondents table): its rows, revenue and cost, first and last period, its finance group and
 *   churn flag (both from its latest period), and its rows' periods with their revenue and cost.
 *   loyalty rebuilds every per-customer figure from the periods (first and last revenue, run rate, cohort,
 *   the revenue after the answer) and the group-and-period sums of the linkage and the lag (each
 *   respondent's money under its survey group, which loyalty knows).
 * - coverage.csv: per finance group (one row with an empty group when there is no group column),
 *   the customers, their revenue, how many answered and their revenue, and how many have rows in a
 *   single period (the coverage section and the business model's one-off share).
 * - summary.csv: one row: rows read and rejected, the first and last period, the rows that repeat a
 *   customer and period, the finance column names, and the engine (dialect) that made the files.
 *
 * Pure: no files, no terminal.
 */

/** The SQL dialects `loyalty sql` writes. */
export const DIALECTS = ["duckdb", "postgres", "spark", "bigquery", "snowflake"] as const;
export type Dialect = (typeof DIALECTS)[number];

export interface AggregateColumn {
  name: string;
  meaning: string;
  /** Not read by loyalty (it sums the periods itself): for people and other tools, and not required. */
  unread?: true;
}

export interface AggregateFile {
  /** The query's name, and the file's: `${name}.csv`. */
  name: "customers" | "coverage" | "summary";
  meaning: string;
  columns: readonly AggregateColumn[];
}

/** The separator between a customer's periods in customers.csv `periods`, and between a period's parts. */
export const PERIOD_SEPARATOR = " ";
export const PART_SEPARATOR = ":";
const COLON = PART_SEPARATOR.charCodeAt(0);

export const AGGREGATE_FILES: readonly AggregateFile[] = [
  {
    name: "customers",
    meaning: "one row per finance customer whose id is in the respondents table",
    columns: [
      { name: "customer_id", meaning: "the customer id, as text" },
      { name: "row_count", meaning: "its finance rows" },
      { name: "revenue", meaning: "the sum of its revenue", unread: true },
      { name: "cost", meaning: "the sum of its cost (empty without a cost column)", unread: true },
      { name: "first_period", meaning: "its first period with a row (YYYY-MM)", unread: true },
      { name: "last_period", meaning: "its last period with a row", unread: true },
      { name: "finance_group", meaning: "its group in the finance table on its latest row with one (empty without a group column)" },
      { name: "churn_flag", meaning: "the churn flag on its latest period's row (empty without a flag column)" },
      { name: "periods", meaning: 'an entry per row, oldest period first, each "period:revenue:cost" (the cost empty without a cost column), separated by spaces; the entries of one period are added together (one entry per period with its sums reads the same): what loyalty reads' },
    ],
  },
  {
    name: "coverage",
    meaning: "one row per finance group (one row with an empty group without a group column)",
    columns: [
      { name: "finance_group", meaning: "the group (each customer's as in customers.csv)" },
      { name: "customers", meaning: "finance customers in the group" },
      { name: "revenue", meaning: "their revenue" },
      { name: "respondents", meaning: "those whose id is in the respondents table" },
      { name: "respondent_revenue", meaning: "their revenue" },
      { name: "single_period_customers", meaning: "customers with rows in one period only" },
    ],
  },
  {
    name: "summary",
    meaning: "one row about the finance table",
    columns: [
      { name: "rows_read", meaning: "rows in the finance table" },
      { name: "rows_rejected", meaning: "rows without a customer id, period or revenue (left out)" },
      { name: "first_period", meaning: "the first period of the accepted rows" },
      { name: "last_period", meaning: "the last period" },
      { name: "repeated_period_rows", meaning: "accepted rows for a customer and period that already had a row (summed)" },
      { name: "engine", meaning: "the SQL dialect of the queries that made the files" },
      { name: "customer_id_column", meaning: "the finance table's column names, for the report (empty where none)" },
      { name: "period_column", meaning: "" },
      { name: "revenue_column", meaning: "" },
      { name: "cost_column", meaning: "" },
      { name: "group_column", meaning: "" },
      { name: "churn_column", meaning: "" },
    ],
  },
];

/** The files' names in the folder, in the order the queries come. */
export const AGGREGATE_FILE_NAMES = AGGREGATE_FILES.map((f) => `${f.name}.csv`);

/** The respondents table's one column (written by `loyalty respondents`). */
export const RESPONDENT_ID_COLUMN = "customer_id";

/** One period of a customer in customers.csv `periods`: its text (YYYY-MM, or as the engine gave it), revenue and cost (null: none). */
export interface AggregatePeriod {
  period: string;
  revenue: number;
  cost: number | null;
}

/** A customer's entries in columns (as --engine duckdb hands them over): the i-th entry's period text, revenue and cost. */
export interface PeriodColumns {
  texts: readonly string[];
  revenues: ArrayLike<number>;
  costs: ArrayLike<number | null>;
}

/**
 * The periods cell of customers.csv, or a message saying what is wrong with it.
 * @example parsePeriodList("2025-01:10.5:4 2025-02:3:") // => [{ period: "2025-01", revenue: 10.5, cost: 4 }, { period: "2025-02", revenue: 3, cost: null }]
 */
export function parsePeriodList(text: string): AggregatePeriod[] | string {
  // one pass over the characters (a million customers' lists: no regular expression, no array per entry)
  const periods: AggregatePeriod[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    if (i >= n) break;
    // the entry's end and its separators (a third one, or fewer than two, is not an entry)
    let end = i;
    let first = -1;
    let second = -1;
    let third = -1;
    for (let code = text.charCodeAt(end); end < n && !isSpace(code); code = text.charCodeAt(++end)) {
      if (code !== COLON) continue;
      if (first < 0) first = end;
      else if (second < 0) second = end;
      else if (third < 0) third = end;
    }
    // (no closure over i and end: captured, they would live on the heap, and the loop is the hot one)
    if (second < 0 || third >= 0) return `expected "period:revenue:cost" entries separated by spaces, got "${text.slice(i, end)}"`;
    const value = amountIn(text, first + 1, second);
    if (value === null) return `expected a revenue in "${text.slice(i, end)}", got "${text.slice(first + 1, second)}"`;
    const costValue = second + 1 === end ? null : amountIn(text, second + 1, end);
    if (costValue === null && second + 1 !== end) return `expected a cost (or nothing) in "${text.slice(i, end)}", got "${text.slice(second + 1, end)}"`;
    periods.push({ period: text.slice(i, first), revenue: value, cost: costValue });
    i = end;
  }
  return periods;
}

/** Powers of ten that are exact doubles. */
const EXACT_TENS = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * The number text[from, to) holds, as Number() reads it; null when it is not a finite number (or
 * is blank). A plain decimal of at most 15 digits ("-1234.56") is read here, without a string: its
 * digits are an exact integer and the power of ten an exact double, so the one division rounds
 * once, as Number() does. Anything else (an exponent, more digits) goes to Number().
 */
function amountIn(text: string, from: number, to: number): number | null {
  let k = from;
  const negative = text.charCodeAt(k) === 45;
  if (negative) k++;
  let digits = 0;
  let mantissa = 0;
  let decimals = -1;
  for (; k < to; k++) {
    const code = text.charCodeAt(k);
    if (code >= 48 && code <= 57) {
      mantissa = mantissa * 10 + (code - 48);
      digits++;
      if (decimals >= 0) decimals++;
    } else if (code === 46 && decimals < 0) decimals = 0;
    else break;
  }
  if (k === to && digits > 0 && digits <= 15) {
    const value = decimals > 0 ? mantissa / EXACT_TENS[decimals]! : mantissa;
    return negative ? -value : value;
  }
  const slice = text.slice(from, to);
  const value = Number(slice);
  return slice.trim() === "" || !Number.isFinite(value) ? null : value;
}

/** Space, tab, line feed, carriage return (what separates the entries). */
function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}
