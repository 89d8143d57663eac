import { describe, expect, it } from "vitest";
import { createAggregatesLoader, readAggregateCoverage, readAggregateSummary } from "../../../src/normalise/finance-aggregates.js";

const summaryHeader = ["rows_read", "rows_rejected", "first_period", "last_period", "repeated_period_rows", "engine", "customer_id_column", "period_column", "revenue_column", "cost_column", "group_column", "churn_column"];
const customersHeader = ["customer_id", "row_count", "revenue", "cost", "first_period", "last_period", "finance_group", "churn_flag", "periods"];

/** The loader's totals for one customer with the given periods cell (its other cells as the SQL gives them). */
function loaded(periods: string, rows: number) {
  const summary = readAggregateSummary("summary.csv", summaryHeader, [{ values: ["6", "0", "2025-01", "2025-03", "2", "duckdb", "customer_id", "period", "revenue", "cost", "", ""], line: 2 }]);
  const coverage = readAggregateCoverage("coverage.csv", ["finance_group", "customers", "revenue", "respondents", "respondent_revenue", "single_period_customers"], [{ values: ["", "1", "60", "1", "60", "0"], line: 2 }]);
  const loader = createAggregatesLoader("customers.csv", customersHeader, summary, coverage, "agg");
  loader.add({ values: ["C1", String(rows), "60", "30", "2025-01", "2025-03", "", "", periods], line: 2 });
  loader.finish();
  const customer = loader.totals.customers.get("C1")!;
  return { revenue: customer.revenue, cost: customer.cost, rows: customer.rows, first: customer.firstRevenue, last: customer.lastRevenue, firstPeriod: customer.firstPeriod, lastPeriod: customer.lastPeriod, recent: customer.recentRevenue, repeated: loader.totals.repeatedPeriodRows };
}

describe("customers.csv periods: an entry per row, or one per period with its sums", () => {
  it("adds the entries of one period together, as the raw rows are", () => {
    // January twice, March three times (the rows of loyalty sql), against their sums per period
    const perRow = loaded("2025-01:5:1 2025-01:7.5:2 2025-02:10:5 2025-03:12:7 2025-03:20:10 2025-03:5.5:5", 6);
    const perPeriod = loaded("2025-01:12.5:3 2025-02:10:5 2025-03:37.5:22", 6);
    expect(perRow).toEqual(perPeriod);
    expect(perRow.first).toBe(12.5);
    expect(perRow.last).toBe(37.5);
    expect(perRow.rows).toBe(6);
    // the repeated rows are the summary's, for every customer
    expect(perRow.repeated).toBe(2);
  });
  it("reads a customers file without the columns loyalty does not read (the sums, the first and last period)", () => {
    const summary = readAggregateSummary("summary.csv", summaryHeader, [{ values: ["3", "0", "2025-01", "2025-03", "0", "duckdb", "customer_id", "period", "revenue", "cost", "", ""], line: 2 }]);
    const coverage = readAggregateCoverage("coverage.csv", ["finance_group", "customers", "revenue", "respondents", "respondent_revenue", "single_period_customers"], [{ values: ["", "1", "60", "1", "60", "0"], line: 2 }]);
    const loader = createAggregatesLoader("customers.csv", ["customer_id", "row_count", "finance_group", "churn_flag", "periods"], summary, coverage, "agg");
    loader.add({ values: ["C1", "3", "", "", "2025-01:12.5:3 2025-02:10:5 2025-03:37.5:22"], line: 2 });
    loader.finish();
    expect(loader.totals.customers.get("C1")!.revenue).toBe(60);
    // a column loyalty reads is still required
    expect(() => createAggregatesLoader("customers.csv", ["customer_id", "row_count", "finance_group", "periods"], summary, coverage, "agg")).toThrow(/the aggregates. customers file has no column "churn_flag"/);
  });
  it("refuses entries out of period order, and fewer rows than entries", () => {
    expect(() => loaded("2025-02:1:1 2025-01:1:1", 2)).toThrow(/column "periods": expected the periods oldest first/);
    expect(() => loaded("2025-01:1:1 2025-01:1:1", 1)).toThrow(/column "row_count": expected at least its 2 entries of periods/);
  });
});
