/**
 * The JSON Schemas of the other JSON outputs: `loyalty at-risk --format json` and
 * `loyalty inspect --format json`. Like the report's, they are a contract for pipelines, and the
 * tests validate every such output against them.
 */
import { z } from "zod";
import { InputFormatSchema } from "./report.js";

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
    }),
  ),
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
          role: z.enum(["customer id", "score", "date", "group", "driver", "revenue", "cost", "period", "customers"]).nullable(),
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
    }),
  ),
});

const jsonSchema = (schema: z.ZodType, id: string, title: string) => ({ ...z.toJSONSchema(schema, { io: "input" }), $id: id, title });

export const atRiskJsonSchema = () => jsonSchema(AtRiskReportSchema, `urn:loyalty:at-risk:v${AT_RISK_SCHEMA_VERSION}`, "loyalty at-risk list");
export const inspectionJsonSchema = () => jsonSchema(InspectionSchema, `urn:loyalty:inspect:v${INSPECTION_SCHEMA_VERSION}`, "loyalty inspect output");
export const targetsJsonSchema = () => jsonSchema(TargetsReportSchema, `urn:loyalty:targets:v${TARGETS_SCHEMA_VERSION}`, "loyalty targets");
