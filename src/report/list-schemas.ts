/**
 * The JSON Schemas of the other JSON outputs: `loyalty at-risk --format json` and
 * `loyalty inspect --format json`. Like the report's, they are a contract for pipelines, and the
 * tests validate every such output against them.
 */
import { z } from "zod";
import { InputFormatSchema, ReportSchema } from "./report.js";

const count = z.number().int().min(0);

export const AT_RISK_SCHEMA_VERSION = 1;

export const AtRiskReportSchema = z.object({
  tool: z.object({ name: z.literal("loyalty"), version: z.string() }),
  generatedAt: z.string().describe("ISO 8601; from SOURCE_DATE_EPOCH when set"),
  survey: z.string(),
  finance: z.string(),
  include: z.array(z.enum(["detractor", "passive"])),
  top: z.number().int().min(1),
  eligible: count.describe("customers of the included categories before --top cut the list"),
  customers: z.array(
    z.object({
      rank: z.number().int().min(1),
      customerId: z.string(),
      category: z.enum(["promoter", "passive", "detractor"]),
      score: z.number(),
      group: z.string().nullable(),
      lastResponseDate: z.string().nullable().describe("YYYY-MM-DD of the latest response; null without dates"),
      revenue: z.number().describe("revenue over the window"),
      margin: z.number().nullable(),
      monthsActive: count.nullable(),
      churned: z.boolean().nullable(),
      comment: z.string().nullable().describe("the customer's latest free-text comment; null without one"),
    }),
  ),
});

const listCommon = {
  tool: z.object({ name: z.literal("loyalty"), version: z.string() }),
  generatedAt: z.string().describe("ISO 8601; from SOURCE_DATE_EPOCH when set"),
  survey: z.string(),
  finance: z.string().nullable(),
  include: z.array(z.enum(["promoter", "passive"])),
  top: z.number().int().min(1),
  eligible: count.describe("customers that qualify before --top cut the list"),
  ranking: z.string().describe("how the list is ranked, in words"),
  notes: z.array(z.string()).describe("a measure that could not be used, and why"),
};

export const LISTS_SCHEMA_VERSION = 1;

export const UpsellReportSchema = z.object({
  ...listCommon,
  list: z.literal("upsell"),
  customers: z.array(
    z.object({
      rank: z.number().int().min(1),
      customerId: z.string(),
      category: z.enum(["promoter", "passive"]),
      score: z.number(),
      group: z.string().nullable(),
      lastResponseDate: z.string().nullable(),
      revenuePerMonth: z.number().describe("revenue per month with a finance row"),
      groupMedian: z.number().describe("the median revenue per month of the group's matched customers"),
      headroom: z.number().positive().describe("groupMedian − revenuePerMonth"),
      monthsRemaining: z.number().min(0).nullable().describe("expected months left within --horizon at the category's monthly churn hazard; null when churn is not measured"),
      potential: z.number().nullable().describe("headroom × monthsRemaining"),
      comment: z.string().nullable(),
    }),
  ),
});

export const AmbassadorsReportSchema = z.object({
  ...listCommon,
  list: z.literal("ambassadors"),
  customers: z.array(
    z.object({
      rank: z.number().int().min(1),
      customerId: z.string(),
      score: z.number(),
      group: z.string().nullable(),
      lastResponseDate: z.string().nullable(),
      answerMonth: z.string().nullable().describe("YYYY-MM of the latest answer: the recency the ranking uses"),
      revenue: z.number().nullable().describe("revenue over the window; null without finance"),
      comment: z.string().nullable(),
    }),
  ),
});

const npsFigure = z.object({ n: count, nps: z.number().min(-100).max(100), ciLow: z.number(), ciHigh: z.number() });

export const FeedbackReportSchema = z.object({
  tool: z.object({ name: z.literal("loyalty"), version: z.string() }),
  generatedAt: z.string(),
  survey: z.string(),
  finance: z.string().nullable().describe("the finance file, when it gave per-customer revenue"),
  ownerColumn: z.string(),
  commentColumn: z.string().nullable(),
  minN: z.number().int().min(1),
  unit: z.enum(["month", "quarter", "year"]).nullable().describe("--period; null without response dates"),
  latestPeriod: z.string().nullable(),
  previousPeriod: z.string().nullable(),
  overall: npsFigure,
  owners: z.array(
    z.object({
      owner: z.string(),
      responses: count,
      overall: npsFigure,
      vsRest: z
        .object({ difference: z.number(), ciLow: z.number(), ciHigh: z.number(), p: z.number().min(0).max(1).nullable(), adjustedP: z.number().min(0).max(1).nullable().describe("Holm-adjusted over the owners with at least --min-n answers") })
        .nullable()
        .describe("this owner's NPS less everyone else's (two-sample Wald); null for an owner with fewer than --min-n answers"),
      flag: z.enum(["below", "above"]).nullable().describe("below or above the rest when the Holm-adjusted p is under 0.05"),
      small: z.boolean().describe("fewer answers than --min-n: never flagged"),
      latest: npsFigure.extend({ period: z.string() }).nullable(),
      previous: npsFigure.extend({ period: z.string() }).nullable(),
      change: z.object({ difference: z.number(), ciLow: z.number(), ciHigh: z.number(), p: z.number().nullable() }).nullable().describe("the latest period less the previous, when each has at least --min-n answers"),
      changeAbsent: z.string().nullable().describe("why there is no change"),
      callBack: z.array(
        z.object({ customerId: z.string(), score: z.number(), group: z.string().nullable(), date: z.string().nullable(), comment: z.string().nullable(), revenue: z.number().nullable(), churned: z.boolean().nullable() }),
      ).describe("detractors whose latest answer went to this owner, in the latest period, most valuable first; at most --top"),
      callBackCount: count,
      share: z.array(z.object({ customerId: z.string().nullable(), score: z.number(), date: z.string().nullable(), comment: z.string() })).describe("promoters' comments of the latest period, most recent first; at most --top"),
      shareCount: count,
    }),
  ),
  files: z.array(z.object({ owner: z.string(), file: z.string() })).nullable(),
});

