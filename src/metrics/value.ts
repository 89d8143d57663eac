/**
 * Money at stake (shared/METHODS.md b5): revenue at risk, and what-if scenarios that move
 * customers between NPS categories or lower churn, each with its one-year revenue and margin
 * effect, its lifetime-value effect, and the assumptions it rests on, in words.
 */
import type { NpsCategory } from "./nps.js";
import { DEFAULT_DISCOUNT, discountedLifetimeValue, type CategoryRetention, type Discount } from "./retention.js";

export type Scenario =
  | { kind: "detractors-to-passives" | "passives-to-promoters"; share: number }
  | { kind: "retention"; points: number };

export interface AtRiskRevenue {
  category: NpsCategory;
  /** Customers of the category still there (not churned). */
  activeCustomers: number;
  /** Their annualised revenue: Σ run-rates. */
  runRate: number;
  /** The category's probability of leaving within 12 months; null when unknown. */
  leaveProbability: number | null;
  /** "survival": 1 − S(12) after the answer (Kaplan–Meier); "hazard": 1 − (1 − monthly hazard)^12. */
  probabilitySource: "survival" | "hazard" | null;
  /** runRate × leaveProbability: next year's revenue expected to leave with the customers who go. */
  revenueAtRisk: number | null;
}

export interface ScenarioValue {
  /** The scenario as written: "detractors-to-passives=10%", "retention=+5pp". */
  name: string;
  kind: Scenario["kind"];
  /** Customers moved (a share of the category's matched customers), or kept by lower churn in a year. */
  customers: number;
  oneYearRevenue: number | null;
  /** null without a cost column. */
  oneYearMargin: number | null;
  /** The change in total lifetime value (margin, or revenue without cost); null when it is unbounded. */
  lifetimeValue: number | null;
  assumptions: string[];
}

/** The figures of one category that value needs (from retention, plus the window's revenue and churn). */
export interface CategoryEconomics {
  category: NpsCategory;
  customers: number;
  revenue: number;
  /** Margin over the window; null without cost. */
  margin: number | null;
  retention: CategoryRetention;
  /** Matched customers still there. */
  active: number;
  /** Their mean annual run-rate; null without any. */
  runRate: number | null;
}

export function scenarioName(scenario: Scenario): string {
  return scenario.kind === "retention" ? `retention=${scenario.points >= 0 ? "+" : ""}${round(scenario.points * 100)}pp` : `${scenario.kind}=${round(scenario.share * 100)}%`;
}

const round = (x: number) => Math.round(x * 1e9) / 1e9;

/**
 * Forward-looking revenue at risk per category: the annualised run-rate of the customers still
 * there × the category's probability of leaving within 12 months (1 − S(12) from the survival
 * curve after the answer where the follow-up reaches 12 months, else 1 − (1 − h)^12 from the
 * monthly hazard). Revenue already earned, and customers already gone, are not in it. Per
 * category: its active customers and the sum of their run-rates (one without a run-rate adds 0).
 */
export function revenueAtRisk(
  categories: readonly { category: NpsCategory; activeCustomers: number; runRate: number; twelveMonthChurn: number | null; annualChurn: number | null }[],
): { byCategory: AtRiskRevenue[]; total: number | null } {
  const byCategory = categories.map((c): AtRiskRevenue => {
    const runRate = c.runRate;
    const [leaveProbability, probabilitySource] = c.twelveMonthChurn !== null ? [c.twelveMonthChurn, "survival" as const] : c.annualChurn !== null ? [c.annualChurn, "hazard" as const] : [null, null];
    return { category: c.category, activeCustomers: c.activeCustomers, runRate, leaveProbability, probabilitySource, revenueAtRisk: leaveProbability === null ? null : runRate * leaveProbability };
  });
  const total = byCategory.every((c) => c.revenueAtRisk !== null || c.activeCustomers === 0) ? byCategory.reduce((sum, c) => sum + (c.revenueAtRisk ?? 0), 0) : null;
  return { byCategory, total };
}

interface Annual {
  /** A year of revenue of an active customer of the category: its mean run-rate; null without active customers. */
  revenue: number | null;
  /** The same × the category's margin / revenue over the window; null without cost. */
  margin: number | null;
  churn: number | null;
}

function annual(c: CategoryEconomics): Annual {
  const revenue = c.runRate;
  return {
    revenue,
    margin: revenue === null || c.margin === null || c.revenue === 0 ? null : revenue * (c.margin / c.revenue),
    churn: c.retention.annualChurn,
  };
}

