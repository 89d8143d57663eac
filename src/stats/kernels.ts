/**
 * The bootstrap's hot loops in WebAssembly (kernels/bootstrap.c, compiled by kernels/build.sh and
 * committed as kernels/bootstrap-wasm.ts): one resample of folded rows, one resample's sums of
 * columns, and the exact sums of small whole numbers. Each gives the same bits as the TypeScript
 * it stands in for (the tests compare them), in about half the time: the generator and the counts
 * run on 32-bit integers without conversions, and the integer sums four lanes at a time. One
 * instance per data set (a set of folded rows, or of columns), its memory laid out here once; the
 * generator's state goes in and comes back through stats/random's randomState. Where WebAssembly
 * cannot be compiled, callers keep to the TypeScript.
 */
import { BOOTSTRAP_WASM } from "./kernels/bootstrap-wasm.js";
import { instantiate, layout, wasmModule, type KernelExports } from "../wasm.js";
import type { RandomState } from "./random.js";

interface Exports extends KernelExports {
  folded_resample(
    n: number,
    k: number,
    state: number,
    starts: number,
    extra: number,
    counts: number,
    weights: number,
    intWeights: number,
    extraWeighted: number,
    moments: number,
    wraps: number,
  ): number;
  counted_sums(n: number, state: number, x: number, columns: number, counts: number, wraps: number, out: number): number;
  integer_column_sums(w: number, narrow: number, y: number, columns: number, k: number, out: number): void;
  float_column_sums(x: number, y: number, stride: number, columns: number, k: number, out: number): void;
}

const compiledModule = wasmModule(BOOTSTRAP_WASM);

/** What a kernel instance is given once: the folded order's pattern starts and extra column, and the byte columns to sum. */
export interface KernelData {
  /** k + 1 starts of the patterns in the folded order. */
  starts: Int32Array;
  /** The extra column in folded order (n values). */
  extra: Float64Array;
  /** Byte matrices summed against weights: each `columns` columns of k values, column after column. */
  bytes: { values: Int8Array; columns: number }[];
}

export interface ResampleKernel {
  /** One resample from the generator, left where TypeScript would leave it: weights per pattern, extra column sums per pattern, and the extra column's sum and sum of squares. */
  resample(random: RandomState): { weights: Float64Array; extraWeighted: Float64Array; extraSum: number; extraSquares: number };
  /** out[c] = Σ_q weights[q]·bytes[matrix][c·k + q], whole-number weights whose sums stay below 2^31. */
  integerSums(weights: Float64Array, matrix: number): Float64Array;
  /** out[c] = Σ_q x[q]·bytes[0][c·k + q], summed in order of q (the first byte matrix: the one floating values are summed against). */
  floatSums(x: Float64Array): Float64Array;
}

