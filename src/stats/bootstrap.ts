/**
 * Bootstrap helpers: resample counts from a seeded generator, correlation matrices of
 * resampled rows (as frequency weights, so no rows are copied), percentile intervals.
 *
 * A resample of fewer than POISSON_FROM rows draws n rows with replacement (each draw a place
 * from the generator), as R's boot and relaimpo do. From POISSON_FROM rows on, it is the Poisson
 * bootstrap (Hanley & MacGibbon 2006; Chamandy, Muralidharan, Najmi & Naidu 2012): each row is
 * drawn Poisson(1) times, independently. The counts of n draws are multinomial, which is
 * independent Poisson(1) counts held to a total of n; free, the total varies by about √n, which
 * moves a statistic's bootstrap spread by a part in n, far below the Monte-Carlo error of 1,000
 * resamples (a few percent at the interval's ends) at 10,000 rows. The counts come in row order
 * from sixteen streams side by side, so they are made without a random access per draw: a
 * million rows' resample in about 1.5 ns a row instead of 5 (3.5 instead of 10 beside the finance
 * reader on the other core).
 */
import { quickselect } from "simple-statistics";
import { clampCorrelation } from "./correlation.js";
import { countedSumsKernel, POISSON_SEEDS, resampleKernel, type CountedSumsKernel, type ResampleKernel } from "./kernels.js";
import { nextOfWords, randomState, type Random } from "./random.js";

/** From this many rows a resample is a Poisson one (see above). */
export const POISSON_FROM = 10_000;

/** How a bootstrap of n rows resamples them: "rows" (n draws with replacement) or "poisson" (a Poisson(1) count per row). */
export type ResamplingKind = "rows" | "poisson";

export function resamplingKind(n: number): ResamplingKind {
  return n >= POISSON_FROM ? "poisson" : "rows";
}

/**
 * A random comparison variable for n rows (Tonidandel, LeBreton & Johnson 2009: a driver matters
 * when it outweighs pure noise): standard normal values, and from POISSON_FROM rows ±1 with equal
 * chance. The test rests on the noise's correlations with the other columns, near normal with
 * variance 1/n whatever the noise's distribution; ±1 keeps a Poisson resample's sums whole
 * numbers, so they are summed exactly, in any order, a chunk of rows at a time.
 */
export function comparisonNoise(n: number, random: Random): Float64Array | Int8Array {
  // (±1 as bytes: a million rows' noise in 1 MB, not 8)
  if (n >= POISSON_FROM) {
    const signs = new Int8Array(n);
    for (let i = 0; i < n; i++) signs[i] = random.next() < 0.5 ? -1 : 1;
    return signs;
  }
  const noise = new Float64Array(n);
  for (let i = 0; i < n; i++) noise[i] = random.normal();
  return noise;
}

/** ⌈2^32·P(X ≤ j)⌉ for X ~ Poisson(1), j = 0 … 10: a 32-bit value's count is how many of these it reaches (counts above 11 have a probability below 2^-32). */
const POISSON_THRESHOLDS = [1580030169, 3160060338, 3950075422, 4213413784, 4279248374, 4292415292, 4294609778, 4294923277, 4294962464, 4294966818, 4294967253];

/**
 * The seed words of one Poisson resample, taken from the generator: four words for each of
 * sixteen xoshiro128** streams (a stream of four zero words, which would stay zero, starts from 1).
 */
export function poissonSeeds(random: Random): Uint32Array {
  const values = new Float64Array(POISSON_SEEDS);
  random.fill(values);
  // (a loop: Uint32Array.from with a function calls it per value, 9 µs a resample)
  const seeds = new Uint32Array(POISSON_SEEDS);
  for (let j = 0; j < POISSON_SEEDS; j++) seeds[j] = values[j]! * 4294967296;
  for (let j = 0; j < POISSON_SEEDS; j += 4) if ((seeds[j]! | seeds[j + 1]! | seeds[j + 2]! | seeds[j + 3]!) === 0) seeds[j] = 1;
  return seeds;
}

/**
 * Each of n rows' Poisson(1) count from the seeds (poissonSeeds): row i takes the next value of
 * stream i mod 16 and counts the thresholds it reaches (inversion, exact to 2^-32). The kernel
 * (kernels/bootstrap.c next_counts) makes the same counts, four streams to a vector.
 */
export function poissonCounts(n: number, seeds: Uint32Array, counts: Uint8Array = new Uint8Array(n)): Uint8Array {
  const state = Uint32Array.from(seeds);
  for (let i = 0; i < n; i += 16) {
    for (let lane = 0; lane < 16 && i + lane < n; lane++) {
      const value = nextOfWords(state, 4 * lane);
      let count = 0;
      while (count < POISSON_THRESHOLDS.length && value >= POISSON_THRESHOLDS[count]!) count++;
      counts[i + lane] = count;
    }
  }
  return counts;
}

/**
 * How often each of n rows is drawn in one resample: n draws with replacement, or from
 * POISSON_FROM rows a Poisson(1) count each.
 * @example resampleCounts(3, random) // e.g. Int32Array [2, 0, 1]
 */
export function resampleCounts(n: number, random: Random): Int32Array {
  if (n >= POISSON_FROM) return Int32Array.from(poissonCounts(n, poissonSeeds(random)));
  const counts = new Int32Array(n);
  // random.integer(0, n - 1) for each draw, drawn in blocks: the same draws, so the same counts
  const block = new Float64Array(Math.max(1, Math.min(n, BLOCK)));
  for (let done = 0; done < n; done += block.length) {
    const draws = done + block.length <= n ? block : block.subarray(0, n - done);
    random.fill(draws);
    for (let t = 0; t < draws.length; t++) counts[Math.floor(draws[t]! * n)]!++;
  }
  return counts;
}

