import { describe, expect, it } from "vitest";
import {
  countedSums,
  quantile,
  quantileInPlace,
  foldedCorrelations,
  foldedResample,
  foldedResampleCorrelations,
  foldedSums,
  foldRows,
  foldColumns,
  withExtra,
  comparisonNoise,
  poissonCounts,
  poissonSeeds,
  POISSON_FROM,
  resampleCounts,
  sumsExactly,
  weightedCorrelationMatrix,
  type FoldedResample,
  type FoldedRows,
} from "../../../src/stats/bootstrap.js";
import { clampCorrelation } from "../../../src/stats/correlation.js";
import { createRandom, randomState, type Random } from "../../../src/stats/random.js";

// ratings 1-5 (summed exactly, as whole numbers) and the same in halves (summed in two passes)
describe.each([
  ["ratings 1-5", 1, true],
  ["ratings 0.5-2.5", 0.5, false],
])("the bootstrap's correlations from folded rows, %s", (_label, unit, exact) => {
  const random = createRandom(11);
  const n = 3000;
  const m = 4;
  // ratings that repeat, and a normal noise column per row
  const rows = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    const f = random.normal();
    for (let j = 0; j < m; j++) rows[i * m + j] = unit * Math.min(5, Math.max(1, Math.round(3 + f + random.normal())));
  }
  const noise = Float64Array.from({ length: n }, () => random.normal());
  it(`is summed ${exact ? "exactly, as whole numbers" : "in two passes"}`, () => {
    expect(sumsExactly(foldRows(rows, m, noise))).toBe(exact);
  });
  const withNoise = (at: number) => {
    const out = new Float64Array(n * (m + 1));
    for (let i = 0; i < n; i++) for (let j = 0, c = 0; j <= m; j++) out[i * (m + 1) + j] = j === at ? noise[i]! : rows[i * m + c++]!;
    return out;
  };

  it("a resample draws as resampleCounts does, over the rows in folded order, and gives the same matrices", () => {
    const folded = foldRows(rows, m, noise);
    const a = createRandom(5);
    const b = createRandom(5);
    const ordered = new Float64Array(n * (m + 1));
    folded.order.forEach((i, s) => {
      for (let j = 0, c = 0; j <= m; j++) ordered[s * (m + 1) + j] = j === 1 ? noise[i]! : rows[i * m + c++]!;
    });
    for (let r = 0; r < 5; r++) {
      const drawn = foldedResample(folded, a);
      // counts[s]: how often place s of the folded order was drawn
      const counts = resampleCounts(n, b);
      expect(drawn.total).toBe(n);
      const weights = new Float64Array(folded.k);
      counts.forEach((c, s) => (weights[folded.patternOf[folded.order[s]!]!]! += c));
      expect(drawn.weights).toEqual(weights);
      const got = foldedCorrelations(folded, drawn, 1);
      const want = weightedCorrelationMatrix(ordered, m + 1, counts);
      for (let x = 0; x <= m; x++) for (let y = 0; y <= m; y++) expect(Math.abs(got.withExtra[x]![y]! - want[x]![y]!)).toBeLessThan(1e-12);
    }
    // both generators are at the same place afterwards
    expect(a.next()).toBe(b.next());
  });
  it("counts a row drawn 256 times or more exactly (the byte counts wrap)", () => {
    // every draw lands on place 0, then on place 1 of the folded order
    const stuck = (value: number): Random => ({ ...createRandom(1), fill: (out: Float64Array) => out.fill(value) });
    const folded = foldRows(rows, m, noise);
    for (const place of [0, 1]) {
      const drawn = foldedResample(folded, stuck((place + 0.5) / n));
      const q = folded.patternOf[folded.order[place]!]!;
      expect(drawn.weights[q]).toBe(n);
      expect(drawn.weights.reduce((x, y) => x + y, 0)).toBe(n);
      expect(drawn.extraSum).toBeCloseTo(n * folded.extra[place]!, 9);
      expect(drawn.extraWeighted[q]).toBeCloseTo(n * folded.extra[place]!, 9);
      expect(drawn.extraSquares).toBeCloseTo(n * folded.extra[place]! ** 2, 9);
    }
    // and the counts start from 0 again
    const again = foldedResample(folded, createRandom(5));
    expect(again.weights.reduce((x, y) => x + y, 0)).toBe(n);
  });
  it("the WebAssembly kernel gives the TypeScript's bits, and leaves the generator where TypeScript would", () => {
    const folded = foldRows(rows, m, noise);
    const a = createRandom(21);
    const b = createRandom(21);
    expect(randomState(a)).toBeDefined();
    for (let r = 0; r < 6; r++) {
      const got = foldedResample(folded, a);
      const want = foldedResample(folded, b, false);
      expectSameBits(got, want);
      // the correlations from the kernel's sums equal TypeScript's, bit for bit
      for (const at of [0, 2, m]) expect(JSON.stringify(foldedCorrelations(folded, got, at))).toBe(JSON.stringify(foldedCorrelations(folded, want, at, false)));
    }
    expect(a.next()).toBe(b.next());
    expect(a.normal()).toBe(b.normal());
  });
  it("the kernel's correlations of weights it did not draw last (an earlier resample's, or TypeScript's) are TypeScript's", () => {
    const folded = foldRows(rows, m, noise);
    const a = createRandom(22);
    const first = foldedResample(folded, a);
    const second = foldedResample(folded, a);
    const ts = foldedResample(folded, createRandom(23), false);
    for (const sums of [first, second, ts, foldedSums(folded, resampleCounts(n, createRandom(24)))]) {
      expect(JSON.stringify(foldedCorrelations(folded, sums, 1))).toBe(JSON.stringify(foldedCorrelations(folded, sums, 1, false)));
    }
  });
  it("the kernel counts a row drawn 256 times or more exactly, as TypeScript does", () => {
    const folded = foldRows(rows, m, noise);
    const a = createRandom(1);
    const b = createRandom(1);
    // xoshiro128** from all-zero words gives 0 for ever: every draw lands on place 0
    randomState(a)!.set([0, 0, 0, 0]);
    randomState(b)!.set([0, 0, 0, 0]);
    const got = foldedResample(folded, a);
    const want = foldedResample(folded, b, false);
    const q = folded.patternOf[folded.order[0]!]!;
    expect(got.weights[q]).toBe(n);
    expect(Array.from(got.weights)).toEqual(Array.from(want.weights));
    expect(Object.is(got.extraSum, want.extraSum)).toBe(true);
    expect(Object.is(got.extraSquares, want.extraSquares)).toBe(true);
    expect(got.extraWeighted[q]).toBeCloseTo(n * folded.extra[0]!, 9);
    // and its counts start from 0 again
    const again = foldedResample(folded, createRandom(5));
    expect(again.weights.reduce((x, y) => x + y, 0)).toBe(n);
    expect(Array.from(again.weights)).toEqual(Array.from(foldedResample(folded, createRandom(5), false).weights));
  });
  it("a copy of a generator has no state to hand to the kernel (it keeps to TypeScript)", () => {
    expect(randomState({ ...createRandom(1) })).toBeUndefined();
  });
  it("keeps the rows pattern by pattern, each pattern's rows in their order, with the extra column", () => {
    const folded = foldRows(rows, m, noise);
    expect([...folded.order].sort((x, y) => x - y)).toEqual(Array.from({ length: n }, (_, i) => i));
    for (let q = 0; q < folded.k; q++) {
      for (let s = folded.starts[q]!; s < folded.starts[q + 1]!; s++) {
        expect(folded.patternOf[folded.order[s]!]).toBe(q);
        if (s > folded.starts[q]!) expect(folded.order[s]!).toBeGreaterThan(folded.order[s - 1]!);
        expect(folded.extra[s]).toBe(noise[folded.order[s]!]);
      }
    }
    expect(folded.starts[folded.k]).toBe(n);
  });

  it("folds columns (some rows of them) as foldRows folds those rows copied out: the same patterns, order and extra column", () => {
    const columns = Array.from({ length: m }, (_, j) => Float64Array.from({ length: n }, (_, i) => rows[i * m + j]!));
    expect(foldColumns(columns, null, noise)).toEqual(foldRows(rows, m, noise));
    const some = Int32Array.from({ length: Math.floor(n / 3) }, (_, r) => 3 * r + 1);
    const picked = new Float64Array(some.length * m);
    some.forEach((i, r) => picked.set(rows.subarray(i * m, (i + 1) * m), r * m));
    const pickedNoise = Float64Array.from(some, (i) => noise[i]!);
    const byColumns = foldColumns(columns, some);
    expect(byColumns).toEqual(foldRows(picked, m));
    expect(withExtra(byColumns, pickedNoise)).toEqual(foldRows(picked, m, pickedNoise));
  });
  it("folds rows of whole numbers 0-255 (packed into two keys) as foldRows does, −0 kept as the first row has it; and any other value on the general path", () => {
    const random2 = createRandom(8);
    for (const width of [1, 4, 5, 8]) {
      for (const odd of [null, 256, Number.NaN, 2.5, -1]) {
        const count = 3000;
        const columns = Array.from({ length: width }, () => Float64Array.from({ length: count }, () => random2.integer(0, 3) * (width === 8 ? 85 : 1)));
        // a −0 in a row whose 0 twin comes later (and one after it)
        columns[0]![5] = -0;
        columns[0]![count - 1] = -0;
        if (odd !== null) columns[width - 1]![77] = odd;
        const rowsCopied = new Float64Array(count * width);
        for (let i = 0; i < count; i++) for (let j = 0; j < width; j++) rowsCopied[i * width + j] = columns[j]![i]!;
        const some = Int32Array.from({ length: 1000 }, (_, r) => (7 * r) % count);
        const picked = new Float64Array(some.length * width);
        some.forEach((i, r) => picked.set(rowsCopied.subarray(i * width, (i + 1) * width), r * width));
        const same = (a: FoldedRows, b: FoldedRows) => {
          expect(a.k).toBe(b.k);
          expect([...a.patternOf]).toEqual([...b.patternOf]);
          expect([...a.order]).toEqual([...b.order]);
          expect([...a.starts]).toEqual([...b.starts]);
          // Object.is: −0 where the general fold has −0
          a.patterns.forEach((v, x) => expect(Object.is(v, b.patterns[x]), `${width} ${odd} pattern value ${x}`).toBe(true));
        };
        same(foldColumns(columns, null), foldRows(rowsCopied, width));
        same(foldColumns(columns, some), foldRows(picked, width));
      }
    }
  });
  it("folds the repeated rows: far fewer patterns, each row's pattern its values", () => {
    const folded = foldRows(rows, m);
    expect(folded.k).toBeLessThan(n / 4);
    for (let i = 0; i < n; i += 97) for (let j = 0; j < m; j++) expect(folded.patterns[folded.patternOf[i]! * m + j]).toBe(rows[i * m + j]);
  });
  it("equal the row-by-row two-pass correlations of every resample, with the extra column anywhere", () => {
    const folded = foldRows(rows, m, noise);
    for (let b = 0; b < 5; b++) {
      const counts = resampleCounts(n, random);
      for (const at of [0, 2, m]) {
        const got = foldedCorrelations(folded, foldedSums(folded, counts), at);
        const want = weightedCorrelationMatrix(withNoise(at), m + 1, counts);
        const wantBase = weightedCorrelationMatrix(rows, m, counts);
        for (let a = 0; a <= m; a++) for (let c = 0; c <= m; c++) expect(Math.abs(got.withExtra[a]![c]! - want[a]![c]!)).toBeLessThan(1e-12);
        for (let a = 0; a < m; a++) for (let c = 0; c < m; c++) expect(Math.abs(got.base[a]![c]! - wantBase[a]![c]!)).toBeLessThan(1e-12);
      }
    }
  });
  if (!exact) it("equal, bit for bit, the two-pass sums over all patterns in order (the column-by-column loops change no operation)", () => {
    const folded = foldRows(rows, m, noise);
    const draws = createRandom(21);
    for (let b = 0; b < 20; b++) {
      const drawn = foldedResample(folded, draws);
      for (const at of [0, 3, m]) {
        const got = foldedCorrelations(folded, drawn, at);
        const want = plainFolded(folded, drawn, at);
        for (let x = 0; x <= m; x++) for (let y = 0; y <= m; y++) expect(Object.is(got.withExtra[x]![y]!, want[x]![y]!)).toBe(true);
      }
    }
  });
  it("a column constant in the resample has no correlation (NaN), as row by row", () => {
    const constant = new Float64Array(n * m).map((_, i) => (i % m === 1 ? 4 * unit : rows[i]!));
    const folded = foldRows(constant, m, noise);
    const got = foldedCorrelations(folded, foldedSums(folded, resampleCounts(n, random)), m);
    expect(got.base[0]![1]).toBeNaN();
    expect(got.withExtra[m]![1]).toBeNaN();
  });
});

