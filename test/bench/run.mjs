// npm run bench: loyalty against DuckDB doing the same job on the same generated files, in the same
// run, as a Markdown table of wall time, CPU time and peak RSS with the ratio to DuckDB; then the
// memory checks (RSS against rows: 24 against 48 months of the same customers). Not a test: it
// prints measurements. Run after `npm run build` (npm run bench does).
//
//   BENCH_WORKLOADS=medium        200,000 customers × 24 months (the default), and × 48 months
//   BENCH_WORKLOADS=medium,large  also 1,000,000 × 24 months, and 250,000 × 24 for the customer scaling
//   BENCH_MICRO=1                 also the statistics micro-benchmarks (importances, bootstrap)
//   BENCH_ENGINE=1                also loyalty analyze --engine duckdb (the defaults) on each workload with DuckDB's job
import { spawnSync } from "node:child_process";
import { cpus, totalmem } from "node:os";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";

const bin = new URL("../../bin/loyalty.js", import.meta.url).pathname;
const duckJob = new URL("./duckdb-job.mjs", import.meta.url).pathname;
const timeBin = existsSync("/usr/bin/time") ? "/usr/bin/time" : null;
const wanted = new Set((process.env.BENCH_WORKLOADS ?? "medium").split(",").map((s) => s.trim()));
const root = mkdtempSync(join(tmpdir(), "loyalty-bench-"));

/** Runs a command; wall time, CPU (user + system) and peak RSS from GNU time when the machine has it. */
function timed(command, args) {
  const start = performance.now();
  const run = timeBin
    ? spawnSync(timeBin, ["-f", "BENCH %e %U %S %M", command, ...args], { encoding: "utf8", maxBuffer: 2 ** 30 })
    : spawnSync(command, args, { encoding: "utf8", maxBuffer: 2 ** 30 });
  const wall = (performance.now() - start) / 1000;
  if (run.status !== 0) throw new Error(`${command} ${args.join(" ")} exited ${run.status}: ${run.stderr.slice(-2000)}`);
  const line = timeBin ? run.stderr.trim().split("\n").reverse().find((l) => l.startsWith("BENCH ")) : null;
  if (!line) return { wall, cpu: null, rss: null, stdout: run.stdout };
  const [, , user, system, kb] = line.split(" ").map(Number);
  return { wall, cpu: user + system, rss: kb / 1024, stdout: run.stdout };
}

function generate(customers, months) {
  const folder = join(root, `${customers}x${months}`);
  const run = timed("node", [bin, "generate", "--out", folder, "--customers", String(customers), "--months", String(months), "--seed", "1", "--quiet"]);
  const rows = Number(spawnSync("wc", ["-l", join(folder, "finance.csv")], { encoding: "utf8" }).stdout.trim().split(" ")[0]) - 1;
  return { folder, customers, months, rows, megabytes: statSync(join(folder, "finance.csv")).size / 2 ** 20, generateSeconds: run.wall };
}

const results = [];
function measure(workload, label, command, args) {
  const r = timed(command, args);
  results.push({ workload, label, ...r });
  process.stderr.write(`  ${label}: ${r.wall.toFixed(2)} s wall${r.rss === null ? "" : `, ${Math.round(r.rss)} MB`}\n`);
  return r;
}

function runWorkload(name, customers, months, { duck = true, defaults = true } = {}) {
  process.stderr.write(`${name}: generating ${customers.toLocaleString("en-US")} customers × ${months} months…\n`);
  const w = generate(customers, months);
  const workload = `${name}: ${customers.toLocaleString("en-US")} customers, ${(w.rows / 1e6).toFixed(1)}M finance rows (${Math.round(w.megabytes)} MB)`;
  const analyze = (extra) => ["analyze", "--survey", join(w.folder, "survey.csv"), "--finance", join(w.folder, "finance.csv"), "--by", "region", "--format", "json", "--quiet", ...extra];
  if (duck) measure(workload, "DuckDB (same job)", "node", [duckJob, join(w.folder, "survey.csv"), join(w.folder, "finance.csv")]);
  measure(workload, "loyalty analyze --bootstrap 0", "node", [bin, ...analyze(["--bootstrap", "0"])]);
  if (defaults) measure(workload, "loyalty analyze (defaults)", "node", [bin, ...analyze([])]);
  if (duck && process.env.BENCH_ENGINE === "1") measure(workload, "loyalty analyze --engine duckdb", "node", [bin, ...analyze(["--engine", "duckdb"])]);
  rmSync(w.folder, { recursive: true, force: true });
  return workload;
}

