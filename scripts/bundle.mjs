// The CLI as one bundle (run by `npm run build`, after tsc): dist/bundle/loyalty.js (what
// bin/loyalty.js runs), dist/bundle/drivers-worker.js (the driver analyses' worker thread,
// found beside the bundle: src/parallel.ts) and dist/bundle/scan-worker.js (the finance file's scan
// helpers: src/scan-workers.ts), with the code they share in chunks beside them.
//
// Why: Node resolves, reads and compiles each module of a program separately, and loyalty's
// dependencies are several hundred small modules (@stdlib alone: dozens for the t and F
// distributions). Loading them took about 0.35 s of every run, in the main thread and again in the
// worker; from one bundle, about 0.1 s (measured: `loyalty analyze` on the demo files 0.83 → 0.62 s,
// on the bench's medium workload 3.4 → 3.1 s). tsc's output (dist/, the library's entry and its
// types) stays as it is.
//
// What stays outside, loaded from node_modules only when used: DuckDB (optional), and the
// workbook reader, the chart drawing and the progress bar (needed only for .xlsx input, HTML output
// and a terminal; the first two large, the last CommonJS whose named exports Node finds itself); their
// own code goes to chunks loaded on first use, as the dynamic imports in the sources say). Bundled
// but split into such chunks the same way: zod and the schemas (for --fail-if, a config file and
// `loyalty schema`) and iconv-lite (for a file that is not UTF-8): the two were 1.3 of the bundle's
// 2.2 MB, and loading the bundle took 134 ms with them, 77 ms without.
import { build } from "esbuild";

const dist = new URL("../dist/", import.meta.url).pathname;
await build({
  entryPoints: { loyalty: `${dist}cli/entry.js`, "drivers-worker": `${dist}drivers-worker.js`, "scan-worker": `${dist}scan-worker.js` },
  outdir: `${dist}bundle`,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external: ["@duckdb/node-api", "exceljs", "@observablehq/plot", "linkedom", "cli-progress"],
  // the CommonJS packages bundled call require() for Node's own modules: an ES module has none of its own
  banner: { js: 'import { createRequire as __loyaltyCreateRequire } from "node:module"; const require = __loyaltyCreateRequire(import.meta.url);' },
  legalComments: "none",
  logLevel: "warning",
});