const BLOCK = 4096;

/**
 * The n draws of resampleCounts (the same draws, in order), counted in a byte per row: a million
 * rows' counts stay in a core's cache, so a draw costs a cached increment, not a miss in memory.
 * `counts` must be zero on entry; afterwards counts[i] is row i's count modulo 256, and `wraps`
 * lists a row once for each time its count passed 255 (possible, if never seen, beyond 255 rows),
 * so every count is exact.
 */
export function drawByteCounts(n: number, random: Random, counts: Uint8Array, wraps: number[]): void {
  const block = new Float64Array(Math.max(1, Math.min(n, BLOCK)));
  for (let done = 0; done < n; done += block.length) {
    const draws = done + block.length <= n ? block : block.subarray(0, n - done);
    random.fill(draws);
    for (let t = 0; t < draws.length; t++) {
      const s = Math.floor(draws[t]! * n);
      // the stored byte wraps to 0 at 256; the expression's value does not
      if (++counts[s]! === 256) wraps.push(s);
    }
  }
}

/** The WebAssembly kernel of a set of columns for countedSums (null where there is none), made when first needed. */
const summers = new WeakMap<readonly Float64Array[], CountedSumsKernel | null>();

/**
 * One resample's sums Σᵢ wᵢ·column[i] of each column, in the order of the rows, wᵢ the counts of
 * resampleCounts (the same draws, counted in bytes by drawByteCounts). `counts` is the bytes'
 * buffer (n, zero between calls). A row not drawn adds 0·x = ±0, which leaves a sum as it was.
 * For a generator of createRandom and up to 2^21 rows, the WebAssembly kernel does the same (the
 * same bits, the generator left where it would be), on its own copy of the columns, made on the
 * first call with this array of columns: the columns must not change after it. `useKernel: false`
 * keeps to TypeScript.
 */
export function countedSums(random: Random, columns: readonly Float64Array[], counts: Uint8Array, useKernel = true): number[] {
  const n = counts.length;
  if (n >= POISSON_FROM) return poissonSums(random, columns, counts, useKernel);
  const state = useKernel && n <= 2 ** 21 && columns.length > 0 && columns.every((c) => c.length === n) ? randomState(random) : undefined;
  if (state) {
    let kernel = summers.get(columns);
    if (kernel === undefined) summers.set(columns, (kernel = countedSumsKernel(columns, false)));
    if (kernel) return kernel.sums(state);
  }
  const wraps: number[] = [];
  drawByteCounts(n, random, counts, wraps);
  const sums: number[] = [];
  if (wraps.length === 0) {
    for (const column of columns) sums.push(byteDot(counts, column));
  } else {
    const weights = Float64Array.from(counts);
    for (const i of wraps) weights[i]! += 256;
    for (const column of columns) sums.push(wideDot(weights, column));
  }
  counts.fill(0);
  return sums;
}

/**
 * countedSums from POISSON_FROM rows: one Poisson resample's Σᵢ cᵢ·column[i] of each column, in
 * eight lanes (row i in lane i mod 8, each lane in order of i), added as ((l0 + l2) + (l4 + l6)) +
 * ((l1 + l3) + (l5 + l7)): the kernel's order (kernels/bootstrap.c poisson_sums), which sums four
 * pairs of lanes side by side. A column of whole numbers is summed exactly either way. `counts`
 * is left zero.
 */
function poissonSums(random: Random, columns: readonly Float64Array[], counts: Uint8Array, useKernel: boolean): number[] {
  const n = counts.length;
  const seeds = poissonSeeds(random);
  if (useKernel && columns.length > 0 && columns.every((c) => c.length === n)) {
    let kernel = summers.get(columns);
    if (kernel === undefined) summers.set(columns, (kernel = countedSumsKernel(columns, true)));
    if (kernel) return kernel.poissonSums(seeds);
  }
  poissonCounts(n, seeds, counts);
  const lanes = new Float64Array(8);
  const sums = columns.map((column) => {
    lanes.fill(0);
    for (let i = 0; i < n; i++) lanes[i & 7]! += counts[i]! * column[i]!;
    return (lanes[0]! + lanes[2]! + (lanes[4]! + lanes[6]!)) + (lanes[1]! + lanes[3]! + (lanes[5]! + lanes[7]!));
  });
  counts.fill(0);
  return sums;
}

/** Σᵢ wᵢ·xᵢ in order (one function per type of w, so each loop sees one kind of array). */
function byteDot(w: Uint8Array, x: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < w.length; i++) sum += w[i]! * x[i]!;
  return sum;
}

function wideDot(w: Float64Array, x: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < w.length; i++) sum += w[i]! * x[i]!;
  return sum;
}

/**
 * Correlation matrix of m columns stored row-major in `rows` (n·m values), each row counted
 * `counts[i]` times (all once without counts). Two-pass, like correlationMatrix.
 */
