/*
 * The byte scanner's common records in bulk, compiled to WebAssembly (see build.sh): the records
 * of plain fields (unquoted, or quoted without a line break inside) with the number of fields the
 * caller asks for, each on one line. For each it writes where its fields are, the bytes OR-ed
 * together (with ESCAPED_QUOTES when a quoted field holds a doubled quote: its range keeps both
 * quotes, and the caller makes one of them), and what the caller asked to read of it: one
 * column's bytes hashed (FNV-1a, 32 bits) and compared with the record before, up to two columns
 * as plain numbers, and one as a YYYY-MM month (all of the range's bytes as they are). It stops at
 * the first record that is anything else (a quote inside an unquoted field, a line break in
 * quotes, another number of fields, an empty line, a delimiter as the buffer's last byte):
 * scan-engine.ts scans that one as before, and every error stays there. The readings are those of normalise/finance.ts plainBytes and
 * monthBytes, to the bit: an integer of at most 15 digits is exact in a double, and the division
 * by a power of ten rounds once, as there. An unquoted field's end is found 16 bytes at a time
 * (SIMD); high[r] may then also count bytes just past the record (it says only that a field MAY
 * hold a byte of 0x80 or more, and the caller checks: an ASCII field reads the same either way).
 * Memory is laid out by the caller (read/scan-kernel.ts); this function only takes addresses.
 */
#include <wasm_simd128.h>

typedef unsigned char u8;
typedef unsigned int u32;
typedef long long i64;

#define QUOTE 0x22
#define LF 0x0a
#define CR 0x0d

/* Where a scan stopped: at the end of the whole records in the buffer (or max_rows), or at a record for the TypeScript scanner. */
#define AT_END 0
#define FOR_SCANNER 1

/* In high[r]: the record has a quoted field with a doubled quote inside (read/read-csv.ts ESCAPED_QUOTES). */
#define ESCAPED_QUOTES 0x100

static const double POWERS_OF_TEN[16] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

static double not_a_number(void) { return __builtin_nan(""); }

/* plainBytes: NaN for a cell that is not a plain number or has more than 15 digits. */
static double plain_number(const u8 *bytes, int start, int end, int mark) {
  int i = start;
  int negative = 0;
  if (i < end && (bytes[i] == 43 || bytes[i] == 45)) {
    negative = bytes[i] == 45;
    i++;
  }
  i64 value = 0;
  int digits = i;
  while (i < end && bytes[i] >= 48 && bytes[i] <= 57) {
    value = value * 10 + (bytes[i] - 48);
    i++;
    if (i - digits > 15) return not_a_number();
  }
  int count = i - digits;
  if (count == 0) return not_a_number();
  int fraction = 0;
  if (i < end) {
    if (bytes[i] != mark) return not_a_number();
    int from = ++i;
    while (i < end && bytes[i] >= 48 && bytes[i] <= 57) {
      value = value * 10 + (bytes[i] - 48);
      i++;
      if (count + (i - from) > 15) return not_a_number();
    }
    fraction = i - from;
    if (fraction == 0 || i < end) return not_a_number();
  }
  double result = (double)value;
  if (fraction > 0) result /= POWERS_OF_TEN[fraction];
  return negative ? -result : result;
}

/* monthBytes: year * 12 + month - 1 for a YYYY-MM written exactly so, else -1. */
static int month_ordinal(const u8 *bytes, int start, int end) {
  if (end - start != 7 || bytes[start + 4] != 45) return -1;
  int year = 0;
  for (int i = start; i < start + 4; i++) {
    int d = bytes[i] - 48;
    if (d < 0 || d > 9) return -1;
    year = year * 10 + d;
  }
  int m1 = bytes[start + 5] - 48;
  int m2 = bytes[start + 6] - 48;
  if (m1 < 0 || m1 > 9 || m2 < 0 || m2 > 9) return -1;
  int month = m1 * 10 + m2;
  return month >= 1 && month <= 12 ? year * 12 + month - 1 : -1;
}

/*
 * Scans records of `fields` fields from buf[start] up to buf[n] (`final`: n is the end of the
 * file), at most max_rows. Per record r: field k is buf[starts[r*fields+k], ends[r*fields+k]);
 * high[r] the OR of its field bytes; hash[r] the FNV-1a of column `key` and same[r] whether that
 * column has the same bytes as in the record before (0 for the first); numbers[2r], numbers[2r+1]
 * columns num0 and num1 as plain numbers (mark0, mark1 their decimal mark; -1: not asked);
 * months[r] column `month` as a month ordinal (-1: not asked, or not a month). state[0] is where
 * the scan stopped, state[1] why (AT_END or FOR_SCANNER). Returns the number of records.
 */
