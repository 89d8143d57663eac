// The job `loyalty analyze --by region` does, done by DuckDB (in memory, read_csv) for the bench's
// comparison: per customer the finance sums, rows and first and last period; each customer's latest
// answer; NPS per region; revenue, margin and churn by category; revenue and churn per region.
// Usage: node test/bench/duckdb-job.mjs SURVEY FINANCE. Prints the results as JSON (a check that the
// job was done), so its time and memory are DuckDB's for the same work.
import { DuckDBInstance } from "@duckdb/node-api";

const [survey, finance] = process.argv.slice(2);
const instance = await DuckDBInstance.create(":memory:", { threads: "2" });
const db = await instance.connect();
const quote = (path) => `'${path.replace(/'/g, "''")}'`;
const rows = async (sql) => (await db.runAndReadAll(sql)).getRowObjectsJson();

await db.run(`CREATE TABLE s AS SELECT * FROM read_csv(${quote(survey)}, header = true, auto_detect = true)`);
await db.run(
  `CREATE TABLE f AS SELECT * FROM read_csv(${quote(finance)}, header = true, columns = {'customer_id': 'VARCHAR', 'region': 'VARCHAR', 'period': 'VARCHAR', 'revenue': 'DECIMAL(18,2)', 'cost': 'DECIMAL(18,2)'})`,
);
const npsByRegion = await rows(
  `SELECT region, count(*) AS n, 100.0 * (count(*) FILTER (nps >= 9) - count(*) FILTER (nps <= 6)) / count(*) AS nps FROM s WHERE nps IS NOT NULL GROUP BY region ORDER BY region`,
);
await db.run(`CREATE TABLE fc AS SELECT customer_id, sum(revenue) AS revenue, sum(cost) AS cost, count(*) AS rows, min(period) AS first, max(period) AS last FROM f GROUP BY customer_id`);
await db.run(
  `CREATE TABLE lr AS SELECT customer_id, region, nps, CASE WHEN nps >= 9 THEN 'promoter' WHEN nps >= 7 THEN 'passive' ELSE 'detractor' END AS category
   FROM (SELECT *, row_number() OVER (PARTITION BY customer_id ORDER BY response_date DESC, response_id DESC) AS k FROM s WHERE nps IS NOT NULL) WHERE k = 1`,
);
const lastPeriod = (await rows(`SELECT max(period) AS p FROM f`))[0].p;
const byCategory = await rows(
  `SELECT category, count(*) AS customers, sum(revenue) AS revenue, sum(revenue - cost) AS margin, count(*) FILTER (last < '${lastPeriod}') AS churned
   FROM lr JOIN fc USING (customer_id) GROUP BY category ORDER BY category`,
);
const byRegion = await rows(
  `SELECT lr.region, count(*) AS customers, avg(revenue) AS revenue_per_customer, avg(CASE WHEN last < '${lastPeriod}' THEN 1 ELSE 0 END) AS churn_rate
   FROM lr JOIN fc USING (customer_id) GROUP BY lr.region ORDER BY lr.region`,
);
process.stdout.write(`${JSON.stringify({ npsByRegion, byCategory, byRegion })}\n`);
