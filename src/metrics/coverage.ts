/**
 * Survey coverage (shared/METHODS.md b5 pitfalls; Bain on non-response): the share of finance
 * customers, and of their revenue, that answered the survey, overall and per group. Respondents
 * are not a random sample (promoters answer more), so uneven coverage between groups makes their
 * NPS values hard to compare.
 */
export interface CoverageCustomer {
  /** The customer's group in the finance file; null without a group column there. */
  group: string | null;
  revenue: number;
  /** Matched to a survey respondent. */
  answered: boolean;
}

export interface CoverageFigures {
  customers: number;
  respondents: number;
  customerShare: number | null;
  revenue: number;
  respondentRevenue: number;
  revenueShare: number | null;
}

export interface Coverage {
  overall: CoverageFigures;
  /** null when the finance file has no group column (non-respondents have no group). */
  byGroup: ({ group: string } & CoverageFigures)[] | null;
  /** The groups (with at least minCustomers customers) with the lowest and highest customer coverage. */
  lowest: { group: string; customerShare: number } | null;
  highest: { group: string; customerShare: number } | null;
  /** Highest coverage at least twice the lowest. */
  uneven: boolean;
}

function figures(customers: readonly CoverageCustomer[]): CoverageFigures {
  let respondents = 0;
  let revenue = 0;
  let respondentRevenue = 0;
  for (const c of customers) {
    revenue += c.revenue;
    if (c.answered) {
      respondents++;
      respondentRevenue += c.revenue;
    }
  }
  return {
    customers: customers.length,
    respondents,
    customerShare: customers.length === 0 ? null : respondents / customers.length,
    revenue,
    respondentRevenue,
    revenueShare: revenue === 0 ? null : respondentRevenue / revenue,
  };
}

/**
 * Coverage overall and per group.
 * @param minCustomers groups with fewer finance customers are shown but not compared
 */
export function surveyCoverage(customers: readonly CoverageCustomer[], groupOrder: (a: string, b: string) => number, minCustomers = 30): Coverage {
  const overall = figures(customers);
  if (customers.every((c) => c.group === null)) return { overall, byGroup: null, lowest: null, highest: null, uneven: false };
  const members = new Map<string, CoverageCustomer[]>();
  for (const c of customers) {
    if (c.group === null) continue;
    let list = members.get(c.group);
    if (!list) members.set(c.group, (list = []));
    list.push(c);
  }
  const byGroup = [...members.keys()].sort(groupOrder).map((group) => ({ group, ...figures(members.get(group)!) }));
  const compared = byGroup.filter((g) => g.customers >= minCustomers && g.customerShare !== null);
  let lowest: Coverage["lowest"] = null;
  let highest: Coverage["highest"] = null;
  for (const g of compared) {
    if (!lowest || g.customerShare! < lowest.customerShare) lowest = { group: g.group, customerShare: g.customerShare! };
    if (!highest || g.customerShare! > highest.customerShare) highest = { group: g.group, customerShare: g.customerShare! };
  }
  const uneven = lowest !== null && highest !== null && highest.customerShare > 0 && highest.customerShare >= 2 * lowest.customerShare;
  return { overall, byGroup, lowest, highest, uneven };
}