/** Two resamples' sums, bit for bit. */
function expectSameBits(got: FoldedResample, want: FoldedResample): void {
  expect(Array.from(got.weights)).toEqual(Array.from(want.weights));
  got.extraWeighted.forEach((v, q) => expect(Object.is(v, want.extraWeighted[q])).toBe(true));
  expect(Object.is(got.extraSum, want.extraSum)).toBe(true);
  expect(Object.is(got.extraSquares, want.extraSquares)).toBe(true);
}

/** The folded correlations as first written: one loop over all patterns, skipping the undrawn, the cross products summed in place. */
function plainFolded(folded: FoldedRows, sums: FoldedResample, at: number): number[][] {
  const { m, k, patterns } = folded;
  const { total, weights, extraWeighted } = sums;
  const means = new Float64Array(m);
  for (let q = 0; q < k; q++) {
    const w = weights[q]!;
    if (w === 0) continue;
    for (let j = 0; j < m; j++) means[j]! += w * patterns[q * m + j]!;
  }
  for (let j = 0; j < m; j++) means[j]! /= total;
  const extraMean = sums.extraSum / total;
  const extraSquares = sums.extraSquares - total * extraMean * extraMean;
  const cross = new Float64Array(m * m);
  const centred = new Float64Array(m);
  const extraCross = new Float64Array(m);
  for (let q = 0; q < k; q++) {
    const w = weights[q]!;
    if (w === 0) continue;
    for (let j = 0; j < m; j++) centred[j] = patterns[q * m + j]! - means[j]!;
    for (let a = 0; a < m; a++) {
      const wa = w * centred[a]!;
      for (let b = a; b < m; b++) cross[a * m + b]! += wa * centred[b]!;
    }
    const e = extraWeighted[q]! - w * extraMean;
    for (let j = 0; j < m; j++) extraCross[j]! += e * centred[j]!;
  }
  const r = (a: number, b: number) => clampCorrelation(cross[a * m + b]! / Math.sqrt(cross[a * m + a]! * cross[b * m + b]!));
  return Array.from({ length: m + 1 }, (_, a) =>
    Array.from({ length: m + 1 }, (_, b) => {
      if (a === b) return 1;
      const ia = a < at ? a : a - 1;
      const ib = b < at ? b : b - 1;
      if (a === at || b === at) {
        const j = a === at ? ib : ia;
        return clampCorrelation(extraCross[j]! / Math.sqrt(extraSquares * cross[j * m + j]!));
      }
      return ia < ib ? r(ia, ib) : r(ib, ia);
    }),
  );
}

