import { Command, Option } from "commander";
import { inspectFile, type InspectedFile, type InspectFlags } from "../../inspect.js";
import { renderInspection } from "../../report/render-inspection.js";
import type { Io } from "../io.js";
import { columnOptions, HELP_GROUPS, noColorOption, outputOption, readOptions, scaleOptions, widthOption, type Format, type ReadFlags, type ScaleFlags } from "../options.js";
import { resolveFormat } from "../options.js";
import { outputWidth, useColor } from "../run-report.js";
import type { AnalyzeOptions } from "./analyze.js";

export type ColumnFlags = Pick<
  AnalyzeOptions,
  "customerId" | "score" | "date" | "by" | "drivers" | "weight" | "comment" | "owner" | "financeCustomerId" | "revenue" | "cost" | "periodColumn" | "financeGroup" | "customers"
>;

/** The column and scale options of analyze, as inspect applies them to each file. */
export function inspectFlags(options: ColumnFlags & ScaleFlags): InspectFlags {
  return {
    survey: {
      customerId: options.customerId,
      score: options.score,
      date: options.date,
      by: options.by,
      drivers: options.drivers === false ? [] : options.drivers,
      weight: options.weight,
      comment: options.comment,
      owner: options.owner,
    },
    finance: {
      customerId: options.financeCustomerId ?? options.customerId,
      revenue: options.revenue,
      cost: options.cost,
      period: options.periodColumn,
      group: options.financeGroup,
      customers: options.customers,
    },
    scale: options.scale,
    scoreMap: options.scoreMap,
    ratingMap: options.ratingMap,
  };
}

export function inspectCommand(io: Io): Command {
  const command = new Command("inspect")
    .description("what loyalty detects in each file: encoding, delimiter, decimal mark, layout, sheets, and each column's type and role (and why it is or is not a driver)")
    .argument("<files...>", "survey exports or finance files");
  for (const option of [...readOptions(), ...columnOptions(), ...scaleOptions()]) command.addOption(option);
  return command
    .addOption(new Option("-f, --format <format>", "output format").choices(["table", "json"]).helpGroup(HELP_GROUPS.output))
    .addOption(outputOption().helpGroup(HELP_GROUPS.output))
    .addOption(widthOption().helpGroup(HELP_GROUPS.output))
    .addOption(noColorOption().helpGroup(HELP_GROUPS.output))
    .action(async (files: string[], options: ReadFlags & ColumnFlags & ScaleFlags & { format?: Format; output?: string; color: boolean; width?: number }) => {
      const inspected: InspectedFile[] = [];
      const flags = inspectFlags(options);
      for (const file of files) inspected.push(await inspectFile(file, { ...options, stdin: io.stdin }, flags));
      const format = resolveFormat(options, ["table", "json"]);
      const text = format === "json" ? `${JSON.stringify({ files: inspected }, null, 2)}\n` : renderInspection(inspected, { color: useColor(io, options.color, options.output !== undefined), width: outputWidth(io, options.width, options.output !== undefined) });
      if (options.output) await io.writeFile(options.output, text);
      else io.stdout(text);
    });
}
