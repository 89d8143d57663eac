/*
 * The bootstrap's hot loops, compiled to WebAssembly (see build.sh): one resample of folded rows
 * (stats/bootstrap.ts foldedResample), one resample's sums of columns (countedSums), each as n
 * draws of a place (below POISSON_FROM rows) or as Poisson counts (from it), and the exact sums
 * of small whole numbers (exactCorrelations). Each does the same arithmetic in the same order
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
 * The Poisson bootstrap (stats/bootstrap.ts poissonCounts): each of n places is drawn Poisson(1)
 * times, independently. Sixteen xoshiro128** streams side by side, four to a vector, seeded by
 * seeds[16·0 .. 63] (stream j's words at seeds[4j .. 4j + 3]); place i takes the next value of
 * stream i mod 16. Its count is the number of thresholds POISSON[0..10] (⌈2^32·P(X ≤ j)⌉ for
 * X ~ Poisson(1)) the value reaches: inversion, exact to 2^-32 in each probability, counts up to
 * 11 (a count of 12 or more has a probability below 2^-32). next_counts gives sixteen places'
 * counts at a time, in registers: a resample's counts are never a random access into memory.
 */
typedef u32 u32x4 __attribute__((vector_size(16)));
typedef int i32x4 __attribute__((vector_size(16)));

static const u32 POISSON[11] = {1580030169u, 3160060338u, 3950075422u, 4213413784u, 4279248374u, 4292415292u,
                                4294609778u, 4294923277u, 4294962464u, 4294966818u, 4294967253u};

static inline u32x4 rotl4(u32x4 x, int k) { return (x << k) | (x >> (32 - k)); }

#define XOSHIRO4(s0, s1, s2, s3, r) \
  {                                 \
    r = rotl4(s1 * 5, 7) * 9;       \
    u32x4 t = s1 << 9;              \
    s2 ^= s0;                       \
    s3 ^= s1;                       \
    s1 ^= s2;                       \
    s0 ^= s3;                       \
    s2 ^= t;                        \
    s3 = rotl4(s3, 11);             \
  }

/*
 * The count of each lane's value: how many thresholds it reaches, x ≥ t taken as x > t − 1 on
 * the values with their top bit flipped (SIMD has a signed "greater than", not an unsigned "at
 * least"); past the fourth only when a lane reaches it (1.5% of vectors).
 */
#define ABOVE(x, j) ((x) > (int)((POISSON[j] ^ 0x80000000u) - 1))
static inline v128_t poisson4(u32x4 value) {
  i32x4 x = (i32x4)(value ^ 0x80000000u);
  i32x4 count = ABOVE(x, 0) + ABOVE(x, 1) + ABOVE(x, 2) + ABOVE(x, 3);
  i32x4 far = ABOVE(x, 4);
  if (wasm_v128_any_true((v128_t)far)) {
    count += far;
    for (int j = 5; j < 11; j++) count += ABOVE(x, j);
  }
  return (v128_t)(-count);
}

/* sixteen streams, four to a vector: streams[v][w] holds word w of streams 4v .. 4v + 3 */
typedef struct {
  u32x4 words[4][4];
} Streams;

static void seed_streams(Streams *streams, const u32 *seeds) {
  for (int v = 0; v < 4; v++)
    for (int l = 0; l < 4; l++)
      for (int w = 0; w < 4; w++) streams->words[v][w][l] = seeds[16 * v + 4 * l + w];
}

/* the counts of the next sixteen places, a byte each (place i of them from stream i) */
static inline v128_t next_counts(Streams *streams) {
  v128_t lanes[4];
  for (int v = 0; v < 4; v++) {
    u32x4 r;
    XOSHIRO4(streams->words[v][0], streams->words[v][1], streams->words[v][2], streams->words[v][3], r)
    lanes[v] = poisson4(r);
  }
  return wasm_u8x16_narrow_i16x8(wasm_i16x8_narrow_i32x4(lanes[0], lanes[1]), wasm_i16x8_narrow_i32x4(lanes[2], lanes[3]));
}

/* places taken at a time: their running sums stay in the core's first-level cache, and fit 16 bits (256·11·11 < 2^15) */
#define CHUNK 256