describe("the kernel's whole-number sums, in 16 bits and past them", () => {
  // the kernel sums eight patterns at a time in 16-bit weights while every weight fits, and in
  // 32-bit lanes when one does not, and the float sums eight columns side by side: all must give
  // TypeScript's bits
  const rowsOf = (n: number, m: number, seed: number) => {
    const random = createRandom(seed);
    const rows = new Float64Array(n * m);
    for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) rows[i * m + j] = 1 + Math.floor(random.next() * 5);
    return { rows, noise: Float64Array.from({ length: n }, () => random.normal()) };
  };
  it.each([
    ["a few patterns (fewer than eight)", 40, 1],
    ["patterns past a multiple of eight", 5000, 3],
    ["nine columns (the float sums take eight at a time)", 3000, 9],
    ["9,000 rows, one pattern drawn 9,000 times (past 16 bits)", 9000, 3],
    ["40,000 rows (a Poisson resample), one pattern of 36,000 (past 16 bits)", 40_000, 3],
  ])("%s", (label, n, m) => {
    const { rows, noise } = rowsOf(n, m, n);
    // the Poisson resample's weight of a pattern is about its rows: most rows alike; and the ±1
    // comparison variable, whose sums the kernel keeps to itself (foldedResampleCorrelations)
    if (label.startsWith("40,000")) rows.fill(2, 0, 36_000 * m);
    const folded = foldRows(rows, m, label.startsWith("40,000") ? comparisonNoise(n, createRandom(8)) : noise);
    expect(sumsExactly(folded)).toBe(true);
    const a = createRandom(3);
    const b = createRandom(3);
    const c = createRandom(4);
    const d = createRandom(4);
    if (label.startsWith("9,000")) {
      // xoshiro128** from all-zero words gives 0 for ever: every draw lands on place 0
      randomState(a)!.set([0, 0, 0, 0]);
      randomState(b)!.set([0, 0, 0, 0]);
    }
    for (let r = 0; r < 3; r++) {
      const got = foldedResample(folded, a);
      const want = foldedResample(folded, b, false);
      if (label.startsWith("9,000")) expect(Math.max(...got.weights)).toBe(n);
      if (label.startsWith("40,000")) expect(Math.max(...got.weights)).toBeGreaterThan(32767);
      expect(JSON.stringify(foldedCorrelations(folded, got, 1))).toBe(JSON.stringify(foldedCorrelations(folded, want, 1, false)));
      // and the kernel's fused sums (the weights narrowed once, or past 16 bits summed wide)
      expect(JSON.stringify(foldedResampleCorrelations(folded, c, 1))).toBe(JSON.stringify(foldedCorrelations(folded, foldedResample(folded, d, false), 1, false)));
    }
  });
});

