/**
 * A benchmark file (--benchmark): one row per benchmark, with its name, its NPS in points and,
 * when known, the number of answers behind it and its promoter and detractor shares. Pure: works
 * on records already read. Any bad cell is an error naming its line and column: a benchmark is
 * a handful of rows the analyst typed, and a wrong one must not be skipped.
 */
import { InputError } from "../errors.js";
import type { CsvRecord } from "../read/read-csv.js";
import type { DecimalMark } from "../read/parse-number.js";
import { parseNumber } from "../read/parse-number.js";
import { cellOf, isBlankRecord } from "./accounting.js";
import { findByNames, isMissing, type ColumnRef } from "./column-roles.js";

export interface Benchmark {
  name: string;
  /** NPS in points, -100 to 100. */
  nps: number;
  /** Answers behind it; null when unknown (then it is compared as a fixed value). */
  n: number | null;
  /** Promoter and detractor shares (0-1), when given: the benchmark's own variance; else the largest its NPS allows. */
  promoterShare: number | null;
  detractorShare: number | null;
  line: number;
}

const NAMES = {
  name: ["name", "benchmark", "source", "industry", "company", "competitor", "namn", "navn", "nimi", "jamforelse"],
  nps: ["nps", "score", "value", "benchmark nps", "nps score"],
  n: ["n", "responses", "answers", "sample", "sample size", "respondents", "count", "antal", "antall", "maara"],
  promoters: ["promoters", "promoter share", "promoter", "promotorer", "suosittelijat"],
  detractors: ["detractors", "detractor share", "detractor", "kritiker", "arvostelijat"],
};


/** A share written as 0.35, 35% or 35 (points). */
function share(text: string, decimal: DecimalMark): number | null {
  const value = parseNumber(text.replace(/%\s*$/, ""), decimal);
  if (value === null) return null;
  return /%\s*$/.test(text) || value > 1 ? value / 100 : value;
}

export function loadBenchmarks(file: string, header: readonly string[], records: readonly CsvRecord[], decimal: DecimalMark): Benchmark[] {
  const name = findByNames(header, NAMES.name);
  const nps = findByNames(header, NAMES.nps);
  if (!name || !nps) {
    throw new InputError({ file, line: 1 }, `a benchmark file needs a name and an NPS column (and optionally n, promoters, detractors); it has ${header.map((h) => `"${h}"`).join(", ")}`, {
      hint: "write a header such as: name,nps,n",
    });
  }
  const n = findByNames(header, NAMES.n);
  const promoters = findByNames(header, NAMES.promoters);
  const detractors = findByNames(header, NAMES.detractors);
  const benchmarks: Benchmark[] = [];
  const names = new Set<string>();
  for (const record of records) {
    if (isBlankRecord(record)) continue;
    const at = (column: ColumnRef, expected: string, hint: string): never => {
      throw new InputError({ file, line: record.line, column: column.index + 1 }, `expected ${expected}, got "${cellOf(record, column)}"`, { hint });
    };
    const label = cellOf(record, name).trim();
    if (label === "") at(name, "a benchmark name", "name every benchmark row");
    if (names.has(label)) at(name, "a name not used before", "give each benchmark its own name");
    names.add(label);
    const value = parseNumber(cellOf(record, nps).trim(), decimal);
    if (value === null || !(value >= -100 && value <= 100)) at(nps, "an NPS from -100 to 100", "write the benchmark's NPS in points, e.g. 32");
    let count: number | null = null;
    if (n && !isMissing(cellOf(record, n))) {
      count = parseNumber(cellOf(record, n).trim(), decimal);
      if (count === null || !Number.isInteger(count) || count < 1) at(n, "a whole number of answers of 1 or more, or blank", "leave n blank when the benchmark's sample size is unknown");
    }
    let p: number | null = null;
    let d: number | null = null;
    if (promoters && detractors && !isMissing(cellOf(record, promoters)) && !isMissing(cellOf(record, detractors))) {
      p = share(cellOf(record, promoters).trim(), decimal);
      d = share(cellOf(record, detractors).trim(), decimal);
      if (p === null || p < 0 || p > 1) at(promoters, "a promoter share (0.35 or 35%)", "write the share of promoters, or leave it blank");
      if (d === null || d < 0 || d > 1 || p! + d > 1) at(detractors, "a detractor share that, with the promoters, is at most 100%", "write the share of detractors, or leave it blank");
      if (Math.abs(100 * (p! - d!) - value!) > 0.5) at(nps, `an NPS equal to promoters − detractors (${(100 * (p! - d!)).toFixed(1)})`, "check the NPS against its promoter and detractor shares");
    }
    benchmarks.push({ name: label, nps: value!, n: count, promoterShare: p, detractorShare: d, line: record.line });
  }
  if (benchmarks.length === 0) throw new InputError({ file }, "the benchmark file has no rows", { hint: "add a row per benchmark: name,nps[,n]" });
  return benchmarks;
}
