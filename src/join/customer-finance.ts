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
  /** The periods seen, as a bitset from `periodBase` (32 periods a word), to notice a period met twice. */
  periodBits: number[];
  periodBase: number;
  /** Periods far before the base (an unsorted file), kept exactly. */
  earlyPeriods: Set<number> | null;
}

export interface FinanceTotals {
  customers: Map<string, CustomerFinance>;
  granularity: PeriodGranularity | null;
  firstPeriod: number | null;
  lastPeriod: number | null;
  /** Rows for a customer and period that already had a row (summed, and warned about). */
  repeatedPeriodRows: number;
}

export function emptyFinanceTotals(): FinanceTotals {
  return { customers: new Map(), granularity: null, firstPeriod: null, lastPeriod: null, repeatedPeriodRows: 0 };
}

/** Marks a period as seen for the customer; true when it had been seen before. */
function markPeriod(customer: CustomerFinance, ordinal: number): boolean {
  if (customer.periodBits.length === 0) customer.periodBase = ordinal - 32;
  const offset = ordinal - customer.periodBase;
  if (offset < 0) {
    customer.earlyPeriods ??= new Set();
    if (customer.earlyPeriods.has(ordinal)) return true;
    customer.earlyPeriods.add(ordinal);
    return false;
  }
  const word = offset >>> 5;
  while (customer.periodBits.length <= word) customer.periodBits.push(0);
  const bit = 1 << (offset & 31);
  const seen = (customer.periodBits[word]! & bit) !== 0;
  customer.periodBits[word]! |= bit;
  return seen;
}

/** Adds one finance row (already validated) to the per-customer sums. */
export function addFinanceRow(totals: FinanceTotals, customerId: string, revenue: number, cost: number | null, period: Period | null): void {
  let customer = totals.customers.get(customerId);
  if (!customer) {
    customer = { revenue: 0, cost: cost === null ? null : 0, rows: 0, firstPeriod: null, lastPeriod: null, periodBits: [], periodBase: 0, earlyPeriods: null };
    totals.customers.set(customerId, customer);
  }
  customer.revenue += revenue;
  if (customer.cost !== null && cost !== null) customer.cost += cost;
  customer.rows += 1;
  if (period) {
    totals.granularity = period.granularity;
    const ordinal = period.ordinal;
    if (markPeriod(customer, ordinal)) totals.repeatedPeriodRows += 1;
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

/** How many distinct periods the customer has finance rows in; null without periods. */
export function periodsWithRows(customer: CustomerFinance): number | null {
  if (customer.lastPeriod === null) return null;
  let count = customer.earlyPeriods?.size ?? 0;
  for (let word of customer.periodBits) {
    while (word !== 0) {
      word &= word - 1;
      count++;
    }
  }
  return count;
}
