/**
 * NPS over time: per month, quarter or year of the response date, with the change between
 * consecutive periods, its Wald test for independent samples (shared/DESIGN.md section 3) and,
 * for the customers who answered in both periods, a paired test (shared/METHODS.md b2): each
 * customer's answer coded +1 promoter, 0 passive, −1 detractor; dᵢ = s₂ − s₁; ΔNPS = mean(d),
 * SE = sd(d)/√n, t with n − 1 degrees of freedom.
 */
import { studentTQuantile, studentTTwoSidedP } from "../stats/distributions.js";
import { addCategoryToNpsTally, emptyNpsTally, npsDifference, npsSummary, type NpsCategory, type NpsDifference, type NpsSummary, type NpsTally } from "./nps.js";

export type TrendUnit = "month" | "quarter" | "year";

export interface TrendResponse {
  customerId: string | null;
  category: NpsCategory;
  /** UTC milliseconds; responses without a date are left out (and counted). */
  date: number | null;
  order: number;
  weight: number;
}

export interface TrendPeriod {
  /** "2025-03", "2025-Q1" or "2025". */
  period: string;
  summary: NpsSummary;
}

export interface PairedChange {
  /** Customers who answered in both periods (their latest answer in each). */
  customers: number;
  /** Mean of s₂ − s₁, in NPS points. */
  change: number;
  stdError: number;
  /** null when every customer changed by the same amount (no variance). */
  t: number | null;
  df: number;
  p: number | null;
  ciLow: number | null;
  ciHigh: number | null;
}

export interface TrendChange {
  from: string;
  to: string;
  /** to − from, independent samples (Wald). */
  independent: NpsDifference;
  /** null with fewer than 2 customers in both periods. */
  paired: PairedChange | null;
}

export interface Trend {
  unit: TrendUnit;
  periods: TrendPeriod[];
  changes: TrendChange[];
  /** Responses without a date, left out of the trend. */
  undated: number;
}

/** Milliseconds in a day. */
const DAY = 86_400_000;

/**
 * The month ordinal (year × 12 + month − 1, UTC) of a time in milliseconds since 1970: what
 * `new Date(time)` gives as getUTCFullYear() × 12 + getUTCMonth(), without making a Date (the
 * civil-from-days algorithm of Howard Hinnant's "chrono-compatible low-level date algorithms").
 * NaN outside Date's range (±8.64e15 ms), as Date's getters are.
 * @example monthOrdinalOf(Date.UTC(2025, 2, 31, 23, 59)) // => 2025 * 12 + 2
 */
export function monthOrdinalOf(time: number): number {
  if (!(Math.abs(time) <= 8.64e15)) return Number.NaN;
  const z = Math.floor(time / DAY) + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  // months from March
  const m = Math.floor((5 * dayOfYear + 2) / 153);
  const month = m < 10 ? m + 2 : m - 10;
  const year = yearOfEra + era * 400 + (month < 2 ? 1 : 0);
  return year * 12 + month;
}

/** The ordinal of a date's month, quarter or year (consecutive periods, consecutive ordinals). */
export function periodOrdinal(date: number, unit: TrendUnit): number {
  return toUnit(monthOrdinalOf(date), "month", unit);
}

/** Converts a period ordinal to a coarser unit (month → quarter → year). */
export function toUnit(ordinal: number, from: TrendUnit, to: TrendUnit): number {
  const months = from === "month" ? ordinal : from === "quarter" ? ordinal * 3 : ordinal * 12;
  if (to === "month") {
    if (from !== "month") throw new RangeError(`a ${from} cannot be split into months`);
    return months;
  }
  if (to === "quarter") {
    if (from === "year") throw new RangeError("a year cannot be split into quarters");
    return Math.floor(months / 3);
  }
  return Math.floor(months / 12);
}

export function periodLabel(ordinal: number, unit: TrendUnit): string {
  if (unit === "year") return String(ordinal);
  if (unit === "quarter") return `${Math.floor(ordinal / 4)}-Q${(ordinal % 4) + 1}`;
  return `${Math.floor(ordinal / 12)}-${String((ordinal % 12) + 1).padStart(2, "0")}`;
}

const CODE: Record<NpsCategory, number> = { promoter: 1, passive: 0, detractor: -1 };

/**
 * The paired change between two sets of answers by the same customers.
 * @example pairedChange([[-1, 1], [0, 1], [1, 1]]) // mean change 100·(2 + 1 + 0)/3 = 100
 */
export function pairedChange(pairs: readonly (readonly [NpsCategory, NpsCategory])[]): PairedChange | null {
  const n = pairs.length;
  if (n < 2) return null;
  const d = pairs.map(([a, b]) => CODE[b] - CODE[a]);
  const mean = d.reduce((s, x) => s + x, 0) / n;
  const sd = Math.sqrt(d.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1));
  const se = sd / Math.sqrt(n);
  const df = n - 1;
  if (se === 0) return { customers: n, change: 100 * mean, stdError: 0, t: null, df, p: null, ciLow: null, ciHigh: null };
  const t = mean / se;
  const q = studentTQuantile(0.975, df);
  return { customers: n, change: 100 * mean, stdError: 100 * se, t, df, p: studentTTwoSidedP(t, df), ciLow: 100 * (mean - q * se), ciHigh: 100 * (mean + q * se) };
}

/** NPS per period of the response date, and the change between each period and the one before it. */
export function npsTrend(responses: Iterable<TrendResponse>, unit: TrendUnit): Trend {
  const tallies = new Map<number, NpsTally>();
  /** Per period, each customer's latest answer in it. */
  const latest = new Map<number, Map<string, TrendResponse>>();
  let undated = 0;
  for (const r of responses) {
    if (r.date === null) {
      undated++;
      continue;
    }
    const ordinal = periodOrdinal(r.date, unit);
    let tally = tallies.get(ordinal);
    if (!tally) tallies.set(ordinal, (tally = emptyNpsTally()));
    addCategoryToNpsTally(tally, r.category, r.weight);
    if (r.customerId !== null) {
      let customers = latest.get(ordinal);
      if (!customers) latest.set(ordinal, (customers = new Map()));
      const current = customers.get(r.customerId);
      if (!current || r.date > current.date! || (r.date === current.date && r.order > current.order)) customers.set(r.customerId, r);
    }
  }
  const ordinals = [...tallies.keys()].filter((o) => tallies.get(o)!.weight > 0).sort((a, b) => a - b);
  const periods = ordinals.map((o) => ({ period: periodLabel(o, unit), summary: npsSummary(tallies.get(o)!) }));
  const changes: TrendChange[] = [];
  for (let i = 1; i < ordinals.length; i++) {
    const before = latest.get(ordinals[i - 1]!) ?? new Map<string, TrendResponse>();
    const after = latest.get(ordinals[i]!) ?? new Map<string, TrendResponse>();
    const pairs: [NpsCategory, NpsCategory][] = [];
    for (const [id, r] of [...before].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const later = after.get(id);
      if (later) pairs.push([r.category, later.category]);
    }
    changes.push({ from: periods[i - 1]!.period, to: periods[i]!.period, independent: npsDifference(periods[i]!.summary, periods[i - 1]!.summary), paired: pairedChange(pairs) });
  }
  return { unit, periods, changes, undated };
}
