/** The table of KPI-on-NPS statistics that the linkage and the lagged linkage share. */
import { inUnit, type Column, type TableBlock } from "../document.js";
import type { Report } from "../report.js";

type Kpi = NonNullable<Report["linkage"]>["byKpi"][number];

export const KPI_LABELS: Record<Kpi["kpi"], string> = {
  revenuePerCustomer: "revenue / customer",
  marginPerCustomer: "margin / customer",
  churnRate: "churn rate",
  revenueGrowth: "revenue growth",
};

export function kpiTable(id: string, kpis: readonly Kpi[], options: { withN?: boolean; title?: string } = {}): TableBlock {
  const columns: Column[] = [
    { key: "kpi", label: "KPI", unit: "text" },
    { key: "slope", label: "slope per NPS point", unit: "number", decimals: 1 },
    { key: "slope_p", label: "p", unit: "pValue" },
    { key: "r_squared", label: "R²", unit: "number", decimals: 2, drop: 1 },
    { key: "pearson_r", label: "Pearson r", unit: "number", decimals: 2, drop: 2 },
    { key: "pearson_p", label: "r p", unit: "pValue", drop: 3 },
    { key: "spearman_rho", label: "Spearman ρ", unit: "number", decimals: 2, drop: 2 },
    { key: "spearman_p", label: "ρ p", unit: "pValue", drop: 3 },
  ];
  if (options.withN) columns.push({ key: "n", label: "n", unit: "count" });
  return {
    kind: "table",
    id,
    ...(options.title ? { title: options.title } : {}),
    columns,
    rows: kpis.map((k) => [
      KPI_LABELS[k.kpi],
      k.kpi === "churnRate" || k.kpi === "revenueGrowth" ? inUnit(k.slope, "pp", 2) : k.slope,
      k.slopeP,
      k.rSquared,
      k.pearsonR,
      k.pearsonP,
      k.spearmanRho,
      k.spearmanP,
      ...(options.withN ? [k.n] : []),
    ]),
  };
}
