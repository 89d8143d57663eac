import { Command } from "commander";
import { inspectFile, type InspectedFile } from "../../inspect.js";
import { renderInspection } from "../../report/render-inspection.js";
import type { Io } from "../io.js";
import { formatOption, noColorOption, outputOption, readOptions, type Format, type ReadFlags } from "../options.js";
import { resolveFormat } from "../options.js";
import { useColor } from "../run-report.js";

export function inspectCommand(io: Io): Command {
  const command = new Command("inspect")
    .description("what loyalty detects in each file: encoding, delimiter, decimal mark, layout, and each column's type and role")
    .argument("<files...>", "survey exports or finance files");
  for (const option of readOptions()) command.addOption(option);
  return command
    .addOption(formatOption())
    .addOption(outputOption())
    .addOption(noColorOption())
    .action(async (files: string[], options: ReadFlags & { format?: Format; output?: string; color: boolean }) => {
      const inspected: InspectedFile[] = [];
      for (const file of files) inspected.push(await inspectFile(file, { ...options, stdin: io.stdin }));
      const format = resolveFormat(options);
      const text = format === "json" ? `${JSON.stringify({ files: inspected }, null, 2)}\n` : renderInspection(inspected, { color: useColor(io, options.color, options.output !== undefined) });
      if (options.output) await io.writeFile(options.output, text);
      else io.stdout(text);
    });
}
