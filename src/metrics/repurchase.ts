/**
 * Loyalty in a transactional business (one-off purchases, an e-commerce shop): churn has no meaning
 * when most customers buy once, so the measure is the repurchase rate. Per category, among the
 * customers who answered at least K periods before the file's end: the share who bought again in
 * the K periods after their answer (Wilson interval, and its ratio to the promoters' with the Katz
 * interval), their revenue in those K periods, and the time to the next purchase (Kaplan–Meier,
 * censored at the file's end).
 */
import { kaplanMeier, medianSurvival, survivalAt, type Subject } from "../stats/survival.js";
import { riskRatio, wilsonInterval } from "./churn.js";
import { NPS_CATEGORIES, type NpsCategory } from "./nps.js";

export interface RepurchaseCustomer {
  category: NpsCategory;
  /** The period of the latest answer; null without a date. */
  responsePeriod: number | null;
  /** The first period with a purchase after it; null when none. */
  nextPurchase: number | null;
  /** Revenue in the K periods after the answer. */
  revenueAfter: number;
}

export interface Repurchase {
  window: number;
  excluded: { tooLate: number; undated: number };
  byCategory: {
    category: NpsCategory;
    eligible: number;
    repurchased: number;
    rate: number | null;
    ciLow: number | null;
    ciHigh: number | null;
    ratioToPromoters: number | null;
    ratioCiLow: number | null;
    ratioCiHigh: number | null;
    /** Mean revenue in the K periods after the answer, over the eligible customers. */
    revenuePerCustomer: number | null;
    /** Time to the next purchase: the share back within 3, 6 and 12 months (null past the follow-up), and the median. */
    timeToNext: { n: number; events: number; at: { t: number; back: number | null }[]; median: number | null };
  }[];
  summary: string | null;
}

/**
 * @param lastPeriod the file's last period P
 * @param window K, in periods
 * @param monthsPerPeriod 1, 3 or 12: the time to the next purchase is in months
 */
export function repurchaseByCategory(customers: readonly RepurchaseCustomer[], lastPeriod: number, window: number, monthsPerPeriod: number): Repurchase {
  const excluded = { tooLate: 0, undated: 0 };
  const eligible = new Map(NPS_CATEGORIES.map((k) => [k, [] as RepurchaseCustomer[]]));
  const followed = new Map(NPS_CATEGORIES.map((k) => [k, [] as Subject[]]));
  for (const c of customers) {
    if (c.responsePeriod === null) {
      excluded.undated += 1;
      continue;
    }
    if (c.responsePeriod < lastPeriod) {
      const event = c.nextPurchase !== null;
      followed.get(c.category)!.push({ time: (event ? c.nextPurchase! - c.responsePeriod : lastPeriod - c.responsePeriod) * monthsPerPeriod, event });
    }
    if (c.responsePeriod > lastPeriod - window) excluded.tooLate += 1;
    else eligible.get(c.category)!.push(c);
  }
  const back = (c: RepurchaseCustomer) => c.nextPurchase !== null && c.nextPurchase <= c.responsePeriod! + window;
  const promoters = eligible.get("promoter")!;
  const promotersBack = promoters.filter(back).length;
  const byCategory = NPS_CATEGORIES.map((category) => {
    const group = eligible.get(category)!;
    const repurchased = group.filter(back).length;
    const interval = wilsonInterval(repurchased, group.length);
    const ratio = riskRatio(repurchased, group.length, promotersBack, promoters.length);
    const subjects = followed.get(category)!;
    const steps = kaplanMeier(subjects);
    const followUp = subjects.reduce((max, s) => Math.max(max, s.time), 0);
    return {
      category,
      eligible: group.length,
      repurchased,
      rate: group.length === 0 ? null : repurchased / group.length,
      ciLow: interval?.[0] ?? null,
      ciHigh: interval?.[1] ?? null,
      ratioToPromoters: ratio?.ratio ?? null,
      ratioCiLow: ratio?.ciLow ?? null,
      ratioCiHigh: ratio?.ciHigh ?? null,
      revenuePerCustomer: group.length === 0 ? null : group.reduce((sum, c) => sum + c.revenueAfter, 0) / group.length,
      timeToNext: {
        n: subjects.length,
        events: subjects.filter((s) => s.event).length,
        at: [3, 6, 12].map((t) => {
          const s = subjects.length === 0 ? null : survivalAt(steps, followUp, t).survival;
          return { t, back: s === null ? null : 1 - s };
        }),
        median: medianSurvival(steps),
      },
    };
  });
  const p = byCategory.find((c) => c.category === "promoter")!;
  const d = byCategory.find((c) => c.category === "detractor")!;
  const summary =
    p.rate !== null && d.rate !== null
      ? `${(p.rate * 100).toFixed(0)}% of promoters bought again within ${window} periods of answering, against ${(d.rate * 100).toFixed(0)}% of detractors` +
        (d.ratioToPromoters !== null ? ` (detractors ${d.ratioToPromoters.toFixed(2)}× the promoters' rate, 95% CI ${d.ratioCiLow!.toFixed(2)} to ${d.ratioCiHigh!.toFixed(2)})` : "")
      : null;
  return { window, excluded, byCategory, summary };
}

/**
 * Transactional when, over a window of at least 6 periods, most customers have rows in one period
 * only (they bought once): churn then says nothing.
 */
export function looksTransactional(singlePeriodShare: number | null, windowPeriods: number | null): boolean {
  return singlePeriodShare !== null && windowPeriods !== null && windowPeriods >= 6 && singlePeriodShare >= 0.5;
}