describe("countedSums", () => {
  const n = 2000;
  const source = createRandom(8);
  const columns = [Float64Array.from({ length: n }, () => source.normal() * 100), Float64Array.from({ length: n }, () => (source.next() < 0.3 ? 1 : 0))];
  const plain = (counts: Int32Array) =>
    columns.map((column) => {
      let sum = 0;
      for (let i = 0; i < n; i++) if (counts[i] !== 0) sum += counts[i]! * column[i]!;
      return sum;
    });
  it("gives, bit for bit, the sums over resampleCounts' counts (the same draws), skipping the rows not drawn", () => {
    const a = createRandom(4);
    const b = createRandom(4);
    const counts = new Uint8Array(n);
    for (let r = 0; r < 10; r++) {
      const got = countedSums(a, columns, counts);
      const want = plain(resampleCounts(n, b));
      got.forEach((value, j) => expect(Object.is(value, want[j])).toBe(true));
    }
    expect(a.next()).toBe(b.next());
  });
  it("the WebAssembly kernel gives the TypeScript's bits, and leaves the generator where TypeScript would", () => {
    const a = createRandom(31);
    const b = createRandom(31);
    const counts = new Uint8Array(n);
    for (let r = 0; r < 10; r++) {
      const got = countedSums(a, columns, counts);
      const want = countedSums(b, columns, counts, false);
      expect(got.length).toBe(2);
      got.forEach((value, j) => expect(Object.is(value, want[j])).toBe(true));
    }
    expect(a.next()).toBe(b.next());
    expect(a.normal()).toBe(b.normal());
  });
  it.each([1, 3, 4, 7, 8])("the kernel sums %i columns, four or three at a time, to TypeScript's bits", (count) => {
    const many = Array.from({ length: count }, (_, c) => Float64Array.from({ length: n }, () => (c % 2 === 0 ? source.normal() * 100 : source.next() < 0.3 ? 1 : 0)));
    const a = createRandom(40 + count);
    const b = createRandom(40 + count);
    const counts = new Uint8Array(n);
    for (let r = 0; r < 4; r++) {
      const got = countedSums(a, many, counts);
      const want = countedSums(b, many, counts, false);
      expect(got.length).toBe(count);
      got.forEach((value, j) => expect(Object.is(value, want[j])).toBe(true));
    }
  });
  it("the kernel counts a row drawn 256 times or more exactly, as TypeScript does, and starts from 0 again", () => {
    const a = createRandom(1);
    const b = createRandom(1);
    // xoshiro128** from all-zero words gives 0 for ever: every draw lands on row 0
    randomState(a)!.set([0, 0, 0, 0]);
    randomState(b)!.set([0, 0, 0, 0]);
    const got = countedSums(a, columns, new Uint8Array(n));
    const want = countedSums(b, columns, new Uint8Array(n), false);
    expect(got[0]).toBe(n * columns[0]![0]!);
    expect(got[1]).toBe(n * columns[1]![0]!);
    got.forEach((value, j) => expect(Object.is(value, want[j])).toBe(true));
    const again = countedSums(createRandom(6), columns, new Uint8Array(n));
    expect(again).toEqual(plain(resampleCounts(n, createRandom(6))));
  });
  it("counts a row drawn 256 times or more exactly", () => {
    const stuck: Random = { ...createRandom(1), fill: (out: Float64Array) => out.fill(7.5 / n) };
    const got = countedSums(stuck, columns, new Uint8Array(n));
    expect(got[0]).toBeCloseTo(n * columns[0]![7]!, 6);
    expect(got[1]).toBe(n * columns[1]![7]!);
  });
});

