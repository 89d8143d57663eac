/**
 * Pearson correlation matrices, complete-case or pairwise. Two-pass (centred) sums, so large
 * means do not cost precision.
 */

/**
 * Correlation matrix of complete columns (all the same length, no missing values).
 * Rows and columns follow the order of `columns`. A constant column gives NaN correlations:
 * callers exclude constant columns first.
 * @example correlationMatrix([[1, 2, 3], [2, 4, 7]])[0][1] // => 0.9933992677987828
 */
export function correlationMatrix(columns: readonly ArrayLike<number>[]): number[][] {
  const k = columns.length;
  const n = columns[0]?.length ?? 0;
  const centred = columns.map((column) => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += column[i]!;
    const mean = sum / n;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = column[i]! - mean;
    return out;
  });
  const norms = centred.map((c) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += c[i]! * c[i]!;
    return Math.sqrt(s);
  });
  const matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let a = 0; a < k; a++) {
    matrix[a]![a] = 1;
    for (let b = a + 1; b < k; b++) {
      let s = 0;
      const x = centred[a]!;
      const y = centred[b]!;
      for (let i = 0; i < n; i++) s += x[i]! * y[i]!;
      const r = s / (norms[a]! * norms[b]!);
      matrix[a]![b] = r;
      matrix[b]![a] = r;
    }
  }
  return matrix;
}

export interface PairwiseCorrelation {
  matrix: number[][];
  /** Complete pairs behind each entry. */
  pairs: number[][];
}

/**
 * Pairwise-complete correlation matrix: each entry uses the rows where both columns have a
 * value (R's cor(use = "pairwise.complete.obs")). The result need not be positive definite.
 */
export function pairwiseCorrelationMatrix(columns: readonly (readonly (number | null)[])[]): PairwiseCorrelation {
  const k = columns.length;
  const n = columns[0]?.length ?? 0;
  const matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const pairs = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let a = 0; a < k; a++) {
    for (let b = a; b < k; b++) {
      const x: number[] = [];
      const y: number[] = [];
      for (let i = 0; i < n; i++) {
        const u = columns[a]![i];
        const v = columns[b]![i];
        if (u !== null && u !== undefined && v !== null && v !== undefined) {
          x.push(u);
          y.push(v);
        }
      }
      const r = a === b ? 1 : correlationMatrix([x, y])[0]![1]!;
      matrix[a]![b] = matrix[b]![a] = r;
      pairs[a]![b] = pairs[b]![a] = x.length;
    }
  }
  return { matrix, pairs };
}
