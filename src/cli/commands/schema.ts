import { Command } from "commander";
import { reportJsonSchema } from "../../report/report.js";
import type { Io } from "../io.js";

export function schemaCommand(io: Io): Command {
  return new Command("schema")
    .description("print the JSON Schema of the report that --format json writes")
    .action(() => {
      io.stdout(`${JSON.stringify(reportJsonSchema(), null, 2)}\n`);
    });
}
