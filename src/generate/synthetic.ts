/**
 * Synthetic survey and finance data with a planted, known truth, for demos, tests and
 * benchmarks. Pure and deterministic: the same options give the same rows.
 *
 * The model:
 * - each customer has a loyalty factor f ~ N(0, 1); each response rates five drivers 1-10 as
 *   round(6 + f + e), e ~ N(0, 1) per driver, clamped to 1..10 (about 3% left blank);
 * - the score is round(intercept + Σ coefficient·rating + region effect + N(0, noiseSd²)),
 *   clamped to 0..10; parameters keep clamping rare (< 1%) so OLS recovers the coefficients;
 * - the category of the customer's latest response sets the mean monthly revenue and the
 *   probability of churning within the window; a churned customer has no finance rows from
 *   a random month before the last one on;
 * - each customer has an account manager; two of them (OWNER_EFFECTS) score 1 point below the
 *   others (the effects average 0): the weak owners `feedback` must flag;
 * - about 45% of answers carry a free-text comment about the touchpoint rated lowest (or, from a
 *   promoter, highest); a share of promoters spend far less than their peers (upsell headroom).
 * The account managers, comments and low spenders come from a second random stream, so the other
 * columns are what they were before these were added.
 */
import type { NpsCategory } from "../metrics/nps.js";
import { categoryOf } from "../metrics/nps.js";
import { createRandom, type Random } from "../stats/random.js";

export interface GenerateOptions {
  customers: number;
  months: number;
  seed: number;
  /** First month of the window, as YYYY-MM. Default 2025-01. */
  startMonth?: string;
  /**
   * "window" (default): the latest category sets the probability of churning within the window, at a
   * uniform month after the answer. "hazard": after the latest answer the customer leaves each month
   * with its category's monthly hazard (promoters 2%, passives 2×, detractors 3×): proportional
   * hazards, so the planted hazard ratios are what a Cox model of survival from the answer estimates.
   */
  churnModel?: "window" | "hazard";
}

export interface PlantedTruth {
  seed: number;
  customers: number;
  months: number;
  window: { first: string; last: string };
  drivers: { intercept: number; coefficients: Record<string, number>; noiseSd: number; blankShare: number };
  regionEffects: Record<string, number>;
  /** The account managers' effects on the score (points of the latent score); the negative ones are the planted weak owners. */
  ownerEffects: Record<string, number>;
  /** Promoters drawn to spend `factor` × their category's revenue: the planted upsell headroom, with their ids. */
  upsell: { share: number; factor: number; customers: string[] };
  /** Share of answers with a comment. */
  commentShare: number;
  revenuePerMonth: Record<NpsCategory, number>;
  costShare: number;
  churnProbability: Record<NpsCategory, number>;
  /** Churn probability of passives and detractors relative to promoters. */
  churnRatio: { passive: number; detractor: number };
  /**
   * The planted group effect: the line of expected revenue, margin and churn per matched customer on
   * expected NPS across regions (per NPS point), from Monte-Carlo expectations of the model.
   */
  linkage: {
    draws: number;
    byRegion: Record<string, { nps: number; revenuePerCustomer: number; marginPerCustomer: number; churnRate: number }>;
    revenuePerCustomer: { slope: number; intercept: number };
    marginPerCustomer: { slope: number; intercept: number };
    churnRate: { slope: number; intercept: number };
  };
  /** Which churn model drew the data (see GenerateOptions.churnModel). */
  churnModel: "window" | "hazard";
  /** The "hazard" model's monthly hazards per category and their ratios to promoters (what Cox estimates); null for "window". */
  hazard: { monthly: Record<NpsCategory, number>; ratio: { passive: number; detractor: number } } | null;
  /** What the generator actually drew, for checks that need no statistics. */
  realised: {
    respondents: number;
    responses: number;
    financeCustomers: number;
    churnedByCategory: Record<NpsCategory, { customers: number; churned: number }>;
  };
}