describe("the Poisson bootstrap (from POISSON_FROM rows)", () => {
  // thresholds and streams written out here again, from the definitions: ⌈2^32·P(X ≤ j)⌉, X ~ Poisson(1)
  const thresholds: number[] = [];
  for (let j = 0, p = Math.exp(-1), cdf = 0; j < 11; j++, p /= j) thresholds.push(Math.ceil((cdf += p) * 2 ** 32));
  const xoshiro = (words: number[]) => {
    let [a, b, c, d] = words as [number, number, number, number];
    return () => {
      const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;
      const result = Math.imul(rotl(Math.imul(b, 5) >>> 0, 7), 9) >>> 0;
      const t = (b << 9) >>> 0;
      c = (c ^ a) >>> 0;
      d = (d ^ b) >>> 0;
      b = (b ^ c) >>> 0;
      a = (a ^ d) >>> 0;
      c = (c ^ t) >>> 0;
      d = rotl(d, 11);
      return result;
    };
  };
  it("counts row i with the next value of stream i mod 16, by the thresholds it reaches", () => {
    const seeds = poissonSeeds(createRandom(3));
    const n = 16 * 40 + 5;
    const counts = poissonCounts(n, seeds);
    const streams = Array.from({ length: 16 }, (_, j) => xoshiro(Array.from(seeds.subarray(4 * j, 4 * j + 4))));
    for (let i = 0; i < n; i++) {
      const value = streams[i % 16]!();
      expect(counts[i]).toBe(thresholds.filter((t) => value >= t).length);
    }
  });
  it("takes its 64 seed words from the generator, and starts a stream of zero words from 1", () => {
    const a = createRandom(9);
    const b = createRandom(9);
    const seeds = poissonSeeds(a);
    for (let j = 0; j < 64; j++) expect(seeds[j]).toBe(b.next() * 2 ** 32);
    expect(a.next()).toBe(b.next());
    const zero: Random = { ...createRandom(1), fill: (out: Float64Array) => out.fill(0) };
    const stuck = poissonSeeds(zero);
    for (let j = 0; j < 64; j++) expect(stuck[j]).toBe(j % 4 === 0 ? 1 : 0);
  });
  it("counts are Poisson(1): their frequencies, mean and variance", () => {
    const n = 1_000_000;
    const counts = poissonCounts(n, poissonSeeds(createRandom(17)));
    const frequency = new Array<number>(13).fill(0);
    let sum = 0;
    let squares = 0;
    for (const c of counts) (frequency[c]! += 1), (sum += c), (squares += c * c);
    for (let j = 0, p = Math.exp(-1); j < 6; j++, p /= j) {
      const se = Math.sqrt((n * p * (1 - p)) || 1);
      expect(Math.abs(frequency[j]! - n * p), `count ${j}`).toBeLessThan(5 * se);
    }
    expect(Math.abs(sum / n - 1)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(squares / n - (sum / n) ** 2 - 1)).toBeLessThan(5 * Math.sqrt(2 / n) * 1.5);
  });
  it("resampleCounts draws n rows below POISSON_FROM, and Poisson counts from it (their total varies)", () => {
    const random = createRandom(4);
    const total = (counts: Int32Array) => counts.reduce((x, y) => x + y, 0);
    expect(total(resampleCounts(POISSON_FROM - 1, random))).toBe(POISSON_FROM - 1);
    const totals = Array.from({ length: 5 }, () => total(resampleCounts(POISSON_FROM, random)));
    expect(new Set(totals).size).toBeGreaterThan(1);
    for (const t of totals) expect(Math.abs(t - POISSON_FROM)).toBeLessThan(6 * Math.sqrt(POISSON_FROM));
    // the counts of poissonCounts from the generator's next 64 words
    const a = createRandom(6);
    const b = createRandom(6);
    expect(Array.from(resampleCounts(POISSON_FROM, a))).toEqual(Array.from(poissonCounts(POISSON_FROM, poissonSeeds(b))));
    expect(a.next()).toBe(b.next());
  });

  const n = POISSON_FROM + 2345;
  const source = createRandom(12);
  const rows = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) {
    const f = source.normal();
    for (let j = 0; j < 3; j++) rows[i * 3 + j] = Math.min(5, Math.max(1, Math.round(3 + f + source.normal())));
  }
  const noise = comparisonNoise(n, source);
  it("the comparison variable is ±1 from POISSON_FROM rows (half each), standard normal below", () => {
    expect(noise.every((v) => v === 1 || v === -1)).toBe(true);
    const plus = noise.filter((v) => v === 1).length;
    expect(Math.abs(plus - n / 2)).toBeLessThan(4 * Math.sqrt(n / 4));
    // (bytes from POISSON_FROM rows: a million rows' noise in 1 MB)
    expect(noise).toBeInstanceOf(Int8Array);
    const normal = Float64Array.from(comparisonNoise(POISSON_FROM - 1, createRandom(2)));
    expect(normal.filter((v) => !Number.isInteger(v)).length).toBe(POISSON_FROM - 1);
    const mean = normal.reduce((x, y) => x + y, 0) / normal.length;
    const variance = normal.reduce((x, y) => x + (y - mean) ** 2, 0) / (normal.length - 1);
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });
  it.each([
    ["whole ratings (summed exactly), noise ±1", 1, "sign"],
    ["ratings in halves (summed in two passes), noise ±1", 0.5, "sign"],
    ["whole ratings, an extra column of whole numbers within ±11", 1, "small"],
    ["whole ratings, a normal extra column (no kernel: TypeScript's sums)", 1, "normal"],
  ])("a folded resample, %s: the counts of poissonCounts over the folded order, the kernel's bits TypeScript's", (_label, unit, kind) => {
    const scaled = rows.map((v) => v * unit);
    const extra = kind === "sign" ? noise : kind === "small" ? noise.map((_, i) => (i % 23) - 11) : noise.map(() => source.normal());
    const folded = foldRows(scaled, 3, extra);
    expect(sumsExactly(folded)).toBe(unit === 1);
    const a = createRandom(21);
    const b = createRandom(21);
    const c = createRandom(21);
    for (let r = 0; r < 4; r++) {
      const got = foldedResample(folded, a);
      const want = foldedResample(folded, b, false);
      expectSameBits(got, want);
      expect(got.total).toBe(want.total);
      for (const at of [0, 3]) expect(JSON.stringify(foldedCorrelations(folded, got, at))).toBe(JSON.stringify(foldedCorrelations(folded, want, at, false)));
      // the same counts, row by row: the same weights, and the extra sums to rounding
      const places = poissonCounts(n, poissonSeeds(c));
      const byRow = new Int32Array(n);
      folded.order.forEach((row, s) => (byRow[row] = places[s]!));
      const plain = foldedSums(folded, byRow);
      expect(got.total).toBe(plain.total);
      expect(Array.from(got.weights)).toEqual(Array.from(plain.weights));
      // whole numbers are summed exactly, in any order
      const tolerance = kind === "normal" ? 1e-9 : 0;
      expect(Math.abs(got.extraSum - plain.extraSum)).toBeLessThanOrEqual(tolerance);
      expect(Math.abs(got.extraSquares - plain.extraSquares)).toBeLessThanOrEqual(tolerance * plain.extraSquares);
      got.extraWeighted.forEach((v, q) => expect(Math.abs(v - plain.extraWeighted[q]!)).toBeLessThanOrEqual(tolerance));
      // and the correlations of the row-by-row two-pass sums
      const withNoise = new Float64Array(n * 4);
      for (let i = 0; i < n; i++) for (let j = 0; j < 4; j++) withNoise[i * 4 + j] = j === 3 ? extra[i]! : scaled[i * 3 + j]!;
      const want2 = weightedCorrelationMatrix(withNoise, 4, byRow);
      const mine = foldedCorrelations(folded, got, 3).withExtra;
      for (let x = 0; x < 4; x++) for (let y = 0; y < 4; y++) expect(Math.abs(mine[x]![y]! - want2[x]![y]!)).toBeLessThan(1e-12);
    }
    expect(a.next()).toBe(b.next());
  });
  it.each([
    ["ratings with noise ±1 (the kernel's sums, never leaving it)", 1, "sign"],
    ["ratings in halves (two passes)", 0.5, "sign"],
    ["a normal extra column (TypeScript's sums)", 1, "normal"],
    ["fewer than POISSON_FROM rows (n draws)", 1, "few"],
  ])("foldedResampleCorrelations: foldedCorrelations of the next foldedResample, bit for bit, %s", (_label, unit, kind) => {
    const count = kind === "few" ? POISSON_FROM - 1 : n;
    const scaled = rows.subarray(0, 3 * count).map((v) => v * unit);
    const extra = kind === "normal" ? noise.map(() => source.normal()) : kind === "few" ? noise.subarray(0, count).map(() => source.normal()) : noise;
    const folded = foldRows(scaled, 3, extra);
    for (const useKernel of [true, false]) {
      const a = createRandom(31);
      const b = createRandom(31);
      for (let r = 0; r < 3; r++) {
        for (const at of [0, 3]) {
          const got = foldedResampleCorrelations(folded, a, at, useKernel);
          const want = foldedCorrelations(folded, foldedResample(folded, b, useKernel), at, useKernel);
          expect(JSON.stringify(got)).toBe(JSON.stringify(want));
        }
      }
      expect(a.next()).toBe(b.next());
    }
  });
  it("an earlier resample's correlations stay right after the kernel's fused sums used its memory", () => {
    const folded = foldRows(rows, 3, noise);
    const a = createRandom(41);
    const earlier = foldedResample(folded, a);
    const want = JSON.stringify(foldedCorrelations(folded, earlier, 1, false));
    foldedResampleCorrelations(folded, a, 1);
    expect(JSON.stringify(foldedCorrelations(folded, earlier, 1))).toBe(want);
  });
  // the kernel sums whole numbers 0-255 as bytes, others (money, whole numbers past 255) as doubles
  it.each([1, 3, 4])("countedSums of %i columns: the kernel's bits TypeScript's, the sums over poissonCounts' counts", (count) => {
    const kinds = [() => source.normal() * 100, () => (source.next() < 0.3 ? 1 : 0), () => Math.floor(source.next() * 400), () => Math.floor(source.next() * 25)];
    const columns = Array.from({ length: count }, (_, j) => Float64Array.from({ length: n }, kinds[j]!));
    const a = createRandom(50);
    const b = createRandom(50);
    const c = createRandom(50);
    const counts = new Uint8Array(n);
    for (let r = 0; r < 3; r++) {
      const got = countedSums(a, columns, counts);
      const want = countedSums(b, columns, counts, false);
      got.forEach((value, j) => expect(Object.is(value, want[j])).toBe(true));
      expect(counts.every((x) => x === 0)).toBe(true);
      const drawn = poissonCounts(n, poissonSeeds(c));
      columns.forEach((column, j) => {
        let sum = 0;
        for (let i = 0; i < n; i++) sum += drawn[i]! * column[i]!;
        expect(Math.abs(got[j]! - sum)).toBeLessThan(1e-9 * Math.max(1, Math.abs(sum)));
      });
    }
    expect(a.next()).toBe(b.next());
  });
  it("the spread of a resampled mean is σ/√n, as the multinomial bootstrap's is", () => {
    const values = Float64Array.from({ length: 20_000 }, () => 10 + 3 * source.normal());
    const ones = new Float64Array(values.length).fill(1);
    const columns = [values, ones];
    const counts = new Uint8Array(values.length);
    const random = createRandom(77);
    const means = Array.from({ length: 400 }, () => {
      const [sum, total] = countedSums(random, columns, counts);
      return sum! / total!;
    });
    const mean = means.reduce((x, y) => x + y, 0) / means.length;
    const sd = Math.sqrt(means.reduce((x, y) => x + (y - mean) ** 2, 0) / (means.length - 1));
    let m = 0;
    for (const v of values) m += v;
    m /= values.length;
    let ss = 0;
    for (const v of values) ss += (v - m) ** 2;
    const se = Math.sqrt(ss / values.length) / Math.sqrt(values.length);
    // 400 replicates: the sd is within about 3.5% of its value (one standard error); allow 4
    expect(Math.abs(sd / se - 1)).toBeLessThan(0.14);
    expect(Math.abs(mean - m)).toBeLessThan(4 * se / Math.sqrt(400) * 3);
  });
  it("past the exact sums' limit (a total of 8.5 million) the correlations are summed in two passes", () => {
    // ratings of 9 to 11, whose exact sums, weighted by millions, would pass 2^53
    const values = new Float64Array(300).map(() => 9 + Math.floor(3 * source.next()));
    const small = foldRows(values, 3, noise.subarray(0, 100));
    expect(sumsExactly(small)).toBe(true);
    // a resample's weights, scaled so their total passes the limit: on each pattern's first row
    const byRow = new Int32Array(100);
    for (let q = 0; q < small.k; q++) byRow[small.order[small.starts[q]!]!] = 1_000_000 * (1 + (q % 3));
    const sums = foldedSums(small, byRow);
    expect(sums.total).toBeGreaterThan(15_000_000);
    const got = foldedCorrelations(small, sums, 3);
    const withNoise = new Float64Array(100 * 4);
    for (let i = 0; i < 100; i++) for (let j = 0; j < 4; j++) withNoise[i * 4 + j] = j === 3 ? noise[i]! : values[i * 3 + j]!;
    const want = weightedCorrelationMatrix(withNoise, 4, byRow);
    for (let x = 0; x < 4; x++) for (let y = 0; y < 4; y++) expect(Math.abs(got.withExtra[x]![y]! - want[x]![y]!)).toBeLessThan(1e-9);
    // the two-pass sums' bits, not the whole-number sums' (no longer exact there)
    const twoPass = plainFolded(small, sums, 3);
    for (let x = 0; x < 4; x++) for (let y = 0; y < 4; y++) expect(Object.is(got.withExtra[x]![y]!, twoPass[x]![y]!)).toBe(true);
  });
});