/** A kernel instance for n places in k patterns, or null where WebAssembly is not available. */
export function resampleKernel(data: KernelData): ResampleKernel | null {
  const module = compiledModule();
  if (module === null) return null;
  const exports = instantiate<Exports>(module);
  const n = data.extra.length;
  const k = data.starts.length - 1;
  // the layout: doubles first, then 32-bit integers, then 16-bit ones, then bytes (each taken 8-aligned)
  const { take, grow } = layout(exports);
  const widest = Math.max(2, ...data.bytes.map((b) => b.columns));
  const at = {
    extra: take(8 * n),
    weights: take(8 * k),
    extraWeighted: take(8 * k),
    x: take(8 * k),
    moments: take(16),
    out: take(8 * widest),
    starts: take(4 * (k + 1)),
    intWeights: take(4 * k),
    w: take(4 * k),
    narrow: take(2 * k),
    // a wrap takes 256 draws of one place
    wraps: take(4 * (Math.floor(n / 256) + 1)),
    state: take(16),
    counts: take(n),
    bytes: data.bytes.map((b) => take(b.values.length)),
    // the first matrix row by row (each row `stride` bytes, zero past the columns), for the float sums
    rows: take(strideOf(data.bytes[0]?.columns ?? 0) * k),
  };
  const buffer = grow();
  const f64 = (offset: number, length: number) => new Float64Array(buffer, offset, length);
  const i32 = (offset: number, length: number) => new Int32Array(buffer, offset, length);
  f64(at.extra, n).set(data.extra);
  i32(at.starts, k + 1).set(data.starts);
  data.bytes.forEach((b, j) => new Int8Array(buffer, at.bytes[j]!, b.values.length).set(b.values));
  const first = data.bytes[0];
  const stride = strideOf(first?.columns ?? 0);
  if (first) {
    const rows = new Int8Array(buffer, at.rows, stride * k);
    for (let c = 0; c < first.columns; c++) for (let q = 0; q < k; q++) rows[q * stride + c] = first.values[c * k + q]!;
  }
  const state = new Uint32Array(buffer, at.state, 4);
  const moments = f64(at.moments, 2);
  const w = i32(at.w, k);
  const x = f64(at.x, k);
  const out = f64(at.out, widest);
  // the last resample's weights, whose 32-bit copy (intWeights) is still in the kernel's memory
  let drawnWeights: Float64Array | null = null;
  return {
    resample(random) {
      withGenerator(random, state, () => exports.folded_resample(n, k, at.state, at.starts, at.extra, at.counts, at.weights, at.intWeights, at.extraWeighted, at.moments, at.wraps));
      drawnWeights = f64(at.weights, k).slice();
      return { weights: drawnWeights, extraWeighted: f64(at.extraWeighted, k).slice(), extraSum: moments[0]!, extraSquares: moments[1]! };
    },
    integerSums(weights, matrix) {
      // the resample's own weights are there already, as integers; others are copied in
      const given = weights === drawnWeights ? at.intWeights : at.w;
      if (given === at.w) w.set(weights);
      exports.integer_column_sums(given, at.narrow, at.bytes[matrix]!, data.bytes[matrix]!.columns, k, at.out);
      return out.slice(0, data.bytes[matrix]!.columns);
    },
    floatSums(values) {
      const columns = data.bytes[0]!.columns;
      x.set(values);
      exports.float_column_sums(at.x, at.rows, stride, columns, k, at.out);
      return out.slice(0, columns);
    },
  };
}

/** The bytes of a row of the row-by-row copy: the columns, to a multiple of 8 (the float sums take eight columns at a time). */
const strideOf = (columns: number) => Math.ceil(columns / 8) * 8;

/** Runs `call` on the generator's words copied into the kernel's memory (`words`), and hands the words it leaves back to the generator. */
function withGenerator(random: RandomState, words: Uint32Array, call: () => void): void {
  words.set(random.get());
  call();
  random.set([words[0]!, words[1]!, words[2]!, words[3]!]);
}


export interface CountedSumsKernel {
  /**
   * One resample of the n rows from the generator (left where TypeScript would leave it):
   * Σᵢ wᵢ·column[i] of each column in order of i, wᵢ how often row i was drawn.
   */
  sums(random: RandomState): number[];
}

/** A kernel for resamples of the rows of these columns (n values each), or null where WebAssembly is not available. */
export function countedSumsKernel(columns: readonly Float64Array[]): CountedSumsKernel | null {
  const module = compiledModule();
  if (module === null) return null;
  const exports = instantiate<Exports>(module);
  const n = columns[0]?.length ?? 0;
  const { take, grow } = layout(exports);
  const at = { x: take(8 * n * columns.length), out: take(8 * Math.max(1, columns.length)), wraps: take(4 * (Math.floor(n / 256) + 1)), state: take(16), counts: take(n) };
  const buffer = grow();
  columns.forEach((column, c) => new Float64Array(buffer, at.x + 8 * n * c, n).set(column));
  const state = new Uint32Array(buffer, at.state, 4);
  const out = new Float64Array(buffer, at.out, columns.length);
  return {
    sums(random) {
      withGenerator(random, state, () => exports.counted_sums(n, at.state, at.x, columns.length, at.counts, at.wraps, at.out));
      return Array.from(out);
    },
  };
}
