/**
 * Householder QR of a tall n×k matrix held in one column-major Float64Array, in place: the
 * algorithm of ml-matrix's QrDecomposition (JAMA's), operation for operation, so the same
 * numbers to the last bit, without its copies of an n×k matrix as n row arrays (for 200,000
 * survey answers, ml-matrix held four such copies: design, its clone, y and y's clone).
 */

/** √(a² + b²) without overflow, as ml-matrix computes it. */
function hypotenuse(a: number, b: number): number {
  if (Math.abs(a) > Math.abs(b)) {
    const r = b / a;
    return Math.abs(a) * Math.sqrt(1 + r * r);
  }
  if (b !== 0) {
    const r = a / b;
    return Math.abs(b) * Math.sqrt(1 + r * r);
  }
  return 0;
}

export interface Qr {
  n: number;
  k: number;
  /** The Householder vectors below and on the diagonal, R above it; column-major. */
  qr: Float64Array;
  /** R's diagonal. */
  rdiag: Float64Array;
}

/** Factorises `a` (n×k, column-major; overwritten). */
export function householderQr(a: Float64Array, n: number, k: number): Qr {
  const rdiag = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    const col = c * n;
    let nrm = 0;
    for (let i = c; i < n; i++) nrm = hypotenuse(nrm, a[col + i]!);
    if (nrm !== 0) {
      if (a[col + c]! < 0) nrm = -nrm;
      for (let i = c; i < n; i++) a[col + i] = a[col + i]! / nrm;
      a[col + c] = a[col + c]! + 1;
      for (let j = c + 1; j < k; j++) {
        const other = j * n;
        let s = 0;
        for (let i = c; i < n; i++) s += a[col + i]! * a[other + i]!;
        s = -s / a[col + c]!;
        for (let i = c; i < n; i++) a[other + i] = a[other + i]! + s * a[col + i]!;
      }
    }
    rdiag[c] = -nrm;
  }
  return { n, k, qr: a, rdiag };
}

/** Whether R has no zero on its diagonal. */
export function isFullRank(qr: Qr): boolean {
  return qr.rdiag.every((d) => d !== 0);
}

/**
 * The least-squares solution of A x = y from the factorisation.
 * @throws {Error} when A is rank deficient (as ml-matrix)
 */
export function qrSolve(qr: Qr, y: ArrayLike<number>): number[] {
  const { n, k, qr: a, rdiag } = qr;
  if (!isFullRank(qr)) throw new Error("Matrix is rank deficient");
  const x = Float64Array.from(y);
  for (let c = 0; c < k; c++) {
    const col = c * n;
    let s = 0;
    for (let i = c; i < n; i++) s += a[col + i]! * x[i]!;
    s = -s / a[col + c]!;
    for (let i = c; i < n; i++) x[i] = x[i]! + s * a[col + i]!;
  }
  for (let c = k - 1; c >= 0; c--) {
    x[c] = x[c]! / rdiag[c]!;
    for (let i = 0; i < c; i++) x[i] = x[i]! - x[c]! * a[c * n + i]!;
  }
  return Array.from(x.subarray(0, k));
}

/** R (k×k) as rows. */
export function upperTriangular(qr: Qr): number[][] {
  const { n, k, qr: a, rdiag } = qr;
  return Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (i < j ? a[j * n + i]! : i === j ? rdiag[i]! : 0)));
}
