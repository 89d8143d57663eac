/**
 * The small loop (issue "Act on it", item 4): per owner of the customer interaction (agent, store,
 * account manager, team) the NPS with its interval, how it differs from everyone else's (Holm-
 * adjusted over the owners, so that with many owners chance alone flags none), the change since
 * the previous period, the detractors to call back and the promoters' comments worth sharing. Pure.
 */
import { latestResponse } from "../join/latest-response.js";
import type { SurveyResponse } from "../normalise/survey.js";
import { addCategoryToNpsTally, emptyNpsTally, mergeNpsTallies, npsDifference, npsSummary, type NpsSummary, type NpsTally } from "./nps.js";
import { periodLabel, periodOrdinal, type TrendUnit } from "./trend.js";

/**
 * Holm's step-down adjustment of p-values (as R's p.adjust(p, "holm")): sorted ascending, the
 * i-th (1-based) of m becomes max over j ≤ i of min(1, (m − j + 1) p_j). Nulls stay null and do
 * not count in m.
 * @example holm([0.01, 0.04, 0.03]) // => [0.03, 0.06, 0.06]
 */
export function holm(p: readonly (number | null)[]): (number | null)[] {
  const order = p.map((value, index) => ({ value, index })).filter((e): e is { value: number; index: number } => e.value !== null).sort((a, b) => a.value - b.value || a.index - b.index);
  const m = order.length;
  const adjusted: (number | null)[] = p.map(() => null);
  let running = 0;
  order.forEach((e, i) => {
    running = Math.max(running, Math.min(1, (m - i) * e.value));
    adjusted[e.index] = running;
  });
  return adjusted;
}

export interface VersusRest {
  /** This NPS less the NPS of all the others' answers pooled, in points. */
  difference: number;
  ciLow: number;
  ciHigh: number;
  /** Two-sided p (two-sample Wald); null when the standard error is 0. */
  p: number | null;
  /** Holm-adjusted over the units that are not small. */
  adjustedP: number | null;
}

/**
 * Each unit (owner, group) against all the others pooled, with Holm's adjustment over the units
 * of at least `minN` answers; flagged "below" or "above" the rest when the adjusted p is under 5%.
 * A small unit gets no comparison at all (null), not an interval its answers cannot support.
 */
export function versusRest(units: readonly { tally: NpsTally; small: boolean }[], minN: number): { vsRest: VersusRest | null; flag: "below" | "above" | null }[] {
  const rows = units.map((unit, i) => {
    let rest = emptyNpsTally();
    units.forEach((other, j) => {
      if (j !== i) rest = mergeNpsTallies(rest, other.tally);
    });
    // a small unit's interval would rest on a normal approximation its few answers do not support
    if (unit.small || unit.tally.weight === 0 || rest.weight === 0) return null;
    const d = npsDifference(npsSummary(unit.tally, minN), npsSummary(rest, minN));
    return { difference: d.difference, ciLow: d.ciLow, ciHigh: d.ciHigh, p: d.p, adjustedP: null as number | null };
  });
  const adjusted = holm(rows.map((r, i) => (units[i]!.small || r === null ? null : r.p)));
  return rows.map((r, i) => {
    if (r) r.adjustedP = adjusted[i] ?? null;
    const q = adjusted[i];
    return { vsRest: r, flag: r !== null && q !== null && q !== undefined && q < 0.05 ? (r.difference < 0 ? "below" : "above") : null };
  });
}

export interface NpsFigure {
  n: number;
  nps: number;
  ciLow: number;
  ciHigh: number;
}

export interface PeriodFigure extends NpsFigure {
  period: string;
}

export interface CallBack {
  customerId: string;
  score: number;
  group: string | null;
  /** Date of the answer (UTC milliseconds); null without dates. */
  date: number | null;
  comment: string | null;
  /** Revenue over the window; null without finance (or an unmatched customer). */
  revenue: number | null;
  churned: boolean | null;
}

export interface SharedComment {
  customerId: string | null;
  score: number;
  date: number | null;
  comment: string;
}

export interface OwnerFeedback {
  owner: string;
  responses: number;
  overall: NpsFigure;
  /** This owner's NPS less everyone else's, with its 95% interval and p (two-sample Wald); null for a small owner, or when either side has no answers. */
  vsRest: VersusRest | null;
  /** "below" / "above" the rest when the Holm-adjusted p is under 5%; null otherwise or for a small owner. */
  flag: "below" | "above" | null;
  /** Fewer responses than --min-n: never flagged. */
  small: boolean;
  latest: PeriodFigure | null;
  previous: PeriodFigure | null;
  /** latest − previous with its 95% interval; null without both, or when either has fewer than --min-n answers. */
  change: { difference: number; ciLow: number; ciHigh: number; p: number | null } | null;
  /** Why there is no change, when there is none. */
  changeAbsent: string | null;
  /** Detractors whose latest answer went to this owner (in the latest period, with dates): those still there first, then by value. */
  callBack: CallBack[];
  /** How many detractors qualified before --top cut callBack. */
  callBackCount: number;
  /** Promoters' comments of the latest period (every period without dates), most recent first. */
  share: SharedComment[];
  shareCount: number;
}

export interface FeedbackResult {
  unit: TrendUnit | null;
  latestPeriod: string | null;
  previousPeriod: string | null;
  overall: NpsFigure;
  owners: OwnerFeedback[];
}