export function weightedCorrelationMatrix(rows: Float64Array, m: number, counts?: Int32Array): number[][] {
  const n = rows.length / m;
  const means = new Float64Array(m);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const w = counts ? counts[i]! : 1;
    if (w === 0) continue;
    total += w;
    for (let j = 0; j < m; j++) means[j]! += w * rows[i * m + j]!;
  }
  for (let j = 0; j < m; j++) means[j]! /= total;
  const cross = new Float64Array(m * m);
  const centred = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    const w = counts ? counts[i]! : 1;
    if (w === 0) continue;
    for (let j = 0; j < m; j++) centred[j] = rows[i * m + j]! - means[j]!;
    for (let a = 0; a < m; a++) {
      const wa = w * centred[a]!;
      for (let b = a; b < m; b++) cross[a * m + b]! += wa * centred[b]!;
    }
  }
  const matrix = Array.from({ length: m }, () => new Array<number>(m).fill(0));
  for (let a = 0; a < m; a++) {
    matrix[a]![a] = 1;
    for (let b = a + 1; b < m; b++) {
      const r = clampCorrelation(cross[a * m + b]! / Math.sqrt(cross[a * m + a]! * cross[b * m + b]!));
      matrix[a]![b] = matrix[b]![a] = r;
    }
  }
  return matrix;
}

/** From this many values a quantile selects its two order statistics instead of sorting them all. */
const SELECT_FROM = 2048;

/**
 * The q-quantile of the values by linear interpolation between order statistics (R's
 * quantile(type = 7), its default). Works on a copy: the two order statistics are found by
 * selection (Floyd-Rivest, simple-statistics' quickselect: linear time, where a sort of the
 * million customers' revenues took a tenth of a second per median); a copy with a NaN or a zero
 * is sorted instead, so that NaN and -0 fall where the sort puts them (NaN last, -0 before 0).
 * @example quantile([1, 2, 3, 4], 0.5) // => 2.5
 */
export function quantile(values: ArrayLike<number>, q: number): number {
  if (values.length === 0) throw new RangeError("quantile of no values");
  return quantileInPlace(Float64Array.from(values), q);
}

/**
 * quantile on the array itself, for an array of the caller's own that is not read afterwards (no
 * copy: at a million customers 8 MB less per median): its values are left reordered.
 */
export function quantileInPlace(copy: Float64Array, q: number): number {
  if (copy.length === 0) throw new RangeError("quantile of no values");
  const n = copy.length;
  const h = (n - 1) * q;
  const low = Math.floor(h);
  const high = Math.min(low + 1, n - 1);
  let selectable = n >= SELECT_FROM;
  for (let i = 0; selectable && i < n; i++) {
    const v = copy[i]!;
    if (v !== v || v === 0) selectable = false;
  }
  if (!selectable) {
    copy.sort();
    return copy[low]! + (h - low) * (copy[high]! - copy[low]!);
  }
  // the low-th smallest at `low`, every value after it no smaller: the next order statistic is their least
  quickselect(copy as unknown as number[], low);
  const lower = copy[low]!;
  let upper = lower;
  if (high > low) {
    upper = copy[high]!;
    for (let i = high + 1; i < n; i++) if (copy[i]! < upper) upper = copy[i]!;
  }
  return lower + (h - low) * (upper - lower);
}

/** The percentile interval [q(α/2), q(1 − α/2)] of bootstrap replicates. */
export function percentileInterval(values: ArrayLike<number>, confidence = 0.95): [number, number] {
  const alpha = 1 - confidence;
  return [quantile(values, alpha / 2), quantile(values, 1 - alpha / 2)];
}

/**
 * Rows with their duplicates folded together: the distinct rows (`patterns`, k·m values, in order
 * of first appearance) and the pattern of each row. Survey ratings repeat: 98,000 complete answers
 * on five 1-10 drivers and a 0-10 score hold about 22,000 distinct rows. The rows are also kept
 * in folded order (pattern by pattern, each pattern's rows in their order): a resample draws from
 * that order, so the rows it counts lie together, and so does a column that is not folded
 * (`extra`, e.g. a random comparison variable, one value per row).
 */
export interface FoldedRows {
  m: number;
  k: number;
  patterns: Float64Array;
  /** The pattern of each row, in the rows' order. */
  patternOf: Int32Array;
  /** The row at each place of the folded order. */
  order: Int32Array;
  /** Pattern q's rows are places starts[q] to starts[q + 1] − 1 of the folded order (k + 1 values). */
  starts: Int32Array;
  /** The extra column in folded order (zeros when none was given); bytes where it was given as bytes, and for the zeros. */
  extra: Float64Array | Int8Array;
}

export function foldRows(rows: Float64Array, m: number, extra?: Float64Array | Int8Array): FoldedRows {
  return foldWith(m, rows.length / m, (r, row) => row.set(rows.subarray(r * m, (r + 1) * m)), extra);
}

/**
 * foldRows of the rows made of `columns` (row r: each column's value at rows[r], or at r when
 * `rows` is null), without the rows ever being copied out row by row (for a million survey
 * answers, 8 bytes a value): the same patterns, in the same order, as foldRows of those rows.
 * `extra` (one value per row, in the rows' order) goes along as in foldRows.
 */
export function foldColumns(columns: readonly ArrayLike<number>[], rows: Int32Array | null, extra?: Float64Array | Int8Array): FoldedRows {
  const m = columns.length;
  const n = rows ? rows.length : (columns[0]?.length ?? 0);
  if (m <= 8 && bytesOnly(columns, rows, n)) return foldBytes(columns, rows, n, extra);
  return foldWith(
    m,
    n,
    (r, row) => {
      const i = rows ? rows[r]! : r;
      for (let j = 0; j < m; j++) row[j] = columns[j]![i]!;
    },
    extra,
  );
}

/** Whether every value of the rows is a whole number from 0 to 255 (ratings, scores): foldBytes can fold them. */
function bytesOnly(columns: readonly ArrayLike<number>[], rows: Int32Array | null, n: number): boolean {
  for (const column of columns) {
    for (let r = 0; r < n; r++) {
      const v = column[rows ? rows[r]! : r]!;
      // (false for NaN too; −0 passes, and is 0 in the key as it is one value with 0 in foldWith)
      if (!(v >= 0 && v <= 255 && Math.floor(v) === v)) return false;
    }
  }
  return true;
}

