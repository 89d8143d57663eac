/**
 * The Report: the JSON contract for pipelines (shared/DESIGN.md section 4). Defined once as a
 * zod schema, which gives the TypeScript types, the published JSON Schema (`loyalty schema`)
 * and the validation every test runs on produced reports. Keys are camelCase and stable;
 * numbers are full precision; undefined quantities are null, never NaN.
 *
 * Renaming or removing a key, or widening what a value may be, is a breaking change: bump
 * SCHEMA_VERSION. Version 2: nps ciMethod may be "adjusted-wald" (below --min-n responses), and
 * inputs.survey gained ratingRejects, wordScales, npsPer and latestBy, nps.overall smallSample,
 * drivers droppedInvalidRating, importanceMeta.bootstrap dropped, and format skippedSheets.
 * Version 3: churn, business, repurchase, survival and the retention's discount and cohort (see
 * the README). Version 4: importanceMeta.bootstrap.resampling and retention.ltvRatio.resampling
 * ("rows", or "poisson" from 10,000 rows). Version 5: inputs.finance.aggregates (finance from
 * --finance-aggregates or --engine duckdb), and an input's format.container may be "parquet".
 */
import { z } from "zod";
import { SCHEMA_VERSION } from "./schema-version.js";

export { SCHEMA_VERSION };

const count = z.number().int().min(0);
const fraction = z.number().min(0).max(1);
const points = z.number().min(-100).max(100);

export const RejectSchema = z.object({
  line: z.number().int().min(1),
  column: z.number().int().min(1).nullable(),
  columnName: z.string().nullable(),
  reason: z.string(),
});

export const InputFormatSchema = z.object({
  encoding: z.enum(["utf-8", "utf-8-bom", "utf-16le", "utf-16be", "windows-1252"]),
  encodingGuessed: z.boolean().describe("inferred from the bytes: no byte-order mark, not named with --encoding"),
  delimiter: z.enum([",", ";", "\t", "|"]),
  decimal: z.enum([".", ","]),
  headerRows: count,
  layout: z.enum(["plain", "qualtrics", "surveymonkey", "google-forms", "typeform"]),
  sepLine: z.boolean().describe("the file starts with Excel's sep= hint line"),
  container: z.enum(["csv", "xlsx", "parquet"]).describe("xlsx: an Excel workbook, parquet: a Parquet file (read by DuckDB, --engine duckdb); for both, encoding and delimiter do not apply"),
  sheet: z.string().nullable(),
  renamed: z.boolean().describe("a workbook whose file name does not say so (e.g. saved as .csv)"),
  skippedSheets: z.array(z.string()).describe("workbook sheets before the one read that hold no table"),
});

const inputCommon = {
  path: z.string(),
  format: InputFormatSchema,
  rowsRead: count,
  rowsAccepted: count,
  rowsRejected: count,
  rowsExcluded: count.describe("valid rows left out by rule (Qualtrics previews, tests, unfinished responses); rowsRead = rowsAccepted + rowsRejected + rowsExcluded"),
  exclusions: z.array(z.object({ reason: z.string(), count: count })),
  rejects: z.array(RejectSchema).describe("the first rejected rows, in file order"),
};

export const SurveyInputSchema = z.object({
  ...inputCommon,
  columns: z.object({
    customerId: z.string().nullable(),
    score: z.string(),
    date: z.string().nullable(),
    group: z.string().nullable(),
    weight: z.string().nullable(),
    comment: z.string().nullable().describe("the free-text comment column (--comment, or detected): never a driver or a group"),
    owner: z.string().nullable().describe("the column of who owns the interaction (--owner, or detected): agent, store, account manager"),
    drivers: z.array(z.string()),
  }),
  scoreMissing: count.describe("accepted rows whose score was blank or NA: excluded from every analysis"),
  ratingRejects: z
    .object({ rows: count, rejects: z.array(RejectSchema) })
    .describe("accepted rows whose score counts but whose rating (or --outcome value) is invalid: left out of the driver model only, with the first of them located"),
  wordScales: z
    .array(z.object({ column: z.string(), scale: z.string(), min: z.number(), max: z.number() }))
    .describe("columns read as words (--score-map, --rating-map, or a built-in vocabulary), with the scale they were read on"),
  npsPer: z.enum(["response", "customer"]).describe("group and overall NPS count every response, or each customer's latest (--nps-per)"),
  latestBy: z.enum(["date", "file order"]).describe("how each customer's latest response was picked: by response date, or (without a date column) by its place in the file"),
});