describe("Random.fill", () => {
  it("gives the values next() gives, in order, and leaves the generator where next() would", () => {
    const a = createRandom(99);
    const b = createRandom(99);
    const block = new Float64Array(1000);
    a.fill(block);
    for (let i = 0; i < 1000; i++) expect(block[i]).toBe(b.next());
    expect(a.next()).toBe(b.next());
    expect(a.normal()).toBe(b.normal());
  });
});

describe("quantile", () => {
  /** R's quantile(type = 7) from a sorted copy: the definition. */
  const sorted = (values: ArrayLike<number>, q: number) => {
    const s = Float64Array.from(values).sort();
    const h = (s.length - 1) * q;
    const low = Math.floor(h);
    const high = Math.min(low + 1, s.length - 1);
    return s[low]! + (h - low) * (s[high]! - s[low]!);
  };

  it("gives the sorted copy's order statistics to the bit, by selection for large arrays, with ties, and leaves the values as they were", () => {
    const random = createRandom(5);
    for (const n of [1, 2, 3, 2047, 2048, 2049, 5000, 100_003]) {
      for (const ties of [false, true]) {
        const values = Array.from({ length: n }, () => (ties ? random.integer(-20, 20) || 21 : (random.next() - 0.3) * 1e6));
        const before = [...values];
        for (const q of [0, 0.025, 0.25, 0.5, 0.975, 1, random.next()]) expect(Object.is(quantile(values, q), sorted(values, q)), `n ${n} q ${q}`).toBe(true);
        expect(values).toEqual(before);
      }
    }
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
  });

  it("in place gives the same bits as on a copy, by selection and by sorting (with a NaN and -0)", () => {
    const random = createRandom(7);
    for (const n of [1, 3, 2048, 50_001]) {
      for (const special of [false, true]) {
        const values = Array.from({ length: n }, () => (random.next() - 0.5) * 1e5);
        if (special && n > 2) {
          values[1] = -0;
          values[n - 1] = Number.NaN;
        }
        for (const q of [0, 0.5, 0.975, random.next()]) expect(Object.is(quantileInPlace(Float64Array.from(values), q), quantile(values, q)), `n ${n} q ${q}`).toBe(true);
      }
    }
  });

  it("orders NaN last and -0 before 0 as the sort does", () => {
    const random = createRandom(6);
    const values = Array.from({ length: 5000 }, () => random.integer(-3, 3));
    values[17] = -0;
    values[4000] = Number.NaN;
    for (const q of [0, 0.4, 0.5, 0.9999, 1]) expect(Object.is(quantile(values, q), sorted(values, q)), `q ${q}`).toBe(true);
  });
});