export interface FeedbackOptions {
  /** The period of the change and of the lists (month, quarter, year); null: no periods (no dates). */
  unit: TrendUnit | null;
  minN: number;
  /** How many detractors and comments to list per owner. */
  top: number;
  /** Revenue and churn per customer id, from the join; empty without finance. */
  value: ReadonlyMap<string, { revenue: number; churned: boolean | null }>;
  /** The owners' order (a collator). */
  compare: (a: string, b: string) => number;
}

const figure = (s: NpsSummary): NpsFigure => ({ n: s.n, nps: s.nps, ciLow: s.ciLow, ciHigh: s.ciHigh });

type FeedbackResponse = Pick<SurveyResponse, "customerId" | "date" | "order" | "owner" | "category" | "score" | "weight" | "comment" | "group">;

export function feedbackByOwner(responses: readonly FeedbackResponse[], options: FeedbackOptions): FeedbackResult {
  const unitOf = (date: number | null): number | null => (date === null || options.unit === null ? null : periodOrdinal(date, options.unit));
  const owned = responses.filter((r) => r.owner !== null);
  const periods = owned.map((r) => unitOf(r.date)).filter((p): p is number => p !== null);
  const last = periods.length > 0 ? periods.reduce((a, b) => Math.max(a, b)) : null;
  const inLast = (r: FeedbackResponse) => last === null || unitOf(r.date) === last;

  const tallies = new Map<string, { all: NpsTally; latest: NpsTally; previous: NpsTally; responses: FeedbackResponse[] }>();
  const total = emptyNpsTally();
  for (const r of owned) {
    const key = r.owner!;
    if (!tallies.has(key)) tallies.set(key, { all: emptyNpsTally(), latest: emptyNpsTally(), previous: emptyNpsTally(), responses: [] });
    const t = tallies.get(key)!;
    addCategoryToNpsTally(t.all, r.category, r.weight);
    addCategoryToNpsTally(total, r.category, r.weight);
    const p = unitOf(r.date);
    if (last !== null && p === last) addCategoryToNpsTally(t.latest, r.category, r.weight);
    if (last !== null && p === last - 1) addCategoryToNpsTally(t.previous, r.category, r.weight);
    t.responses.push(r);
  }
  const summary = (t: NpsTally) => (t.weight > 0 ? npsSummary(t, options.minN) : null);
  // a customer is called back by the owner of its latest answer, once
  const latestOf = latestResponse(owned);
  const names = [...tallies.keys()].sort(options.compare);
  const rows = names.map((owner) => {
    const t = tallies.get(owner)!;
    const mine = summary(t.all)!;
    const latest = summary(t.latest);
    const previous = summary(t.previous);
    // a change between two handfuls of answers would rest on an interval that does not hold (one answer has a standard error of 0)
    const enough = latest !== null && previous !== null && latest.n >= options.minN && previous.n >= options.minN;
    const change = enough ? npsDifference(latest, previous) : null;
    const changeAbsent =
      last === null
        ? "no response dates"
        : enough
          ? null
          : `${latest?.n ?? 0} answers in ${periodLabel(last, options.unit!)} and ${previous?.n ?? 0} in ${periodLabel(last - 1, options.unit!)}: a change needs ${options.minN} in each (--min-n)`;
    const callBack: CallBack[] = t.responses
      .filter((r) => r.category === "detractor" && r.customerId !== null && latestOf.get(r.customerId) === r && inLast(r))
      .map((r) => {
        const money = options.value.get(r.customerId!);
        return { customerId: r.customerId!, score: r.score, group: r.group, date: r.date, comment: r.comment, revenue: money?.revenue ?? null, churned: money?.churned ?? null };
      })
      // those still with the company first (they can be kept), then by value
      .sort((a, b) => Number(a.churned === true) - Number(b.churned === true) || (b.revenue ?? -Infinity) - (a.revenue ?? -Infinity) || (b.date ?? -Infinity) - (a.date ?? -Infinity) || (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0));
    const share: SharedComment[] = t.responses
      .filter((r) => r.category === "promoter" && r.comment !== null && inLast(r))
      .map((r) => ({ customerId: r.customerId, score: r.score, date: r.date, comment: r.comment!, order: r.order }))
      .sort((a, b) => (b.date ?? -Infinity) - (a.date ?? -Infinity) || b.order - a.order)
      .map(({ order: _order, ...rest }) => rest);
    return {
      owner,
      responses: t.responses.length,
      overall: figure(mine),
      small: mine.n < options.minN,
      latest: latest && last !== null ? { period: periodLabel(last, options.unit!), ...figure(latest) } : null,
      previous: previous && last !== null ? { period: periodLabel(last - 1, options.unit!), ...figure(previous) } : null,
      change: change ? { difference: change.difference, ciLow: change.ciLow, ciHigh: change.ciHigh, p: change.p } : null,
      changeAbsent,
      callBack: callBack.slice(0, options.top),
      callBackCount: callBack.length,
      share: share.slice(0, options.top),
      shareCount: share.length,
    };
  });
  // Holm over the owners that are large enough to be judged
  const judged = versusRest(names.map((owner, i) => ({ tally: tallies.get(owner)!.all, small: rows[i]!.small })), options.minN);
  const owners: OwnerFeedback[] = rows.map((r, i) => ({ ...r, ...judged[i]! }));
  return {
    unit: last === null ? null : options.unit,
    latestPeriod: last === null ? null : periodLabel(last, options.unit!),
    previousPeriod: last === null ? null : periodLabel(last - 1, options.unit!),
    overall: figure(npsSummary(total, options.minN)),
    owners,
  };
}