export const DRIVER_NAMES = ["product_quality", "service", "accessibility", "value_for_money", "brand"] as const;
const COEFFICIENTS = [0.3, 0.35, 0.1, 0.25, 0.05];
const INTERCEPT = 0.7;
const NOISE_SD = 0.8;
const BLANK_SHARE = 0.03;
const REGIONS: Record<string, number> = {
  Stockholm: 0,
  Göteborg: -0.2,
  Malmö: 0.1,
  Uppsala: 0.2,
  Oslo: -0.3,
  Bergen: 0.3,
  København: 0.15,
  Århus: -0.1,
};
const SEGMENTS = ["Private", "Private", "Private", "Business", "Premium"];
/**
 * Account managers and their effect on the score, averaging 0 so the planted intercept holds: Jonas
 * Berg and Mette Lund are the planted weak owners, 1 point below the others.
 */
const OWNER_EFFECTS: Record<string, number> = {
  "Anna Lindqvist": 0.2,
  "Erik Johansson": 0.2,
  "Sofia Nieminen": 0.2,
  "Jonas Berg": -0.8,
  "Ingrid Hansen": 0.2,
  "Lars Nilsson": 0.2,
  "Mette Lund": -0.8,
  "Olli Virtanen": 0.2,
  "Karin Ek": 0.2,
  "Henrik Dahl": 0.2,
};
const UPSELL_SHARE = 0.1;
const UPSELL_FACTOR = 0.35;
const COMMENT_SHARE = 0.45;
const TOUCHPOINTS = ["the product quality", "the service", "how easy you are to reach", "the value for money", "the brand"];
const TOUCHPOINTS_SV = ["produktkvaliteten", "servicen", "tillgängligheten", "prisvärdheten", "varumärket"];
type Template = (touchpoint: number) => string;
const en = (i: number) => TOUCHPOINTS[i]!;
const sv = (i: number) => TOUCHPOINTS_SV[i]!;
const PRAISE: Template[] = [
  (i) => `Really happy with ${en(i)}, I recommend you to everyone`,
  (i) => `Great experience: ${en(i)} is excellent`,
  (i) => `Mycket nöjd, ${sv(i)} är toppen!`,
  (i) => `Thanks to ${en(i)} I have stayed for years. Keep it up!`,
];
const MIXED: Template[] = [
  (i) => `OK overall, but ${en(i)} could be better`,
  (i) => `Fine, nothing special; ${en(i)} is average`,
  (i) => `Helt okej, men ${sv(i)} kan bli bättre`,
];
const COMPLAINTS: Template[] = [
  (i) => `Disappointed with ${en(i)}, thinking of leaving`,
  (i) => `- ${en(i)} has got worse, and nobody "called back" as promised`,
  (i) => `Inte nöjd med ${sv(i)}, funderar på att byta`,
  (i) => `${en(i)[0]!.toUpperCase()}${en(i).slice(1)} is poor, please fix it`,
];
const REVENUE: Record<NpsCategory, number> = { promoter: 900, passive: 760, detractor: 650 };
const COST_SHARE = 0.67;
const CHURN: Record<NpsCategory, number> = { promoter: 0.15, passive: 0.3, detractor: 0.45 };
/** Monthly hazards of the "hazard" churn model: hazard ratios 2 and 3 against promoters. */
const HAZARD: Record<NpsCategory, number> = { promoter: 0.02, passive: 0.04, detractor: 0.06 };

