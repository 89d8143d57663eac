/**
 * Finance summed per customer over the analysis window, built row by row so that memory
 * grows with the number of customers, never with the number of finance rows.
 */
import type { Period, PeriodGranularity } from "../read/parse-date.js";

export interface CustomerFinance {
  revenue: number;
  /** null when the finance file has no cost column. */
  cost: number | null;
  rows: number;
  /** Ordinals of the first and last period with a row; null without a period column. */
  firstPeriod: number | null;
  lastPeriod: number | null;
}

export interface FinanceTotals {
  customers: Map<string, CustomerFinance>;
  granularity: PeriodGranularity | null;
  firstPeriod: number | null;
  lastPeriod: number | null;
}

export function emptyFinanceTotals(): FinanceTotals {
  return { customers: new Map(), granularity: null, firstPeriod: null, lastPeriod: null };
}

/** Adds one finance row (already validated) to the per-customer sums. */
export function addFinanceRow(totals: FinanceTotals, customerId: string, revenue: number, cost: number | null, period: Period | null): void {
  let customer = totals.customers.get(customerId);
  if (!customer) {
    customer = { revenue: 0, cost: cost === null ? null : 0, rows: 0, firstPeriod: null, lastPeriod: null };
    totals.customers.set(customerId, customer);
  }
  customer.revenue += revenue;
  if (customer.cost !== null && cost !== null) customer.cost += cost;
  customer.rows += 1;
  if (period) {
    totals.granularity = period.granularity;
    const ordinal = period.ordinal;
    if (customer.firstPeriod === null || ordinal < customer.firstPeriod) customer.firstPeriod = ordinal;
    if (customer.lastPeriod === null || ordinal > customer.lastPeriod) customer.lastPeriod = ordinal;
    if (totals.firstPeriod === null || ordinal < totals.firstPeriod) totals.firstPeriod = ordinal;
    if (totals.lastPeriod === null || ordinal > totals.lastPeriod) totals.lastPeriod = ordinal;
  }
}

/**
 * Churned (derived rule, shared/DESIGN.md section 3): the customer's last period with a finance
 * row is before the last period of the whole finance file. null when there are no periods.
 */
export function isChurned(customer: CustomerFinance, totals: FinanceTotals): boolean | null {
  if (customer.lastPeriod === null || totals.lastPeriod === null) return null;
  return customer.lastPeriod < totals.lastPeriod;
}