/* v with its 16-bit lanes moved up by `lanes` (zeros below) */
#define UP(v, lanes) wasm_i8x16_shuffle(zero, v, 16 - 2 * lanes, 17 - 2 * lanes, 18 - 2 * lanes, 19 - 2 * lanes, 20 - 2 * lanes, 21 - 2 * lanes, \
                                         22 - 2 * lanes, 23 - 2 * lanes, 24 - 2 * lanes, 25 - 2 * lanes, 26 - 2 * lanes, 27 - 2 * lanes, \
                                         28 - 2 * lanes, 29 - 2 * lanes, 30 - 2 * lanes, 31 - 2 * lanes)

/* the running sums of eight 16-bit lanes, from `carry` (every lane the sum before them); carry becomes their last */
static inline v128_t running(v128_t v, v128_t *carry) {
  const v128_t zero = wasm_i16x8_splat(0);
  v = wasm_i16x8_add(v, UP(v, 1));
  v = wasm_i16x8_add(v, UP(v, 2));
  v = wasm_i16x8_add(v, UP(v, 4));
  v = wasm_i16x8_add(v, *carry);
  *carry = wasm_i16x8_shuffle(v, v, 7, 7, 7, 7, 7, 7, 7, 7);
  return v;
}

/*
 * One Poisson resample of folded rows whose extra column holds small whole numbers (within ±11,
 * as bytes): each place counted Poisson(1) times (next_counts, over the folded order),
 * and per pattern the weight W = Σ c and E = Σ c·x, with Σ c·x·x over all places. Whole numbers
 * throughout, so exact in any order: the same as bootstrap.ts patternSums. A chunk of places
 * at a time, sixteen to a vector: their counts, then the running sums of c and of c·x within the
 * chunk (16 bits), then each pattern ending in the chunk takes the difference of the running
 * sums at its end and at the last end: no branch per pattern (patterns of a few rows would
 * mispredict one each). `extra` is read in sixteens (it has room past n); `scratch` holds two
 * rows of CHUNK + 16 running sums. The weights go to intWeights, the sums E to intExtra, Σ E and
 * Σ c·x·x to moments. Returns the total count.
 */
int folded_poisson(int n, int k, const u32 *seeds, const int *starts, const signed char *extra, short *scratch, int *intWeights, int *intExtra,
                   double *moments) {
  Streams streams;
  seed_streams(&streams, seeds);
  short *runW = scratch, *runE = scratch + CHUNK + 16;
  runW[0] = 0;
  runE[0] = 0;
  int baseW = 0, baseE = 0, lastW = 0, lastE = 0, q = 0;
  long long squares = 0;
  for (int from = 0; from < n; from += CHUNK) {
    int places = n - from < CHUNK ? n - from : CHUNK;
    v128_t carryW = wasm_i16x8_splat(0), carryE = carryW, chunkSquares = wasm_i32x4_splat(0);
    for (int j = 0; j < places; j += 16) {
      v128_t c = next_counts(&streams);
      // past the last place, no count
      if (places - j < 16) c = wasm_v128_and(c, wasm_u8x16_gt(wasm_u8x16_splat((unsigned char)(places - j)), wasm_u8x16_make(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)));
      v128_t x = wasm_v128_load(extra + from + j);
      v128_t cLow = wasm_u16x8_extend_low_u8x16(c), cHigh = wasm_u16x8_extend_high_u8x16(c);
      v128_t xLow = wasm_i16x8_extend_low_i8x16(x), xHigh = wasm_i16x8_extend_high_i8x16(x);
      v128_t cxLow = wasm_i16x8_mul(cLow, xLow), cxHigh = wasm_i16x8_mul(cHigh, xHigh);
      chunkSquares = wasm_i32x4_add(chunkSquares, wasm_i32x4_add(wasm_i32x4_dot_i16x8(cxLow, xLow), wasm_i32x4_dot_i16x8(cxHigh, xHigh)));
      wasm_v128_store(runW + j + 1, running(cLow, &carryW));
      wasm_v128_store(runW + j + 9, running(cHigh, &carryW));
      wasm_v128_store(runE + j + 1, running(cxLow, &carryE));
      wasm_v128_store(runE + j + 9, running(cxHigh, &carryE));
    }
    squares += (long long)wasm_i32x4_extract_lane(chunkSquares, 0) + wasm_i32x4_extract_lane(chunkSquares, 1) + wasm_i32x4_extract_lane(chunkSquares, 2) +
               wasm_i32x4_extract_lane(chunkSquares, 3);
    int until = from + places;
    for (; q < k && starts[q + 1] <= until; q++) {
      int at = starts[q + 1] - from;
      int w = baseW + runW[at], e = baseE + runE[at];
      intWeights[q] = w - lastW;
      intExtra[q] = e - lastE;
      lastW = w;
      lastE = e;
    }
    baseW += runW[places];
    baseE += runE[places];
  }
  moments[0] = (double)baseE;
  moments[1] = (double)squares;
  return baseW;
}

