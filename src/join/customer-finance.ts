/**
 * Finance summed per customer over the analysis window, built row by row so that memory
 * grows with the number of customers (times the periods of the window), never with the number
 * of finance rows. Each customer keeps its revenue and cost per period: the retention, trend
 * and lag analyses need them, and a period met twice is noticed.
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
  /** Revenue per period from `periodBase` (index = ordinal − periodBase); NaN for a period without a row. */
  periodRevenue: number[];
  /** Cost per period, like periodRevenue; null without a cost column. */
  periodCost: number[] | null;
  periodBase: number;
  /** The customer's group in the finance file (its last non-blank value), null without a group column. */
  group: string | null;
}

export interface FinanceTotals {
  customers: Map<string, CustomerFinance>;
  granularity: PeriodGranularity | null;
  firstPeriod: number | null;
  lastPeriod: number | null;
  /** Rows for a customer and period that already had a row (summed, and warned about). */
  repeatedPeriodRows: number;
  /** A branch P&L's customer counts summed over its periods, per group (empty for customer rows). */
  customerCounts: Map<string, number>;
}

export function emptyFinanceTotals(): FinanceTotals {
  return { customers: new Map(), granularity: null, firstPeriod: null, lastPeriod: null, repeatedPeriodRows: 0, customerCounts: new Map() };
}

/** Months in one period of the granularity. */
export function monthsPerPeriod(granularity: PeriodGranularity): number {
  return granularity === "year" ? 12 : granularity === "quarter" ? 3 : 1;
}

/** Grows the customer's period arrays to hold `ordinal` (to the left for an unsorted file). */
function slotOf(customer: CustomerFinance, ordinal: number): number {
  if (customer.periodRevenue.length === 0) customer.periodBase = ordinal;
  if (ordinal < customer.periodBase) {
    const pad = new Array<number>(customer.periodBase - ordinal).fill(Number.NaN);
    customer.periodRevenue = pad.concat(customer.periodRevenue);
    if (customer.periodCost) customer.periodCost = pad.concat(customer.periodCost);
    customer.periodBase = ordinal;
  }
  const slot = ordinal - customer.periodBase;
  while (customer.periodRevenue.length <= slot) {
    customer.periodRevenue.push(Number.NaN);
    customer.periodCost?.push(Number.NaN);
  }
  return slot;
}

/** Adds one finance row (already validated) to the per-customer sums. */
export function addFinanceRow(
  totals: FinanceTotals,
  customerId: string,
  revenue: number,
  cost: number | null,
  period: Period | null,
  group: string | null = null,
): void {
  let customer = totals.customers.get(customerId);
  if (!customer) {
    customer = { revenue: 0, cost: cost === null ? null : 0, rows: 0, firstPeriod: null, lastPeriod: null, periodRevenue: [], periodCost: cost === null ? null : [], periodBase: 0, group: null };
    totals.customers.set(customerId, customer);
  }
  customer.revenue += revenue;
  if (customer.cost !== null && cost !== null) customer.cost += cost;
  customer.rows += 1;
  if (group !== null) customer.group = group;
  if (period) {
    totals.granularity = period.granularity;
    const ordinal = period.ordinal;
    const slot = slotOf(customer, ordinal);
    const seen = !Number.isNaN(customer.periodRevenue[slot]!);
    if (seen) totals.repeatedPeriodRows += 1;
    customer.periodRevenue[slot] = (seen ? customer.periodRevenue[slot]! : 0) + revenue;
    if (customer.periodCost && cost !== null) customer.periodCost[slot] = (seen ? customer.periodCost[slot]! : 0) + cost;
    if (customer.firstPeriod === null || ordinal < customer.firstPeriod) customer.firstPeriod = ordinal;
    if (customer.lastPeriod === null || ordinal > customer.lastPeriod) customer.lastPeriod = ordinal;
    if (totals.firstPeriod === null || ordinal < totals.firstPeriod) totals.firstPeriod = ordinal;
    if (totals.lastPeriod === null || ordinal > totals.lastPeriod) totals.lastPeriod = ordinal;
  }
}

/** The customer's revenue in a period; null when the customer has no row in it. */
export function revenueIn(customer: CustomerFinance, ordinal: number): number | null {
  const value = customer.periodRevenue[ordinal - customer.periodBase];
  return value === undefined || Number.isNaN(value) ? null : value;
}

/** The customer's cost in a period; null without a row in it or without a cost column. */
export function costIn(customer: CustomerFinance, ordinal: number): number | null {
  const value = customer.periodCost?.[ordinal - customer.periodBase];
  return value === undefined || Number.isNaN(value) ? null : value;
}

/**
 * Churned (derived rule, shared/DESIGN.md section 3): the customer's last period with a finance
 * row is before the last period of the whole finance file. null when there are no periods.
 */
export function isChurned(customer: CustomerFinance, totals: FinanceTotals): boolean | null {
  if (customer.lastPeriod === null || totals.lastPeriod === null) return null;
  return customer.lastPeriod < totals.lastPeriod;
}

/** How many distinct periods the customer has finance rows in; null without periods. */
export function periodsWithRows(customer: CustomerFinance): number | null {
  if (customer.lastPeriod === null) return null;
  let count = 0;
  for (const value of customer.periodRevenue) if (!Number.isNaN(value)) count++;
  return count;
}

/**
 * Customer-months at risk of churning: the months from the customer's first period with a row
 * through its last, inclusive (a customer is at risk from when it is first seen until it leaves or
 * the window ends). null without periods.
 * @example a customer with rows in 2025-01 and 2025-06 of a monthly file → 6
 */
export function monthsAtRisk(customer: CustomerFinance, granularity: PeriodGranularity | null): number | null {
  if (customer.firstPeriod === null || customer.lastPeriod === null || granularity === null) return null;
  return (customer.lastPeriod - customer.firstPeriod + 1) * monthsPerPeriod(granularity);
}

/**
 * Revenue in the first and in the second half of the window's periods (an odd middle period is
 * left out, so both halves are equally long). null without periods or with a one-period window.
 */
export function halfRevenues(customer: CustomerFinance, totals: FinanceTotals): { first: number; second: number } | null {
  if (totals.firstPeriod === null || totals.lastPeriod === null || totals.lastPeriod === totals.firstPeriod) return null;
  const half = Math.floor((totals.lastPeriod - totals.firstPeriod + 1) / 2);
  let first = 0;
  let second = 0;
  for (let k = 0; k < half; k++) {
    first += revenueIn(customer, totals.firstPeriod + k) ?? 0;
    second += revenueIn(customer, totals.lastPeriod - k) ?? 0;
  }
  return { first, second };
}