describe("foldRows", () => {
  // the definition: a row's pattern is the first row with the same values, numbered in order of
  // first appearance, keyed here by the values' text (-0 prints as 0, NaN as NaN)
  const reference = (rows: Float64Array, m: number) => {
    const index = new Map<string, number>();
    const patternOf: number[] = [];
    for (let i = 0; i < rows.length / m; i++) {
      const key = Array.from(rows.subarray(i * m, (i + 1) * m), String).join(",");
      if (!index.has(key)) index.set(key, index.size);
      patternOf.push(index.get(key)!);
    }
    return { k: index.size, patternOf };
  };

  it.each([
    ["few patterns", 3, 4],
    ["thousands of patterns (the table grows)", 9, 4],
    ["signed zeros, NaN and halves", 0, 3],
  ])("numbers the distinct rows in order of first appearance: %s", (_label, levels, m) => {
    const random = createRandom(levels + 1);
    const n = 20_000;
    const odd = [0, -0, NaN, 0.5, -2.5, 1e300];
    const rows = new Float64Array(n * m);
    for (let i = 0; i < rows.length; i++) rows[i] = levels > 0 ? random.integer(0, levels) : odd[random.integer(0, odd.length - 1)]!;
    const extra = Float64Array.from({ length: n }, () => random.normal());
    const folded = foldRows(rows, m, extra);
    const want = reference(rows, m);
    expect(folded.k).toBe(want.k);
    expect(Array.from(folded.patternOf)).toEqual(want.patternOf);
    // each pattern's values are its first row's, and the folded order lists each pattern's rows in row order
    const rowsOf: number[][] = Array.from({ length: want.k }, () => []);
    want.patternOf.forEach((q, i) => rowsOf[q]!.push(i));
    for (let q = 0; q < folded.k; q++) {
      const first = rowsOf[q]![0]!;
      for (let j = 0; j < m; j++) expect(Object.is(folded.patterns[q * m + j], rows[first * m + j])).toBe(true);
      expect(Array.from(folded.order.subarray(folded.starts[q]!, folded.starts[q + 1]!))).toEqual(rowsOf[q]);
    }
    folded.order.forEach((i, s) => expect(folded.extra[s]).toBe(extra[i]));
  });
});
