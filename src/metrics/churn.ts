/**
 * Churn by NPS category (shared/DESIGN.md section 3). A customer is churned when the last
 * period with a finance row is before the last period of the whole finance file, or when an
 * explicit churn flag says so; that decision is made in join/, this module only counts.
 */
import { NPS_CATEGORIES, type NpsCategory } from "./nps.js";

export interface CategoryChurn {
  category: NpsCategory;
  customers: number;
  churned: number;
  /** churned / customers; null for a category without customers. */
  churnRate: number | null;
}

export interface ChurnSummary {
  byCategory: CategoryChurn[];
  overall: { customers: number; churned: number; churnRate: number | null };
}

/**
 * Churn rate per category and overall: churned customers / customers.
 * @example churnByCategory([{ category: "detractor", churned: true }]).overall.churnRate // => 1
 */
export function churnByCategory(customers: readonly { category: NpsCategory; churned: boolean }[]): ChurnSummary {
  const counts = new Map(NPS_CATEGORIES.map((category) => [category, { customers: 0, churned: 0 }]));
  for (const customer of customers) {
    const count = counts.get(customer.category)!;
    count.customers += 1;
    if (customer.churned) count.churned += 1;
  }
  const rate = (churned: number, total: number) => (total === 0 ? null : churned / total);
  const byCategory = NPS_CATEGORIES.map((category) => {
    const count = counts.get(category)!;
    return { category, customers: count.customers, churned: count.churned, churnRate: rate(count.churned, count.customers) };
  });
  const churned = byCategory.reduce((sum, row) => sum + row.churned, 0);
  return { byCategory, overall: { customers: customers.length, churned, churnRate: rate(churned, customers.length) } };
}
