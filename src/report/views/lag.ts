/** NPS now against money later: the time-lagged linkage. */
import type { Block, Section } from "../document.js";
import { num } from "../format.js";
import type { Report } from "../report.js";
import { kpiTable } from "./kpi-table.js";

export function lagView(report: Report): Section | null {
  const l = report.lag;
  if (!l) return null;
  const plural = l.lag === 1 ? "" : "s";
  const blocks: Block[] = [
    { kind: "note", text: `each ${l.groupBy} group's NPS in a ${l.unit} against its customers' money ${l.lag} ${l.unit}${plural} later (${num(l.rows.length)} group-${l.unit}s)` },
    kpiTable("kpis", l.byKpi, { withN: true }),
  ];
  for (const k of l.byKpi) if (k.summary) blocks.push({ kind: "sentence", text: k.summary });
  return { id: "lag", title: `NPS now, money later (lag ${l.lag} ${l.unit}${plural})`, blocks };
}