int scan_records(const u8 *buf, int start, int n, int final, int delimiter, int fields, int max_rows, int key, int num0, int mark0, int num1,
                 int mark1, int month, int *starts, int *ends, int *high, int *hash, u8 *same, double *numbers, int *months, int *state) {
  int rows = 0;
  int at = start;
  int reason = AT_END;
  int previous_start = -1;
  int previous_length = -1;
  const v128_t delimiters = wasm_i8x16_splat((signed char)delimiter);
  const v128_t lfs = wasm_i8x16_splat(LF);
  const v128_t crs = wasm_i8x16_splat(CR);
  const v128_t quotes = wasm_i8x16_splat(QUOTE);
  while (rows < max_rows && at < n) {
    int *s = starts + rows * fields;
    int *e = ends + rows * fields;
    int count = 0;
    int bits = 0;
    int escaped = 0;
    v128_t wide = wasm_i8x16_splat(0);
    int p = at;
    int end;
    int stop = -1;
    for (;;) {
      if (count >= fields) {
        stop = FOR_SCANNER;
        break;
      }
      int j;
      int c = 0;
      if (p < n && buf[p] == QUOTE) {
        j = p + 1;
        for (;;) {
          while (j < n && (c = buf[j]) != QUOTE && c != LF && c != CR) {
            bits |= c;
            j++;
          }
          // a doubled quote is one quote of the field: the range keeps both, the caller undoubles them
          if (j + 1 < n && c == QUOTE && buf[j + 1] == QUOTE) {
            escaped = ESCAPED_QUOTES;
            j += 2;
            continue;
          }
          break;
        }
        if (j >= n) {
          stop = final ? FOR_SCANNER : AT_END;
          break;
        }
        if (c != QUOTE) {
          stop = FOR_SCANNER;
          break;
        }
        if (j + 1 >= n && !final) {
          stop = AT_END;
          break;
        }
        int next = j + 1 < n ? buf[j + 1] : delimiter;
        if (next != delimiter && next != LF && next != CR) {
          stop = FOR_SCANNER;
          break;
        }
        s[count] = p + 1;
        e[count] = j;
        count++;
        j++;
        c = j < n ? buf[j] : 0;
      } else {
        // 16 bytes at a time: the first delimiter, line end or quote from p (the memory holds 16 bytes after the buffer)
        j = p;
        for (;;) {
          v128_t v = wasm_v128_load(buf + j);
          u32 mask = (u32)wasm_i8x16_bitmask(wasm_v128_or(wasm_v128_or(wasm_i8x16_eq(v, delimiters), wasm_i8x16_eq(v, lfs)), wasm_v128_or(wasm_i8x16_eq(v, crs), wasm_i8x16_eq(v, quotes))));
          // (bytes past the field, and past n, only make `wide` say a byte may be 0x80 or more: the caller then checks)
          wide = wasm_v128_or(wide, v);
          if (n - j < 16) mask &= (1u << (n - j)) - 1;
          if (mask != 0) {
            j += __builtin_ctz(mask);
            break;
          }
          j += 16;
          if (j >= n) {
            j = n;
            break;
          }
        }
        c = j < n ? buf[j] : 0;
        if (j < n && c == QUOTE) {
          stop = FOR_SCANNER;
          break;
        }
        if (j >= n && !final) {
          stop = AT_END;
          break;
        }
        s[count] = p;
        e[count] = j;
        count++;
      }
      if (j >= n) {
        end = n;
        break;
      }
      if (c == delimiter) {
        p = j + 1;
        if (p < n) continue;
        stop = FOR_SCANNER;
        break;
      }
      if (c == CR) {
        if (j + 1 >= n && !final) {
          stop = AT_END;
          break;
        }
        if (j + 1 < n && buf[j + 1] == LF) j++;
      }
      end = j + 1;
      break;
    }
    if (stop < 0 && (count != fields || (count == 1 && s[0] == e[0]))) stop = FOR_SCANNER;
    if (stop >= 0) {
      reason = stop;
      break;
    }
    high[rows] = bits | (wasm_i8x16_bitmask(wide) != 0 ? 0x80 : 0) | escaped;
    int from = s[key];
    int length = e[key] - from;
    u32 h = 0x811c9dc5u;
    for (int i = from; i < from + length; i++) h = (h ^ buf[i]) * 0x01000193u;
    hash[rows] = (int)h;
    int equal = length == previous_length;
    for (int i = 0; equal && i < length; i++) equal = buf[from + i] == buf[previous_start + i];
    same[rows] = (u8)equal;
    previous_start = from;
    previous_length = length;
    numbers[2 * rows] = mark0 < 0 ? 0 : plain_number(buf, s[num0], e[num0], mark0);
    numbers[2 * rows + 1] = mark1 < 0 ? 0 : plain_number(buf, s[num1], e[num1], mark1);
    months[rows] = month < 0 ? -1 : month_ordinal(buf, s[month], e[month]);
    rows++;
    at = end;
  }
  state[0] = at;
  state[1] = reason;
  return rows;
}

/*
 * How many bytes of buf[0, n) are `byte` (decode.ts counts the line feeds of each chunk it
 * validates, to place an error on its line): sixteen compared at a time, each match adding one
 * to its lane's byte counter, the counters summed before any could pass 255.
 */
int count_byte(const u8 *buf, int n, int byte) {
  const v128_t target = wasm_i8x16_splat((signed char)byte);
  int count = 0;
  int i = 0;
  while (i + 16 <= n) {
    v128_t lanes = wasm_i8x16_splat(0);
    int until = n - 16 * 255 > i ? i + 16 * 255 : n - 15;
    for (; i < until; i += 16) lanes = wasm_i8x16_sub(lanes, wasm_i8x16_eq(wasm_v128_load(buf + i), target));
    v128_t wide = wasm_u16x8_extadd_pairwise_u8x16(lanes);
    v128_t words = wasm_u32x4_extadd_pairwise_u16x8(wide);
    count += wasm_i32x4_extract_lane(words, 0) + wasm_i32x4_extract_lane(words, 1) + wasm_i32x4_extract_lane(words, 2) + wasm_i32x4_extract_lane(words, 3);
  }
  for (; i < n; i++) count += buf[i] == byte;
  return count;
}
