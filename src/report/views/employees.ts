/** Employees → customers → money: eNPS per group and the service-profit chain. */
import { interval, inUnit, type Section } from "../document.js";
import { num } from "../format.js";
import type { Report } from "../report.js";

export function employeesView(report: Report): Section | null {
  const e = report.employees;
  if (!e) return null;
  const measure = e.measure === "enps" ? "eNPS" : "engagement";
  const groupBy = report.nps.groupBy ?? "group";
  const names = { employee: measure, nps: "customer NPS", money: `${e.moneyBasis} per customer` };
  return {
    id: "employees",
    title: "Employees → customers → money (the service-profit chain)",
    blocks: [
      {
        kind: "note",
        text:
          `${e.path} — ${num(e.rowsRead)} rows read = ${num(e.rowsAccepted)} accepted + ${num(e.rowsRejected)} rejected${e.rowsExcluded > 0 ? ` + ${num(e.rowsExcluded)} excluded` : ""}; ` +
          (e.mode === "respondents" ? `eNPS computed from the 0-10 answers in "${e.columns.score}"` : `${measure} per group from "${e.columns.score}"`),
      },
      {
        kind: "table",
        id: "groups",
        columns: [
          { key: "group", label: groupBy, unit: "text" },
          { key: "employee_rows", label: e.mode === "respondents" ? "employees" : "rows", unit: "count" },
          { key: "employee", label: measure, unit: e.measure === "enps" ? "points" : "number", decimals: e.measure === "enps" ? 1 : 2 },
          { key: "nps", label: "customer NPS", unit: "points" },
          { key: "money", label: `${e.moneyBasis} / customer`, unit: "money" },
        ],
        rows: e.groups.map((g) => [g.group, g.employeeRows, g.employee, g.nps, g.money]),
      },
      {
        kind: "table",
        id: "chain",
        columns: [
          { key: "link", label: "link", unit: "text" },
          { key: "groups", label: "groups", unit: "count" },
          { key: "r", label: "r", unit: "number", decimals: 2 },
          { key: "ci", label: "95% CI (Fisher z)", unit: "number", decimals: 2, interval: true },
          { key: "p", label: "p", unit: "pValue" },
        ],
        rows: e.chain.map((link) => [`${names[link.from]} → ${names[link.to]}`, link.n, link.r, interval(link.ciLow, link.ciHigh), inUnit(link.p, "pValue")]),
      },
    ],
  };
}
