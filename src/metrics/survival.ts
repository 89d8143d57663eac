/**
 * Survival from the answer: how long customers stay after they answered, per NPS category
 * (Kaplan–Meier), whether the categories differ (log-rank), and by how much (Cox, promoters the
 * reference). Time runs in months from the month of each matched customer's latest response r:
 * a customer whose last month with a finance row l is before the file's last month P left at
 * t = l − r + 1; one still there is censored at t = P − r. Customers who left before answering
 * (l < r) and those who answered in the last month (r = P, no follow-up) are left out and counted.
 */
import { coxEfron, kaplanMeier, logRank, medianSurvival, survivalAt, type Subject, type SurvivalAt } from "../stats/survival.js";
import { NPS_CATEGORIES, type NpsCategory } from "./nps.js";

export const SURVIVAL_TIMES = [3, 6, 12] as const;

export interface SurvivalCustomer {
  category: NpsCategory;
  /** Ordinal (in the finance file's periods) of the latest response's period; null without a date. */
  responsePeriod: number | null;
  /** Ordinal of the customer's last period with a finance row. */
  lastPeriod: number;
  churned: boolean;
}

export interface SurvivalCurve {
  n: number;
  events: number;
  at: SurvivalAt[];
  /** Months until half have left; null when fewer than half left during the follow-up. */
  median: number | null;
  /** 1 − S(12); null when the follow-up is shorter than 12 months. */
  twelveMonthChurn: number | null;
  /** The longest follow-up, in months. */
  followUp: number;
  /** The curve: S(t) after each month with a departure, from S(0) = 1 (for a chart). */
  steps: { t: number; survival: number }[];
}

export interface SurvivalSection {
  excluded: { leftBeforeAnswering: number; noFollowUp: number; undated: number };
  overall: SurvivalCurve;
  byCategory: ({ category: NpsCategory } & SurvivalCurve)[];
  logRank: { chiSquare: number; df: number; p: number } | null;
  cox: {
    terms: { category: NpsCategory; coefficient: number; stdError: number; hazardRatio: number; ciLow: number; ciHigh: number; p: number }[];
    lrTest: number;
    lrDf: number;
    lrP: number;
  } | null;
  summary: string | null;
}

function curve(subjects: readonly Subject[]): SurvivalCurve {
  const steps = kaplanMeier(subjects);
  const followUp = subjects.reduce((max, s) => Math.max(max, s.time), 0);
  const at = SURVIVAL_TIMES.map((t) => survivalAt(steps, followUp, t));
  const twelve = at.find((a) => a.t === 12)!.survival;
  return {
    n: subjects.reduce((sum, s) => sum + (s.count ?? 1), 0),
    events: subjects.reduce((sum, s) => sum + (s.event ? (s.count ?? 1) : 0), 0),
    at,
    median: medianSurvival(steps),
    twelveMonthChurn: twelve === null ? null : 1 - twelve,
    followUp,
    steps: [{ t: 0, survival: 1 }, ...steps.map((s) => ({ t: s.time, survival: s.survival }))],
  };
}

/**
 * The survival section; null when no customer has a follow-up.
 * @param lastPeriod the finance file's last period P
 * @param monthsPerPeriod 1, 3 or 12: times are reported in months
 */
export function survivalFromAnswer(customers: Iterable<SurvivalCustomer>, lastPeriod: number, monthsPerPeriod: number): SurvivalSection | null {
  const excluded = { leftBeforeAnswering: 0, noFollowUp: 0, undated: 0 };
  // customers alike (the same time, event and category) as one subject with a count, in the order
  // each first appears: whole counts give every estimate the same bits as customer by customer
  const subjects: (Subject & { count: number; category: NpsCategory })[] = [];
  // (a number for the usual whole months: time·6 + event·3 + category; a string otherwise)
  const cellOf = new Map<number | string, number>();
  let customersFollowed = 0;
  for (const c of customers) {
    if (c.responsePeriod === null) excluded.undated += 1;
    else if (c.lastPeriod < c.responsePeriod) excluded.leftBeforeAnswering += 1;
    else if (c.responsePeriod >= lastPeriod) excluded.noFollowUp += 1;
    else {
      const time = (c.churned ? c.lastPeriod - c.responsePeriod + 1 : lastPeriod - c.responsePeriod) * monthsPerPeriod;
      const key = Number.isSafeInteger(time) && time >= 0 && time < 2 ** 48 ? time * 6 + (c.churned ? 3 : 0) + NPS_CATEGORIES.indexOf(c.category) : `${time},${c.churned ? 1 : 0},${c.category}`;
      const cell = cellOf.get(key);
      if (cell === undefined) {
        cellOf.set(key, subjects.length);
        subjects.push({ time, event: c.churned, count: 1, category: c.category });
      } else subjects[cell]!.count += 1;
      customersFollowed += 1;
    }
  }
  if (subjects.length === 0) return null;
  const present = NPS_CATEGORIES.filter((k) => subjects.some((s) => s.category === k));
  const byCategory = present.map((category) => ({ category, ...curve(subjects.filter((s) => s.category === category)) }));
  const test = logRank(present.map((k) => subjects.filter((s) => s.category === k)));
  // Cox: a dummy per non-reference category present; promoters are the reference when they are there
  let cox: SurvivalSection["cox"] = null;
  if (present.includes("promoter") && present.length > 1) {
    const others = present.filter((k) => k !== "promoter");
    const fit = coxEfron(subjects, subjects.map((s) => others.map((k) => (s.category === k ? 1 : 0))));
    if (fit) {
      cox = {
        terms: fit.terms.map((t, i) => ({ category: others[i]!, coefficient: t.coefficient, stdError: t.stdError, hazardRatio: t.hazardRatio, ciLow: t.ciLow, ciHigh: t.ciHigh, p: t.p })),
        lrTest: fit.lrTest,
        lrDf: fit.lrDf,
        lrP: fit.lrP,
      };
    }
  }
  const detractors = cox?.terms.find((t) => t.category === "detractor");
  const summary = detractors
    ? `detractors leave ${detractors.hazardRatio.toFixed(1)}× as fast as promoters after answering (95% CI ${detractors.ciLow.toFixed(1)}× to ${detractors.ciHigh.toFixed(1)}×, Cox model, ${customersFollowed.toLocaleString("en-US")} customers)`
    : null;
  return {
    excluded,
    overall: curve(subjects),
    byCategory,
    logRank: test ? { chiSquare: test.chiSquare, df: test.df, p: test.p } : null,
    cox,
    summary,
  };
}
