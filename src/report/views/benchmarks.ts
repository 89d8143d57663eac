/** --benchmark: our NPS, overall and per group, against each benchmark. */
import { interval, styled, type Block, type Section } from "../document.js";
import { signed } from "../format.js";
import type { Report } from "../report.js";

type Comparisons = NonNullable<Report["benchmarks"]>["comparisons"];

/** The benchmarks table, shared by analyze and targets. */
export function benchmarkBlocks(comparisons: Comparisons, groupBy: string | null): Block[] {
  const byBenchmark = new Map<string, Comparisons>();
  for (const c of comparisons) byBenchmark.set(c.benchmark, [...(byBenchmark.get(c.benchmark) ?? []), c]);
  const blocks: Block[] = [
    {
      kind: "table",
      id: "comparisons",
      columns: [
        { key: "benchmark", label: "benchmark", unit: "text" },
        { key: "group", label: groupBy ?? "group", unit: "text" },
        { key: "nps", label: "NPS", unit: "points" },
        { key: "benchmark_nps", label: "benchmark NPS", unit: "points" },
        { key: "difference", label: "difference", unit: "points" },
        { key: "difference_ci", label: "95% CI", unit: "points", interval: true, drop: 1 },
        { key: "p", label: "p", unit: "pValue", drop: 2 },
        { key: "method", label: "compared", unit: "text", drop: 3 },
        { key: "significant", label: "significant", unit: "text" },
      ],
      rows: comparisons.map((c) => [
        c.benchmark,
        c.group ?? "overall",
        c.nps,
        c.benchmarkNps,
        styled(c.difference, c.significant ? (c.difference < 0 ? "bad" : "strong") : null),
        interval(c.ciLow, c.ciHigh),
        c.p,
        c.method === "fixed" ? "fixed value" : c.benchmarkVariance === "shares" ? "two-sample" : "two-sample, bound",
        styled(c.significant ? (c.difference < 0 ? "below" : "above") : "no", c.significant ? (c.difference < 0 ? "bad" : "strong") : "muted"),
      ]),
    },
    {
      kind: "note",
      text:
        "two-sample: the benchmark's n makes it a sample too, and the difference's interval adds its variance (from its promoter and detractor shares; \"bound\": the largest its NPS allows, 1 − NPS², so never too narrow); " +
        "fixed value: without n, our interval shifted by the benchmark; significant: the 95% interval excludes 0 (each comparison on its own, not adjusted for their number)",
    },
  ];
  for (const [name, rows] of byBenchmark) {
    const overall = rows.find((r) => r.group === null);
    const above = rows.filter((r) => r.group !== null && r.significant && r.difference > 0).map((r) => r.group!);
    const below = rows.filter((r) => r.group !== null && r.significant && r.difference < 0).map((r) => r.group!);
    if (!overall) continue;
    blocks.push({
      kind: "sentence",
      text:
        `against ${name} (${signed(overall.benchmarkNps)}): overall ${signed(overall.difference)} points${overall.significant ? "" : ", within chance"}` +
        (below.length > 0 ? `; below it: ${below.join(", ")}` : "") +
        (above.length > 0 ? `; above it: ${above.join(", ")}` : ""),
    });
  }
  return blocks;
}

export function benchmarksView(report: Report): Section | null {
  const b = report.benchmarks;
  if (!b) return null;
  return { id: "benchmarks", title: "NPS against benchmarks", blocks: benchmarkBlocks(b.comparisons, report.nps.groupBy ?? null) };
}
