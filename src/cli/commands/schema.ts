import { Command, Option } from "commander";
import type { Io } from "../io.js";

// the schemas' modules (and zod) loaded only when a schema is asked for
const lists = () => import("../../report/list-schemas.js");
const SCHEMAS = {
  report: async () => (await import("../../report/report.js")).reportJsonSchema(),
  config: async () => (await import("../../config/config.js")).configJsonSchema(),
  "at-risk": async () => (await lists()).atRiskJsonSchema(),
  upsell: async () => (await lists()).upsellJsonSchema(),
  ambassadors: async () => (await lists()).ambassadorsJsonSchema(),
  feedback: async () => (await lists()).feedbackJsonSchema(),
  inspect: async () => (await lists()).inspectionJsonSchema(),
  targets: async () => (await lists()).targetsJsonSchema(),
} as const;

export function schemaCommand(io: Io): Command {
  return new Command("schema")
    .description("print a JSON Schema: of the report (--format json), of loyalty.config.json, of the at-risk, upsell and ambassadors lists, of the feedback report, of inspect's output or of targets")
    .addArgument(new Command().createArgument("[what]", "report, config, at-risk, upsell, ambassadors, feedback, inspect or targets").choices(Object.keys(SCHEMAS)).default("report"))
    .addOption(new Option("--config-schema", "the same as `loyalty schema config`").hideHelp())
    .addHelpText("after", "\nExamples:\n  $ loyalty schema > report.schema.json\n  $ loyalty schema config > loyalty.config.schema.json\n  $ loyalty schema at-risk\n")
    .action(async (what: keyof typeof SCHEMAS, options: { configSchema?: boolean }) => {
      const schema = await SCHEMAS[options.configSchema ? "config" : what]();
      io.stdout(`${JSON.stringify(schema, null, 2)}\n`);
    });
}
