/*
 * The bootstrap's hot loops, compiled to WebAssembly (see build.sh): one resample of folded rows
 * (stats/bootstrap.ts foldedResample), one resample's sums of columns (countedSums), and the exact
 * sums of small whole numbers (exactCorrelations). Each does the same arithmetic in the same order
 * as the TypeScript it stands in for, so the results are the same bits: integer sums are exact in
 * any order; every floating-point sum keeps its order (no -ffast-math, no contraction into fused multiply-adds).
 * Memory is laid out by the caller (stats/kernels.ts); these functions only take addresses.
 */
typedef unsigned int u32;
typedef unsigned long long u64;

static inline u32 rotl(u32 x, int k) { return (x << k) | (x >> (32 - k)); }

/*
 * n draws of xoshiro128** from state[0..3] (stats/random.ts; the state is written back), each
 * place = floor(u / 2^32 * n) = (u * n) >> 32 (exact for n up to 2^21, as in random.indices),
 * counted in a byte per place; a count reaching 256 is listed in wraps, as drawByteCounts does.
 * Returns the number of wraps.
 */
static int draw_counts(int n, u32 *state, unsigned char *counts, int *wraps) {
  u32 s0 = state[0], s1 = state[1], s2 = state[2], s3 = state[3];
  int wrapCount = 0;
  for (int i = 0; i < n; i++) {
    u32 result = rotl(s1 * 5, 7) * 9;
    u32 t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    u32 place = (u32)(((u64)result * (u64)n) >> 32);
    if (++counts[place] == 0) wraps[wrapCount++] = (int)place;
  }
  state[0] = s0;
  state[1] = s1;
  state[2] = s2;
  state[3] = s3;
  return wrapCount;
}

/*
 * One resample of n places with replacement (draw_counts), summed pattern by pattern over the
 * folded order. Returns the number of wraps. counts must be zero on entry and is zero on return.
 */
int folded_resample(int n, int k, u32 *state, const int *starts, const double *extra, unsigned char *counts,
                    double *weights, int *intWeights, double *extraWeighted, double *moments, int *wraps) {
  int wrapCount = draw_counts(n, state, counts, wraps);
  double extraSum = 0, extraSquares = 0;
  int s = 0;
  for (int q = 0; q < k; q++) {
    int end = starts[q + 1];
    int w = 0;
    double e = 0;
    for (; s < end; s++) {
      int c = counts[s];
      double x = extra[s];
      double v = (double)c * x;
      w += c;
      e += v;
      extraSum += v;
      extraSquares += v * x;
    }
    intWeights[q] = w;
    extraWeighted[q] = e;
  }
  for (int r = 0; r < wrapCount; r++) {
    int place = wraps[r];
    int q = 0;
    while (starts[q + 1] <= place) q++;
    double x = extra[place];
    double v = 256 * x;
    intWeights[q] += 256;
    extraWeighted[q] += v;
    extraSum += v;
    extraSquares += v * x;
  }
  for (int q = 0; q < k; q++) weights[q] = (double)intWeights[q];
  for (int i = 0; i < n; i++) counts[i] = 0;
  moments[0] = extraSum;
  moments[1] = extraSquares;
  return wrapCount;
}

/*
 * One resample of n rows with replacement (draw_counts), and for each of `columns` columns of n
 * values (column after column) the sum Σ_i w_i·x_i in order of i, w_i the row's count: the same
 * bits as bootstrap.ts countedSums (byteDot, or wideDot when a count passed 255: its weight is the
 * byte plus 256 for each listing in wraps). Returns the number of wraps. counts must be zero on
 * entry and is zero on return; wraps comes back sorted.
 */
int counted_sums(int n, u32 *state, const double *x, int columns, unsigned char *counts, int *wraps, double *out) {
  int wrapCount = draw_counts(n, state, counts, wraps);
  if (wrapCount == 0) {
    for (int c = 0; c < columns; c++) {
      const double *column = x + (long)c * n;
      double sum = 0;
      for (int i = 0; i < n; i++) sum += (double)counts[i] * column[i];
      out[c] = sum;
    }
  } else {
    for (int r = 1; r < wrapCount; r++) {
      int place = wraps[r], j = r;
      for (; j > 0 && wraps[j - 1] > place; j--) wraps[j] = wraps[j - 1];
      wraps[j] = place;
    }
    for (int c = 0; c < columns; c++) {
      const double *column = x + (long)c * n;
      double sum = 0;
      int r = 0;
      for (int i = 0; i < n; i++) {
        double w = (double)counts[i];
        while (r < wrapCount && wraps[r] == i) {
          w += 256;
          r++;
        }
        sum += w * column[i];
      }
      out[c] = sum;
    }
  }
  for (int i = 0; i < n; i++) counts[i] = 0;
  return wrapCount;
}

/*
 * out[c] = Σ_q w[q]·y[c·k + q] for each of `columns` columns of k small whole numbers: whole
 * numbers throughout (the caller checks that no sum can pass 2^31), so the order does not matter
 * and the loop may run four lanes at a time.
 */
void integer_column_sums(const int *w, const signed char *y, int columns, int k, double *out) {
  for (int c = 0; c < columns; c++) {
    const signed char *column = y + (long)c * k;
    int sum = 0;
    for (int q = 0; q < k; q++) sum += w[q] * column[q];
    out[c] = (double)sum;
  }
}

/* out[c] = Σ_q x[q]·y[c·k + q] in order of q, one sum at a time: the same bits as byteColumnSums. */
void float_column_sums(const double *x, const signed char *y, int columns, int k, double *out) {
  for (int c = 0; c < columns; c++) {
    const signed char *column = y + (long)c * k;
    double sum = 0;
    for (int q = 0; q < k; q++) sum += x[q] * (double)column[q];
    out[c] = sum;
  }
}
