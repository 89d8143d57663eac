// npm run bench: speed and memory of the statistics that must scale, on generated data.
// Not a test: it prints measurements. Run after `npm run build`.
import { performance } from "node:perf_hooks";
import { driverImportance } from "../../dist/metrics/driver-importance.js";
import { createRandom } from "../../dist/stats/random.js";

function survey(n, p, seed) {
  const random = createRandom(seed);
  const drivers = Array.from({ length: p }, (_, j) => ({ name: `driver_${j + 1}`, values: new Array(n) }));
  const outcome = new Array(n);
  for (let i = 0; i < n; i++) {
    const factor = random.normal();
    let y = 1 + random.normal();
    for (let j = 0; j < p; j++) {
      const rating = Math.min(10, Math.max(1, Math.round(6 + factor + 1.5 * random.normal())));
      drivers[j].values[i] = rating;
      y += ((j % 5) * 0.05) * rating;
    }
    outcome[i] = y;
  }
  return { drivers, outcome };
}

function measure(label, run) {
  const before = process.memoryUsage().rss;
  const start = performance.now();
  const result = run();
  const seconds = (performance.now() - start) / 1000;
  const rss = Math.round(process.memoryUsage().rss / 2 ** 20);
  console.log(`${label.padEnd(58)} ${seconds.toFixed(2).padStart(7)} s   RSS ${rss} MB (+${Math.round((process.memoryUsage().rss - before) / 2 ** 20)} MB)`);
  return result;
}

const { drivers, outcome } = survey(100_000, 15, 1);
const vif = drivers.map(() => 1);
console.log(`node ${process.version}, ${drivers.length} drivers x ${outcome.length.toLocaleString("en-US")} responses`);
const exact = measure("exact LMG (32,767 subsets) + relative weights, no bootstrap", () => driverImportance(outcome, drivers, vif, { bootstrap: 0 }));
console.log(`  R² ${exact.rSquared.toFixed(4)}, method ${exact.method}, top driver ${exact.importance.sort((a, b) => a.rank - b.rank)[0].driver}`);
measure("the same with 20 bootstrap resamples", () => driverImportance(outcome, drivers, vif, { bootstrap: 20 }));
const small = survey(2_000, 15, 2);
measure("15 drivers x 2,000 responses, 1,000 bootstrap resamples", () => driverImportance(small.outcome, small.drivers, vif, { bootstrap: 1000 }));
const wide = survey(5_000, 25, 3);
measure("25 drivers x 5,000 responses, Monte-Carlo LMG (5,000 orderings)", () => driverImportance(wide.outcome, wide.drivers, wide.drivers.map(() => 1), { bootstrap: 0 }));

// End to end: generate customers × months with `loyalty generate`, then time `loyalty analyze` in a
// child process and read its peak memory (RSS) from /usr/bin/time when the machine has it.
// BENCH_CUSTOMERS (default 200,000) sets the size; memory should grow with customers, not rows.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const customers = Number(process.env.BENCH_CUSTOMERS ?? 200_000);
const folder = mkdtempSync(join(tmpdir(), "loyalty-bench-"));
const bin = new URL("../../bin/loyalty.js", import.meta.url).pathname;
let start = performance.now();
execFileSync("node", [bin, "generate", "--out", folder, "--customers", String(customers), "--months", "24", "--seed", "1", "--quiet"]);
const size = statSync(join(folder, "finance.csv")).size;
console.log(`generate ${customers.toLocaleString("en-US")} customers x 24 months (finance ${Math.round(size / 2 ** 20)} MB)`.padEnd(58), `${((performance.now() - start) / 1000).toFixed(2).padStart(7)} s`);
for (const extra of [[], ["--period", "quarter", "--lag", "1"]]) {
  const args = [bin, "analyze", "--survey", join(folder, "survey.csv"), "--finance", join(folder, "finance.csv"), "--bootstrap", "0", "--format", "json", "--quiet", ...extra];
  const timed = existsSync("/usr/bin/time");
  start = performance.now();
  const run = timed ? spawnSync("/usr/bin/time", ["-f", "%M", "node", ...args], { encoding: "utf8", maxBuffer: 2 ** 28 }) : spawnSync("node", args, { encoding: "utf8", maxBuffer: 2 ** 28 });
  const seconds = (performance.now() - start) / 1000;
  const rss = timed ? `RSS ${Math.round(Number(run.stderr.trim().split("\n").pop()) / 1024)} MB` : "";
  console.log(`analyze${extra.length ? ` ${extra.join(" ")}` : ""}`.padEnd(58), `${seconds.toFixed(2).padStart(7)} s   ${rss}`);
}
rmSync(folder, { recursive: true, force: true });