/**
 * foldWith of rows of at most 8 whole numbers 0-255 (bytesOnly), each row's values packed into two
 * 32-bit keys: one hash and two comparisons a row, not a hash of 8-byte values and m comparisons
 * (a million survey answers: about 5× faster). The same patterns (each with its first row's
 * values), in the same order of first appearance.
 */
function foldBytes(columns: readonly ArrayLike<number>[], rows: Int32Array | null, n: number, extra?: Float64Array | Int8Array): FoldedRows {
  const m = columns.length;
  const patternOf = new Int32Array(n);
  let low = new Int32Array(1024);
  let high = new Int32Array(1024);
  let first = new Int32Array(1024);
  let slots = new Int32Array(2048).fill(-1);
  let k = 0;
  const place = (a: number, b: number, mask: number) => {
    let h = Math.imul(a ^ Math.imul(b, 0x9e3779b1), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return (h ^ (h >>> 16)) & mask;
  };
  for (let r = 0; r < n; r++) {
    const i = rows ? rows[r]! : r;
    let a = 0;
    let b = 0;
    for (let j = 0; j < m; j++) {
      const v = columns[j]![i]! | 0;
      if (j < 4) a |= v << (8 * j);
      else b |= v << (8 * (j - 4));
    }
    const mask = slots.length - 1;
    let slot = place(a, b, mask);
    let q = slots[slot]!;
    while (q !== -1 && (low[q] !== a || high[q] !== b)) {
      slot = (slot + 1) & mask;
      q = slots[slot]!;
    }
    if (q === -1) {
      q = k++;
      if (k > low.length) {
        const wider = (column: Int32Array) => {
          const grown = new Int32Array(2 * column.length);
          grown.set(column);
          return grown;
        };
        low = wider(low);
        high = wider(high);
        first = wider(first);
      }
      low[q] = a;
      high[q] = b;
      first[q] = i;
      slots[slot] = q;
      // at half full, twice the slots
      if (2 * k > slots.length) {
        slots = new Int32Array(2 * slots.length).fill(-1);
        const wider = slots.length - 1;
        for (let s = 0; s < k; s++) {
          let free = place(low[s]!, high[s]!, wider);
          while (slots[free] !== -1) free = (free + 1) & wider;
          slots[free] = s;
        }
      }
    }
    patternOf[r] = q;
  }
  // each pattern's values as its first row has them (−0 where that row has −0, as foldWith keeps)
  const patterns = new Float64Array(k * m);
  for (let q = 0; q < k; q++) for (let j = 0; j < m; j++) patterns[q * m + j] = columns[j]![first[q]!]!;
  return orderedFold(m, k, patterns, patternOf, extra);
}

/**
 * The distinct rows of n rows of m values (`fill` writes row r into `row`), in order of first
 * appearance, found by an open-addressing hash of their values: two rows are one pattern when
 * every value is equal, 0 and -0 being one value (and NaN one value).
 */
function foldWith(m: number, n: number, fill: (r: number, row: Float64Array) => void, extra?: Float64Array | Int8Array): FoldedRows {
  const patternOf = new Int32Array(n);
  let values = new Float64Array(1024 * m);
  const row = new Float64Array(m);
  const same = (a: number, b: number) => a === b || (a !== a && b !== b);
  let slots = new Int32Array(1024).fill(-1);
  let k = 0;
  for (let r = 0; r < n; r++) {
    fill(r, row);
    let slot = hashOfValues(row, 0, m) & (slots.length - 1);
    let q = slots[slot]!;
    while (q !== -1) {
      let j = 0;
      while (j < m && same(values[q * m + j]!, row[j]!)) j++;
      if (j === m) break;
      slot = (slot + 1) & (slots.length - 1);
      q = slots[slot]!;
    }
    if (q === -1) {
      q = k++;
      if (k * m > values.length) {
        const wider = new Float64Array(2 * values.length);
        wider.set(values);
        values = wider;
      }
      values.set(row, q * m);
      slots[slot] = q;
      // at half full, twice the slots
      if (2 * k > slots.length) {
        slots = new Int32Array(2 * slots.length).fill(-1);
        const mask = slots.length - 1;
        for (let s = 0; s < k; s++) {
          let free = hashOfValues(values, s * m, m) & mask;
          while (slots[free] !== -1) free = (free + 1) & mask;
          slots[free] = s;
        }
      }
    }
    patternOf[r] = q;
  }
  return orderedFold(m, k, values.slice(0, k * m), patternOf, extra);
}

/** The folded order of rows whose patterns are known (a counting sort by pattern, stable), with `extra` in that order. */
function orderedFold(m: number, k: number, patterns: Float64Array, patternOf: Int32Array, extra?: Float64Array | Int8Array): FoldedRows {
  const n = patternOf.length;
  const starts = new Int32Array(k + 1);
  for (let i = 0; i < n; i++) starts[patternOf[i]! + 1]!++;
  for (let q = 0; q < k; q++) starts[q + 1]! += starts[q]!;
  const next = starts.slice(0, k);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[next[patternOf[i]!]!++] = i;
  const folded = extra instanceof Float64Array ? new Float64Array(n) : new Int8Array(n);
  if (extra) for (let s = 0; s < n; s++) folded[s] = extra[order[s]!]!;
  return { m, k, patterns, patternOf, order, starts, extra: folded };
}

/** The folded rows with another extra column (one value per row, in the rows' order), put in folded order. */
export function withExtra(folded: FoldedRows, extra: Float64Array | Int8Array): FoldedRows {
  const inOrder = extra instanceof Float64Array ? new Float64Array(folded.order.length) : new Int8Array(folded.order.length);
  for (let s = 0; s < inOrder.length; s++) inOrder[s] = extra[folded.order[s]!]!;
  return { ...folded, extra: inOrder };
}

/** How many rows each pattern stands for (its weight in a fit of the distinct rows). */
export function patternCounts(folded: FoldedRows): Int32Array {
  const counts = new Int32Array(folded.k);
  for (let q = 0; q < folded.k; q++) counts[q] = folded.starts[q + 1]! - folded.starts[q]!;
  return counts;
}

/** Column j of the patterns (k values). */
export function patternColumn(folded: FoldedRows, j: number): Float64Array {
  const column = new Float64Array(folded.k);
  for (let q = 0; q < folded.k; q++) column[q] = folded.patterns[q * folded.m + j]!;
  return column;
}

const hashBits = new Float64Array(1);
const hashWords = new Int32Array(hashBits.buffer);

/** A hash of `width` values from `at` (each value's two 32-bit words mixed in, then murmur3's finaliser): -0 hashes as 0, every NaN alike. */
function hashOfValues(values: ArrayLike<number>, at: number, width: number): number {
  let h = 0x811c9dc5;
  for (let j = 0; j < width; j++) {
    const v = values[at + j]!;
    hashBits[0] = v !== v ? NaN : v + 0;
    h = Math.imul(h ^ hashWords[0]!, 0x9e3779b1);
    h = Math.imul(h ^ (h >>> 15) ^ hashWords[1]!, 0x85ebca77);
    h ^= h >>> 13;
  }
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * One resample of folded rows, summed per distinct row: the weight of each pattern (how often its
 * rows were drawn) and the extra column's drawn values summed per pattern, with their sum and the
 * sum of their squares.
 */
export interface FoldedResample {
  total: number;
  weights: Float64Array;
  extraWeighted: Float64Array;
  extraSum: number;
  extraSquares: number;
}

/** A count per place of the folded order, made once per set of folded rows (zero between resamples). */
const drawCounts = new WeakMap<FoldedRows, Uint8Array>();

/** The WebAssembly kernel of a set of folded rows (null where there is none), made when first needed. */
const kernels = new WeakMap<FoldedRows, ResampleKernel | null>();

function kernelOf(folded: FoldedRows): ResampleKernel | null {
  let kernel = kernels.get(folded);
  if (kernel === undefined) {
    const small = scratchOf(folded).small;
    const bytes = small ? [{ values: small.values, columns: small.valueStarts.length }, { values: small.products, columns: small.productStarts.length }] : [];
    kernels.set(folded, (kernel = resampleKernel({ starts: folded.starts, extra: folded.extra, bytes, poisson: folded.order.length >= POISSON_FROM })));
  }
  return kernel;
}

/**
 * One resample of n rows with replacement: the n draws of resampleCounts (random.integer(0, n − 1)
 * each, in order), taken as places in the folded order. The draws are counted per place in bytes
 * (drawByteCounts), then the counts are summed pattern by pattern in one pass over the folded order.
 * For a generator of createRandom and up to 2^21 rows, the WebAssembly kernel does the same (the
 * same bits, and the generator left where it would be); `useKernel: false` keeps to TypeScript.
 */
export function foldedResample(folded: FoldedRows, random: Random, useKernel = true): FoldedResample {
  const { starts, extra } = folded;
  const n = folded.order.length;
  if (n >= POISSON_FROM) return poissonResample(folded, poissonSeeds(random), useKernel);
  const state = useKernel && n <= 2 ** 21 ? randomState(random) : undefined;
  const kernel = state ? kernelOf(folded) : null;
  if (state && kernel) return { total: n, ...kernel.resample(state) };
  let counts = drawCounts.get(folded);
  if (counts === undefined) drawCounts.set(folded, (counts = new Uint8Array(n)));
  const wraps: number[] = [];
  drawByteCounts(n, random, counts, wraps);
  const sums = patternSums(folded, counts);
  const { weights, extraWeighted } = sums;
  let { extraSum, extraSquares } = sums;
  if (wraps.length > 0) {
    for (const place of wraps) {
      let q = 0;
      while (starts[q + 1]! <= place) q++;
      const v = 256 * extra[place]!;
      weights[q]! += 256;
      extraWeighted[q]! += v;
      extraSum += v;
      extraSquares += v * extra[place]!;
    }
  }
  counts.fill(0);
  return { total: n, weights, extraWeighted, extraSum, extraSquares };
}

/**
 * foldedResample from POISSON_FROM rows: each place of the folded order counted Poisson(1) times
 * (poissonCounts), summed pattern by pattern, in order. With an extra column of small whole
 * numbers (the ±1 of comparisonNoise) every sum is a whole number, exact in any order: the kernel
 * (kernels/bootstrap.c folded_poisson) makes the same sums its own way.
 */
function poissonResample(folded: FoldedRows, seeds: Uint32Array, useKernel: boolean): FoldedResample {
  return (useKernel ? kernelOf(folded)?.poissonResample(seeds) : null) ?? patternSums(folded, poissonCounts(folded.order.length, seeds));
}

/** The counts of the places (in folded order) summed per pattern, with the extra column's sums, each in order of the places. */
function patternSums(folded: FoldedRows, counts: Uint8Array): FoldedResample {
  const { k, starts, extra } = folded;
  const weights = new Float64Array(k);
  const extraWeighted = new Float64Array(k);
  let total = 0;
  let extraSum = 0;
  let extraSquares = 0;
  let s = 0;
  for (let q = 0; q < k; q++) {
    const end = starts[q + 1]!;
    let w = 0;
    let e = 0;
    for (; s < end; s++) {
      const c = counts[s]!;
      const v = c * extra[s]!;
      w += c;
      e += v;
      extraSum += v;
      extraSquares += v * extra[s]!;
    }
    weights[q] = w;
    extraWeighted[q] = e;
    total += w;
  }
  return { total, weights, extraWeighted, extraSum, extraSquares };
}

/** The same sums from a count per row, in the rows' order (resampleCounts): the extra column is the one given to foldRows. */
export function foldedSums(folded: FoldedRows, counts: Int32Array): FoldedResample {
  const { k, patternOf, order, extra } = folded;
  const weights = new Float64Array(k);
  const extraWeighted = new Float64Array(k);
  let total = 0;
  let extraSum = 0;
  let extraSquares = 0;
  for (let s = 0; s < order.length; s++) {
    const i = order[s]!;
    const w = counts[i]!;
    if (w === 0) continue;
    const q = patternOf[i]!;
    const e = extra[s]!;
    weights[q]! += w;
    extraWeighted[q]! += w * e;
    total += w;
    extraSum += w * e;
    extraSquares += w * e * e;
  }
  return { total, weights, extraWeighted, extraSum, extraSquares };
}

/** Buffers for foldedCorrelations, k values per column, made once per set of folded rows. */
interface Scratch {
  /** The patterns column by column (column j at j·k). */
  columns: Float64Array;
  centred: Float64Array;
  /** m + 1 columns: the m centred columns times the weight, then the extra column's. */
  weighted: Float64Array;
  /** starts[a]: where columns a..m−1 of `centred` begin. */
  starts: number[][];
  products: Float64Array;
  /** Small whole numbers only: their sums of products are exact (see exactCorrelations); null otherwise. */
  small: SmallIntegers | null;
}

/**
 * The patterns as bytes, for patterns of whole numbers within ±11 (any 0-10, 1-5 or 1-7 scale):
 * each column, and each product of two columns (within ±121), k values each, column after column,
 * padded with zero columns to a multiple of 4.
 */
interface SmallIntegers {
  values: Int8Array;
  products: Int8Array;
  /** Where each column of `values`, and of `products` (in the order (0,0), (0,1) … (m−1,m−1)), begins. */
  valueStarts: number[];
  productStarts: number[];
  sums: Float64Array;
}

/** Whole numbers up to 11 in size, and few enough rows that n·S_ab and S_a·S_b stay below 2^53 (exact). */
const SMALL = 11;
const SMALL_ROWS = 94_000_000;

function smallIntegersOf(folded: FoldedRows): SmallIntegers | null {
  const { k, m, patterns } = folded;
  const n = folded.order.length;
  if (n * SMALL > SMALL_ROWS) return null;
  for (const v of patterns) if (!Number.isInteger(v) || Math.abs(v) > SMALL) return null;
  const padded = (columns: number) => Math.ceil(columns / 4) * 4;
  const pairs = (m * (m + 1)) / 2;
  const values = new Int8Array(padded(m) * k);
  const products = new Int8Array(padded(pairs) * k);
  for (let q = 0; q < k; q++) {
    for (let a = 0, pair = 0; a < m; a++) {
      const x = patterns[q * m + a]!;
      values[a * k + q] = x;
      for (let b = a; b < m; b++) products[pair++ * k + q] = x * patterns[q * m + b]!;
    }
  }
  return {
    values,
    products,
    valueStarts: Array.from({ length: padded(m) }, (_, a) => a * k),
    productStarts: Array.from({ length: padded(pairs) }, (_, i) => i * k),
    sums: new Float64Array(Math.max(padded(m), padded(pairs))),
  };
}

/** out[i] = Σ_t x[t]·y[starts[i] + t] for t < n, four columns of y at a time (starts.length a multiple of 4). */
function byteColumnSums(x: Float64Array, y: Int8Array, starts: readonly number[], n: number, out: Float64Array): void {
  for (let i = 0; i < starts.length; i += 4) {
    const y0 = starts[i]!;
    const y1 = starts[i + 1]!;
    const y2 = starts[i + 2]!;
    const y3 = starts[i + 3]!;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let t = 0; t < n; t++) {
      const v = x[t]!;
      s0 += v * y[y0 + t]!;
      s1 += v * y[y1 + t]!;
      s2 += v * y[y2 + t]!;
      s3 += v * y[y3 + t]!;
    }
    out[i] = s0;
    out[i + 1] = s1;
    out[i + 2] = s2;
    out[i + 3] = s3;
  }
}

/**
 * foldedCorrelations for patterns of small whole numbers, from raw sums that are exact: with
 * integer weights, S_a = Σ w·x_a and S_ab = Σ w·x_a·x_b are whole numbers below 2^53, and so are
 * W·S_ab and S_a·S_b, so the centred cross product W·S_ab − S_a·S_b is exact (a constant column
 * gives exactly 0, as in the two-pass sums, whose result this equals to rounding). No pass to
 * centre the columns, and the patterns are read as bytes. The extra column's cross products are
 * Σ_q x_qa·E_q − S_a·Σe/W (floating: the noise is not whole).
 */
function exactCorrelations(folded: FoldedRows, sums: FoldedResample, at: number, small: SmallIntegers, useKernel: boolean): { base: number[][]; withExtra: number[][] } {
  const { m, k } = folded;
  const { total, weights, extraWeighted } = sums;
  // in the kernel, the weights' sums as 32-bit integers: below 2^31 while total·11² is
  const kernel = useKernel && total * SMALL * SMALL < 2 ** 31 ? kernelOf(folded) : null;
  let out = small.sums;
  if (kernel) out = kernel.integerSums(weights, 0);
  else byteColumnSums(weights, small.values, small.valueStarts, k, out);
  const first = Array.from(out.subarray(0, m));
  if (kernel) out = kernel.floatSums(extraWeighted);
  else byteColumnSums(extraWeighted, small.values, small.valueStarts, k, out);
  const extraFirst = Array.from(out.subarray(0, m));
  if (kernel) out = kernel.integerSums(weights, 1);
  else byteColumnSums(weights, small.products, small.productStarts, k, out);
  return correlationsFromSums(m, at, { total, first, extraFirst, products: out, extraSum: sums.extraSum, extraSquares: sums.extraSquares });
}

/** The whole-number sums of exactCorrelations: S_a, Σ_q x_qa·E_q, S_ab (pairs a ≤ b in order), and the extra column's sum and sum of squares. */
interface CorrelationSums {
  total: number;
  first: ArrayLike<number>;
  extraFirst: ArrayLike<number>;
  products: ArrayLike<number>;
  extraSum: number;
  extraSquares: number;
}

/** exactCorrelations' matrices from its sums: the centred cross products times W, exact; the extra column's floating. */
function correlationsFromSums(m: number, at: number, sums: CorrelationSums): { base: number[][]; withExtra: number[][] } {
  const { total, first, extraFirst, products } = sums;
  const cross = new Float64Array(m * m);
  for (let a = 0, pair = 0; a < m; a++) for (let b = a; b < m; b++) cross[a * m + b] = total * products[pair++]! - first[a]! * first[b]!;
  const extraMean = sums.extraSum / total;
  const extraSquares = sums.extraSquares - total * extraMean * extraMean;
  // a column constant in the resample has no correlation with the extra column either
  return correlationsOf(cross, m, at, (j) =>
    cross[j * m + j] === 0 ? Number.NaN : clampCorrelation((extraFirst[j]! - first[j]! * extraMean) / Math.sqrt((extraSquares * cross[j * m + j]!) / total)),
  );
}

/**
 * foldedCorrelations of the next foldedResample, the same bits: from POISSON_FROM rows, where the
 * kernel can, without the resample's weights ever leaving it (they are k values a resample; only
 * the sums the correlations need come out).
 */
export function foldedResampleCorrelations(folded: FoldedRows, random: Random, at: number, useKernel = true): { base: number[][]; withExtra: number[][] } {
  if (folded.order.length < POISSON_FROM) return foldedCorrelations(folded, foldedResample(folded, random, useKernel), at, useKernel);
  const seeds = poissonSeeds(random);
  const kernel = useKernel && scratchOf(folded).small !== null ? kernelOf(folded) : null;
  const fused = kernel?.poissonCorrelationSums(seeds);
  if (fused && fused.total * SMALL <= SMALL_ROWS) {
    const m = folded.m;
    const padded = Math.ceil(m / 4) * 4;
    const { sums } = fused;
    return correlationsFromSums(m, at, { ...fused, first: sums.subarray(0, m), extraFirst: sums.subarray(padded, padded + m), products: sums.subarray(2 * padded) });
  }
  return foldedCorrelations(folded, poissonResample(folded, seeds, useKernel), at, useKernel);
}

/**
 * The correlation matrix from the upper triangle of centred cross products (cross[a·m + b], a ≤ b,
 * on any common scale), and the same with the extra column inserted at `at`, its correlation with
 * column j given by extraR(j).
 */
function correlationsOf(cross: Float64Array, m: number, at: number, extraR: (j: number) => number): { base: number[][]; withExtra: number[][] } {
  // (plain loops: twice a resample, and Array.from with a function per entry cost more than the sums)
  const base: number[][] = new Array(m);
  for (let a = 0; a < m; a++) base[a] = new Array<number>(m);
  for (let a = 0; a < m; a++) {
    base[a]![a] = 1;
    for (let b = a + 1; b < m; b++) base[a]![b] = base[b]![a] = clampCorrelation(cross[a * m + b]! / Math.sqrt(cross[a * m + a]! * cross[b * m + b]!));
  }
  // the extra column at `at`: indices of base shift by one from there
  const extra = new Array<number>(m);
  for (let j = 0; j < m; j++) extra[j] = extraR(j);
  const withExtra: number[][] = new Array(m + 1);
  for (let a = 0; a <= m; a++) {
    const row = new Array<number>(m + 1);
    for (let b = 0; b <= m; b++) {
      if (a === b) row[b] = 1;
      else if (a === at || b === at) row[b] = extra[a === at ? (b < at ? b : b - 1) : a < at ? a : a - 1]!;
      else row[b] = base[a < at ? a : a - 1]![b < at ? b : b - 1]!;
    }
    withExtra[a] = row;
  }
  return { base, withExtra };
}

const scratches = new WeakMap<FoldedRows, Scratch>();

function scratchOf(folded: FoldedRows): Scratch {
  let work = scratches.get(folded);
  if (work === undefined) {
    const { k, m, patterns } = folded;
    const columns = new Float64Array(k * m);
    for (let q = 0; q < k; q++) for (let j = 0; j < m; j++) columns[j * k + q] = patterns[q * m + j]!;
    const starts = Array.from({ length: m }, (_, a) => Array.from({ length: m - a }, (_, i) => (a + i) * k));
    const small = smallIntegersOf(folded);
    // the two-pass buffers only where the exact sums cannot serve (or, rarely, made by foldedCorrelations)
    const size = small === null ? k : 0;
    work = { small, columns, centred: new Float64Array(size * m), weighted: new Float64Array(size * (m + 1)), starts, products: new Float64Array(m) };
    scratches.set(folded, work);
  }
  return work;
}

/**
 * out[i] = Σ x[xAt + t]·y[starts[i] + t] for t < n, each summed in order of t. Four sums at a time,
 * in four accumulators, so one sum's additions need not wait for another's.
 */
function productSums(x: Float64Array, xAt: number, y: Float64Array, starts: readonly number[], n: number, out: Float64Array): void {
  let i = 0;
  for (; i + 4 <= starts.length; i += 4) {
    const y0 = starts[i]!;
    const y1 = starts[i + 1]!;
    const y2 = starts[i + 2]!;
    const y3 = starts[i + 3]!;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let t = 0; t < n; t++) {
      const v = x[xAt + t]!;
      s0 += v * y[y0 + t]!;
      s1 += v * y[y1 + t]!;
      s2 += v * y[y2 + t]!;
      s3 += v * y[y3 + t]!;
    }
    out[i] = s0;
    out[i + 1] = s1;
    out[i + 2] = s2;
    out[i + 3] = s3;
  }
  for (; i + 2 <= starts.length; i += 2) {
    const y0 = starts[i]!;
    const y1 = starts[i + 1]!;
    let s0 = 0;
    let s1 = 0;
    for (let t = 0; t < n; t++) {
      const v = x[xAt + t]!;
      s0 += v * y[y0 + t]!;
      s1 += v * y[y1 + t]!;
    }
    out[i] = s0;
    out[i + 1] = s1;
  }
  if (i < starts.length) {
    const y0 = starts[i]!;
    let s0 = 0;
    for (let t = 0; t < n; t++) s0 += x[xAt + t]! * y[y0 + t]!;
    out[i] = s0;
  }
}