/*
 * One Poisson resample of n rows (next_counts), and for each column Σ_i c_i·x_i: of
 * `floats` columns of doubles in eight lanes (row i in lane i mod 8, each lane in order of i),
 * added as ((l0 + l2) + (l4 + l6)) + ((l1 + l3) + (l5 + l7)), the same bits as bootstrap.ts
 * poissonSums; of `bytes` columns of whole numbers 0-255 exactly (so in any order). A chunk of
 * rows at a time: their counts, as bytes and as doubles, stay in the core's first-level cache
 * while every column is summed over them. Columns are column after column, the doubles padded
 * with zeros to a multiple of 8 rows (`stride`), the bytes to a multiple of 16 (`byteStride`).
 * `scratch` holds CHUNK counts and CHUNK doubles; the sums go to out (the doubles' columns first).
 */
void poisson_sums(int n, const u32 *seeds, const double *x, int floats, int stride, const unsigned char *y, int bytes, int byteStride,
                  unsigned char *scratch, v128_t *lanes, long long *wholes, double *out) {
  Streams streams;
  seed_streams(&streams, seeds);
  unsigned char *counts = scratch;
  double *weights = (double *)(scratch + CHUNK);
  for (int c = 0; c < 4 * floats; c++) lanes[c] = wasm_f64x2_splat(0);
  for (int c = 0; c < bytes; c++) wholes[c] = 0;
  for (int from = 0; from < n; from += CHUNK) {
    int places = n - from < CHUNK ? n - from : CHUNK;
    for (int j = 0; j < places; j += 16) {
      v128_t c = next_counts(&streams);
      if (places - j < 16) c = wasm_v128_and(c, wasm_u8x16_gt(wasm_u8x16_splat((unsigned char)(places - j)), wasm_u8x16_make(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)));
      wasm_v128_store(counts + j, c);
      if (floats > 0) {
        v128_t low = wasm_u16x8_extend_low_u8x16(c), high = wasm_u16x8_extend_high_u8x16(c);
        v128_t q0 = wasm_u32x4_extend_low_u16x8(low), q1 = wasm_u32x4_extend_high_u16x8(low);
        v128_t q2 = wasm_u32x4_extend_low_u16x8(high), q3 = wasm_u32x4_extend_high_u16x8(high);
        double *w = weights + j;
        wasm_v128_store(w, wasm_f64x2_convert_low_i32x4(q0));
        wasm_v128_store(w + 2, wasm_f64x2_convert_low_i32x4(wasm_i32x4_shuffle(q0, q0, 2, 3, 0, 1)));
        wasm_v128_store(w + 4, wasm_f64x2_convert_low_i32x4(q1));
        wasm_v128_store(w + 6, wasm_f64x2_convert_low_i32x4(wasm_i32x4_shuffle(q1, q1, 2, 3, 0, 1)));
        wasm_v128_store(w + 8, wasm_f64x2_convert_low_i32x4(q2));
        wasm_v128_store(w + 10, wasm_f64x2_convert_low_i32x4(wasm_i32x4_shuffle(q2, q2, 2, 3, 0, 1)));
        wasm_v128_store(w + 12, wasm_f64x2_convert_low_i32x4(q3));
        wasm_v128_store(w + 14, wasm_f64x2_convert_low_i32x4(wasm_i32x4_shuffle(q3, q3, 2, 3, 0, 1)));
      }
    }
    // rows past n have count 0 and value 0 (the padding): they add +0, which leaves every lane as it is
    int rounded = (places + 7) & ~7;
    for (int c = 0; c < floats; c++) {
      const double *column = x + (long)c * stride + from;
      v128_t a0 = lanes[4 * c], a1 = lanes[4 * c + 1], a2 = lanes[4 * c + 2], a3 = lanes[4 * c + 3];
      for (int j = 0; j < rounded; j += 8) {
        a0 = wasm_f64x2_add(a0, wasm_f64x2_mul(wasm_v128_load(weights + j), wasm_v128_load(column + j)));
        a1 = wasm_f64x2_add(a1, wasm_f64x2_mul(wasm_v128_load(weights + j + 2), wasm_v128_load(column + j + 2)));
        a2 = wasm_f64x2_add(a2, wasm_f64x2_mul(wasm_v128_load(weights + j + 4), wasm_v128_load(column + j + 4)));
        a3 = wasm_f64x2_add(a3, wasm_f64x2_mul(wasm_v128_load(weights + j + 6), wasm_v128_load(column + j + 6)));
      }
      lanes[4 * c] = a0, lanes[4 * c + 1] = a1, lanes[4 * c + 2] = a2, lanes[4 * c + 3] = a3;
    }
    int sixteens = (places + 15) & ~15;
    for (int c = 0; c < bytes; c++) {
      const unsigned char *column = y + (long)c * byteStride + from;
      v128_t sum = wasm_i32x4_splat(0);
      for (int j = 0; j < sixteens; j += 16) {
        v128_t w = wasm_v128_load(counts + j), v = wasm_v128_load(column + j);
        // products below 11·255 fit 16 bits; pairs of them summed to 32
        sum = wasm_i32x4_add(sum, wasm_i32x4_dot_i16x8(wasm_u16x8_extend_low_u8x16(w), wasm_u16x8_extend_low_u8x16(v)));
        sum = wasm_i32x4_add(sum, wasm_i32x4_dot_i16x8(wasm_u16x8_extend_high_u8x16(w), wasm_u16x8_extend_high_u8x16(v)));
      }
      wholes[c] += (long long)wasm_i32x4_extract_lane(sum, 0) + wasm_i32x4_extract_lane(sum, 1) + wasm_i32x4_extract_lane(sum, 2) + wasm_i32x4_extract_lane(sum, 3);
    }
  }
  for (int c = 0; c < floats; c++) {
    v128_t even = wasm_f64x2_add(wasm_f64x2_add(lanes[4 * c], lanes[4 * c + 1]), wasm_f64x2_add(lanes[4 * c + 2], lanes[4 * c + 3]));
    out[c] = wasm_f64x2_extract_lane(even, 0) + wasm_f64x2_extract_lane(even, 1);
  }
  for (int c = 0; c < bytes; c++) out[floats + c] = (double)wholes[c];
}

