// Every format from the one document model, on the Nordic reference data: the numbers each format
// shows equal R's (rounded as the format rounds them), tables fit the width, CSV parses strictly,
// Markdown parses as GitHub tables, HTML is self-contained.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { marked, type Tokens } from "marked";
import { beforeAll, describe, expect, it } from "vitest";
import { fixturePath, relativeError } from "../support/fixtures.js";
import { nordicExpected } from "../support/nordic-expected.js";
import { runCli } from "../support/run-cli.js";

const survey = fixturePath("reference", "nordic-survey.csv");
const finance = fixturePath("reference", "nordic-finance.csv");
const base = ["analyze", "--survey", survey, "--finance", finance, "--by", "region", "--bootstrap", "50", "--period", "quarter"];
const dir = mkdtempSync(join(tmpdir(), "loyalty-formats-"));

interface RGroup {
  group: string;
  n: number;
  nps: number;
  ci_low: number;
  ci_high: number;
}
const rByRegion = (nordicExpected as unknown as { nps: { by_region: RGroup[] } }).nps.by_region;
const rCategories = nordicExpected.revenue_by_category as unknown as { category: string; customers: number; revenue_per_customer: number; margin_per_customer: number; churn_rate: number }[];
const rTerms = (nordicExpected.drivers as unknown as { terms: { term: string; estimate: number }[] }).terms;
const points = (x: number) => `${x > 0 && Number(x.toFixed(1)) !== 0 ? "+" : ""}${x.toFixed(1)}`;

async function run(args: string[], env: Record<string, string> = {}) {
  const result = await runCli([...base, ...args], env);
  expect(result.code, result.stderr).toBe(0);
  return result;
}

const widest = (text: string) => Math.max(...text.split("\n").map((line) => [...line].length));

describe("tables for people fit the width", () => {
  for (const width of [60, 80, 120]) {
    it(`no line wider than ${width}, and the numbers are R's`, async () => {
      const { stdout } = await run([], { COLUMNS: String(width) });
      expect(widest(stdout)).toBeLessThanOrEqual(width);
      for (const g of rByRegion) {
        expect(stdout).toContain(g.group);
        expect(stdout).toContain(points(g.nps));
      }
    });
  }
  it("--width wins over COLUMNS, and a narrow width folds tables into records", async () => {
    const { stdout } = await run(["--width", "40"], { COLUMNS: "200" });
    expect(widest(stdout)).toBeLessThanOrEqual(40);
    expect(stdout).toContain(points(rByRegion[0]!.nps));
  });
  it("says which columns it left out to fit", async () => {
    const { stdout } = await run(["--width", "80"]);
    expect(stdout).toMatch(/left out to fit 80 columns/);
  });
});

describe("warnings", () => {
  it("go to stderr in table mode too, summarised, and --quiet silences them", async () => {
    const table = await run([]);
    expect(table.stderr).toMatch(/loyalty: warning: nordic-survey\.csv: /);
    expect(table.stdout).not.toMatch(/^Warnings$/m);
    expect(table.stdout).toMatch(/warnings? on standard error/);
    const quiet = await run(["--quiet"]);
    expect(quiet.stderr).toBe("");
  });
  it("are kept in a table written to a file", async () => {
    const out = join(dir, "r.txt");
    await run(["--output", out]);
    expect(readFileSync(out, "utf8")).toMatch(/^Warnings$/m);
  });
});

