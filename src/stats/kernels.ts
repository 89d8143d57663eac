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
  folded_poisson(n: number, k: number, seeds: number, starts: number, extra: number, scratch: number, intWeights: number, intExtra: number, moments: number): number;
  poisson_correlation_sums(
    n: number,
    k: number,
    seeds: number,
    starts: number,
    extra: number,
    scratch: number,
    intWeights: number,
    intExtra: number,
    narrow: number,
    values: number,
    valueColumns: number,
    products: number,
    productColumns: number,
    moments: number,
    out: number,
  ): number;
  poisson_sums(n: number, seeds: number, x: number, floats: number, stride: number, y: number, bytes: number, byteStride: number, scratch: number, lanes: number, wholes: number, out: number): void;
  integer_column_sums(w: number, narrow: number, y: number, columns: number, k: number, out: number): void;
  float_column_sums(x: number, y: number, stride: number, columns: number, k: number, out: number): void;
}

const compiledModule = wasmModule(BOOTSTRAP_WASM);

/** The seed words of a Poisson resample: four for each of its sixteen streams. */
export const POISSON_SEEDS = 64;

/** What a kernel instance is given once: the folded order's pattern starts and extra column, and the byte columns to sum. */
export interface KernelData {
  /** k + 1 starts of the patterns in the folded order. */
  starts: Int32Array;
  /** The extra column in folded order (n values). */
  extra: Float64Array | Int8Array;
  /** Byte matrices summed against weights: each `columns` columns of k values, column after column. */
  bytes: { values: Int8Array; columns: number }[];
  /** Poisson resamples (true) or draws of n places (false): the one kind the instance makes. */
  poisson: boolean;
}

/** The places folded_poisson and poisson_sums take at a time (CHUNK in bootstrap.c): the scratch of folded_poisson is two rows of CHUNK + 16 running sums, 16 bits each; of poisson_sums, CHUNK counts as bytes and as doubles. */
const CHUNK = 256;

/** The most places a Poisson resample in the kernel takes: its 32-bit sums of c·x stay below 2^31 (c ≤ 11, |x| ≤ 11). */
const POISSON_PLACES = 2 ** 24;

