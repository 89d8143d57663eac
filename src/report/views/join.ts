/** How the survey met the finance file. */
import type { Section } from "../document.js";
import { num, pct } from "../format.js";
import type { Report } from "../report.js";

export function joinView(report: Report): Section | null {
  const j = report.join;
  if (!j) return null;
  return {
    id: "join",
    title: "Survey × finance",
    blocks: [
      {
        kind: "sentence",
        text: `${num(j.respondents)} respondents, ${num(j.financeCustomers)} finance customers, ${num(j.matched)} matched (${pct(j.matchRate)} of respondents); customer-level figures use each customer's latest response`,
      },
    ],
  };
}