export const FinanceInputSchema = z.object({
  ...inputCommon,
  level: z.enum(["customers", "groups"]).describe("customers: a row per customer and period; groups: a branch P&L, a row per group and period"),
  columns: z.object({
    customerId: z.string().nullable().describe("null for a finance file per group"),
    period: z.string().nullable(),
    revenue: z.string(),
    cost: z.string().nullable(),
    group: z.string().nullable().describe("the customer's group (for coverage), or the row's group in a branch P&L"),
    customers: z.string().nullable().describe("a branch P&L's customers per group and period"),
  }),
  firstPeriod: z.string().nullable(),
  lastPeriod: z.string().nullable(),
  currency: z.string().nullable().describe("the currency written with the revenue amounts (SEK, EUR, kr, €…); null when the amounts are plain numbers"),
  aggregates: z
    .object({
      engine: z.string().describe("the SQL dialect whose queries made them (loyalty sql --dialect)"),
      directory: z.string().describe("the folder they were read from; with inProcess, the finance file"),
      inProcess: z.boolean().describe("made in process by DuckDB from the finance file (--engine duckdb), not read from a folder"),
    })
    .nullable()
    .describe("the finance came as aggregates (--finance-aggregates, or --engine duckdb): rows read and rejected are the finance table's, counted by the engine; null: read by loyalty's own reader"),
});

export const NpsSummarySchema = z.object({
  n: count,
  effectiveN: z.number().min(0),
  promoters: count,
  passives: count,
  detractors: count,
  promoterShare: fraction,
  detractorShare: fraction,
  nps: points,
  stdError: z.number().min(0),
  ciLow: points,
  ciHigh: points,
  ciMethod: z.enum(["wald", "adjusted-wald"]).describe("adjusted-wald below 30 (effective) responses: an interval that does not collapse when every answer agrees"),
});

export const NpsGroupSchema = z.object({ group: z.string(), ...NpsSummarySchema.shape, smallSample: z.boolean() });
export const NpsOverallSchema = z.object({ ...NpsSummarySchema.shape, smallSample: z.boolean().describe("fewer responses than --min-n") });

export const NpsSectionSchema = z.object({
  scale: z
    .object({ min: z.number().int(), max: z.number().int(), promoterFrom: z.number().int(), passiveFrom: z.number().int() })
    .describe("the score's scale: promoters score promoterFrom or more, passives passiveFrom or more, the rest are detractors"),
  overall: NpsOverallSchema,
  groupBy: z.string().nullable(),
  minN: count,
  byGroup: z.array(NpsGroupSchema),
});

export const MatchReportSchema = z.object({
  respondents: count,
  financeCustomers: count,
  matched: count,
  unmatchedRespondents: count,
  unmatchedFinanceCustomers: count,
  matchRate: fraction.nullable(),
});

const category = z.enum(["promoter", "passive", "detractor"]);

export const RevenueSectionSchema = z.object({
  byCategory: z.array(
    z.object({
      category,
      customers: count,
      revenue: z.number(),
      revenuePerCustomer: z.number().nullable(),
      cost: z.number().nullable(),
      margin: z.number().nullable(),
      marginPerCustomer: z.number().nullable(),
      revenueShare: z.number().nullable(),
      customerShare: fraction.nullable(),
    }),
  ),
  total: z.object({ customers: count, revenue: z.number(), cost: z.number().nullable(), margin: z.number().nullable() }),
});

