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

interface Tally {
  customers: number;
  respondents: number;
  revenue: number;
  respondentRevenue: number;
}

const emptyTally = (): Tally => ({ customers: 0, respondents: 0, revenue: 0, respondentRevenue: 0 });

function addTo(tally: Tally, c: CoverageCustomer): void {
  tally.customers += 1;
  tally.revenue += c.revenue;
  if (c.answered) {
    tally.respondents += 1;
    tally.respondentRevenue += c.revenue;
  }
}

function figures({ customers, respondents, revenue, respondentRevenue }: Tally): CoverageFigures {
  return {
    customers,
    respondents,
    customerShare: customers === 0 ? null : respondents / customers,
    revenue,
    respondentRevenue,
    revenueShare: revenue === 0 ? null : respondentRevenue / revenue,
  };
}

/**
 * Coverage overall and per group, in one pass over the customers (each sum in their order).
 * @param minCustomers groups with fewer finance customers are shown but not compared
 */
export function surveyCoverage(customers: Iterable<CoverageCustomer>, groupOrder: (a: string, b: string) => number, minCustomers = 30): Coverage {
  const all = emptyTally();
  const tallies = new Map<string, Tally>();
  let grouped = false;
  for (const c of customers) {
    addTo(all, c);
    if (c.group === null) continue;
    grouped = true;
    let tally = tallies.get(c.group);
    if (!tally) tallies.set(c.group, (tally = emptyTally()));
    addTo(tally, c);
  }
  return coverageOf(all, grouped ? tallies : null, groupOrder, minCustomers);
}

/** A group's sums, summed elsewhere (finance aggregates: by the engine that made them); group null for customers without one. */
export interface CoverageTally {
  group: string | null;
  customers: number;
  respondents: number;
  revenue: number;
  respondentRevenue: number;
}

/**
 * surveyCoverage from sums per group made elsewhere (finance aggregates): the overall figures are
 * the groups' sums (those without a group included); per group only where some customer has one.
 */
export function coverageFromTallies(groups: Iterable<CoverageTally>, groupOrder: (a: string, b: string) => number, minCustomers = 30): Coverage {
  const all = emptyTally();
  const tallies = new Map<string, Tally>();
  for (const g of groups) {
    all.customers += g.customers;
    all.respondents += g.respondents;
    all.revenue += g.revenue;
    all.respondentRevenue += g.respondentRevenue;
    if (g.group !== null) tallies.set(g.group, { customers: g.customers, respondents: g.respondents, revenue: g.revenue, respondentRevenue: g.respondentRevenue });
  }
  return coverageOf(all, tallies.size > 0 ? tallies : null, groupOrder, minCustomers);
}

function coverageOf(all: Tally, tallies: Map<string, Tally> | null, groupOrder: (a: string, b: string) => number, minCustomers: number): Coverage {
  const overall = figures(all);
  if (tallies === null) return { overall, byGroup: null, lowest: null, highest: null, uneven: false };
  const byGroup = [...tallies.keys()].sort(groupOrder).map((group) => ({ group, ...figures(tallies.get(group)!) }));
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
