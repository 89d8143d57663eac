/** NPS per month, quarter or year, with the change from one period to the next. */
import { interval, type Block, type Cell, type Section } from "../document.js";
import { num } from "../format.js";
import type { Report } from "../report.js";

export function trendView(report: Report): Section | null {
  const tr = report.trend;
  if (!tr) return null;
  const rows: Cell[][] = tr.periods.map((p, i) => {
    const change = i === 0 ? null : tr.changes[i - 1]!;
    return [p.period, p.n, p.nps, interval(p.ciLow, p.ciHigh), change?.change ?? null, change?.p ?? null, change?.paired?.customers ?? null, change?.paired?.change ?? null, change?.paired?.p ?? null];
  });
  const blocks: Block[] = [
    {
      kind: "table",
      id: "periods",
      columns: [
        { key: "period", label: tr.unit, unit: "text" },
        { key: "n", label: "n", unit: "count" },
        { key: "nps", label: "NPS", unit: "points" },
        { key: "ci", label: "95% CI", unit: "points", interval: true },
        { key: "change", label: "change", unit: "points" },
        { key: "change_p", label: "p", unit: "pValue" },
        { key: "paired_customers", label: "paired customers", unit: "count", drop: 2 },
        { key: "paired_change", label: "paired change", unit: "points", drop: 1 },
        { key: "paired_p", label: "paired p", unit: "pValue", drop: 1 },
      ],
      rows,
    },
    { kind: "note", text: "change: against the period before (independent samples, Wald z); paired: the customers who answered in both periods (paired t on answers coded +1/0/−1)" },
  ];
  if (tr.undated > 0) blocks.push({ kind: "note", text: `${num(tr.undated)} responses without a date are not in the trend` });
  if (tr.periods.length > 1) {
    blocks.push({
      kind: "chart",
      id: "nps-trend",
      title: `NPS by ${tr.unit} with 95% intervals`,
      chart: { type: "trend", axis: "NPS", points: tr.periods.map((p) => ({ label: p.period, value: p.nps, low: p.ciLow, high: p.ciHigh })) },
    });
  }
  return { id: "trend", title: `NPS by ${tr.unit}`, blocks };
}