export const ChurnSectionSchema = z.object({
  rule: z.enum(["derived", "flag"]).describe("derived: churned = no finance row in the file's last `after` periods; flag: from a churn flag column"),
  lastPeriod: z.string().nullable().describe("the finance file's last period; null without periods"),
  after: z.number().int().min(1).describe("--churn-after K: the derived rule's periods without a row"),
  flag: z
    .object({
      file: z.string(),
      column: z.string(),
      unknown: count.describe("matched customers whose flag was blank or not a flag value: left out of churn"),
      invalid: count.describe("cells that were not flag values"),
      firstInvalid: z.object({ line: z.number().int().min(1), column: z.number().int().min(1), value: z.string() }).nullable(),
    })
    .nullable()
    .describe("the churn flag column used (rule flag)"),
  byCategory: z.array(
    z.object({
      category,
      customers: count,
      churned: count,
      churnRate: fraction.nullable(),
      ciLow: fraction.nullable().describe("Wilson score 95% interval"),
      ciHigh: fraction.nullable(),
      ratioToPromoters: z.number().min(0).nullable().describe("churn rate / the promoters' churn rate"),
      ratioCiLow: z.number().min(0).nullable().describe("Katz log 95% interval"),
      ratioCiHigh: z.number().min(0).nullable(),
    }),
  ),
  overall: z.object({ customers: count, churned: count, churnRate: fraction.nullable() }),
});

export const DriverTermSchema = z.object({
  term: z.string(),
  estimate: z.number(),
  stdError: z.number().nullable(),
  t: z.number().nullable().describe("Student t of the linear model; null for the logistic model"),
  z: z.number().nullable().describe("Wald z of the logistic model; null for the linear model"),
  p: fraction.nullable(),
  ciLow: z.number().nullable(),
  ciHigh: z.number().nullable(),
  stdBeta: z.number().nullable(),
  vif: z.number().nullable(),
});

const nullableNumber = z.number().nullable();

export const DriverImportanceSchema = z.object({
  driver: z.string(),
  lmg: z.number().describe("Shapley value of R² (LMG); the drivers' values sum to R²"),
  lmgShare: fraction,
  lmgStdError: nullableNumber.describe("Monte-Carlo standard error; null when exact"),
  relativeWeight: z.number().nullable().describe("Johnson's relative weight; sums to R²; null for the logistic model"),
  relativeWeightShare: fraction.nullable(),
  first: z.number().describe("R² (or McFadden's R²) of the driver alone"),
  firstShare: fraction,
  last: z.number().describe("R² lost when the driver is left out of the full model"),
  lastShare: fraction,
  pratt: z.number().nullable().describe("standardised coefficient × correlation; can be negative; null for the logistic model"),
  prattShare: z.number().nullable(),
  rank: z.number().int().min(1).describe("1 = largest LMG share"),
  sign: z.union([z.literal(1), z.literal(-1)]).describe("sign of the full-model coefficient"),
  signConflict: z.boolean(),
  correlation: z.number(),
  mean: z.number(),
  scaleMin: z.number(),
  scaleMax: z.number(),
  performance: z.number().describe("mean rescaled to 0-100 on the scale bounds"),
  quadrant: z.enum(["fix first", "keep strong", "maintain", "lower priority"]),
  lmgShareCiLow: fraction.nullable(),
  lmgShareCiHigh: fraction.nullable(),
  relativeWeightShareCiLow: fraction.nullable(),
  relativeWeightShareCiHigh: fraction.nullable(),
  rankCiLow: nullableNumber,
  rankCiHigh: nullableNumber,
  vsRandomCiLow: nullableNumber.describe("bootstrap interval of (relative weight − an added random variable's)"),
  vsRandomCiHigh: nullableNumber,
  significant: z.boolean().nullable().describe("vsRandomCiLow > 0; null without a bootstrap"),
});

export const ImportanceMetaSchema = z.object({
  importanceN: count,
  importanceMethod: z.enum(["exact", "monte-carlo"]),
  permutations: count.nullable(),
  missing: z.enum(["listwise", "pairwise"]),
  bootstrap: z
    .object({
      resamples: count,
      seed: z.number().int(),
      resampling: z.enum(["rows", "poisson"]).describe("rows: each resample draws n of the n responses with replacement; poisson: from 10,000 responses, each response is drawn a Poisson(1) number of times"),
      interval: z.literal("percentile"),
      confidence: fraction,
      dropped: z
        .object({ importance: count, vsRandom: count })
        .describe("resamples left out of the intervals because a driver was constant or collinear in them (or, for the promoter model, the outcome took one value), per measure"),
    })
    .nullable(),
  quadrantCut: z.enum(["median", "mean"]),
  quadrantCuts: z.object({ importance: fraction, performance: z.number() }).describe("where the quadrant splits: the median (or mean) LMG share and performance"),
  conditionNumber: z.number().nullable().describe("sqrt(largest/smallest eigenvalue) of the drivers' correlation matrix; null if singular"),
});