function monthLabel(start: number, offset: number): string {
  const ordinal = start + offset;
  return `${Math.floor(ordinal / 12)}-${String((ordinal % 12) + 1).padStart(2, "0")}`;
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

interface DrawnCustomer {
  answers: { month: number; day: number; score: number; category: NpsCategory; shown: string[]; comment: string }[];
  /** The category of the latest answer; null without answers. */
  latest: NpsCategory | null;
  hasFinance: boolean;
  churns: boolean;
  lastMonth: number;
  monthlyRevenue: number;
  /** A promoter drawn to spend UPSELL_FACTOR × the usual: planted upsell headroom. */
  lowSpender: boolean;
}

/** A comment on the touchpoint rated lowest (a promoter's: highest), or "" for none. */
function commentOn(extra: Random, category: NpsCategory, ratings: readonly number[]): string {
  if (!extra.chance(COMMENT_SHARE)) return "";
  const pickBy = category === "promoter" ? Math.max(...ratings) : Math.min(...ratings);
  const templates = category === "promoter" ? PRAISE : category === "passive" ? MIXED : COMPLAINTS;
  return extra.pick(templates)(ratings.indexOf(pickBy));
}

/** One customer of a region, drawn from the model (the order of draws fixes the files for a seed). */
function drawCustomer(random: Random, extra: Random, region: string, ownerEffect: number, months: number, withText = true, churnModel: "window" | "hazard" = "window"): DrawnCustomer {
  const loyalty = random.normal();
  const count = random.chance(0.12) ? 0 : random.chance(0.3) ? 2 : 1;
  // answers in date order (a same-day tie keeps file order, as the analysis does); every answer
  // falls before the last month so that churn can follow it
  const dates = Array.from({ length: count }, () => ({ month: random.integer(0, months - 2), day: random.integer(1, 28) })).sort(
    (a, b) => a.month - b.month || a.day - b.day,
  );
  const answers: DrawnCustomer["answers"] = [];
  for (const { month, day } of dates) {
    const ratings = COEFFICIENTS.map(() => Math.min(10, Math.max(1, Math.round(6 + loyalty + random.normal()))));
    let latent = INTERCEPT + REGIONS[region]! + ownerEffect + NOISE_SD * random.normal();
    ratings.forEach((rating, j) => (latent += COEFFICIENTS[j]! * rating));
    const score = Math.min(10, Math.max(0, Math.round(latent)));
    const shown = withText ? ratings.map((rating) => (random.chance(BLANK_SHARE) ? "" : String(rating))) : [];
    answers.push({ month, day, score, category: categoryOf(score), shown, comment: withText ? commentOn(extra, categoryOf(score), ratings) : "" });
  }
  const latest = answers.at(-1)?.category ?? null;
  const hasFinance = !(count > 0 && random.chance(0.03));
  let churns: boolean;
  let lastMonth: number;
  if (churnModel === "hazard") {
    // months until leaving after the answer: geometric with the category's monthly hazard
    const h = HAZARD[latest ?? "passive"];
    const k = 1 + Math.floor(Math.log(1 - random.next()) / Math.log(1 - h));
    const leaves = (dates.at(-1)?.month ?? 0) + k;
    churns = leaves <= months - 1;
    lastMonth = churns ? leaves - 1 : months - 1;
  } else {
    churns = random.chance(CHURN[latest ?? "passive"]);
    lastMonth = churns ? random.integer(dates.at(-1)?.month ?? 0, months - 2) : months - 1;
  }
  const lowSpender = latest === "promoter" && extra.chance(UPSELL_SHARE);
  const monthlyRevenue = REVENUE[latest ?? "passive"] * Math.exp(0.4 * random.normal() - 0.08) * (lowSpender ? UPSELL_FACTOR : 1);
  return { answers, latest, hasFinance, churns, lastMonth, monthlyRevenue, lowSpender };
}

/** Draws per region for the expected values behind the planted linkage. */
const EXPECTATION_DRAWS = 20_000;

/**
 * The population linkage the model implies: per region the expected NPS (over responses) and the
 * expected revenue, margin and churn of a matched customer, from EXPECTATION_DRAWS customers per
 * region drawn with one fixed seed (they are population values, the same for every data set of a
 * length, and kept once computed); across regions the OLS line of each KPI on NPS. Region effects
 * move scores, scores set the category, and the category sets revenue and churn: this line is what
 * loyalty's group linkage estimates.
 */
function expectedLinkage(months: number, churnModel: "window" | "hazard"): PlantedTruth["linkage"] {
  const key = `${months}:${churnModel}`;
  const known = expectations.get(key);
  if (known) return known;
  // a population quantity: the same for every data set of this length, so one fixed seed
  const random = createRandom(0x5bd1e995);
  const extra = createRandom(0x1b873593);
  const owners = Object.keys(OWNER_EFFECTS);
  const points = Object.keys(REGIONS).map((region) => {
    let responses = 0;
    let net = 0;
    let matched = 0;
    let revenue = 0;
    let churned = 0;
    for (let i = 0; i < EXPECTATION_DRAWS; i++) {
      const c = drawCustomer(random, extra, region, OWNER_EFFECTS[extra.pick(owners)]!, months, false, churnModel);
      for (const a of c.answers) {
        responses++;
        net += a.category === "promoter" ? 1 : a.category === "detractor" ? -1 : 0;
      }
      if (c.answers.length === 0 || !c.hasFinance) continue;
      matched++;
      // each month's revenue is the monthly level times noise of mean 1
      revenue += c.monthlyRevenue * (c.lastMonth + 1);
      if (c.churns) churned++;
    }
    return { region, nps: (100 * net) / responses, revenuePerCustomer: revenue / matched, churnRate: churned / matched };
  });
  const line = (y: (p: (typeof points)[number]) => number) => {
    const mx = points.reduce((s, p) => s + p.nps, 0) / points.length;
    const my = points.reduce((s, p) => s + y(p), 0) / points.length;
    let sxx = 0;
    let sxy = 0;
    for (const p of points) {
      sxx += (p.nps - mx) ** 2;
      sxy += (p.nps - mx) * (y(p) - my);
    }
    return { slope: sxy / sxx, intercept: my - (sxy / sxx) * mx };
  };
  const linkage = {
    draws: EXPECTATION_DRAWS,
    byRegion: Object.fromEntries(points.map((p) => [p.region, { nps: p.nps, revenuePerCustomer: p.revenuePerCustomer, marginPerCustomer: p.revenuePerCustomer * (1 - COST_SHARE), churnRate: p.churnRate }])),
    revenuePerCustomer: line((p) => p.revenuePerCustomer),
    marginPerCustomer: line((p) => p.revenuePerCustomer * (1 - COST_SHARE)),
    churnRate: line((p) => p.churnRate),
  };
  expectations.set(key, linkage);
  return linkage;
}

const expectations = new Map<string, PlantedTruth["linkage"]>();

export interface SyntheticData {
  /** CSV lines of the survey, header first, no line terminators. */
  surveyLines(): Generator<string>;
  /** CSV lines of the finance file, header first. */
  financeLines(): Generator<string>;
  truth: PlantedTruth;
}

/**
 * Draws a data set. Customers are drawn up front (their count is the memory cost); the
 * finance rows are produced lazily, so a large data set streams to disk.
 * @throws {RangeError} for fewer than 10 customers or fewer than 2 months
 */
export function generateSynthetic(options: GenerateOptions): SyntheticData {
  const { customers, months, seed } = options;
  if (!Number.isInteger(customers) || customers < 10) throw new RangeError("--customers must be a whole number of at least 10");
  if (!Number.isInteger(months) || months < 2 || months > 600) throw new RangeError("--months must be a whole number from 2 to 600");
  const startMatch = /^(\d{4})-(\d{2})$/.exec(options.startMonth ?? "2025-01");
  if (!startMatch) throw new RangeError("the start month must be YYYY-MM");
  const start = Number(startMatch[1]) * 12 + Number(startMatch[2]) - 1;
  const random = createRandom(seed);
  // account managers, comments and low spenders: a stream of their own, so the other draws stay as they were
  const extra = createRandom((seed ^ 0x9e3779b9) >>> 0);
  const owners = Object.keys(OWNER_EFFECTS);
  const lowSpenders: string[] = [];
  const regionNames = Object.keys(REGIONS);
  const churnModel = options.churnModel ?? "window";

  interface Customer {
    id: string;
    region: string;
    segment: string;
    /** Months with finance rows: 0..lastMonth (inclusive); -1 for none. */
    lastMonth: number;
    monthlyRevenue: number;
    hasFinance: boolean;
  }
  const responses: string[] = [];
  const population: Customer[] = [];
  const churnCounts = { promoter: { customers: 0, churned: 0 }, passive: { customers: 0, churned: 0 }, detractor: { customers: 0, churned: 0 } };
  let respondents = 0;
  let financeCustomers = 0;

  for (let i = 0; i < customers; i++) {
    const id = `C${String(i + 1).padStart(6, "0")}`;
    const region = random.pick(regionNames);
    const segment = random.pick(SEGMENTS);
    const owner = extra.pick(owners);
    const drawn = drawCustomer(random, extra, region, OWNER_EFFECTS[owner]!, months, true, churnModel);
    for (const answer of drawn.answers) {
      const date = `${monthLabel(start, answer.month)}-${String(answer.day).padStart(2, "0")}`;
      responses.push([`R${String(responses.length + 1).padStart(7, "0")}`, id, region, segment, owner, date, String(answer.score), ...answer.shown, answer.comment].map(csvField).join(","));
    }
    if (drawn.lowSpender && drawn.hasFinance) lowSpenders.push(id);
    if (drawn.answers.length > 0) respondents++;
    if (drawn.hasFinance) {
      financeCustomers++;
      if (drawn.latest) {
        churnCounts[drawn.latest].customers++;
        if (drawn.churns) churnCounts[drawn.latest].churned++;
      }
    }
    population.push({ id, region, segment, lastMonth: drawn.lastMonth, monthlyRevenue: drawn.monthlyRevenue, hasFinance: drawn.hasFinance });
  }

  const truth: PlantedTruth = {
    seed,
    customers,
    months,
    window: { first: monthLabel(start, 0), last: monthLabel(start, months - 1) },
    drivers: {
      intercept: INTERCEPT,
      coefficients: Object.fromEntries(DRIVER_NAMES.map((name, j) => [name, COEFFICIENTS[j]!])),
      noiseSd: NOISE_SD,
      blankShare: BLANK_SHARE,
    },
    regionEffects: { ...REGIONS },
    ownerEffects: { ...OWNER_EFFECTS },
    upsell: { share: UPSELL_SHARE, factor: UPSELL_FACTOR, customers: lowSpenders },
    commentShare: COMMENT_SHARE,
    revenuePerMonth: { ...REVENUE },
    costShare: COST_SHARE,
    churnProbability: { ...CHURN },
    churnRatio: { passive: CHURN.passive / CHURN.promoter, detractor: CHURN.detractor / CHURN.promoter },
    linkage: expectedLinkage(months, churnModel),
    churnModel,
    hazard: churnModel === "hazard" ? { monthly: { ...HAZARD }, ratio: { passive: HAZARD.passive / HAZARD.promoter, detractor: HAZARD.detractor / HAZARD.promoter } } : null,
    realised: { respondents, responses: responses.length, financeCustomers, churnedByCategory: churnCounts },
  };

  // The finance rows need their own stream of random numbers so they can be produced lazily.
  const financeSeed = (random.next() * 4294967296) >>> 0;
  return {
    truth,
    *surveyLines() {
      yield ["response_id", "customer_id", "region", "segment", "account_manager", "response_date", "nps", ...DRIVER_NAMES, "comment"].join(",");
      yield* responses;
    },
    *financeLines() {
      const noise = createRandom(financeSeed);
      yield "customer_id,region,period,revenue,cost";
      for (const customer of population) {
        if (!customer.hasFinance) continue;
        for (let month = 0; month <= customer.lastMonth; month++) {
          const revenue = Math.round(customer.monthlyRevenue * (1 + 0.1 * noise.normal()) * 100) / 100;
          const cost = Math.round(revenue * COST_SHARE * (1 + 0.05 * noise.normal()) * 100) / 100;
          yield `${customer.id},${csvField(customer.region)},${monthLabel(start, month)},${Math.max(0, revenue).toFixed(2)},${Math.max(0, cost).toFixed(2)}`;
        }
      }
    },
  };
}
