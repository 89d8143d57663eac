/**
 * The finance side reduced by a real SQL engine: loyalty respondents → loyalty sql → the engine
 * runs the three queries on the finance table → analyze --finance-aggregates must give the report
 * that analyze --finance gives on the raw file, every number (to the last bits of a double: the
 * engine sums in its own order). DuckDB (in process) and PostgreSQL (a throwaway server, run with
 * psql) run the SQL; the Spark, BigQuery and Snowflake dialects are parsed by sqlglot (Debian's
 * python3-sqlglot), and their coverage and summary queries transpiled to DuckDB and run.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aggregateQueries, type SqlColumns } from "../../src/aggregates/sql.js";
import { DIALECTS, type Dialect } from "../../src/aggregates/definition.js";
import type { Report } from "../../src/report/report.js";
import { fixturePath } from "../support/fixtures.js";
import { startPostgres, type Postgres } from "../support/postgres.js";
import { runCli, runJson } from "../support/run-cli.js";

const work = mkdtempSync(join(tmpdir(), "loyalty-aggregates-"));

interface Case {
  name: string;
  survey: string;
  finance: string;
  args: string[];
  /** The finance table's columns and whether each is money (a DECIMAL / NUMERIC), in the file's order. */
  columns: { name: string; money?: boolean }[];
  sql: Omit<SqlColumns, "financeTable" | "respondentsTable" | "customerId"> & { customerId?: string };
}

/** The nordic reference finance with a churn flag per customer (Churned / Stayed, a blank for some): the flag's path. */
function flaggedFinance(): string {
  const lines = readFileSync(fixturePath("reference", "nordic-finance.csv"), "utf8").trim().split("\n");
  const out = [`${lines[0]},"status"`];
  for (const line of lines.slice(1)) {
    const id = Number(/C(\d+)/.exec(line)![1]);
    out.push(`${line},${id % 7 === 0 ? "Churned" : id % 11 === 0 ? "" : "Stayed"}`);
  }
  const file = join(work, "flagged-finance.csv");
  writeFileSync(file, `${out.join("\n")}\n`);
  return file;
}

/**
 * A finance file of the shapes a warehouse table has and the reference data lacks: rows that repeat
 * a customer and period (summed), groups that change over time and go blank, a churn flag that
 * changes and is blank on the latest period, a customer in one period only, and customers who did
 * not answer. One row per customer and period is in file order by period, so "the latest row" and
 * "the latest period" agree.
 */
function edgeCases(): { survey: string; finance: string } {
  const survey = ["customer_id,response_date,region,nps,service,price"];
  const finance = ["customer_id,period,revenue,cost,segment,status"];
  const regions = ["North", "South", "East"];
  for (let c = 1; c <= 60; c++) {
    const id = `E${String(c).padStart(3, "0")}`;
    if (c <= 50) survey.push(`${id},2025-0${1 + (c % 6)}-15,${regions[c % 3]},${c % 11},${1 + (c % 5)},${1 + ((c * 7) % 5)}`);
    const months = c % 13 === 0 ? [5] : Array.from({ length: 12 - (c % 4) }, (_, m) => m + 1);
    for (const m of months) {
      const period = `2025-${String(m).padStart(2, "0")}`;
      // the segment changes in June for every third customer, and is blank in the last month for every fifth
      const segment = c % 5 === 0 && m === months[months.length - 1] ? "" : c % 3 === 0 && m >= 6 ? "Gold" : "Basic";
      const status = m === months[months.length - 1] ? (c % 4 === 0 ? "" : c % 4 === 1 ? "Churned" : "Stayed") : "Stayed";
      finance.push(`${id},${period},${(100 + c * 3.17 + m * 1.01).toFixed(2)},${(60 + c).toFixed(2)},${segment},${status}`);
      // a second row in the same period for every seventh customer, in March
      if (c % 7 === 0 && m === 3) finance.push(`${id},${period},12.34,5.67,${segment},${status}`);
    }
  }
  const dir = join(work, "edge");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "survey.csv"), `${survey.join("\n")}\n`);
  writeFileSync(join(dir, "finance.csv"), `${finance.join("\n")}\n`);
  return { survey: join(dir, "survey.csv"), finance: join(dir, "finance.csv") };
}

function generated(): { survey: string; finance: string } {
  const dir = join(work, "generated");
  return { survey: join(dir, "survey.csv"), finance: join(dir, "finance.csv") };
}