const modelFields = {
  outcome: z.string(),
  drivers: z.array(z.string()),
  n: count,
  droppedIncomplete: count,
  droppedInvalidRating: count.describe("scored responses left out because a rating (or the --outcome value) was invalid; see inputs.survey.ratingRejects"),
  missingByDriver: z.array(z.object({ driver: z.string(), missing: count })),
  excluded: z.array(z.object({ driver: z.string(), reason: z.enum(["constant", "collinear"]) })),
  rSquared: fraction.describe("R² of the linear model; McFadden's pseudo-R² of the logistic model"),
  adjRSquared: z.number().max(1).nullable(),
  sigma: z.number().min(0).nullable(),
  f: z.number().nullable(),
  fP: fraction.nullable(),
  logLikelihood: z.number().nullable().describe("logistic model only"),
  lrChiSquare: z.number().min(0).nullable().describe("likelihood-ratio test against the intercept-only model; logistic only"),
  lrP: fraction.nullable(),
  dfModel: count,
  dfResidual: count,
  terms: z.array(DriverTermSchema),
  importance: z.array(DriverImportanceSchema).describe("empty when importance was not computed"),
  importanceMeta: ImportanceMetaSchema.nullable(),
};

export const DriverGroupSchema = z.object({
  group: z.string(),
  n: count.describe("complete responses in the group"),
  status: z.enum(["analysed", "too few responses"]),
  minimumN: count,
  rSquared: fraction.nullable(),
  importance: z.array(DriverImportanceSchema),
});

export const DriversSectionSchema = z.object({
  model: z.enum(["linear", "logistic"]).describe("linear: OLS of the outcome; logistic: promoter (9-10) or not"),
  ...modelFields,
  groupBy: z.string().nullable(),
  byGroup: z.array(DriverGroupSchema),
});

const KpiLinkageSchema = z.object({
  kpi: z.enum(["revenuePerCustomer", "marginPerCustomer", "churnRate", "revenueGrowth"]),
  n: count.describe("groups (or group-periods) with a value of the KPI"),
  slope: z.number().nullable().describe("OLS slope of the KPI on NPS: change per NPS point"),
  slopeStdError: z.number().nullable(),
  slopeP: fraction.nullable(),
  slopeCiLow: z.number().nullable(),
  slopeCiHigh: z.number().nullable(),
  intercept: z.number().nullable(),
  rSquared: fraction.nullable(),
  pearsonR: z.number().min(-1).max(1).nullable(),
  pearsonP: fraction.nullable(),
  spearmanRho: z.number().min(-1).max(1).nullable(),
  spearmanP: fraction.nullable().describe("t approximation on n - 2 df"),
  summary: z.string().nullable().describe("the slope in words, per 10 NPS points"),
});

const linkageKpis = {
  nps: points.describe("the group's NPS over all its responses"),
  responses: count.describe("responses behind the NPS (the weight in the weighted variant)"),
  customers: z.number().min(0).describe("matched customers whose latest response is in the group; with a branch P&L, the mean customers per period"),
  revenuePerCustomer: z.number().nullable(),
  marginPerCustomer: z.number().nullable(),
  churnRate: fraction.nullable(),
};

export const LinkageSectionSchema = z.object({
  groupBy: z.string(),
  level: z.enum(["customers", "groups"]).describe("customers: money summed over matched customers; groups: from a branch P&L"),
  groups: z.array(
    z.object({
      group: z.string(),
      ...linkageKpis,
      revenueGrowth: z.number().nullable().describe("revenue in the window's second half / its first half − 1"),
    }),
  ),
  byKpi: z.array(KpiLinkageSchema),
  weighted: z.array(KpiLinkageSchema).nullable().describe("--weighted-linkage: weighted least squares, each group weighted by its responses; Spearman unweighted"),
});

const money = z.number();
const nullableMoney = z.number().nullable();