describe("CSV", () => {
  let rows: string[][];
  beforeAll(async () => {
    const { stdout } = await run(["--format", "csv"]);
    // strict RFC 4180: consistent field counts, no stray quotes
    rows = parse(stdout, { relax_column_count: false, relax_quotes: false, record_delimiter: "\r\n" }) as string[][];
  });
  const value = (section: string, table: string, label: string, column: string) => {
    const row = rows.find((r) => r[0] === section && r[1] === table && r[3] === label && r[4] === column);
    if (!row) throw new Error(`no ${section}.${table} ${label} ${column}`);
    return row[5]!;
  };
  it("holds every table in one long table with a fixed header", () => {
    expect(rows[0]).toEqual(["section", "table", "row", "label", "column", "value"]);
    expect(new Set(rows.slice(1).map((r) => `${r[0]}.${r[1]}`))).toEqual(new Set(["nps.by-group", "revenue.by-category", "retention.by-category", "value.revenue-at-risk", "value.scenarios", "survival.by-category", "survival.cox", "trend.periods", "linkage.groups", "linkage.kpis", "drivers.terms", "drivers.importance", "drivers.importance-by-group"]));
  });
  it("writes NPS and model numbers unrounded, equal to R", () => {
    for (const g of rByRegion) {
      expect(relativeError(Number(value("nps", "by-group", g.group, "nps")), g.nps)).toBeLessThan(1e-9);
      expect(relativeError(Number(value("nps", "by-group", g.group, "ci_low")), g.ci_low)).toBeLessThan(1e-9);
      expect(Number(value("nps", "by-group", g.group, "n"))).toBe(g.n);
    }
    for (const t of rTerms) {
      const term = t.term === "(Intercept)" ? "intercept" : t.term;
      expect(relativeError(Number(value("drivers", "terms", term, "estimate")), t.estimate)).toBeLessThan(1e-9);
    }
  });
  it("rounds money to the cent, and leaves shares as fractions", () => {
    for (const c of rCategories) {
      const written = value("revenue", "by-category", c.category, "revenue_per_customer");
      expect(written).toMatch(/^-?\d+(\.\d{1,2})?$/);
      expect(Math.abs(Number(written) - c.revenue_per_customer)).toBeLessThanOrEqual(0.005 + 1e-9);
      expect(relativeError(Number(value("revenue", "by-category", c.category, "churn_rate")), c.churn_rate)).toBeLessThan(1e-9);
    }
  });
  it("--section gives one table with a column per field; an unknown one names the tables", async () => {
    const { stdout } = await run(["--format", "csv", "--section", "nps"]);
    const table = parse(stdout, { columns: true, relax_column_count: false }) as Record<string, string>[];
    expect(Object.keys(table[0]!)).toEqual(["group", "n", "promoters", "passives", "detractors", "nps", "ci_low", "ci_high", "small_sample"]);
    expect(table.map((r) => r.group)).toEqual(rByRegion.map((g) => g.group));
    const bad = await runCli([...base, "--format", "csv", "--section", "drivers"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/section "drivers" has 3 tables; choose one of .*drivers\.terms, drivers\.importance/);
    const notCsv = await runCli([...base, "--section", "nps"]);
    expect(notCsv.code).toBe(2);
  });
});

describe("Markdown", () => {
  let tokens: ReturnType<typeof marked.lexer>;
  let text: string;
  beforeAll(async () => {
    text = (await run(["--format", "markdown"])).stdout;
    tokens = marked.lexer(text, { gfm: true });
  });
  it("puts the headline first, then a heading per section", () => {
    expect(tokens[0]).toMatchObject({ type: "heading", depth: 1, text: "loyalty report" });
    const list = tokens.find((t) => t.type === "list") as Tokens.List;
    expect(tokens.indexOf(list)).toBeLessThan(tokens.findIndex((t) => t.type === "heading" && t.depth === 2));
    expect(list.items[0]!.text).toContain(`NPS ${points(6.33663366336633)}`);
    const headings = tokens.filter((t): t is Tokens.Heading => t.type === "heading" && t.depth === 2).map((t) => t.text);
    expect(headings).toContain("Net Promoter Score");
    expect(headings).toContain("Drivers of the score");
  });
  it("renders GitHub tables whose cells are R's numbers, rounded", () => {
    const tables = tokens.filter((t): t is Tokens.Table => t.type === "table");
    const byRegion = tables.find((t) => t.header[0]!.text === "region" && t.header.some((h) => h.text === "NPS"))!;
    expect(byRegion.align[1]).toBe("right");
    const npsColumn = byRegion.header.findIndex((h) => h.text === "NPS");
    for (const g of rByRegion) {
      const row = byRegion.rows.find((r) => r[0]!.text === g.group)!;
      expect(row[npsColumn]!.text).toBe(points(g.nps));
    }
    // the HTML GitHub makes of it
    expect(marked.parse(text, { gfm: true, async: false })).toMatch(/<table>[\s\S]*<th align="right">NPS<\/th>/);
  });
  it("escapes what the data could inject", async () => {
    const { escapeMarkdown } = await import("../../src/report/render-markdown.js");
    expect(escapeMarkdown("a|b *c* <img>")).toBe("a\\|b \\*c\\* \\<img\\>");
    expect(escapeMarkdown("value_for_money")).toBe("value_for_money");
  });
});

describe("HTML", () => {
  let html: string;
  beforeAll(async () => {
    const out = join(dir, "report.html");
    await run(["--output", out]);
    html = readFileSync(out, "utf8");
  });
  it("is one self-contained file: no script, no network, a policy that forbids both", () => {
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`);
    const urls = [...html.matchAll(/https?:\/\/[^\s"'<>)]+/g)].map((m) => m[0]);
    expect(urls.every((u) => u.startsWith("http://www.w3.org/"))).toBe(true);
  });
  it("draws the charts as inline SVG", () => {
    const charts = [...html.matchAll(/<figure class="chart" id="([^"]+)" data-chart="([^"]+)">/g)].map((m) => m[1]);
    expect(charts).toEqual(["nps-nps-by-group", "revenue-revenue-by-category", "survival-survival-curves", "trend-nps-trend", "linkage-linkage-scatter", "drivers-importance-performance"]);
    expect(html.match(/<svg/g)!.length).toBeGreaterThanOrEqual(6);
  });
  it("shows R's numbers in its tables", () => {
    for (const g of rByRegion) expect(html).toMatch(new RegExp(`<td>${g.group}</td><td class="num">${g.n}</td>.*<td class="num">${points(g.nps).replace("+", "\\+")}</td>`));
  });
});

describe("--sections picks the same sections in every format", () => {
  it("table, Markdown, HTML and CSV", async () => {
    const args = ["--sections", "nps,drivers"];
    const table = (await run(args)).stdout;
    expect(table).toMatch(/^Net Promoter Score$/m);
    expect(table).not.toMatch(/^Revenue, margin and churn/m);
    const md = (await run([...args, "--format", "markdown"])).stdout;
    expect(md.match(/^## .*/gm)).toEqual(["## Net Promoter Score", "## Drivers of the score"]);
    const html = (await run([...args, "--format", "html"])).stdout;
    expect([...html.matchAll(/<section id="([^"]+)">/g)].map((m) => m[1])).toEqual(["nps", "drivers"]);
    const csv = parse((await run([...args, "--format", "csv"])).stdout) as string[][];
    expect(new Set(csv.slice(1).map((r) => r[0]))).toEqual(new Set(["nps", "drivers"]));
    const bad = await runCli([...base, "--sections", "nps,money"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown section "money"; choose from inputs, nps/);
  });
});

describe("the format follows the --output extension", () => {
  for (const [extension, start] of [["md", "# loyalty report"], ["html", "<!doctype html>"], ["csv", "section,table,row"], ["json", "{"], ["txt", "loyalty "]] as const) {
    it(`.${extension}`, async () => {
      const out = join(dir, `by-extension.${extension}`);
      await run(["--output", out, "--quiet"]);
      expect(readFileSync(out, "utf8").startsWith(start)).toBe(true);
    });
  }
  it("an unknown extension is a usage error listing the known ones", async () => {
    const result = await runCli([...base, "--output", join(dir, "r.xml")]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/use \.json, \.txt, .*\.md, .*\.html.*\.csv/);
  });
});