const standard = [{ name: "customer_id" }, { name: "region" }, { name: "period" }, { name: "revenue", money: true }, { name: "cost", money: true }];
const cases = (): Case[] => [
  { name: "the demo data", survey: fixturePath("demo", "survey.csv"), finance: fixturePath("demo", "finance.csv"), args: ["--by", "region", "--lag", "1", "--period", "quarter"], columns: standard, sql: { period: "period", revenue: "revenue", cost: "cost", group: "region" } },
  {
    name: "the nordic reference (no group column in finance)",
    survey: fixturePath("reference", "nordic-survey.csv"),
    finance: fixturePath("reference", "nordic-finance.csv"),
    args: ["--by", "region"],
    columns: [{ name: "customer_id" }, { name: "period" }, { name: "revenue", money: true }, { name: "cost", money: true }],
    sql: { period: "period", revenue: "revenue", cost: "cost" },
  },
  {
    name: "the nordic reference with a churn flag",
    survey: fixturePath("reference", "nordic-survey.csv"),
    finance: flaggedFinance(),
    args: ["--by", "region", "--churn-column", "status"],
    columns: [{ name: "customer_id" }, { name: "period" }, { name: "revenue", money: true }, { name: "cost", money: true }, { name: "status" }],
    sql: { period: "period", revenue: "revenue", cost: "cost", churn: "status" },
  },
  { name: "24 months (survival)", survey: fixturePath("reference", "survival-24m", "survey.csv"), finance: fixturePath("reference", "survival-24m", "finance.csv"), args: ["--by", "region"], columns: standard, sql: { period: "period", revenue: "revenue", cost: "cost", group: "region" } },
  {
    name: "one-off buyers (transactional, no cost)",
    survey: fixturePath("reference", "transactional", "reviews.csv"),
    finance: fixturePath("reference", "transactional", "orders.csv"),
    args: ["--scale", "1-5"],
    columns: [{ name: "customer_id" }, { name: "month" }, { name: "payment_value", money: true }],
    sql: { period: "month", revenue: "payment_value" },
  },
  {
    name: "edge cases: repeated periods, changing and blank groups, a changing flag, one-period customers, non-respondents",
    ...edgeCases(),
    args: ["--by", "region", "--churn-column", "status", "--finance-group", "segment", "--min-n", "5"],
    columns: [{ name: "customer_id" }, { name: "period" }, { name: "revenue", money: true }, { name: "cost", money: true }, { name: "segment" }, { name: "status" }],
    sql: { period: "period", revenue: "revenue", cost: "cost", group: "segment", churn: "status" },
  },
  { name: "generated data (3,000 customers, 24 months)", ...generated(), args: ["--by", "region"], columns: standard, sql: { period: "period", revenue: "revenue", cost: "cost", group: "region" } },
];

/** The report with what may differ between the two inputs made equal: the finance input's path and origin, and the file named in messages. */
function comparable(report: Report, financeFile: string, folder: string): unknown {
  const text = JSON.stringify({ ...report, inputs: { ...report.inputs, finance: { ...report.inputs.finance!, path: "", aggregates: null } } });
  return JSON.parse(text.split(`${basename(folder)}/customers.csv`).join(basename(financeFile)));
}