const retentionFigures = {
  customers: count,
  revenuePerCustomer: nullableMoney,
  revenueMedian: nullableMoney,
  marginPerCustomer: nullableMoney,
  marginMedian: nullableMoney,
  startCohort: count.describe("customers with a finance row in the window's first period"),
  startRevenue: money,
  endRevenue: money.describe("the start cohort's revenue in the window's last period"),
  grossRevenueRetention: z.number().min(0).nullable().describe("Σ min(end, start) / Σ start over the start cohort"),
  netRevenueRetention: z.number().nullable().describe("Σ end / Σ start over the start cohort (includes expansion)"),
  churned: count,
  customerMonths: z.number().min(0).describe("months from each customer's first period with a row through its last"),
  monthlyHazard: fraction.nullable().describe("churned / customer-months at risk"),
  annualChurn: fraction.nullable().describe("1 − (1 − monthlyHazard)^12"),
  expectedLifetimeMonths: z.number().nullable().describe("1 / monthlyHazard; null when no one churned"),
  monthlyValue: nullableMoney.describe("margin (revenue without a cost column) per customer-month"),
  lifetimeValue: nullableMoney.describe("monthlyValue / monthlyHazard, undiscounted; null when no one churned (unbounded)"),
  discountedLifetimeValue: nullableMoney.describe("sum over k = 1..horizon of monthlyValue ((1 - h) / (1 + i))^k, i the monthly discount rate"),
};

const cohortFigures = {
  customers: count.describe("matched customers with revenue in the start month"),
  startRevenue: money,
  endRevenue: money,
  grossRevenueRetention: z.number().min(0).nullable().describe("sum of min(end, start) / sum of start"),
  netRevenueRetention: z.number().min(0).nullable().describe("sum of end / sum of start"),
};

export const RetentionSectionSchema = z.object({
  basis: z.enum(["margin", "revenue"]).describe("what monthlyValue and lifetimeValue are made of"),
  windowMonths: count.nullable(),
  revenueWeightedNps: points.nullable().describe("100 · (Σ promoter revenue − Σ detractor revenue) / Σ revenue of matched respondents"),
  byCategory: z.array(z.object({ category, ...retentionFigures })),
  overall: z.object(retentionFigures),
  discount: z.object({ annualRate: z.number().min(0), horizonMonths: z.number().int().min(1) }).describe("--discount-rate and --horizon of discountedLifetimeValue"),
  cohort: z
    .object({
      start: z.string().describe("the cohort's month: a year before the file's last"),
      end: z.string(),
      overall: z.object(cohortFigures),
      byCategory: z.array(z.object({ category, ...cohortFigures })),
    })
    .nullable()
    .describe("12-month revenue retention: the customers with revenue in `start`, their revenue in `end` against it; null with fewer than 13 months"),
  ltvRatio: z
    .object({
      ratio: z.number().describe("promoter lifetime value / detractor lifetime value"),
      ciLow: z.number().nullable(),
      ciHigh: z.number().nullable().describe("null: unbounded (a resample without churned promoters)"),
      resamples: count,
      seed: z.number().int(),
      resampling: z
        .object({ promoter: z.enum(["rows", "poisson"]), detractor: z.enum(["rows", "poisson"]) })
        .describe("how each category's customers are resampled: rows (n draws with replacement) or poisson (from 10,000 customers, a Poisson(1) count each)"),
      summary: z.string(),
    })
    .nullable(),
});

const ClaimsSchema = z
  .object({
    firstPurchaseMultiple: z.array(
      z.object({
        category,
        lifetimeRevenue: nullableMoney.describe("discounted lifetime revenue: revenue per customer-month over the horizon at the category's hazard"),
        firstPeriodRevenue: nullableMoney.describe("the mean revenue of the category's customers in their own first period"),
        multiple: z.number().min(0).nullable(),
      }),
    ),
    retentionShareOfProfit: z
      .object({ scenario: z.string(), oneYearMargin: money, annualMargin: money.describe("the matched customers' margin over the window, per year"), share: z.number() })
      .nullable()
      .describe("the retention scenario's one-year margin as a share of a year's margin; null without cost or a retention scenario"),
    acquisition: z
      .object({
        cost: z.number().min(0),
        byCategory: z.array(z.object({ category, keepValue: nullableMoney.describe("the discounted lifetime value"), replaceCost: z.number().min(0), ratio: z.number().nullable() })),
      })
      .nullable()
      .describe("--acquisition-cost: keeping a customer against replacing it"),
  })
  .describe("the seeds' headline claims, computed from this data");