/** Whether foldedCorrelations sums these rows exactly, as small whole numbers (else in two passes). */
export function sumsExactly(folded: FoldedRows): boolean {
  return scratchOf(folded).small !== null;
}

/**
 * The correlation matrix of folded rows, each pattern counted as often as its rows were drawn
 * (`sums`, from foldedResample or foldedSums), and the same with the extra column given to
 * foldRows (e.g. a random comparison variable) inserted at `at`. The m×m part
 * costs k·m² (k distinct rows), two-pass like weightedCorrelationMatrix, so a constant column has
 * a cross product of exactly 0 and an undefined correlation. The extra column's cross products are
 * summed per distinct row too: Σᵢ wᵢ(eᵢ − ē)(xᵢⱼ − x̄ⱼ) = Σ_q (x_qj − x̄ⱼ)(E_q − W_q·ē), with W_q
 * and E_q the weight and the weighted extra values of pattern q, so k·m, not n·m; its sum of
 * squares is Σ wᵢeᵢ² − W·ē² (one pass: the extra column is random noise, never constant).
 * Small whole numbers are summed by the WebAssembly kernel where there is one (the same bits);
 * `useKernel: false` keeps to TypeScript.
 */
export function foldedCorrelations(folded: FoldedRows, sums: FoldedResample, at: number, useKernel = true): { base: number[][]; withExtra: number[][] } {
  const { m, k } = folded;
  const work = scratchOf(folded);
  // exact while W·S_ab stays below 2^53 (a Poisson resample's total can pass the rows' number)
  if (work.small !== null && sums.total * SMALL <= SMALL_ROWS) return exactCorrelations(folded, sums, at, work.small, useKernel);
  if (work.centred.length < k * m) {
    work.centred = new Float64Array(k * m);
    work.weighted = new Float64Array(k * (m + 1));
  }
  const { total, weights, extraWeighted } = sums;
  // column by column (k values each): the weighted mean, then the values centred, and the same
  // times the weight; the extra column's centred weighted sums go last, as column m of `weighted`.
  // An undrawn pattern (weight 0) adds a zero to every sum, which leaves it as it was: the same
  // bits as sums over the drawn patterns only, without gathering them first.
  const { columns, centred, weighted } = work;
  for (let j = 0; j < m; j++) {
    const base = j * k;
    let sum = 0;
    for (let q = 0; q < k; q++) sum += weights[q]! * columns[base + q]!;
    const mean = sum / total;
    for (let q = 0; q < k; q++) {
      const c = columns[base + q]! - mean;
      centred[base + q] = c;
      weighted[base + q] = weights[q]! * c;
    }
  }
  const extraMean = sums.extraSum / total;
  const extraSquares = sums.extraSquares - total * extraMean * extraMean;
  for (let q = 0; q < k; q++) weighted[m * k + q] = extraWeighted[q]! - weights[q]! * extraMean;
  const cross = new Float64Array(m * m);
  const extraCross = new Float64Array(m);
  const out = work.products;
  for (let a = 0; a < m; a++) {
    const starts = work.starts[a]!;
    productSums(weighted, a * k, centred, starts, k, out);
    for (let i = 0; i < starts.length; i++) cross[a * m + a + i] = out[i]!;
  }
  productSums(weighted, m * k, centred, work.starts[0]!, k, out);
  for (let j = 0; j < m; j++) extraCross[j] = out[j]!;
  return correlationsOf(cross, m, at, (j) => clampCorrelation(extraCross[j]! / Math.sqrt(extraSquares * cross[j * m + j]!)));
}