export interface ResampleKernel {
  /** One resample from the generator, left where TypeScript would leave it: weights per pattern, extra column sums per pattern, and the extra column's sum and sum of squares. */
  resample(random: RandomState): { weights: Float64Array; extraWeighted: Float64Array; extraSum: number; extraSquares: number };
  /**
   * One Poisson resample from the 64 seed words of its sixteen streams (bootstrap.ts poissonSeeds):
   * the sums of bootstrap.ts poissonResample (patternSums), and the total count; null unless the extra column holds whole
   * numbers within ±11 (its sums are then exact, so the same in any order).
   */
  poissonResample(seeds: Uint32Array): { total: number; weights: Float64Array; extraWeighted: Float64Array; extraSum: number; extraSquares: number } | null;
  /**
   * poissonResample and, without leaving the kernel, the whole-number sums of its correlations:
   * Σ W·x_a over the first byte matrix's columns, Σ E·x_a over the same, then Σ W·x_a·x_b over the
   * second's (its weights W and extra sums E never cross into JavaScript). null where
   * poissonResample is, without two byte matrices, or when the total is too large for 32-bit sums.
   */
  poissonCorrelationSums(seeds: Uint32Array): { total: number; sums: Float64Array; extraSum: number; extraSquares: number } | null;
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
  // the widest output: a matrix's sums, or the fused sums (two of the first matrix, one of the second)
  const fused = data.bytes.length >= 2 ? 2 * data.bytes[0]!.columns + data.bytes[1]!.columns : 0;
  const widest = Math.max(2, fused, ...data.bytes.map((b) => b.columns));
  const { poisson } = data;
  // a Poisson resample takes the extra column as bytes, where it is small whole numbers; the draws of n places take it as doubles
  const smallExtra = poisson && n <= POISSON_PLACES && data.extra.every((v) => Number.isInteger(v) && Math.abs(v) <= 11);
  const at = {
    extra: take(poisson ? 0 : 8 * n),
    weights: take(poisson ? 0 : 8 * k),
    extraWeighted: take(poisson ? 0 : 8 * k),
    x: take(8 * k),
    moments: take(16),
    out: take(8 * widest),
    starts: take(4 * (k + 1)),
    intWeights: take(4 * k),
    intExtra: take(poisson ? 4 * k : 0),
    w: take(4 * k),
    narrow: take(2 * k),
    // a wrap takes 256 draws of one place
    wraps: take(poisson ? 0 : 4 * (Math.floor(n / 256) + 1)),
    state: take(16),
    seeds: take(4 * POISSON_SEEDS),
    scratch: take(poisson ? 4 * (CHUNK + 16) : 0),
    counts: take(poisson ? 0 : n),
    // read sixteen at a time
    extraBytes: take(smallExtra ? n + 16 : 0),
    bytes: data.bytes.map((b) => take(b.values.length)),
    // the first matrix row by row (each row `stride` bytes, zero past the columns), for the float sums
    rows: take(strideOf(data.bytes[0]?.columns ?? 0) * k),
  };
  const buffer = grow();
  const f64 = (offset: number, length: number) => new Float64Array(buffer, offset, length);
  const i32 = (offset: number, length: number) => new Int32Array(buffer, offset, length);
  if (!poisson) f64(at.extra, n).set(data.extra);
  if (smallExtra) new Int8Array(buffer, at.extraBytes, n).set(data.extra);
  i32(at.starts, k + 1).set(data.starts);
  data.bytes.forEach((b, j) => new Int8Array(buffer, at.bytes[j]!, b.values.length).set(b.values));
  const first = data.bytes[0];
  const stride = strideOf(first?.columns ?? 0);
  if (first) {
    const rows = new Int8Array(buffer, at.rows, stride * k);
    for (let c = 0; c < first.columns; c++) for (let q = 0; q < k; q++) rows[q * stride + c] = first.values[c * k + q]!;
  }
  const state = new Uint32Array(buffer, at.state, 4);
  const seedWords = new Uint32Array(buffer, at.seeds, POISSON_SEEDS);
  const moments = f64(at.moments, 2);
  const w = i32(at.w, k);
  const x = f64(at.x, k);
  const out = f64(at.out, widest);
  // the last resample's weights, whose 32-bit copy (intWeights) is still in the kernel's memory
  let drawnWeights: Float64Array | null = null;
  return {
    resample(random) {
      if (poisson) throw new Error("a Poisson kernel makes Poisson resamples");
      withGenerator(random, state, () => exports.folded_resample(n, k, at.state, at.starts, at.extra, at.counts, at.weights, at.intWeights, at.extraWeighted, at.moments, at.wraps));
      drawnWeights = f64(at.weights, k).slice();
      return { weights: drawnWeights, extraWeighted: f64(at.extraWeighted, k).slice(), extraSum: moments[0]!, extraSquares: moments[1]! };
    },
    poissonResample(seeds) {
      if (!smallExtra) return null;
      seedWords.set(seeds);
      const total = exports.folded_poisson(n, k, at.seeds, at.starts, at.extraBytes, at.scratch, at.intWeights, at.intExtra, at.moments);
      drawnWeights = Float64Array.from(i32(at.intWeights, k));
      return { total, weights: drawnWeights, extraWeighted: Float64Array.from(i32(at.intExtra, k)), extraSum: moments[0]!, extraSquares: moments[1]! };
    },
    poissonCorrelationSums(seeds) {
      if (!smallExtra || data.bytes.length < 2) return null;
      seedWords.set(seeds);
      const [values, products] = data.bytes as [KernelData["bytes"][0], KernelData["bytes"][0]];
      const total = exports.poisson_correlation_sums(
        n,
        k,
        at.seeds,
        at.starts,
        at.extraBytes,
        at.scratch,
        at.intWeights,
        at.intExtra,
        at.narrow,
        at.bytes[0]!,
        values.columns,
        at.bytes[1]!,
        products.columns,
        at.moments,
        at.out,
      );
      // the weights in the kernel's memory are no longer those of an earlier poissonResample
      drawnWeights = null;
      if (total < 0) return null;
      return { total, sums: out.slice(0, fused), extraSum: moments[0]!, extraSquares: moments[1]! };
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
  /** One Poisson resample from the 64 seed words of its sixteen streams (bootstrap.ts poissonSeeds): the same sums, in two lanes each. */
  poissonSums(seeds: Uint32Array): number[];
}

/** A kernel for resamples of the rows of these columns (n values each), or null where WebAssembly is not available. */
export function countedSumsKernel(columns: readonly Float64Array[], poisson: boolean): CountedSumsKernel | null {
  const module = compiledModule();
  if (module === null) return null;
  const exports = instantiate<Exports>(module);
  const n = columns[0]?.length ?? 0;
  const { take, grow } = layout(exports);
  // Poisson resamples sum columns of whole numbers 0-255 as bytes, exactly; the others as doubles, padded with zeros to eight rows
  const isByte = columns.map((column) => poisson && column.every((v) => Number.isInteger(v) && v >= 0 && v <= 255));
  const doubles = columns.filter((_, c) => !isByte[c]);
  const bytes = columns.filter((_, c) => isByte[c]);
  const stride = poisson ? Math.ceil(n / 8) * 8 : n;
  const byteStride = Math.ceil(n / 16) * 16;
  const at = {
    x: take(8 * stride * doubles.length),
    out: take(8 * Math.max(1, columns.length)),
    lanes: take(64 * doubles.length),
    wholes: take(8 * bytes.length),
    wraps: take(poisson ? 0 : 4 * (Math.floor(n / 256) + 1)),
    state: take(16),
    seeds: take(4 * POISSON_SEEDS),
    counts: take(poisson ? 0 : n),
    // a chunk's counts, as bytes and as doubles
    scratch: take(poisson ? 9 * CHUNK : 0),
    y: take(byteStride * bytes.length),
  };
  const buffer = grow();
  doubles.forEach((column, c) => new Float64Array(buffer, at.x + 8 * stride * c, n).set(column));
  bytes.forEach((column, c) => new Uint8Array(buffer, at.y + byteStride * c, n).set(column));
  const state = new Uint32Array(buffer, at.state, 4);
  const out = new Float64Array(buffer, at.out, columns.length);
  const seedWords = new Uint32Array(buffer, at.seeds, POISSON_SEEDS);
  // where each column's sum comes out: the doubles' first, then the bytes'
  const place: number[] = [];
  for (let c = 0, d = 0, b = doubles.length; c < columns.length; c++) place.push(isByte[c] ? b++ : d++);
  return {
    sums(random) {
      if (poisson) throw new Error("a Poisson kernel makes Poisson resamples");
      withGenerator(random, state, () => exports.counted_sums(n, at.state, at.x, columns.length, at.counts, at.wraps, at.out));
      return Array.from(out);
    },
    poissonSums(seeds) {
      seedWords.set(seeds);
      exports.poisson_sums(n, at.seeds, at.x, doubles.length, stride, at.y, bytes.length, byteStride, at.scratch, at.lanes, at.wholes, at.out);
      return place.map((p) => out[p]!);
    },
  };
}