export const ValueSectionSchema = z.object({
  windowMonths: count.nullable(),
  claims: ClaimsSchema.nullable(),
  revenueAtRisk: z
    .object({
      byCategory: z.array(
        z.object({
          category,
          activeCustomers: count.describe("the category's matched customers still there"),
          runRate: money.describe("their annualised revenue: revenue per period over the file's last three periods × periods per year"),
          leaveProbability: fraction.nullable().describe("the probability of leaving within 12 months"),
          probabilitySource: z.enum(["survival", "hazard"]).nullable().describe("survival: 1 - S(12) after the answer; hazard: 1 - (1 - monthly hazard)^12"),
          revenueAtRisk: nullableMoney.describe("runRate × leaveProbability: next year's revenue expected to leave"),
        }),
      ),
      total: nullableMoney,
    })
    .describe("forward-looking: the run-rate of the customers still there × their category's probability of leaving within a year"),
  scenarios: z.array(
    z.object({
      name: z.string().describe('as written: "detractors-to-passives=10%", "passives-to-promoters=10%", "retention=+5pp"'),
      kind: z.enum(["detractors-to-passives", "passives-to-promoters", "retention"]),
      customers: z.number().min(0).describe("customers moved, or kept in a year by lower churn"),
      oneYearRevenue: nullableMoney,
      oneYearMargin: nullableMoney,
      lifetimeValue: nullableMoney.describe("change in total lifetime value; null when unbounded or unknown"),
      assumptions: z.array(z.string()),
    }),
  ),
});

const pairedSchema = z.object({
  customers: count,
  change: z.number().describe("mean of (later − earlier) with answers coded +1/0/−1, in NPS points"),
  stdError: z.number().min(0),
  t: z.number().nullable(),
  df: count,
  p: fraction.nullable(),
  ciLow: z.number().nullable(),
  ciHigh: z.number().nullable(),
});

export const TrendSectionSchema = z.object({
  unit: z.enum(["month", "quarter", "year"]),
  undated: count.describe("responses without a date, left out"),
  periods: z.array(z.object({ period: z.string(), ...NpsSummarySchema.shape })),
  changes: z.array(
    z.object({
      from: z.string(),
      to: z.string(),
      change: z.number().describe("NPS(to) − NPS(from), in points"),
      stdError: z.number().min(0),
      z: z.number().nullable(),
      p: fraction.nullable(),
      ciLow: z.number(),
      ciHigh: z.number(),
      paired: pairedSchema.nullable().describe("customers who answered in both periods; null with fewer than 2"),
    }),
  ),
});

export const LagSectionSchema = z.object({
  lag: count,
  unit: z.enum(["month", "quarter", "year"]),
  groupBy: z.string(),
  rows: z.array(z.object({ group: z.string(), period: z.string(), kpiPeriod: z.string(), ...linkageKpis })),
  byKpi: z.array(KpiLinkageSchema),
});

const coverageFigures = {
  customers: count.describe("finance customers"),
  respondents: count.describe("of them, matched to a survey response"),
  customerShare: fraction.nullable(),
  revenue: money,
  respondentRevenue: money,
  revenueShare: z.number().nullable(),
};

export const CoverageSectionSchema = z.object({
  groupBy: z.string().nullable().describe("the finance file's group column; null without one (no per-group coverage)"),
  overall: z.object(coverageFigures),
  byGroup: z.array(z.object({ group: z.string(), ...coverageFigures })).nullable(),
  lowest: z.object({ group: z.string(), customerShare: fraction }).nullable(),
  highest: z.object({ group: z.string(), customerShare: fraction }).nullable(),
  uneven: z.boolean().describe("the highest group coverage is at least twice the lowest"),
});

