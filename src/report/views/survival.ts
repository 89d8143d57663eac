/** Survival from the answer: who is still a customer 3, 6 and 12 months after answering, per category. */
import { interval, styled, type Block, type Cell, type Section } from "../document.js";
import { num, pValue } from "../format.js";
import type { Report } from "../report.js";

export function survivalView(report: Report): Section | null {
  const s = report.survival;
  if (!s) return null;
  const rows = [...s.byCategory.map((c) => ({ label: styled(c.category, null), ...c })), { label: styled("all", "strong"), ...s.overall }];
  const at = (c: (typeof rows)[number], t: number) => c.at.find((a) => a.t === t)!;
  const blocks: Block[] = [];
  if (s.summary) blocks.push({ kind: "sentence", strong: true, text: s.summary });
  blocks.push(
    {
      kind: "table",
      id: "by-category",
      columns: [
        { key: "category", label: "category", unit: "text" },
        { key: "customers", label: "customers", unit: "count", drop: 2 },
        { key: "left", label: "left", unit: "count", drop: 2 },
        { key: "still_3_months", label: "still there at 3 months", unit: "share", drop: 3 },
        { key: "still_6_months", label: "at 6 months", unit: "share" },
        { key: "ci_6_months", label: "95% CI at 6", unit: "share", interval: true, drop: 4 },
        { key: "still_12_months", label: "at 12 months", unit: "share" },
        { key: "ci_12_months", label: "95% CI at 12", unit: "share", interval: true, drop: 4 },
        { key: "median_months", label: "median stay (months)", unit: "number", decimals: 1, drop: 1 },
      ],
      rows: rows.map((c): Cell[] => [
        c.label,
        c.n,
        c.events,
        at(c, 3).survival,
        at(c, 6).survival,
        at(c, 6).ciLow === null ? null : interval(at(c, 6).ciLow, at(c, 6).ciHigh),
        at(c, 12).survival,
        at(c, 12).ciLow === null ? null : interval(at(c, 12).ciLow, at(c, 12).ciHigh),
        c.median,
      ]),
    },
    {
      kind: "note",
      text:
        `Kaplan–Meier from the month of each customer's latest answer, with Greenwood 95% limits; a dash past a category's longest follow-up (${s.byCategory.map((c) => `${c.category}s ${num(c.followUp)} months`).join(", ")}); ` +
        `no median where fewer than half left. Left out: ${num(s.excluded.leftBeforeAnswering)} who had left before answering, ${num(s.excluded.noFollowUp)} who answered in the last month` +
        (s.excluded.undated > 0 ? `, ${num(s.excluded.undated)} without a response date` : ""),
    },
  );
  if (s.logRank) blocks.push({ kind: "sentence", text: `log-rank test of equal survival across the categories: χ² ${s.logRank.chiSquare.toFixed(2)} on ${s.logRank.df} df, p ${pValue(s.logRank.p)}` });
  if (s.cox) {
    blocks.push({
      kind: "table",
      id: "cox",
      title: "how fast each category leaves, against promoters (Cox model, Efron ties)",
      columns: [
        { key: "category", label: "category", unit: "text" },
        { key: "hazard_ratio", label: "hazard ratio", unit: "number", decimals: 2 },
        { key: "ci", label: "95% CI", unit: "number", decimals: 2, interval: true },
        { key: "p", label: "p", unit: "pValue" },
      ],
      rows: s.cox.terms.map((t) => [t.category, t.hazardRatio, interval(t.ciLow, t.ciHigh), t.p]),
    });
    blocks.push({ kind: "note", text: `likelihood-ratio test of the model: χ² ${s.cox.lrTest.toFixed(2)} on ${s.cox.lrDf} df, p ${pValue(s.cox.lrP)}` });
  }
  blocks.push({
    kind: "chart",
    id: "survival-curves",
    title: "Share still a customer, by months since the answer",
    chart: { type: "survival", xLabel: "months since the answer", series: s.byCategory.map((c) => ({ label: c.category, steps: c.steps, end: c.followUp })) },
  });
  return { id: "survival", title: "Who stays after answering", blocks };
}
