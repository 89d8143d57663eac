/** Survey coverage: who answered, against the finance customers and their revenue. */
import type { Block, Section } from "../document.js";
import { num, pct } from "../format.js";
import type { Report } from "../report.js";

export function coverageView(report: Report): Section | null {
  const c = report.coverage;
  if (!c) return null;
  const o = c.overall;
  const blocks: Block[] = [
    { kind: "sentence", text: `${num(o.respondents)} of ${num(o.customers)} finance customers answered (${pct(o.customerShare)}), holding ${pct(o.revenueShare)} of revenue` },
  ];
  if (c.byGroup) {
    blocks.push({
      kind: "table",
      id: "by-group",
      columns: [
        { key: "group", label: c.groupBy ?? "group", unit: "text" },
        { key: "customers", label: "customers", unit: "count" },
        { key: "respondents", label: "answered", unit: "count" },
        { key: "customer_share", label: "share", unit: "share" },
        { key: "revenue_share", label: "revenue share answered", unit: "share" },
      ],
      rows: c.byGroup.map((g) => [g.group, g.customers, g.respondents, g.customerShare, g.revenueShare]),
    });
  } else blocks.push({ kind: "note", text: "per group: the finance file has no group column, so non-respondents have no group (name it with --finance-group)" });
  return { id: "coverage", title: "Survey coverage", blocks };
}