export const EmployeesSectionSchema = z.object({
  path: z.string(),
  format: InputFormatSchema,
  rowsRead: count,
  rowsAccepted: count,
  rowsRejected: count,
  rowsExcluded: count,
  rejects: z.array(RejectSchema),
  columns: z.object({ group: z.string(), score: z.string() }),
  mode: z.enum(["respondents", "groups"]).describe("respondents: eNPS computed from 0-10 answers; groups: a value per group given (periods averaged)"),
  measure: z.enum(["enps", "engagement"]),
  moneyBasis: z.enum(["margin", "revenue"]).describe("the money of the chain: margin per customer, or revenue without cost"),
  groups: z.array(
    z.object({ group: z.string(), employee: z.number(), employeeRows: count, nps: points.nullable(), money: z.number().nullable() }),
  ),
  chain: z.array(
    z.object({
      from: z.enum(["employee", "nps"]),
      to: z.enum(["nps", "money"]),
      n: count.describe("groups with both values"),
      r: z.number().min(-1).max(1).nullable(),
      p: fraction.nullable(),
      ciLow: z.number().nullable().describe("Fisher-z 95% interval"),
      ciHigh: z.number().nullable(),
    }),
  ),
});

const survivalAt = z.object({
  t: z.number().describe("months after the answer"),
  survival: fraction.nullable().describe("Kaplan-Meier S(t); null past the last follow-up"),
  ciLow: fraction.nullable().describe("Greenwood 95% limit, log transform (R's survfit default)"),
  ciHigh: fraction.nullable(),
});
const survivalCurve = {
  n: count,
  events: count.describe("customers who left during the follow-up"),
  at: z.array(survivalAt),
  median: z.number().nullable().describe("months until half had left; null when fewer than half left"),
  twelveMonthChurn: fraction.nullable().describe("1 - S(12); null with less than 12 months of follow-up"),
  followUp: z.number().describe("the longest follow-up, in months"),
  steps: z.array(z.object({ t: z.number(), survival: fraction })).describe("the Kaplan-Meier curve: S(t) from t = 0 and after each month with a departure"),
};

export const SurvivalSectionSchema = z.object({
  excluded: z
    .object({ leftBeforeAnswering: count, noFollowUp: count.describe("answered in the file's last period"), undated: count })
    .describe("matched customers left out of the survival analysis"),
  overall: z.object(survivalCurve),
  byCategory: z.array(z.object({ category, ...survivalCurve })),
  logRank: z.object({ chiSquare: z.number().min(0), df: count, p: fraction }).nullable().describe("log-rank test of equal survival across the categories (R's survdiff)"),
  cox: z
    .object({
      terms: z.array(
        z.object({
          category,
          coefficient: z.number(),
          stdError: z.number().min(0),
          hazardRatio: z.number().min(0).describe("the category's hazard of leaving / the promoters'"),
          ciLow: z.number().min(0),
          ciHigh: z.number().min(0),
          p: fraction,
        }),
      ),
      lrTest: z.number().min(0),
      lrDf: count,
      lrP: fraction,
    })
    .nullable()
    .describe("Cox proportional hazards with Efron ties, promoters the reference; null without promoters or when it cannot be fitted"),
  summary: z.string().nullable(),
});

export const BusinessSchema = z
  .object({
    model: z.enum(["subscription", "transactional"]).describe("subscription: churn, retention and lifetime value; transactional: repurchase rates"),
    detected: z.boolean().describe("false when --business named it"),
    singlePeriodShare: fraction.nullable().describe("finance customers with rows in a single period"),
    windowPeriods: count.nullable(),
  })
  .describe("the business model the money sections assume");

export const RepurchaseSchema = z.object({
  window: count.describe("--repurchase-window K: a purchase in the K periods after the answer counts"),
  excluded: z.object({ tooLate: count.describe("answered in the file's last K periods"), undated: count }),
  byCategory: z.array(
    z.object({
      category,
      eligible: count,
      repurchased: count,
      rate: fraction.nullable(),
      ciLow: fraction.nullable().describe("Wilson score 95% interval"),
      ciHigh: fraction.nullable(),
      ratioToPromoters: z.number().min(0).nullable().describe("the rate / the promoters' rate, Katz log 95% interval"),
      ratioCiLow: z.number().min(0).nullable(),
      ratioCiHigh: z.number().min(0).nullable(),
      revenuePerCustomer: z.number().nullable().describe("mean revenue in the K periods after the answer"),
      timeToNext: z.object({
        n: count,
        events: count,
        at: z.array(z.object({ t: z.number(), back: fraction.nullable().describe("share who bought again within t months (Kaplan-Meier)") })),
        median: z.number().nullable().describe("months until half bought again; null when fewer did"),
      }),
    }),
  ),
  summary: z.string().nullable(),
});