export const INSPECTION_SCHEMA_VERSION = 1;

export const InspectionSchema = z.object({
  files: z.array(
    z.object({
      path: z.string(),
      format: InputFormatSchema,
      kind: z.enum(["survey", "finance", "unknown"]),
      rows: count,
      columns: z.array(
        z.object({
          name: z.string(),
          label: z.string().nullable().describe("the question text, where the export carries one that differs from the name"),
          type: z.enum(["integer", "number", "date", "period", "text", "empty"]),
          blank: count,
          distinct: count,
          min: z.number().nullable(),
          max: z.number().nullable(),
          examples: z.array(z.string()),
          role: z.enum(["customer id", "score", "date", "group", "driver", "revenue", "cost", "period", "customers", "comment", "owner"]).nullable(),
          driver: z.string().nullable().describe("survey files: why the column is or is not a driver"),
          words: z.string().nullable().describe("the rating-word scale the column's values belong to"),
        }),
      ),
      sheets: z.array(z.object({ name: z.string(), rows: count, columns: count })).nullable(),
      notes: z.array(z.string()),
    }),
  ),
});

export const TARGETS_SCHEMA_VERSION = 1;

const points = z.number().min(-100).max(100);
export const TargetsReportSchema = z.object({
  tool: z.object({ name: z.literal("loyalty"), version: z.string() }),
  generatedAt: z.string(),
  survey: z.string(),
  groupBy: z.string(),
  period: z.string().nullable().describe("--period: the last period the targets are for; null: every response"),
  rule: z.string().describe("--target-rule in words"),
  targetsFile: z.string().nullable(),
  groups: z.array(
    z.object({
      group: z.string(),
      n: count,
      nps: points,
      ciLow: points,
      ciHigh: points,
      stdError: z.number().min(0),
      minimumDetectableChange: z.number().min(0).describe("the smallest change between two periods of this many answers a 5% two-sided test detects with 80% power, in points"),
      proposedTarget: z.number().nullable().describe("the rule's target, never below today + minimumDetectableChange; null when no fair target exists"),
      note: z.string().nullable(),
      target: z.number().nullable().describe("from --targets"),
      difference: z.number().nullable(),
      differenceCiLow: z.number().nullable(),
      differenceCiHigh: z.number().nullable(),
      chanceMet: z.number().min(0).max(1).nullable().describe("P(true NPS ≥ target), normal approximation"),
      status: z.enum(["met", "not met", "cannot tell"]).nullable(),
      vsRest: z
        .object({ difference: z.number(), ciLow: z.number(), ciHigh: z.number(), p: z.number().min(0).max(1).nullable(), adjustedP: z.number().min(0).max(1).nullable() })
        .nullable()
        .describe("this group's NPS less all the others' (two-sample Wald), Holm-adjusted over the groups; null for a group with fewer than --min-n answers"),
      flag: z.enum(["below", "above"]).nullable().describe("below or above the rest when the Holm-adjusted p is under 0.05"),
    }),
  ),
  benchmarkFile: z.string().nullable(),
  benchmarks: ReportSchema.shape.benchmarks.unwrap().shape.comparisons.nullable().describe("--benchmark: the period's overall (group null) and each group's NPS against each benchmark"),
});

const jsonSchema = (schema: z.ZodType, id: string, title: string) => ({ ...z.toJSONSchema(schema, { io: "input" }), $id: id, title });

export const atRiskJsonSchema = () => jsonSchema(AtRiskReportSchema, `urn:loyalty:at-risk:v${AT_RISK_SCHEMA_VERSION}`, "loyalty at-risk list");
export const inspectionJsonSchema = () => jsonSchema(InspectionSchema, `urn:loyalty:inspect:v${INSPECTION_SCHEMA_VERSION}`, "loyalty inspect output");
export const upsellJsonSchema = () => jsonSchema(UpsellReportSchema, `urn:loyalty:upsell:v${LISTS_SCHEMA_VERSION}`, "loyalty upsell list");
export const ambassadorsJsonSchema = () => jsonSchema(AmbassadorsReportSchema, `urn:loyalty:ambassadors:v${LISTS_SCHEMA_VERSION}`, "loyalty ambassadors list");
export const feedbackJsonSchema = () => jsonSchema(FeedbackReportSchema, `urn:loyalty:feedback:v${LISTS_SCHEMA_VERSION}`, "loyalty feedback");
export const targetsJsonSchema = () => jsonSchema(TargetsReportSchema, `urn:loyalty:targets:v${TARGETS_SCHEMA_VERSION}`, "loyalty targets");
