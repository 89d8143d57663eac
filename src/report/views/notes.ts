/** The sections left out and why, and the warnings: what a reader must know to trust the rest. */
import type { Section } from "../document.js";
import type { Report } from "../report.js";

export function absentView(report: Report): Section | null {
  if (report.absent.length === 0) return null;
  return { id: "absent", title: "Not shown", blocks: [{ kind: "list", items: report.absent.map((a) => `${a.section}: ${a.reason}`) }] };
}

export function warningsView(report: Report): Section | null {
  if (report.warnings.length === 0) return null;
  return { id: "warnings", title: "Warnings", blocks: [{ kind: "list", items: report.warnings.map((w) => w.message) }] };
}
