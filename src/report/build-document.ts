/**
 * The report as a document: each section's view, in reading order, after the headline a board
 * reads first. `sections` picks which sections appear (every format renders the same choice).
 */
import type { ReportDocument, Section } from "./document.js";
import type { Report } from "./report.js";
import { coverageView } from "./views/coverage.js";
import { driversView } from "./views/drivers.js";
import { employeesView } from "./views/employees.js";
import { benchmarksView } from "./views/benchmarks.js";
import { inputsView } from "./views/inputs.js";
import { joinView } from "./views/join.js";
import { lagView } from "./views/lag.js";
import { linkageView } from "./views/linkage.js";
import { npsSentence, npsView } from "./views/nps.js";
import { absentView, warningsView } from "./views/notes.js";
import { retentionView } from "./views/retention.js";
import { revenueView } from "./views/revenue.js";
import { trendView } from "./views/trend.js";
import { repurchaseView } from "./views/repurchase.js";
import { survivalView } from "./views/survival.js";
import { claimSentences, valueView } from "./views/value.js";

/**
 * Every section's view, in the order the report reads. A new section is its view module and one
 * line here: --sections, every renderer and CSV's section names follow.
 */
const VIEWS = {
  inputs: inputsView,
  nps: npsView,
  benchmarks: benchmarksView,
  join: joinView,
  revenue: revenueView,
  retention: retentionView,
  value: valueView,
  repurchase: repurchaseView,
  survival: survivalView,
  coverage: coverageView,
  trend: trendView,
  linkage: linkageView,
  lag: lagView,
  employees: employeesView,
  drivers: driversView,
  absent: absentView,
  warnings: warningsView,
} satisfies Record<string, (report: Report) => Section | null>;

export type SectionId = keyof typeof VIEWS;
export const SECTION_IDS = Object.keys(VIEWS) as SectionId[];

/** The sentences a board reads first: the score, what a promoter is worth, the link to money, what to fix. */
export function headline(report: Report): string[] {
  const lines = [npsSentence(report)];
  if (report.retention?.ltvRatio) lines.push(report.retention.ltvRatio.summary);
  lines.push(...claimSentences(report).slice(0, 2));
  const risk = report.value?.revenueAtRisk.total;
  if (risk !== undefined && risk !== null && report.value!.revenueAtRisk.byCategory.length > 0) {
    lines.push(`revenue at risk: ${Math.round(risk).toLocaleString("en-US")} of next year's revenue is expected to leave with the customers who go`);
  }
  if (report.survival?.summary) lines.push(report.survival.summary);
  if (report.repurchase?.summary) lines.push(report.repurchase.summary);
  const revenueLink = report.linkage?.byKpi.find((k) => k.kpi === "revenuePerCustomer");
  if (revenueLink?.summary) lines.push(revenueLink.summary);
  const top = report.drivers?.importance.find((r) => r.rank === 1);
  if (top) {
    const fix = report.drivers!.importance.filter((r) => r.quadrant === "fix first").sort((a, b) => a.rank - b.rank).map((r) => r.driver);
    lines.push(`the strongest driver of the score is ${top.driver} (${(top.lmgShare * 100).toFixed(0)}% of what the model explains)${fix.length > 0 ? `; fix first: ${fix.join(", ")}` : ""}`);
  }
  return lines;
}

export interface DocumentOptions {
  /** The sections to show, in report order (default: every section with something to say). */
  sections?: readonly SectionId[] | undefined;
}

export function buildDocument(report: Report, options: DocumentOptions = {}): ReportDocument {
  const wanted = new Set(options.sections ?? SECTION_IDS);
  const sections: Section[] = [];
  for (const id of SECTION_IDS) {
    if (!wanted.has(id)) continue;
    const section = VIEWS[id](report);
    // the registry's key names the section, whatever the view wrote
    if (section) sections.push({ ...section, id });
  }
  return {
    title: "loyalty report",
    subtitle: `loyalty ${report.tool.version}, ${report.generatedAt}`,
    headline: headline(report),
    sections,
  };
}
