/**
 * Churn by NPS category (shared/DESIGN.md section 3). A customer is churned when the last
 * period with a finance row is before the last period of the whole finance file, or when an
 * explicit churn flag says so; that decision is made in join/, this module only counts.
 */
import { normalQuantile } from "../stats/distributions.js";
import { NPS_CATEGORIES, type NpsCategory } from "./nps.js";

export interface CategoryChurn {
  category: NpsCategory;
  customers: number;
  churned: number;
  /** churned / customers; null for a category without customers. */
  churnRate: number | null;
  /** Wilson score 95% interval of the churn rate. */
  ciLow: number | null;
  ciHigh: number | null;
  /** churn rate / the promoters' churn rate, with its Katz log 95% interval; null where undefined. */
  ratioToPromoters: number | null;
  ratioCiLow: number | null;
  ratioCiHigh: number | null;
}

const Z = normalQuantile(0.975);

/**
 * Wilson's score interval for a proportion (R: prop.test(x, n, correct = FALSE)$conf.int).
 * @example wilsonInterval(5, 10) // ≈ [0.2366, 0.7634]
 */
export function wilsonInterval(x: number, n: number): [number, number] | null {
  if (n === 0) return null;
  const p = x / n;
  const denominator = 1 + (Z * Z) / n;
  const centre = (p + (Z * Z) / (2 * n)) / denominator;
  const half = (Z * Math.sqrt((p * (1 - p)) / n + (Z * Z) / (4 * n * n))) / denominator;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/**
 * The ratio of two proportions (x1/n1)/(x2/n2) with the Katz log interval
 * exp(log ratio ± z·√(1/x1 − 1/n1 + 1/x2 − 1/n2)); null when either count is 0.
 */
export function riskRatio(x1: number, n1: number, x2: number, n2: number): { ratio: number; ciLow: number; ciHigh: number } | null {
  if (x1 === 0 || x2 === 0 || n1 === 0 || n2 === 0) return null;
  const ratio = x1 / n1 / (x2 / n2);
  const se = Math.sqrt(1 / x1 - 1 / n1 + 1 / x2 - 1 / n2);
  return { ratio, ciLow: ratio * Math.exp(-Z * se), ciHigh: ratio * Math.exp(Z * se) };
}

export interface ChurnSummary {
  byCategory: CategoryChurn[];
  overall: { customers: number; churned: number; churnRate: number | null };
}

/**
 * Churn rate per category and overall: churned customers / customers.
 * @example churnByCategory([{ category: "detractor", churned: true }]).overall.churnRate // => 1
 */
export function churnByCategory(customers: Iterable<{ category: NpsCategory; churned: boolean }>): ChurnSummary {
  const counts = new Map(NPS_CATEGORIES.map((category) => [category, { customers: 0, churned: 0 }]));
  for (const customer of customers) {
    const count = counts.get(customer.category)!;
    count.customers += 1;
    if (customer.churned) count.churned += 1;
  }
  const rate = (churned: number, total: number) => (total === 0 ? null : churned / total);
  const promoters = counts.get("promoter")!;
  const byCategory = NPS_CATEGORIES.map((category) => {
    const count = counts.get(category)!;
    const interval = wilsonInterval(count.churned, count.customers);
    const ratio = riskRatio(count.churned, count.customers, promoters.churned, promoters.customers);
    return {
      category,
      customers: count.customers,
      churned: count.churned,
      churnRate: rate(count.churned, count.customers),
      ciLow: interval?.[0] ?? null,
      ciHigh: interval?.[1] ?? null,
      ratioToPromoters: ratio?.ratio ?? null,
      ratioCiLow: ratio?.ciLow ?? null,
      ratioCiHigh: ratio?.ciHigh ?? null,
    };
  });
  const churned = byCategory.reduce((sum, row) => sum + row.churned, 0);
  const total = byCategory.reduce((sum, row) => sum + row.customers, 0);
  return { byCategory, overall: { customers: total, churned, churnRate: rate(churned, total) } };
}