/** Every difference beyond `relative` between two JSON values, as paths. */
function differences(a: unknown, b: unknown, relative: number, path = "", out: string[] = []): string[] {
  if (typeof a === "number" && typeof b === "number") {
    if (a !== b && Math.abs(a - b) > relative * Math.max(Math.abs(a), Math.abs(b))) out.push(`${path}: ${a} vs ${b}`);
  } else if (a === null || b === null || typeof a !== "object" || typeof b !== "object") {
    if (a !== b) out.push(`${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  } else {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) differences((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], relative, `${path}.${key}`, out);
  }
  return out;
}

const sqlColumns = (c: Case): SqlColumns => ({ financeTable: "finance", respondentsTable: "respondents", customerId: c.sql.customerId ?? "customer_id", ...c.sql });

async function respondentsFile(c: Case, folder: string): Promise<string> {
  const file = join(folder, "ids.csv");
  const scale = c.args.includes("--scale") ? ["--scale", c.args[c.args.indexOf("--scale") + 1]!] : [];
  const result = await runCli(["respondents", "--survey", c.survey, ...scale, "--output", file, "--quiet"]);
  expect(result.code, result.stderr).toBe(0);
  return file;
}

/** Runs the three queries in DuckDB on the case's finance file and writes their results into `folder`. */
/** `as`: the results saved as CSV files with their header, or as typed Parquet files (as an engine exports them). */
async function duckdbAggregates(connection: DuckDBConnection, c: Case, folder: string, dialect: Dialect = "duckdb", as: "csv" | "parquet" = "csv"): Promise<void> {
  const ids = await respondentsFile(c, folder);
  const types = c.columns.map((col) => `'${col.name}': '${col.money ? "DECIMAL(18,2)" : "VARCHAR"}'`).join(", ");
  await connection.run(`CREATE OR REPLACE TABLE finance AS SELECT * FROM read_csv('${c.finance}', header = true, columns = {${types}})`);
  await connection.run(`CREATE OR REPLACE TABLE respondents AS SELECT * FROM read_csv('${ids}', header = true, columns = {'customer_id': 'VARCHAR'})`);
  for (const query of aggregateQueries(dialect, sqlColumns(c))) {
    await connection.run(`COPY (${query.sql.replace(/;\s*$/, "")}) TO '${join(folder, `${query.name}.${as}`)}' (${as === "csv" ? "HEADER" : "FORMAT parquet"})`);
  }
}

const analyzeArgs = (c: Case) => ["analyze", "--survey", c.survey, ...c.args, "--bootstrap", "200"];

async function expectSameReport(c: Case, folder: string): Promise<void> {
  const raw = await runJson<Report>([...analyzeArgs(c), "--finance", c.finance]);
  const aggregated = await runJson<Report>([...analyzeArgs(c), "--finance-aggregates", folder]);
  expect(aggregated.inputs.finance!.aggregates).toEqual({ engine: expect.any(String), directory: folder, inProcess: false });
  expect(aggregated.inputs.finance!.rowsRead).toBe(raw.inputs.finance!.rowsRead);
  expect(differences(comparable(raw, c.finance, folder), comparable(aggregated, c.finance, folder), 1e-12)).toEqual([]);
}

let duck: DuckDBConnection;
beforeAll(async () => {
  const { survey } = generated();
  const result = await runCli(["generate", "--out", join(survey, ".."), "--customers", "3000", "--months", "24", "--seed", "7", "--quiet"]);
  expect(result.code).toBe(0);
  duck = await (await DuckDBInstance.create(":memory:")).connect();
}, 60_000);

describe("DuckDB runs loyalty sql: the aggregates give the raw file's report", () => {
  for (const c of cases()) {
    it(c.name, async () => {
      const folder = join(work, "duckdb", c.name.replace(/\W+/g, "-"));
      mkdirSync(folder, { recursive: true });
      await duckdbAggregates(duck, c, folder);
      await expectSameReport(c, folder);
    }, 120_000);
  }

  it("the README's DuckDB way: the finance file itself as the table (DuckDB's own types), the respondents straight from their CSV", async () => {
    const c = cases()[0]!;
    const folder = join(work, "duckdb", "readme");
    mkdirSync(folder, { recursive: true });
    const ids = await respondentsFile(c, folder);
    await duck.run(`CREATE OR REPLACE TABLE respondents AS FROM '${ids}'`);
    for (const query of aggregateQueries("duckdb", { ...sqlColumns(c), financeTable: `'${c.finance}'` })) {
      await duck.run(`COPY (${query.sql.replace(/;\s*$/, "")}) TO '${join(folder, `${query.name}.csv`)}' (HEADER)`);
    }
    await expectSameReport(c, folder);
  }, 120_000);

  it("the aggregates as Parquet (typed, as the engine exports its results) give the report the CSV files give", async () => {
    const c = cases()[0]!;
    const folder = join(work, "duckdb", "parquet");
    mkdirSync(folder, { recursive: true });
    await duckdbAggregates(duck, c, folder, "duckdb", "parquet");
    const csvFolder = join(work, "duckdb", "parquet-csv");
    mkdirSync(csvFolder, { recursive: true });
    await duckdbAggregates(duck, c, csvFolder);
    const args = ["analyze", "--survey", c.survey, ...c.args, "--bootstrap", "200"];
    const fromParquet = await runJson<Report>([...args, "--finance-aggregates", folder]);
    const fromCsv = await runJson<Report>([...args, "--finance-aggregates", csvFolder]);
    expect(fromParquet.inputs.finance!.format.container).toBe("parquet");
    const same = (r: Report, dir: string) =>
      JSON.parse(JSON.stringify({ ...r, inputs: { ...r.inputs, finance: { ...r.inputs.finance!, path: "", format: null, aggregates: null } } }).split(`${basename(dir)}/customers.${dir === folder ? "parquet" : "csv"}`).join("customers")) as unknown;
    expect(differences(same(fromCsv, csvFolder), same(fromParquet, folder), 0)).toEqual([]);
  }, 120_000);

  it("a config file names the folder (finance.aggregates, relative to the config's folder)", async () => {
    const c = cases()[0]!;
    const folder = join(work, "duckdb", "config", "agg");
    mkdirSync(folder, { recursive: true });
    await duckdbAggregates(duck, c, folder);
    const config = join(work, "duckdb", "config", "loyalty.config.json");
    writeFileSync(config, JSON.stringify({ survey: { path: c.survey, by: "region" }, finance: { aggregates: "agg" }, analysis: { bootstrap: 0 } }));
    const viaConfig = await runJson<Report>(["analyze", "--config", config]);
    const direct = await runJson<Report>(["analyze", "--survey", c.survey, "--by", "region", "--bootstrap", "0", "--finance-aggregates", folder]);
    expect(viaConfig.inputs.finance!.aggregates).toEqual({ engine: "duckdb", directory: folder, inProcess: false });
    expect(JSON.stringify({ ...viaConfig, generatedAt: null })).toBe(JSON.stringify({ ...direct, generatedAt: null }));
  }, 120_000);

  it("the lists read the aggregates too: at-risk and upsell give the same customers", async () => {
    const c = cases()[0]!;
    const folder = join(work, "duckdb", "lists");
    mkdirSync(folder, { recursive: true });
    await duckdbAggregates(duck, c, folder);
    for (const command of ["at-risk", "upsell", "ambassadors"]) {
      const raw = await runCli([command, "--survey", c.survey, "--finance", c.finance, "--by", "region", "--format", "csv"]);
      const aggregated = await runCli([command, "--survey", c.survey, "--finance-aggregates", folder, "--by", "region", "--format", "csv"]);
      expect(raw.code).toBe(0);
      expect(aggregated.code, aggregated.stderr).toBe(0);
      expect(aggregated.stdout).toBe(raw.stdout);
    }
  }, 120_000);
});

describe("PostgreSQL runs loyalty sql (psql --csv): the aggregates give the raw file's report", () => {
  let pg: Postgres;
  beforeAll(() => {
    pg = startPostgres();
  }, 60_000);
  afterAll(() => pg?.stop());
  for (const c of cases()) {
    it(c.name, async () => {
      const folder = join(work, "postgres", c.name.replace(/\W+/g, "-"));
      mkdirSync(folder, { recursive: true });
      const ids = await respondentsFile(c, folder);
      pg.sql("DROP TABLE IF EXISTS finance; DROP TABLE IF EXISTS respondents;");
      pg.sql(`CREATE TABLE finance (${c.columns.map((col) => `"${col.name}" ${col.money ? "NUMERIC(18,2)" : "TEXT"}`).join(", ")})`);
      pg.sql("CREATE TABLE respondents (customer_id TEXT)");
      pg.copyIn("finance", c.finance);
      pg.copyIn("respondents", ids);
      for (const query of aggregateQueries("postgres", sqlColumns(c))) writeFileSync(join(folder, `${query.name}.csv`), pg.sql(query.sql));
      await expectSameReport(c, folder);
    }, 120_000);
  }
});

describe("Spark, BigQuery and Snowflake: the SQL parses in its dialect (sqlglot), and what sqlglot transpiles to DuckDB gives the same aggregates", () => {
  const python = ["/usr/bin/python3", "python3"].find((p) => spawnSync(p, ["-c", "import sqlglot"]).status === 0);
  /** sqlglot's reading of each statement in `dialect`, written back in `write`: one statement each, or a parse error. */
  const sqlglot = (sql: string[], dialect: string, write: string): string[] => {
    const script = [
      "import json, sys, sqlglot",
      "from sqlglot import ErrorLevel",
      "queries = json.load(sys.stdin)",
      "out = []",
      "for q in queries:",
      "    trees = sqlglot.parse(q, read=sys.argv[1], error_level=ErrorLevel.RAISE)",
      "    assert len(trees) == 1, len(trees)",
      "    out.append(trees[0].sql(dialect=sys.argv[2]))",
      "print(json.dumps(out))",
    ].join("\n");
    const result = spawnSync(python!, ["-c", script, dialect, write], { input: JSON.stringify(sql), encoding: "utf8" });
    if (result.status !== 0) throw new Error(`sqlglot could not read the ${dialect} SQL: ${result.stderr}`);
    return JSON.parse(result.stdout) as string[];
  };
  it("has sqlglot (python3-sqlglot)", () => {
    expect(python, "python3 with sqlglot: apt-get install python3-sqlglot (.ci/run does)").toBeDefined();
  });
  for (const dialect of DIALECTS.filter((d) => !["duckdb", "postgres"].includes(d))) {
    it(dialect, async () => {
      const c = cases()[0]!;
      const queries = aggregateQueries(dialect, sqlColumns(c));
      const transpiled = sqlglot(queries.map((q) => q.sql.replace(/;\s*$/, "")), dialect, "duckdb");
      expect(transpiled).toHaveLength(3);
      // the queries sqlglot 10.6 can write in DuckDB's SQL, transpiled and run, give the DuckDB dialect's results
      // (not BigQuery's coverage: its ARRAY_AGG(… ORDER BY … LIMIT 1) comes out as SQL DuckDB refuses)
      const folder = join(work, "transpiled", dialect);
      mkdirSync(folder, { recursive: true });
      await duckdbAggregates(duck, c, folder);
      const run = dialect === "bigquery" ? ([[2, "summary"]] as const) : ([[1, "coverage"], [2, "summary"]] as const);
      for (const [i, name] of run) {
        const rows = (await duck.runAndReadAll(transpiled[i]!)).getRowObjectsJS();
        const expected = (await duck.runAndReadAll(aggregateQueries("duckdb", sqlColumns(c))[i]!.sql)).getRowObjectsJS();
        // the summary names its engine
        const strip = (r: Record<string, unknown>) => JSON.stringify({ ...r, engine: null }, (_k, v: unknown) => (typeof v === "bigint" ? Number(v) : v));
        expect(rows.map(strip), name).toEqual(expected.map(strip));
      }
    }, 60_000);
  }
});

describe("--engine duckdb: DuckDB in process reduces the finance file, and the report is the builtin reader's", () => {
  const variants = (): { name: string; survey: string; finance: string; args: string[] }[] => [
    ...cases().map(({ name, survey, finance, args }) => ({ name, survey, finance, args })),
    // Swedish Excel: ";", decimal comma, Windows-1252 headers (Intäkt); SurveyMonkey with UTF-16 finance
    { name: "the nordic reference, Swedish Excel finance", survey: fixturePath("reference", "nordic-survey.qualtrics.csv"), finance: fixturePath("reference", "nordic-finance.sv.csv"), args: ["--by", "region"] },
    { name: "the nordic reference, UTF-16 finance", survey: fixturePath("reference", "nordic-survey.surveymonkey.csv"), finance: fixturePath("reference", "nordic-finance.utf16.txt"), args: ["--by", "region"] },
  ];
  for (const v of variants()) {
    it(v.name, async () => {
      const args = ["analyze", "--survey", v.survey, ...v.args, "--bootstrap", "200", "--finance", v.finance];
      const raw = await runJson<Report>(args);
      const engine = await runJson<Report>([...args, "--engine", "duckdb"]);
      expect(engine.inputs.finance!.aggregates).toEqual({ engine: "duckdb", directory: v.finance, inProcess: true });
      expect(engine.inputs.finance!.rowsRead).toBe(raw.inputs.finance!.rowsRead);
      const same = (r: Report) => ({ ...r, inputs: { ...r.inputs, finance: { ...r.inputs.finance!, aggregates: null } } });
      expect(differences(same(raw), same(engine), 1e-12)).toEqual([]);
    }, 120_000);
  }
  it("a Parquet file (periods as DATE) goes to DuckDB without --engine, and gives the CSV's report; the same bytes run after run", async () => {
    const c = cases()[0]!;
    const parquet = join(work, "finance.parquet");
    await duck.run(
      `COPY (SELECT customer_id, region, CAST(period || '-01' AS DATE) AS period, revenue, cost FROM read_csv('${c.finance}', header = true, columns = {'customer_id': 'VARCHAR', 'region': 'VARCHAR', 'period': 'VARCHAR', 'revenue': 'DOUBLE', 'cost': 'DOUBLE'})) TO '${parquet}' (FORMAT parquet)`,
    );
    const args = ["analyze", "--survey", c.survey, "--by", "region", "--bootstrap", "200"];
    const raw = await runJson<Report>([...args, "--finance", c.finance]);
    const first = await runCli([...args, "--finance", parquet, "--format", "json"]);
    const second = await runCli([...args, "--finance", parquet, "--format", "json"]);
    expect(first.code, first.stderr).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    const engine = JSON.parse(first.stdout) as Report;
    expect(engine.inputs.finance!.format.container).toBe("parquet");
    // where a text file is read, a Parquet file is named as one, with where it goes instead
    const inspect = await runCli(["inspect", parquet]);
    expect(inspect.code).toBe(2);
    expect(inspect.stderr).toMatch(/finance\.parquet: is a Parquet file, and this input is read as text \(CSV\) or an Excel workbook; .*--engine duckdb/);
    const same = (r: Report) => JSON.parse(JSON.stringify({ ...r, inputs: { ...r.inputs, finance: { ...r.inputs.finance!, path: "", format: null, aggregates: null } } }).split("finance.parquet").join("finance.csv")) as unknown;
    expect(differences(same(raw), same(engine), 1e-12)).toEqual([]);
  }, 120_000);
  it("rows it cannot read are counted as rejected, as the builtin reader counts them (without their lines); --strict fails on them", async () => {
    const survey = join(work, "engine-rejects-survey.csv");
    const finance = join(work, "engine-rejects-finance.csv");
    writeFileSync(survey, "customer_id,response_date,nps\nC1,2025-01-05,9\nC2,2025-01-06,3\nC3,2025-01-07,8\n");
    // a grouped amount, a blank id, text in the revenue, a blank period: three rows out, as the builtin reader leaves them out
    writeFileSync(finance, 'customer_id,period,revenue\nC1,2025-01,"1 234.50"\nC1,2025-02,12\n,2025-02,5\nC2,2025-01,TBD\nC2,2025-02,7.25\nC3,,4\nC3,2025-02,9\n');
    const args = ["analyze", "--survey", survey, "--finance", finance, "--bootstrap", "0", "--min-n", "1"];
    const raw = await runJson<Report>(args);
    const engine = await runJson<Report>([...args, "--engine", "duckdb"]);
    expect([engine.inputs.finance!.rowsRead, engine.inputs.finance!.rowsAccepted, engine.inputs.finance!.rowsRejected]).toEqual([raw.inputs.finance!.rowsRead, raw.inputs.finance!.rowsAccepted, raw.inputs.finance!.rowsRejected]);
    expect(engine.inputs.finance!.rowsRejected).toBe(3);
    expect(engine.revenue!.byCategory.map((c) => c.revenue)).toEqual(raw.revenue!.byCategory.map((c) => c.revenue));
    expect(engine.warnings.find((w) => w.code === "finance-rows-rejected")!.message).toMatch(/3 rows without a customer id, period or readable amount, left out of every analysis \(counted by the engine/);
    const strict = await runCli([...args, "--engine", "duckdb", "--strict"]);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toMatch(/--strict makes every rejected row an error/);
    // periods DuckDB passes on that loyalty cannot read: an error that says where to look, exit 2
    const dated = join(work, "engine-dated-finance.csv");
    writeFileSync(dated, "customer_id,period,revenue\nC1,15.01.2025,5\nC2,15.02.2025,7\n");
    const bad = await runCli(["analyze", "--survey", survey, "--finance", dated, "--engine", "duckdb"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/engine-dated-finance\.csv, reduced by DuckDB \(--engine duckdb\): column "periods": .*"15\.01\.2" is not one.*leave out --engine duckdb/);
  }, 60_000);

  it("a branch P&L, a workbook or standard input is refused with what to do, exit 2", async () => {
    const survey = fixturePath("reference", "nordic-survey.csv");
    const pnl = await runCli(["analyze", "--survey", survey, "--finance", fixturePath("pnl", "nordic-branch-pnl.csv"), "--by", "region", "--engine", "duckdb"]);
    expect(pnl.code).toBe(2);
    expect(pnl.stderr).toMatch(/--engine duckdb reduces a finance file with a customer id and a period per row.*leave out --engine duckdb/s);
    const stdin = await runCli(["analyze", "--survey", survey, "--finance", "-", "--engine", "duckdb"], {}, "customer_id,period,revenue\n");
    expect(stdin.code).toBe(2);
    expect(stdin.stderr).toMatch(/not standard input/);
  }, 60_000);
});

describe("loyalty sql and loyalty respondents", () => {
  it("prints the three queries, each under the name of its file; --query prints one alone", async () => {
    const all = await runCli(["sql", "--dialect", "postgres", "--finance-table", "fin.revenue", "--cost", "kostnad"]);
    expect(all.code).toBe(0);
    expect(all.stdout.match(/^-- (\w+)\.csv:/gm)).toEqual(["-- customers.csv:", "-- coverage.csv:", "-- summary.csv:"]);
    expect(all.stdout).toMatch(/FROM fin\.revenue AS f/);
    expect(all.stdout).toMatch(/f\."kostnad" AS cost/);
    const one = await runCli(["sql", "--dialect", "snowflake", "--finance-table", "FIN.REVENUE", "--query", "summary"]);
    expect(one.code).toBe(0);
    expect(one.stdout.startsWith("WITH")).toBe(true);
    expect(one.stdout.trim().endsWith(";")).toBe(true);
    expect(one.stdout.match(/;/g)).toHaveLength(1);
    const bad = await runCli(["sql", "--dialect", "oracle", "--finance-table", "t"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/duckdb, postgres, spark, bigquery, snowflake/);
    const missing = await runCli(["sql", "--dialect", "duckdb"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--finance-table/);
  });
  it("respondents: each customer with a scored latest response, once, in order of first appearance", async () => {
    const folder = join(work, "respondents");
    mkdirSync(folder, { recursive: true });
    const survey = join(folder, "survey.csv");
    // C2 answers twice, C3's only answer has no score, a row without an id counts for no customer
    writeFileSync(survey, "customer_id,response_date,nps\nC2,2025-01-01,9\nC1,2025-01-02,7\nC2,2025-02-01,3\nC3,2025-02-02,\n,2025-02-03,10\n\"C,4\",2025-02-04,8\n");
    const result = await runCli(["respondents", "--survey", survey]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('customer_id\nC2\nC1\n"C,4"\n');
  });
});

describe("bad aggregates are located errors, exit 2", () => {
  const c = () => cases()[0]!;
  it("a missing file, a missing column, a bad periods cell", async () => {
    const folder = join(work, "bad");
    mkdirSync(folder, { recursive: true });
    await duckdbAggregates(duck, c(), folder);
    const customers = readFileSync(join(folder, "customers.csv"), "utf8");
    const lines = customers.split("\n");
    // the second customer's periods broken
    writeFileSync(join(folder, "customers.csv"), [lines[0], lines[1], lines[2]!.replace(/2025-02:/, "2025-13:"), ...lines.slice(3)].join("\n"));
    const bad = await runCli(["analyze", "--survey", c().survey, "--finance-aggregates", folder, "--by", "region"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad\/customers\.csv:3:\d+: column "periods": expected periods as YYYY-MM.*"2025-13" is not one/);
    expect(bad.stderr).not.toMatch(/at .*\.js/);
    writeFileSync(join(folder, "customers.csv"), customers.replace(/^customer_id,/, "id,"));
    const column = await runCli(["analyze", "--survey", c().survey, "--finance-aggregates", folder]);
    expect(column.code).toBe(2);
    expect(column.stderr).toMatch(/customers\.csv:1: the aggregates' customers file has no column "customer_id"/);
    const empty = join(work, "empty");
    mkdirSync(empty, { recursive: true });
    const missing = await runCli(["analyze", "--survey", c().survey, "--finance-aggregates", empty]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--finance-aggregates .*empty: there is no summary\.csv \(or summary\.parquet\) in it; the folder holds customers\.csv, coverage\.csv, summary\.csv/);
    const both = await runCli(["analyze", "--survey", c().survey, "--finance", c().finance, "--finance-aggregates", empty]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/cannot be used with|not both/);
  }, 60_000);
});
