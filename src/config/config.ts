/**
 * loyalty.config.json: the choices `loyalty init` detected (or the analyst wrote), read by every
 * command. One strict zod schema gives the type, the validation (unknown keys and wrong types are
 * errors with their path) and the JSON Schema for editors (`loyalty schema --config`).
 * Values are written as on the command line ("1-5", "9,7", "MM/DD/YYYY").
 */
import { z } from "zod";
import { InputError } from "../errors.js";

const text = z.string().min(1);

export const ConfigSchema = z
  .object({
    $schema: z.string().optional(),
    survey: z
      .object({
        path: text.optional().describe("the survey export (relative to the config file's folder)"),
        customerId: text.optional(),
        score: text.optional(),
        date: text.optional(),
        by: text.optional(),
        drivers: z.union([z.array(text).min(1), z.literal(false)]).optional().describe("the driver columns, or false for no driver model (--no-drivers)"),
        weight: text.optional(),
        comment: text.optional().describe("the free-text comment column (--comment)"),
        owner: text.optional().describe("who owns the interaction: agent, store, account manager (--owner, for loyalty feedback)"),
        layout: z.enum(["plain", "qualtrics", "surveymonkey", "google-forms", "typeform"]).optional(),
        dateFormat: z.enum(["YYYY-MM-DD", "DD.MM.YYYY", "MM/DD/YYYY", "DD/MM/YYYY", "DD-MM-YYYY"]).optional(),
        sheet: text.optional(),
        scale: z.string().regex(/^\d+-\d+$/, 'a scale such as "1-5"').optional(),
        categories: z.string().regex(/^\d+,\d+$/, 'the lowest promoter and passive scores, such as "9,7"').optional(),
        scoreMap: text.optional().describe('score words to numbers, e.g. "No=0,Maybe=8,Yes=10"'),
        ratingMap: text.optional().describe('rating words to numbers, e.g. "Poor=1,OK=2,Great=3"'),
      })
      .strict()
      .optional(),
    finance: z
      .object({
        path: text.optional().describe("the finance file (relative to the config file's folder)"),
        aggregates: text.optional().describe("instead of path: the folder of finance aggregates made by loyalty sql (--finance-aggregates; relative to the config file's folder)"),
        engine: z.enum(["builtin", "duckdb"]).optional().describe("how the finance file is reduced (--engine)"),
        customerId: text.optional(),
        period: text.optional(),
        revenue: text.optional(),
        cost: text.optional(),
        sheet: text.optional(),
        group: text.optional().describe("the customer's group column (coverage), or the row's group in a branch P&L"),
        customers: text.optional().describe("a branch P&L's customers-per-period column"),
        churnColumn: text.optional().describe("a churn flag column, in the finance file or else the survey file (--churn-column)"),
      })
      .strict()
      .optional(),
    read: z
      .object({
        encoding: z.enum(["utf-8", "windows-1252", "utf-16le", "utf-16be"]).optional(),
        delimiter: z.enum([",", ";", "tab", "|"]).optional(),
        decimal: z.enum([".", ","]).optional(),
      })
      .strict()
      .optional()
      .describe("how to read both files when detection is not enough"),
    analysis: z
      .object({
        minN: z.number().int().min(1).optional(),
        npsPer: z.enum(["response", "customer"]).optional(),
        outcome: text.optional(),
        bootstrap: z.number().int().min(0).optional(),
        seed: z.number().int().min(0).optional(),
        quadrantCut: z.enum(["median", "mean"]).optional(),
        missing: z.enum(["listwise", "pairwise"]).optional(),
        driverScale: z.string().regex(/^\d+(\.\d+)?-\d+(\.\d+)?$/, 'a scale such as "1-10"').optional(),
        exactLimit: z.number().int().min(1).optional(),
        period: z.enum(["month", "quarter", "year"]).optional().describe("NPS trend per month, quarter or year"),
        lag: z.number().int().min(0).optional(),
        weightedLinkage: z.boolean().optional(),
        discountRate: z.number().min(0).max(0.99).optional().describe("yearly discount rate of the discounted lifetime value, e.g. 0.1"),
        business: z.enum(["subscription", "transactional"]).optional().describe("--business"),
        repurchaseWindow: z.number().int().min(1).optional().describe("--repurchase-window"),
        acquisitionCost: z.number().min(0).optional().describe("what winning a new customer costs (--acquisition-cost)"),
        horizon: z.number().int().min(1).optional().describe("months of the discounted lifetime value"),
        churnAfter: z.number().int().min(1).optional().describe("churned = no finance row in the file's last K periods (--churn-after)"),
        scenarios: z.array(text).min(1).optional().describe('e.g. ["detractors-to-passives=10%", "retention=+5pp"]'),
        benchmark: text.optional().describe("a benchmark CSV of name,nps[,n] (--benchmark), relative to the config file's folder"),
      })
      .strict()
      .optional(),
    employees: z
      .object({
        path: text.optional().describe("the employee engagement file (relative to the config file's folder)"),
        group: text.optional(),
        score: text.optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type Config = z.infer<typeof ConfigSchema>;

/**
 * Parses and validates a config file's text.
 * @throws {InputError} naming the file and, for each problem, the key's path
 */
export function parseConfig(content: string, file: string): Config {
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message);
    const line = position ? content.slice(0, Number(position[1])).split("\n").length : undefined;
    throw new InputError({ file, line }, `is not valid JSON (${(error as Error).message})`, { hint: "fix the JSON, or write a new file with loyalty init", cause: error });
  }
  const result = ConfigSchema.safeParse(json);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.join(".") || "(top level)";
    if (issue.code === "unrecognized_keys") return `${path === "(top level)" ? "" : `${path}: `}unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
    return `${path}: ${issue.message}`;
  });
  throw new InputError({ file }, `is not a valid loyalty config: ${problems.join("; ")}`, { hint: "see loyalty schema --config-schema for every key" });
}

/** The config file's JSON Schema (draft 2020-12), for editors. */
export function configJsonSchema(): Record<string, unknown> {
  return { ...z.toJSONSchema(ConfigSchema, { io: "input" }), $id: "urn:loyalty:config:v1", title: "loyalty.config.json" };
}