const money = (x: number) => Math.round(x).toLocaleString("en-US");
const percent = (x: number) => `${(Math.round(x * 1000) / 10).toFixed(1)}%`;

/**
 * The value of one scenario, on the customers still there: a share of a category's active customers
 * moves (or, for retention, every category's annual churn falls by the points), each with its
 * category's run-rate; the lifetime effect is in discounted lifetime value, which is bounded.
 */
export function scenarioValue(scenario: Scenario, categories: readonly CategoryEconomics[], basis: "margin" | "revenue", discount: Discount = DEFAULT_DISCOUNT): ScenarioValue {
  const of = (category: NpsCategory) => categories.find((c) => c.category === category)!;
  const name = scenarioName(scenario);
  const horizon = `${discount.horizonMonths} months discounted at ${round(discount.annualRate * 100)}% a year`;
  const common = [
    "counts only the surveyed customers matched to finance who are still there; customers who did not answer, and those already gone, are left out",
    "one year: a customer who stays brings a year at its category's run-rate (revenue per period over the file's last three periods, annualised), one who leaves brings none",
    `lifetime value = ${basis} per customer-month while the customer stays, at the category's monthly churn hazard, over ${horizon}`,
  ];
  if (scenario.kind === "retention") {
    let customers = 0;
    let revenue: number | null = 0;
    let margin: number | null = 0;
    let lifetime: number | null = 0;
    for (const c of categories) {
      if (c.active === 0) continue;
      const a = annual(c);
      const hazard = c.retention.monthlyHazard;
      if (a.churn === null || a.revenue === null || hazard === null) {
        revenue = margin = lifetime = null;
        continue;
      }
      const lower = Math.max(0, a.churn - scenario.points);
      const kept = c.active * (a.churn - lower);
      customers += kept;
      if (revenue !== null) revenue += kept * a.revenue;
      margin = margin === null || a.margin === null ? null : margin + kept * a.margin;
      const monthlyHazard = 1 - (1 - lower) ** (1 / 12);
      const value = c.retention.monthlyValue;
      lifetime = lifetime === null || value === null ? null : lifetime + c.active * (discountedLifetimeValue(value, monthlyHazard, discount) - discountedLifetimeValue(value, hazard, discount));
    }
    return {
      name,
      kind: scenario.kind,
      customers,
      oneYearRevenue: revenue,
      oneYearMargin: margin,
      lifetimeValue: lifetime,
      assumptions: [
        `every category's annual churn (1 − (1 − monthly hazard)^12) falls by ${round(scenario.points * 100)} percentage points, to no less than 0`,
        ...categories.map(
          (c) =>
            `${c.category}s: annual churn ${c.retention.annualChurn === null ? "unknown" : `${percent(c.retention.annualChurn)} → ${percent(Math.max(0, c.retention.annualChurn - scenario.points))}`}, ` +
            `${c.active} customers still there${c.runRate === null ? "" : `, ${money(c.runRate)} a year each`}`,
        ),
        ...common,
      ],
    };
  }
  const [fromName, toName]: [NpsCategory, NpsCategory] = scenario.kind === "detractors-to-passives" ? ["detractor", "passive"] : ["passive", "promoter"];
  const from = of(fromName);
  const to = of(toName);
  const k = scenario.share * from.active;
  const a = annual(from);
  const b = annual(to);
  const oneYear = (x: number | null, y: number | null) => {
    if (k === 0) return 0;
    return x === null || y === null || a.churn === null || b.churn === null ? null : k * ((1 - b.churn) * y - (1 - a.churn) * x);
  };
  const ltvOf = (c: CategoryEconomics) =>
    c.retention.monthlyValue === null || c.retention.monthlyHazard === null ? null : discountedLifetimeValue(c.retention.monthlyValue, c.retention.monthlyHazard, discount);
  const ltvFrom = ltvOf(from);
  const ltvTo = ltvOf(to);
  return {
    name,
    kind: scenario.kind,
    customers: k,
    oneYearRevenue: oneYear(a.revenue, b.revenue),
    oneYearMargin: oneYear(a.margin, b.margin),
    lifetimeValue: k === 0 ? 0 : ltvFrom === null || ltvTo === null ? null : k * (ltvTo - ltvFrom),
    assumptions: [
      `${round(scenario.share * 100)}% of the ${from.active} ${fromName}s still there (${round(k)} customers) become ${toName}s`,
      `a moved customer takes on the ${toName}s' run-rate${b.margin === null ? "" : " and margin"}${b.revenue === null ? "" : ` (${money(b.revenue)} a year instead of ${a.revenue === null ? "?" : money(a.revenue)})`} and their annual churn (${b.churn === null ? "unknown" : percent(b.churn)} instead of ${a.churn === null ? "unknown" : percent(a.churn)})`,
      "the difference between categories is taken as caused by loyalty; other differences between the customers are ignored",
      ...common,
    ],
  };
}

