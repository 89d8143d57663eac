/**
 * The service-profit chain (Heskett et al.; shared/METHODS.md b5, "Employee linkage"): per group
 * the employees' eNPS or engagement, the customers' NPS and the margin (or revenue) per customer;
 * across groups the three correlations of the chain with Fisher-z 95% intervals and n groups.
 */
import { fisherInterval, pearson } from "../stats/correlation.js";

export interface ChainGroup {
  group: string;
  employee: number;
  employeeRows: number;
  nps: number | null;
  /** Margin per customer, or revenue per customer without cost; null without finance. */
  money: number | null;
}

export interface ChainLink {
  /** "employee~nps", "nps~money", "employee~money". */
  from: "employee" | "nps";
  to: "nps" | "money";
  n: number;
  r: number | null;
  p: number | null;
  ciLow: number | null;
  ciHigh: number | null;
}

/** Correlation of two columns over the groups that have both, with its Fisher-z interval. */
function link(groups: readonly ChainGroup[], from: ChainLink["from"], to: ChainLink["to"]): ChainLink {
  const value = (g: ChainGroup, key: "employee" | "nps" | "money") => (key === "employee" ? g.employee : g[key]);
  const usable = groups.filter((g) => value(g, from) !== null && value(g, to) !== null);
  // two points always lie on a line: a correlation needs at least three groups
  if (usable.length < 3) return { from, to, n: usable.length, r: null, p: null, ciLow: null, ciHigh: null };
  const test = pearson(usable.map((g) => value(g, from)!), usable.map((g) => value(g, to)!));
  const interval = fisherInterval(test.r, usable.length);
  return { from, to, n: usable.length, r: test.r, p: test.p, ciLow: interval?.[0] ?? null, ciHigh: interval?.[1] ?? null };
}

/** The three links: employees → customers' NPS → money, and employees → money directly. */
export function serviceProfitChain(groups: readonly ChainGroup[]): ChainLink[] {
  return [link(groups, "employee", "nps"), link(groups, "nps", "money"), link(groups, "employee", "money")];
}