export const WarningSchema = z.object({
  code: z.string(),
  message: z.string(),
  count: count.nullable(),
  items: z.array(z.string()).optional().describe("the full list a long message summarises (groups, columns, sheets)"),
});

const BenchmarksSectionSchema = z.object({
  path: z.string(),
  benchmarks: z.array(
    z.object({
      name: z.string(),
      nps: z.number().min(-100).max(100),
      n: z.number().int().min(1).nullable().describe("answers behind the benchmark; null: compared as a fixed value"),
      promoterShare: z.number().min(0).max(1).nullable(),
      detractorShare: z.number().min(0).max(1).nullable(),
    }),
  ),
  comparisons: z.array(
    z.object({
      benchmark: z.string(),
      group: z.string().nullable().describe("null: the overall NPS"),
      n: z.number().int().min(0),
      nps: z.number(),
      benchmarkNps: z.number(),
      difference: z.number().describe("our NPS less the benchmark's, in points"),
      ciLow: z.number(),
      ciHigh: z.number(),
      p: z.number().min(0).max(1).nullable(),
      method: z.enum(["two-sample", "fixed"]).describe("two-sample (Wald) when the benchmark has n; fixed: our interval shifted by the benchmark"),
      benchmarkVariance: z.enum(["shares", "bound"]).nullable().describe("the benchmark's variance from its promoter and detractor shares, or the largest its NPS allows (1 − NPS²)"),
      significant: z.boolean().describe("the 95% interval of the difference excludes 0"),
    }),
  ),
});

export const ReportSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  tool: z.object({ name: z.literal("loyalty"), version: z.string() }),
  generatedAt: z.string().describe("ISO 8601; from SOURCE_DATE_EPOCH when set, so CI output is reproducible"),
  inputs: z.object({ survey: SurveyInputSchema, finance: FinanceInputSchema.nullable() }),
  join: MatchReportSchema.nullable(),
  nps: NpsSectionSchema,
  revenue: RevenueSectionSchema.nullable(),
  churn: ChurnSectionSchema.nullable(),
  drivers: DriversSectionSchema.nullable(),
  linkage: LinkageSectionSchema.nullable().describe("group-level NPS against revenue, margin and churn; needs --finance and a group column"),
  retention: RetentionSectionSchema.nullable().describe("retention and lifetime value by category; needs customer finance with periods"),
  value: ValueSectionSchema.nullable().describe("revenue at risk and what-if scenarios; needs customer finance with periods"),
  trend: TrendSectionSchema.nullable().describe("--period: NPS per month, quarter or year, with the changes between periods"),
  lag: LagSectionSchema.nullable().describe("--lag K: each group's NPS in period t against its money in t + K"),
  coverage: CoverageSectionSchema.nullable().describe("share of finance customers and revenue that answered the survey"),
  employees: EmployeesSectionSchema.nullable().describe("--employees: eNPS per group and the service-profit chain"),
  benchmarks: BenchmarksSectionSchema.nullable().describe("--benchmark: the overall and each group's NPS against each benchmark"),
  business: BusinessSchema.nullable(),
  repurchase: RepurchaseSchema.nullable().describe("transactional businesses: who buys again after answering, per category"),
  survival: SurvivalSectionSchema.nullable().describe("how long customers stay after answering, per category: Kaplan-Meier, log-rank, Cox; needs customer finance with periods and response dates"),
  absent: z.array(z.object({ section: z.string(), reason: z.string() })).describe("sections left out, and why"),
  warnings: z.array(WarningSchema),
});

export type Report = z.infer<typeof ReportSchema>;
export type ReportWarning = z.infer<typeof WarningSchema>;
export type SurveyInput = z.infer<typeof SurveyInputSchema>;
export type FinanceInput = z.infer<typeof FinanceInputSchema>;
export type NpsSection = z.infer<typeof NpsSectionSchema>;
export type DriversSection = z.infer<typeof DriversSectionSchema>;

/** The report's JSON Schema (draft 2020-12), as `loyalty schema` prints it. */
export function reportJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(ReportSchema, { io: "input" }),
    $id: `urn:loyalty:report:v${SCHEMA_VERSION}`,
    title: "loyalty report",
  };
}
