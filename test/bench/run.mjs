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
