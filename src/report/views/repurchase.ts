/** Repurchase after the answer: loyalty in a transactional business. */
import { interval, type Block, type Cell, type Section } from "../document.js";
import { num } from "../format.js";
import type { Report } from "../report.js";

export function repurchaseView(report: Report): Section | null {
  const r = report.repurchase;
  if (!r) return null;
  const blocks: Block[] = [];
  if (r.summary) blocks.push({ kind: "sentence", strong: true, text: r.summary });
  blocks.push(
    {
      kind: "table",
      id: "by-category",
      columns: [
        { key: "category", label: "category", unit: "text" },
        { key: "eligible", label: "customers", unit: "count" },
        { key: "repurchased", label: "bought again", unit: "count", drop: 2 },
        { key: "rate", label: "repurchase rate", unit: "share" },
        { key: "ci", label: "95% CI", unit: "share", interval: true, drop: 1 },
        { key: "ratio_to_promoters", label: "× promoters", unit: "number", decimals: 2, drop: 3 },
        { key: "revenue_per_customer", label: `revenue in ${r.window} periods`, unit: "money" },
        { key: "back_within_6_months", label: "back within 6 months", unit: "share", drop: 4 },
        { key: "median_months", label: "median months to next", unit: "number", decimals: 1, drop: 5 },
      ],
      rows: r.byCategory.map((c): Cell[] => [
        c.category,
        c.eligible,
        c.repurchased,
        c.rate,
        c.ciLow === null ? null : interval(c.ciLow, c.ciHigh),
        c.ratioToPromoters,
        c.revenuePerCustomer,
        c.timeToNext.at.find((a) => a.t === 6)!.back,
        c.timeToNext.median,
      ]),
    },
    {
      kind: "note",
      text:
        `repurchase: a purchase in the ${r.window} periods after the customer's latest answer (--repurchase-window), among those who answered at least ${r.window} periods before the file's end ` +
        `(${num(r.excluded.tooLate)} answered later${r.excluded.undated > 0 ? `, ${num(r.excluded.undated)} without a date` : ""}); Wilson intervals; back within 6 months: Kaplan–Meier of the time to the next purchase`,
    },
  );
  return { id: "repurchase", title: "Who buys again after answering", blocks };
}
