import { Command, Option } from "commander";
import { configJsonSchema } from "../../config/config.js";
import { ambassadorsJsonSchema, atRiskJsonSchema, feedbackJsonSchema, inspectionJsonSchema, targetsJsonSchema, upsellJsonSchema } from "../../report/list-schemas.js";
import { reportJsonSchema } from "../../report/report.js";
import type { Io } from "../io.js";

const SCHEMAS = {
  report: reportJsonSchema,
  config: configJsonSchema,
  "at-risk": atRiskJsonSchema,
  upsell: upsellJsonSchema,
  ambassadors: ambassadorsJsonSchema,
  feedback: feedbackJsonSchema,
  inspect: inspectionJsonSchema,
  targets: targetsJsonSchema,
} as const;

export function schemaCommand(io: Io): Command {
  return new Command("schema")
    .description("print a JSON Schema: of the report (--format json), of loyalty.config.json, of the at-risk, upsell and ambassadors lists, of the feedback report, of inspect's output or of targets")
    .addArgument(new Command().createArgument("[what]", "report, config, at-risk, upsell, ambassadors, feedback, inspect or targets").choices(Object.keys(SCHEMAS)).default("report"))
    .addOption(new Option("--config-schema", "the same as `loyalty schema config`").hideHelp())
    .addHelpText("after", "\nExamples:\n  $ loyalty schema > report.schema.json\n  $ loyalty schema config > loyalty.config.schema.json\n  $ loyalty schema at-risk\n")
    .action((what: keyof typeof SCHEMAS, options: { configSchema?: boolean }) => {
      const schema = SCHEMAS[options.configSchema ? "config" : what]();
      io.stdout(`${JSON.stringify(schema, null, 2)}\n`);
    });
}
