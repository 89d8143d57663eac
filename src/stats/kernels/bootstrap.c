/*
 * The bootstrap's hot loops, compiled to WebAssembly (see build.sh): one resample of folded rows
 * (stats/bootstrap.ts foldedResample), one resample's sums of columns (countedSums), and the exact
 * sums of small whole numbers (exactCorrelations). Each does the same arithmetic in the same order
 * as the TypeScript it stands in for, so the results are the same bits: integer sums are exact in
 * any order; every floating-point sum keeps its order (no -ffast-math, no contraction into fused multiply-adds).
 * Memory is laid out by the caller (stats/kernels.ts); these functions only take addresses.
 */
#include <wasm_simd128.h>

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
    // up to four columns in one pass, each its own sum in order of i: the same bits as one column
    // after another, without one sum's additions waiting for another's
    int c = 0;
    for (; c + 4 <= columns; c += 4) {
      const double *x0 = x + (long)c * n, *x1 = x0 + n, *x2 = x1 + n, *x3 = x2 + n;
      double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (int i = 0; i < n; i++) {
        double w = (double)counts[i];
        s0 += w * x0[i];
        s1 += w * x1[i];
        s2 += w * x2[i];
        s3 += w * x3[i];
      }
      out[c] = s0;
      out[c + 1] = s1;
      out[c + 2] = s2;
      out[c + 3] = s3;
    }
    if (columns - c == 3) {
      const double *x0 = x + (long)c * n, *x1 = x0 + n, *x2 = x1 + n;
      double s0 = 0, s1 = 0, s2 = 0;
      for (int i = 0; i < n; i++) {
        double w = (double)counts[i];
        s0 += w * x0[i];
        s1 += w * x1[i];
        s2 += w * x2[i];
      }
      out[c] = s0;
      out[c + 1] = s1;
      out[c + 2] = s2;
      c += 3;
    }
    for (; c < columns; c++) {
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
 * numbers throughout (the caller checks that no sum can pass 2^31), so the order does not matter.
 * When every weight fits in 16 bits (as it does unless one pattern holds tens of thousands of
 * rows), the weights are copied to 16 bits (`narrow`, k values) and each column is summed eight
 * patterns at a time with i32x4.dot_i16x8_s (eight products and pairwise sums in one step, each
 * pair below 2·32767·121); otherwise four lanes of 32-bit products.
 */
void integer_column_sums(const int *w, short *narrow, const signed char *y, int columns, int k, double *out) {
  int widest = 0;
  for (int q = 0; q < k; q++) widest |= w[q];
  if (widest >= 0 && widest < 32768) {
    for (int q = 0; q < k; q++) narrow[q] = (short)w[q];
    int body = k & ~7;
    for (int c = 0; c < columns; c++) {
      const signed char *column = y + (long)c * k;
      v128_t sum = wasm_i32x4_splat(0);
      for (int q = 0; q < body; q += 8) {
        v128_t values = wasm_i16x8_load8x8(column + q);
        v128_t weights = wasm_v128_load(narrow + q);
        sum = wasm_i32x4_add(sum, wasm_i32x4_dot_i16x8(values, weights));
      }
      int total = wasm_i32x4_extract_lane(sum, 0) + wasm_i32x4_extract_lane(sum, 1) + wasm_i32x4_extract_lane(sum, 2) + wasm_i32x4_extract_lane(sum, 3);
      for (int q = body; q < k; q++) total += w[q] * column[q];
      out[c] = (double)total;
    }
    return;
  }
  for (int c = 0; c < columns; c++) {
    const signed char *column = y + (long)c * k;
    int sum = 0;
    for (int q = 0; q < k; q++) sum += w[q] * column[q];
    out[c] = (double)sum;
  }
}

/*
 * out[c] = Σ_q x[q]·y[q·stride + c] in order of q, for c < columns: the same bits as
 * byteColumnSums. The bytes are row by row (`stride` a multiple of 8, the columns past `columns`
 * zero), so eight columns are summed side by side, two to a vector: each lane does one column's
 * multiplications and additions in order of q, as one sum at a time would, but the eight sums'
 * additions no longer wait for one another.
 */
void float_column_sums(const double *x, const signed char *y, int stride, int columns, int k, double *out) {
  for (int c = 0; c < columns; c += 8) {
    v128_t s0 = wasm_f64x2_splat(0), s1 = s0, s2 = s0, s3 = s0;
    const signed char *row = y + c;
    for (int q = 0; q < k; q++, row += stride) {
      v128_t v = wasm_f64x2_splat(x[q]);
      v128_t bytes = wasm_i16x8_load8x8(row);
      v128_t low = wasm_i32x4_extend_low_i16x8(bytes), high = wasm_i32x4_extend_high_i16x8(bytes);
      s0 = wasm_f64x2_add(s0, wasm_f64x2_mul(v, wasm_f64x2_convert_low_i32x4(low)));
      s1 = wasm_f64x2_add(s1, wasm_f64x2_mul(v, wasm_f64x2_convert_low_i32x4(wasm_i32x4_shuffle(low, low, 2, 3, 0, 1))));
      s2 = wasm_f64x2_add(s2, wasm_f64x2_mul(v, wasm_f64x2_convert_low_i32x4(high)));
      s3 = wasm_f64x2_add(s3, wasm_f64x2_mul(v, wasm_f64x2_convert_low_i32x4(wasm_i32x4_shuffle(high, high, 2, 3, 0, 1))));
    }
    double lanes[8];
    wasm_v128_store(lanes, s0);
    wasm_v128_store(lanes + 2, s1);
    wasm_v128_store(lanes + 4, s2);
    wasm_v128_store(lanes + 6, s3);
    for (int j = 0; j < 8 && c + j < columns; j++) out[c + j] = lanes[j];
  }
}
