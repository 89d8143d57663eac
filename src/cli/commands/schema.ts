import { Command } from "commander";
import { configJsonSchema } from "../../config/config.js";
import { reportJsonSchema } from "../../report/report.js";
import type { Io } from "../io.js";

export function schemaCommand(io: Io): Command {
  return new Command("schema")
    .description("print the JSON Schema of the report that --format json writes (or, with --config-schema, of loyalty.config.json)")
    .option("--config-schema", "print the JSON Schema of loyalty.config.json instead, for editors")
    .action((options: { configSchema?: boolean }) => {
      io.stdout(`${JSON.stringify(options.configSchema ? configJsonSchema() : reportJsonSchema(), null, 2)}\n`);
    });
}
