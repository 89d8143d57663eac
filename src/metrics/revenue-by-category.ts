/**
 * Revenue, cost and margin by NPS category over the respondents matched to finance
 * (shared/DESIGN.md section 3; METHODS.md b5 "Revenue by category").
 */
import { NPS_CATEGORIES, type NpsCategory } from "./nps.js";

/** One matched customer: the category of the latest response and the finance summed over the window. */
export interface CategorisedCustomer {
  category: NpsCategory;
  revenue: number;
  /** null when the finance file has no cost column. */
  cost: number | null;
}

export interface CategoryRevenue {
  category: NpsCategory;
  customers: number;
  revenue: number;
  /** Mean revenue per customer; null for a category without customers. */
  revenuePerCustomer: number | null;
  cost: number | null;
  margin: number | null;
  marginPerCustomer: number | null;
  /** Share of all matched customers' revenue; null when total revenue is 0. */
  revenueShare: number | null;
  customerShare: number | null;
}

/**
 * Revenue by category: customers, revenue, revenue per customer (mean), cost, margin
 * (revenue − cost), margin per customer, revenue share and customer share, in the order
 * promoter, passive, detractor. Shares sum to 1 over the three categories.
 * @example revenueByCategory([{ category: "promoter", revenue: 10, cost: 4 }])[0].margin // => 6
 */
export function revenueByCategory(customers: Iterable<CategorisedCustomer>): CategoryRevenue[] {
  let hasCost = true;
  let total = 0;
  const sums = new Map(NPS_CATEGORIES.map((category) => [category, { customers: 0, revenue: 0, cost: 0 }]));
  let totalRevenue = 0;
  for (const customer of customers) {
    if (customer.cost === null) hasCost = false;
    total += 1;
    const sum = sums.get(customer.category)!;
    sum.customers += 1;
    sum.revenue += customer.revenue;
    sum.cost += customer.cost ?? 0;
    totalRevenue += customer.revenue;
  }
  return NPS_CATEGORIES.map((category) => {
    const sum = sums.get(category)!;
    const cost = hasCost ? sum.cost : null;
    const margin = cost === null ? null : sum.revenue - cost;
    const perCustomer = (value: number | null) => (value === null || sum.customers === 0 ? null : value / sum.customers);
    return {
      category,
      customers: sum.customers,
      revenue: sum.revenue,
      revenuePerCustomer: perCustomer(sum.revenue),
      cost,
      margin,
      marginPerCustomer: perCustomer(margin),
      revenueShare: totalRevenue === 0 ? null : sum.revenue / totalRevenue,
      customerShare: total === 0 ? null : sum.customers / total,
    };
  });
}