/*
 * out[c] = Σ_q w[q]·y[c·k + q] for each of `columns` columns of k small whole numbers: whole
 * numbers throughout (the caller checks that no sum can pass 2^31), so the order does not matter.
 * When every weight fits in 16 bits, signed (as it does unless one pattern holds tens of thousands
 * of rows), the weights are copied to 16 bits (`narrow`, k values) and each column is summed eight
 * patterns at a time with i32x4.dot_i16x8_s (eight products and pairwise sums in one step, each
 * pair within 2·32768·121); otherwise four lanes of 32-bit products.
 */
void integer_column_sums(const int *w, short *narrow, const signed char *y, int columns, int k, double *out) {
  int least = 0, most = 0;
  for (int q = 0; q < k; q++) {
    least = w[q] < least ? w[q] : least;
    most = w[q] > most ? w[q] : most;
  }
  if (least >= -32768 && most < 32768) {
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
 * One Poisson resample of folded rows (folded_poisson) and the sums its correlations need, all
 * whole numbers: Σ_q W_q·x_qa for each of `valueColumns` columns of `values`, then Σ_q E_q·x_qa
 * for the same columns, then Σ_q W_q·x_qa·x_qb for each of `productColumns` columns of
 * `products` (integer_column_sums), into out. Returns the total count, or −1 (and no sums) when
 * the total is so large that a sum could pass 2^31 (total·11² ≥ 2^31).
 */
int poisson_correlation_sums(int n, int k, const u32 *seeds, const int *starts, const signed char *extra, short *scratch, int *intWeights,
                             int *intExtra, short *narrow, const signed char *values, int valueColumns, const signed char *products, int productColumns,
                             double *moments, double *out) {
  int total = folded_poisson(n, k, seeds, starts, extra, scratch, intWeights, intExtra, moments);
  if ((long long)total * 121 >= 2147483648LL) return -1;
  integer_column_sums(intWeights, narrow, values, valueColumns, k, out);
  integer_column_sums(intExtra, narrow, values, valueColumns, k, out + valueColumns);
  integer_column_sums(intWeights, narrow, products, productColumns, k, out + 2 * valueColumns);
  return total;
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