/**
 * Reads a scenario as written on the command line.
 * @example parseScenario("detractors-to-passives=10%") // => { kind: "detractors-to-passives", share: 0.1 }
 * @example parseScenario("retention=+5pp") // => { kind: "retention", points: 0.05 }
 * @throws {RangeError} with what was expected
 */
export function parseScenario(text: string): Scenario {
  const match = /^\s*(detractors-to-passives|passives-to-promoters|retention)\s*=\s*(.+?)\s*$/.exec(text);
  if (!match) throw new RangeError(`"${text}" is not a scenario; write detractors-to-passives=10%, passives-to-promoters=10% or retention=+5pp`);
  const [, kind, amount] = match;
  if (kind === "retention") {
    const points = /^\+?(\d+(?:\.\d+)?)\s*pp$/.exec(amount!);
    if (!points || Number(points[1]) > 100) throw new RangeError(`"${amount}" is not a churn reduction; write it in percentage points, e.g. retention=+5pp`);
    return { kind: "retention", points: Number(points[1]) / 100 };
  }
  const share = /^(\d+(?:\.\d+)?)\s*%$/.exec(amount!);
  if (!share || Number(share[1]) > 100) throw new RangeError(`"${amount}" is not a share of customers; write a percentage from 0% to 100%, e.g. ${kind}=10%`);
  return { kind: kind as "detractors-to-passives" | "passives-to-promoters", share: Number(share[1]) / 100 };
}

export interface HeadlineClaims {
  /** "A loyal customer is worth N× their first purchase": discounted lifetime revenue / mean first-period revenue. */
  firstPurchaseMultiple: { category: NpsCategory; lifetimeRevenue: number | null; firstPeriodRevenue: number | null; multiple: number | null }[];
  /** "+X points of retention is worth Y% of profit": the retention scenario's one-year margin / the window's margin per year. */
  retentionShareOfProfit: { scenario: string; oneYearMargin: number; annualMargin: number; share: number } | null;
  /** --acquisition-cost: keeping a customer (its discounted lifetime margin) against replacing it. */
  acquisition: { cost: number; byCategory: { category: NpsCategory; keepValue: number | null; replaceCost: number; ratio: number | null }[] } | null;
}

/**
 * The seeds' headline claims, computed from the user's own data (issue "Money a CFO would sign", item 5).
 * @param lifetimeRevenueOf the category's discounted lifetime revenue (revenue per customer-month, its hazard)
 */
export function headlineClaims(input: {
  /** firstRevenue: the sum of the category's customers' first-period revenue (in customer order) and how many they are. */
  categories: readonly { category: NpsCategory; firstRevenue: { sum: number; customers: number }; lifetimeRevenue: number | null; discountedLifetimeValue: number | null }[];
  scenarios: readonly ScenarioValue[];
  /** The matched customers' margin over the window; null without cost. */
  windowMargin: number | null;
  windowMonths: number | null;
  acquisitionCost?: number | undefined;
}): HeadlineClaims {
  const firstPurchaseMultiple = input.categories.map((c) => {
    const first = c.firstRevenue.customers === 0 ? null : c.firstRevenue.sum / c.firstRevenue.customers;
    return { category: c.category, lifetimeRevenue: c.lifetimeRevenue, firstPeriodRevenue: first, multiple: first === null || first <= 0 || c.lifetimeRevenue === null ? null : c.lifetimeRevenue / first };
  });
  const retention = input.scenarios.find((s) => s.kind === "retention");
  const annualMargin = input.windowMargin === null || input.windowMonths === null || input.windowMonths === 0 ? null : (input.windowMargin * 12) / input.windowMonths;
  const retentionShareOfProfit =
    retention && retention.oneYearMargin !== null && annualMargin !== null && annualMargin > 0
      ? { scenario: retention.name, oneYearMargin: retention.oneYearMargin, annualMargin, share: retention.oneYearMargin / annualMargin }
      : null;
  const cost = input.acquisitionCost;
  const acquisition =
    cost === undefined
      ? null
      : { cost, byCategory: input.categories.map((c) => ({ category: c.category, keepValue: c.discountedLifetimeValue, replaceCost: cost, ratio: c.discountedLifetimeValue === null || cost === 0 ? null : c.discountedLifetimeValue / cost })) };
  return { firstPurchaseMultiple, retentionShareOfProfit, acquisition };
}