const medium = runWorkload("medium", 200_000, 24);
const medium48 = runWorkload("medium, 48 months", 200_000, 48, { defaults: false });
let large = null;
let quarter = null;
if (wanted.has("large")) {
  large = runWorkload("large", 1_000_000, 24);
  quarter = runWorkload("quarter of large", 250_000, 24, { duck: false, defaults: false });
}

const fmt = (v, d = 1) => (v === null ? "–" : v.toFixed(d));
console.log(`\nMachine: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}; ${new Date().toISOString().slice(0, 10)}\n`);
console.log("| workload | run | wall s | CPU s | peak RSS MB | wall ÷ DuckDB |");
console.log("| --- | --- | ---: | ---: | ---: | ---: |");
for (const r of results) {
  const duck = results.find((x) => x.workload === r.workload && x.label.startsWith("DuckDB"));
  console.log(`| ${r.workload} | ${r.label} | ${fmt(r.wall, 2)} | ${fmt(r.cpu)} | ${r.rss === null ? "–" : Math.round(r.rss)} | ${duck ? `${(r.wall / duck.wall).toFixed(1)}×` : "–"} |`);
}
const rssOf = (workload, label) => results.find((r) => r.workload === workload && r.label === label)?.rss ?? null;
const ratio = (a, b) => (a === null || b === null ? "–" : `${(a / b).toFixed(2)}×`);
console.log("\nMemory checks (loyalty analyze --bootstrap 0, peak RSS):\n");
console.log(`- 48 against 24 months of the same 200,000 customers (twice the rows): ${ratio(rssOf(medium48, "loyalty analyze --bootstrap 0"), rssOf(medium, "loyalty analyze --bootstrap 0"))} (flat is 1.00×)`);
if (large) console.log(`- 1,000,000 against 250,000 customers: ${ratio(rssOf(large, "loyalty analyze --bootstrap 0"), rssOf(quarter, "loyalty analyze --bootstrap 0"))} (linear in customers is at most 4×)`);

if (process.env.BENCH_MICRO) {
  const { driverImportance } = await import("../../dist/metrics/driver-importance.js");
  const { createRandom } = await import("../../dist/stats/random.js");
  const survey = (n, p, seed) => {
    const random = createRandom(seed);
    const drivers = Array.from({ length: p }, (_, j) => ({ name: `driver_${j + 1}`, values: new Array(n) }));
    const outcome = new Array(n);
    for (let i = 0; i < n; i++) {
      const factor = random.normal();
      let y = 1 + random.normal();
      for (let j = 0; j < p; j++) {
        const rating = Math.min(10, Math.max(1, Math.round(6 + factor + 1.5 * random.normal())));
        drivers[j].values[i] = rating;
        y += (j % 5) * 0.05 * rating;
      }
      outcome[i] = y;
    }
    return { drivers, outcome };
  };
  const micro = (label, run) => {
    const start = performance.now();
    run();
    console.log(`${label.padEnd(64)} ${((performance.now() - start) / 1000).toFixed(2).padStart(7)} s`);
  };
  console.log("\nStatistics (in process):\n");
  const big = survey(100_000, 15, 1);
  const vif = big.drivers.map(() => 1);
  micro("exact LMG (32,767 subsets) + relative weights, 15 × 100,000", () => driverImportance(big.outcome, big.drivers, vif, { bootstrap: 0 }));
  micro("the same with 20 bootstrap resamples", () => driverImportance(big.outcome, big.drivers, vif, { bootstrap: 20 }));
  const small = survey(2_000, 15, 2);
  micro("15 drivers × 2,000 responses, 1,000 bootstrap resamples", () => driverImportance(small.outcome, small.drivers, vif, { bootstrap: 1000 }));
  const wide = survey(5_000, 25, 3);
  micro("25 drivers × 5,000 responses, Monte-Carlo LMG (5,000 orderings)", () => driverImportance(wide.outcome, wide.drivers, wide.drivers.map(() => 1), { bootstrap: 0 }));
}
rmSync(root, { recursive: true, force: true });
