/**
 * The per-customer finance sums in columns: typed arrays indexed by a customer number, and a map
 * from customer id to that number. About 190 bytes a customer, where an object per customer with
 * its arrays took about 800. `get`, `values` and iteration hand out `CustomerFinance` snapshots,
 * made on demand, so the code that reads the sums sees the same fields as before.
 * `add` is addFinanceRow's per-customer part, step for step.
 */
import type { CustomerFinance } from "./customer-finance.js";
import { hashBytes, IdTable } from "../read/id-table.js";

/** null in an Int32Array column. */
const NONE = -2147483648;
/** A response period not yet asked for (undefined in CustomerFinance); a group to sum under, likewise. */
const UNSET = -2147483647;
/** At most this many words of period bits per customer in the columns (256 periods: 21 years of months). */
const MAX_WORDS = 8;
/**
 * Periods of revenue kept per customer: the 13 up to its last period (customer-finance.ts): the
 * file's last 13 periods, which the run-rate and the 12-month cohort read, lie within them.
 */
export const RECENT = 13;

/**
 * The recent periods (and revenue) of a snapshot taken after releaseRecent: empty, and frozen, so
 * nothing can be written into it; customer-finance.ts refuses to read it.
 */
export const RELEASED: number[] = Object.freeze([]) as unknown as number[];

/** A period's place among a customer's RECENT. */
function recentPlace(ordinal: number): number {
  const place = ordinal % RECENT;
  return place < 0 ? place + RECENT : place;
}

/** What a run of monthly rows (CustomerStore.addMonthRun) tells beyond the customer's sums: rows that repeated a period, the smallest and largest month so far. */
export interface MonthRun {
  repeated: number;
  low: number;
  high: number;
}

/**
 * An id table the store shares with the survey's respondents (LatestResponses.sharedIds): one table
 * for the ids of both files (a million ids: about 32 MB once instead of twice). The ids in it when
 * the store starts are the respondents, valued 0 to n − 1; the store adds each finance customer who
 * did not answer, valued by the table's size then (so every value is a distinct entry number).
 */
export interface SharedIds {
  readonly table: IdTable;
  /** The id of entry e, for an entry the table held before the store (a respondent): the survey's string. */
  idOf(e: number): string;
  /** The index of entry e's latest answer in the survey; -1 for an entry that is not a respondent. */
  respondentOf(e: number): number;
}

export class CustomerStore {
  /**
   * Customer numbers by id (an id as bytes or as a string is the same customer); with shared ids,
   * entry numbers by id, and the customer of each entry in `customerOf` (-1: none yet).
   */
  private table: IdTable;
  private customerOf = new Int32Array(0);

  /** `shared`: the ids' table shared with the survey's respondents (see SharedIds); else a table of its own. */
  constructor(private shared: SharedIds | null = null) {
    this.table = shared?.table ?? new IdTable();
  }
  private ids: string[] = [];
  private capacity = 0;
  /** Words of period bits per customer (grows for all when one customer needs more). */
  private words = 2;
  private revenue = new Float64Array(0);
  private cost = new Float64Array(0);
  private costNull = new Uint8Array(0);
  private rows = new Int32Array(0);
  private firstPeriod = new Int32Array(0);
  private lastPeriod = new Int32Array(0);
  private firstRevenue = new Float64Array(0);
  private lastRevenue = new Float64Array(0);
  private periodBase = new Int32Array(0);
  private bits = new Int32Array(0);
  /** Words of `bits` in use per customer (its periodBits' length). */
  private bitWords = new Uint8Array(0);
  /** The bits of a customer whose periods span more than MAX_WORDS words (a date far off in an unsorted file), kept apart. */
  private readonly wide = new Map<number, number[]>();
  private readonly early = new Map<number, Set<number>>();
  private group = new Int32Array(0);
  private sumGroup = new Int32Array(0);
  /** 0 null, 1 false, 2 true. */
  private churnFlag = new Int8Array(0);
  /** Per customer, its revenue in period p at place p mod 13 (valid where it has a row in p and p is among its last 13). */
  private recentRevenue = new Float64Array(0);
  /**
   * The same in whole cents while every value kept is one (money with two decimals or fewer, below
   * 21 million: k / 100 gives back the very number, so every sum of them is the same bits): 4 bytes
   * a value, not 8. The first value that is not turns the whole ring into recentRevenue.
   */
  private recentCents = new Int32Array(0);
  private recentInCents = true;
  private responsePeriod = new Int32Array(0);
  /** The index of the customer's latest answer in the survey (FinanceTotals.respondentOf): UNSET until asked, -1 none. */
  private respondent = new Int32Array(0);
  private nextAfterResponse = new Int32Array(0);
  private revenueAfterResponse = new Float64Array(0);
  private readonly names: string[] = [];
  private readonly codes = new Map<string, number>();
  get size(): number {
    return this.ids.length;
  }

  has(id: string): boolean {
    return this.find(id) >= 0;
  }

  /** The customer's number, -1 for an id not here. */
  private find(id: string): number {
    const found = this.table.findString(id);
    return this.shared === null || found < 0 ? found : this.customerAt(found);
  }

  /** With shared ids, the customer of entry e (-1: none yet). */
  private customerAt(e: number): number {
    return e < this.customerOf.length ? this.customerOf[e]! : -1;
  }

  /**
   * With shared ids, makes customer c the customer of entry e: its answer is known at once (the
   * entry's respondent), and a respondent's id is the survey's string.
   */
  private enter(e: number, c: number): void {
    if (e >= this.customerOf.length) {
      const grown = new Int32Array(Math.max(1024, 2 * this.customerOf.length, e + 1)).fill(-1);
      grown.set(this.customerOf);
      this.customerOf = grown;
    }
    this.customerOf[e] = c;
    this.respondent[c] = this.shared!.respondentOf(e);
  }

  /** The last name coded, and its code: consecutive rows mostly carry the same group (the same string). */
  private lastName: string | null = null;
  private lastCode = -1;

  private code(name: string | null): number {
    if (name === null) return -1;
    if (name === this.lastName) return this.lastCode;
    let code = this.codes.get(name);
    if (code === undefined) {
      code = this.names.length;
      this.names.push(name);
      this.codes.set(name, code);
    }
    this.lastName = name;
    this.lastCode = code;
    return code;
  }

  /**
   * Room for n customers at once, for a caller that expects about that many: the columns are then
   * not grown (and copied) on the way there, and the memory of the smaller ones is not left behind
   * (the C library keeps most of it). The capacity is the one n customers added one by one reach.
   */
  reserve(n: number): void {
    // the capacity growing one customer at a time would reach (1,024 doubled): no more memory than that
    let capacity = Math.max(1024, this.capacity);
    while (capacity < n) capacity *= 2;
    if (capacity > this.capacity) this.grow(capacity);
  }

  private grow(capacity = Math.max(1024, this.capacity * 2)): void {
    const f64 = (a: Float64Array, per = 1) => {
      const b = new Float64Array(capacity * per);
      b.set(a);
      return b;
    };
    const i32 = (a: Int32Array, per = 1) => {
      const b = new Int32Array(capacity * per);
      b.set(a);
      return b;
    };
    const u8 = (a: Uint8Array) => {
      const b = new Uint8Array(capacity);
      b.set(a);
      return b;
    };
    const i8 = (a: Int8Array) => {
      const b = new Int8Array(capacity);
      b.set(a);
      return b;
    };
    this.revenue = f64(this.revenue);
    this.cost = f64(this.cost);
    this.costNull = u8(this.costNull);
    this.rows = i32(this.rows);
    this.firstPeriod = i32(this.firstPeriod);
    this.lastPeriod = i32(this.lastPeriod);
    this.firstRevenue = f64(this.firstRevenue);
    this.lastRevenue = f64(this.lastRevenue);
    this.periodBase = i32(this.periodBase);
    this.bits = i32(this.bits, this.words);
    this.bitWords = u8(this.bitWords);
    this.group = i32(this.group);
    this.sumGroup = i32(this.sumGroup);
    this.churnFlag = i8(this.churnFlag);
    if (!this.recentReleased) {
      if (this.recentInCents) this.recentCents = i32(this.recentCents, RECENT);
      else this.recentRevenue = f64(this.recentRevenue, RECENT);
    }
    this.responsePeriod = i32(this.responsePeriod);
    this.respondent = i32(this.respondent);
    this.nextAfterResponse = i32(this.nextAfterResponse);
    this.revenueAfterResponse = f64(this.revenueAfterResponse);
    this.capacity = capacity;
  }

  /** More words of period bits for every customer (the file spans more periods than they hold). */
  private widen(words: number): void {
    const bits = new Int32Array(this.capacity * words);
    for (let c = 0; c < this.ids.length; c++) bits.set(this.bits.subarray(c * this.words, c * this.words + this.bitWords[c]!), c * words);
    this.bits = bits;
    this.words = words;
  }

  /**
   * Lets every customer go (their ids and columns: about 250 bytes a customer), for when their
   * sums have been read and only totals are wanted from here on; the store is empty afterwards.
   */
  release(): void {
    // (a shared table is the survey's too: the store lets go of it, not of its ids)
    this.shared = null;
    this.customerOf = new Int32Array(0);
    this.table = new IdTable(16);
    this.ids = [];
    this.capacity = 0;
    this.words = 2;
    this.revenue = new Float64Array(0);
    this.cost = new Float64Array(0);
    this.costNull = new Uint8Array(0);
    this.rows = new Int32Array(0);
    this.firstPeriod = new Int32Array(0);
    this.lastPeriod = new Int32Array(0);
    this.firstRevenue = new Float64Array(0);
    this.lastRevenue = new Float64Array(0);
    this.periodBase = new Int32Array(0);
    this.bits = new Int32Array(0);
    this.bitWords = new Uint8Array(0);
    this.wide.clear();
    this.early.clear();
    this.group = new Int32Array(0);
    this.sumGroup = new Int32Array(0);
    this.churnFlag = new Int8Array(0);
    this.recentRevenue = new Float64Array(0);
    this.recentCents = new Int32Array(0);
    this.recentInCents = true;
    this.responsePeriod = new Int32Array(0);
    this.respondent = new Int32Array(0);
    this.nextAfterResponse = new Int32Array(0);
    this.revenueAfterResponse = new Float64Array(0);
    this.recentReleased = false;
    this.narrowed = false;
  }

  /**
   * Lets the revenue of each customer's recent periods go (13 numbers a customer: 104 MB for a
   * million), once the join has read what it needs of them (the run-rate and the cohort's revenue).
   * A snapshot afterwards has no recent periods, and reading them (revenueInOrNull, runRate) throws.
   * Returns the memory they took (null when already let go), which the store no longer touches:
   * the caller may make its own columns in it (its bytes are stale).
   */
  releaseRecent(): ArrayBuffer | null {
    const ring = this.recentInCents ? this.recentCents : this.recentRevenue;
    const buffer = this.recentReleased || ring.length === 0 ? null : (ring.buffer as ArrayBuffer);
    this.recentRevenue = new Float64Array(0);
    this.recentCents = new Int32Array(0);
    this.recentReleased = true;
    return buffer;
  }

  /** Whether releaseRecent has been called. */
  private recentReleased = false;

  /**
   * Lets every column go that is read only by the join (about 58 bytes a customer: costs, counts,
   * first and last revenue, churn flags, the answer's period and what came after it), once the join
   * has been made. What stays: ids, revenue, group, last period and the period bits, read by the
   * coverage (revenueAndGroup) and the lag (peekPeriodsAt). A full snapshot afterwards throws.
   */
  narrow(): void {
    this.releaseRecent();
    this.narrowed = true;
    this.cost = new Float64Array(0);
    this.costNull = new Uint8Array(0);
    this.rows = new Int32Array(0);
    this.firstPeriod = new Int32Array(0);
    this.firstRevenue = new Float64Array(0);
    this.lastRevenue = new Float64Array(0);
    this.churnFlag = new Int8Array(0);
    this.responsePeriod = new Int32Array(0);
    this.respondent = new Int32Array(0);
    this.nextAfterResponse = new Int32Array(0);
    this.revenueAfterResponse = new Float64Array(0);
    this.sumGroup = new Int32Array(0);
  }

  /** Whether narrow has been called. */
  private narrowed = false;

  /** The customer's number, made (with every field at its start value) for a new id. */
  slot(id: string, costIsNull: boolean): number {
    if (this.shared !== null) {
      let e = this.table.findString(id);
      let c = e < 0 ? -1 : this.customerAt(e);
      if (c >= 0) return c;
      c = this.make(e < 0 ? id : this.shared.idOf(e), costIsNull);
      if (e < 0) this.table.addString(id, (e = this.table.size));
      this.enter(e, c);
      return c;
    }
    let c = this.find(id);
    if (c >= 0) return c;
    c = this.make(id, costIsNull);
    this.table.addString(id, c);
    return c;
  }

  /** A new customer (every field at its start value), its id not yet in the table. */
  private make(id: string, costIsNull: boolean): number {
    if (this.narrowed) throw new Error("internal: a customer added after the store was narrowed");
    const c = this.ids.length;
    if (c >= this.capacity) this.grow();
    this.ids.push(id);
    this.costNull[c] = costIsNull ? 1 : 0;
    this.firstPeriod[c] = NONE;
    this.lastPeriod[c] = NONE;
    this.group[c] = -1;
    this.sumGroup[c] = UNSET;
    this.responsePeriod[c] = UNSET;
    this.respondent[c] = UNSET;
    this.nextAfterResponse[c] = NONE;
    return c;
  }

  /**
   * The customer's number for the id written by the ASCII bytes `bytes[start, end)`, as `slot`
   * for the string of those bytes; a string is made only for a new id.
   */
  slotOfBytes(bytes: Buffer, start: number, end: number, costIsNull: boolean): number {
    return this.slotOfHashedBytes(bytes, start, end, hashBytes(bytes, start, end), costIsNull);
  }

  /** slotOfBytes for bytes whose FNV-1a hash is known (`hash`, as hashBytes computes it: the bulk scanner does). */
  slotOfHashedBytes(bytes: Buffer, start: number, end: number, hash: number, costIsNull: boolean): number {
    if (this.shared !== null) {
      let e = this.table.findBytes(bytes, start, end, hash);
      let c = e < 0 ? -1 : this.customerAt(e);
      if (c >= 0) return c;
      // a respondent's id is the survey's string; any other is made from the bytes, once
      c = this.make(e < 0 ? bytes.toString("latin1", start, end) : this.shared.idOf(e), costIsNull);
      if (e < 0) this.table.addBytes(bytes, start, end, hash, (e = this.table.size));
      this.enter(e, c);
      return c;
    }
    let c = this.table.findBytes(bytes, start, end, hash);
    if (c >= 0) return c;
    // an ASCII id is in the table however it came (as bytes or as a string), so this one is new
    c = this.make(bytes.toString("latin1", start, end), costIsNull);
    this.table.addBytes(bytes, start, end, hash, c);
    return c;
  }

  /** Customer c's rows so far. */
  rowsOf(c: number): number {
    return this.rows[c]!;
  }

  /** Sets customer c's row count: a customer made from aggregates (one call a period) had more rows than periods where its periods repeated. */
  setRows(c: number, rows: number): void {
    this.rows[c] = rows;
  }

  /** The id of customer c. */
  idOf(c: number): string {
    return this.ids[c]!;
  }

  addMoney(c: number, revenue: number, cost: number | null, group: string | null): void {
    this.revenue[c]! += revenue;
    if (this.costNull[c] === 0 && cost !== null) this.cost[c]! += cost;
    this.rows[c]! += 1;
    if (group !== null) this.group[c] = this.code(group);
  }

  lastPeriodOf(c: number): number | null {
    const p = this.lastPeriod[c]!;
    return p === NONE ? null : p;
  }

  setChurnFlag(c: number, flag: boolean | null): void {
    this.churnFlag[c] = flag === null ? 0 : flag ? 2 : 1;
  }

  /** Marks a period as seen; true when it had been seen before. As markPeriod. */
  markPeriod(c: number, ordinal: number): boolean {
    if (this.bitWords[c] === 0) this.periodBase[c] = ordinal - 32;
    const offset = ordinal - this.periodBase[c]!;
    if (offset < 0) {
      let set = this.early.get(c);
      if (!set) this.early.set(c, (set = new Set()));
      if (set.has(ordinal)) return true;
      set.add(ordinal);
      return false;
    }
    const word = offset >>> 5;
    const bit = 1 << (offset & 31);
    // (the map is asked only when it holds a customer: most files have none)
    let wide = this.wide.size === 0 ? undefined : this.wide.get(c);
    if (!wide && word >= MAX_WORDS) {
      wide = Array.from(this.bits.subarray(c * this.words, c * this.words + this.bitWords[c]!));
      this.wide.set(c, wide);
    }
    if (wide) {
      while (wide.length <= word) wide.push(0);
      const seen = (wide[word]! & bit) !== 0;
      wide[word]! |= bit;
      return seen;
    }
    if (word >= this.words) this.widen(word + 1);
    if (this.bitWords[c]! <= word) this.bitWords[c] = word + 1;
    const at = c * this.words + word;
    const seen = (this.bits[at]! & bit) !== 0;
    this.bits[at]! |= bit;
    return seen;
  }

  /**
   * Keeps the revenue of a period among the 13 up to the customer's last; `seen`: the customer had
   * a row in this period before (markPeriod). Call before addPeriod (the last period before this row
   * is the one compared). A period 13 or more before the customer's last can never be among the
   * file's last 13 (the file's last period is never before the customer's), so it is not kept; a
   * period's place holds an older period's revenue only until the period's first row.
   */
  addRecent(c: number, ordinal: number, revenue: number, seen: boolean): void {
    const last = this.lastPeriod[c]!;
    if (last !== NONE && ordinal <= last - RECENT) return;
    this.keepRecent(c * RECENT + recentPlace(ordinal), revenue, seen);
  }

  /** Keeps revenue at place `at` of the ring (added to what is there when `seen`). */
  private keepRecent(at: number, revenue: number, seen: boolean): void {
    if (this.recentInCents) {
      const value = seen ? this.recentCents[at]! / 100 + revenue : revenue;
      const cents = Math.round(value * 100);
      // (−0 is kept as a number of its own: 1 / −0 is −Infinity)
      if (cents / 100 === value && cents <= 2147483647 && cents >= -2147483648 && (value !== 0 || 1 / value > 0)) {
        this.recentCents[at] = cents;
        return;
      }
      this.recentInNumbers();
    }
    if (seen) this.recentRevenue[at]! += revenue;
    else this.recentRevenue[at] = revenue;
  }

  /** The ring's value at place `at`. */
  private recentValue(at: number): number {
    return this.recentInCents ? this.recentCents[at]! / 100 : this.recentRevenue[at]!;
  }

  /** From cents to numbers, once: every place (a place not in use holds a stale value either way). */
  private recentInNumbers(): void {
    const cents = this.recentCents;
    const values = new Float64Array(cents.length);
    for (let k = 0; k < cents.length; k++) values[k] = cents[k]! / 100;
    this.recentRevenue = values;
    this.recentCents = new Int32Array(0);
    this.recentInCents = false;
  }

  /** The response period: undefined until asked, then null or the period. */
  responsePeriodOf(c: number): number | null | undefined {
    const p = this.responsePeriod[c]!;
    return p === UNSET ? undefined : p === NONE ? null : p;
  }

  setResponsePeriod(c: number, period: number | null): void {
    this.responsePeriod[c] = period === null ? NONE : period;
  }

  /** A period after the answer: the first such period, and the revenue in the window after it. */
  addAfterResponse(c: number, ordinal: number, revenue: number, window: number): void {
    const r = this.responsePeriod[c]!;
    const next = this.nextAfterResponse[c]!;
    if (next === NONE || ordinal < next) this.nextAfterResponse[c] = ordinal;
    if (ordinal <= r + window) this.revenueAfterResponse[c]! += revenue;
  }

  /** First and last period with their revenue. As addFinanceRow. */
  addPeriod(c: number, ordinal: number, revenue: number): void {
    const first = this.firstPeriod[c]!;
    if (first === NONE || ordinal < first) {
      this.firstPeriod[c] = ordinal;
      this.firstRevenue[c] = revenue;
    } else if (ordinal === first) this.firstRevenue[c]! += revenue;
    const last = this.lastPeriod[c]!;
    if (last === NONE || ordinal > last) {
      this.lastPeriod[c] = ordinal;
      this.lastRevenue[c] = revenue;
    } else if (ordinal === last) this.lastRevenue[c]! += revenue;
  }

  /**
   * The rows from..to−1 of a run of monthly rows of customer c, which has a row already (its
   * periods, response period and sum group are set): revenue at values[2i], cost at values[2i + 1]
   * (counted when `withCost`), the month ordinal at months[i]; each as addMoney (no group: the
   * run's group cells are its row before's), markPeriod, addRecent, addAfterResponse (with
   * `window`, when `afterResponse`) and addPeriod do, step for step. Stops before a row whose
   * period markPeriod keeps apart (before the customer's base, past the words it holds, or a
   * customer kept wide). Returns the rows done; `run` tells how many repeated a period, and the
   * smallest and largest month.
   */
  addMonthRun(c: number, values: Float64Array, months: Int32Array, from: number, to: number, withCost: boolean, afterResponse: boolean, window: number, run: MonthRun): number {
    if (this.bitWords[c] === 0 || (this.wide.size > 0 && this.wide.has(c))) return 0;
    const base = this.periodBase[c]!;
    const limit = 32 * Math.min(this.words, MAX_WORDS);
    const response = this.responsePeriod[c]!;
    if (afterResponse && response === UNSET) return 0;
    const countCost = withCost && this.costNull[c] === 0;
    const bitsAt = c * this.words;
    const recentAt = c * RECENT;
    let revenueSum = this.revenue[c]!;
    let costSum = this.cost[c]!;
    let used = this.bitWords[c]!;
    let first = this.firstPeriod[c]!;
    let last = this.lastPeriod[c]!;
    let firstRevenue = this.firstRevenue[c]!;
    let lastRevenue = this.lastRevenue[c]!;
    let next = this.nextAfterResponse[c]!;
    let after = this.revenueAfterResponse[c]!;
    let repeated = 0;
    let low = run.low;
    let high = run.high;
    let i = from;
    for (; i < to; i++) {
      const ordinal = months[i]!;
      const offset = ordinal - base;
      if (offset < 0 || offset >= limit) break;
      const revenue = values[2 * i]!;
      revenueSum += revenue;
      if (countCost) costSum += values[2 * i + 1]!;
      // markPeriod
      const word = offset >>> 5;
      const bit = 1 << (offset & 31);
      if (used <= word) used = word + 1;
      const seen = (this.bits[bitsAt + word]! & bit) !== 0;
      this.bits[bitsAt + word]! |= bit;
      if (seen) repeated++;
      // addRecent (against the last period before this row)
      if (last === NONE || ordinal > last - RECENT) {
        this.keepRecent(recentAt + recentPlace(ordinal), revenue, seen);
      }
      // addAfterResponse
      if (afterResponse && response !== NONE && ordinal > response) {
        if (next === NONE || ordinal < next) next = ordinal;
        if (ordinal <= response + window) after += revenue;
      }
      // addPeriod
      if (first === NONE || ordinal < first) {
        first = ordinal;
        firstRevenue = revenue;
      } else if (ordinal === first) firstRevenue += revenue;
      if (last === NONE || ordinal > last) {
        last = ordinal;
        lastRevenue = revenue;
      } else if (ordinal === last) lastRevenue += revenue;
      if (ordinal < low) low = ordinal;
      if (ordinal > high) high = ordinal;
    }
    this.revenue[c] = revenueSum;
    if (countCost) this.cost[c] = costSum;
    this.rows[c]! += i - from;
    this.bitWords[c] = used;
    this.firstPeriod[c] = first;
    this.lastPeriod[c] = last;
    this.firstRevenue[c] = firstRevenue;
    this.lastRevenue[c] = lastRevenue;
    this.nextAfterResponse[c] = next;
    this.revenueAfterResponse[c] = after;
    run.repeated += repeated;
    run.low = low;
    run.high = high;
    return i - from;
  }

  /** The index of customer c's latest answer (-1: it did not answer); undefined until set. */
  respondentOf(c: number): number | undefined {
    const i = this.respondent[c]!;
    return i === UNSET ? undefined : i;
  }

  setRespondent(c: number, index: number): void {
    this.respondent[c] = index;
  }

  setSumGroup(c: number, group: string | null): void {
    this.sumGroup[c] = this.code(group);
  }

  /** Whether the group customer c's money is summed under has not been set yet. */
  sumGroupUnasked(c: number): boolean {
    return this.sumGroup[c] === UNSET;
  }

  /** The code of the group customer c's money is summed under (an index into the store's names), negative for none. */
  sumGroupCode(c: number): number {
    return this.sumGroup[c]!;
  }

  sumGroupOf(c: number): string | null {
    const code = this.sumGroup[c]!;
    return code < 0 ? null : this.names[code]!;
  }

  /** A snapshot of customer c's sums. */
  private view(c: number): CustomerFinance {
    return this.fill(c, { revenue: 0, cost: null, rows: 0, firstPeriod: null, lastPeriod: null, firstRevenue: 0, lastRevenue: 0, periodBits: [], periodBase: 0, earlyPeriods: null, group: null, churnFlag: null, recentPeriods: [], recentRevenue: [], responsePeriod: null, nextAfterResponse: null, revenueAfterResponse: 0, sumGroup: null });
  }

  /** Customer c's sums written into `out`, its arrays refilled in place. */
  private fill(c: number, out: CustomerFinance): CustomerFinance {
    if (this.narrowed) throw new Error("internal: a customer's full sums were read after the store was narrowed to what follows the join");
    const first = this.firstPeriod[c]!;
    const last = this.lastPeriod[c]!;
    const group = this.group[c]!;
    const flag = this.churnFlag[c]!;
    const next = this.nextAfterResponse[c]!;
    out.revenue = this.revenue[c]!;
    out.cost = this.costNull[c] ? null : this.cost[c]!;
    out.rows = this.rows[c]!;
    out.firstPeriod = first === NONE ? null : first;
    out.lastPeriod = last === NONE ? null : last;
    out.firstRevenue = this.firstRevenue[c]!;
    out.lastRevenue = this.lastRevenue[c]!;
    this.fillPeriods(c, out);
    const bits = out.periodBits;
    const base = out.periodBase;
    const early = out.earlyPeriods;
    out.group = group < 0 ? null : this.names[group]!;
    out.churnFlag = flag === 0 ? null : flag === 2;
    if (this.recentReleased) {
      out.recentPeriods = RELEASED;
      out.recentRevenue = RELEASED;
    } else if (out.recentPeriods === RELEASED) {
      // (the scratch object of a store released and filled again)
      out.recentPeriods = [];
      out.recentRevenue = [];
    } else {
      out.recentPeriods.length = 0;
      out.recentRevenue.length = 0;
    }
    if (last !== NONE && !this.recentReleased) {
      // its periods with rows among the 13 up to its last (from the bits just copied), and the revenue kept for each
      for (let p = Math.max(first, last - RECENT + 1); p <= last; p++) {
        const offset = p - base;
        const word = offset >>> 5;
        const has = offset < 0 ? early !== null && early.has(p) : word < bits.length && (bits[word]! & (1 << (offset & 31))) !== 0;
        if (!has) continue;
        out.recentPeriods.push(p);
        out.recentRevenue.push(this.recentValue(c * RECENT + recentPlace(p)));
      }
    }
    out.responsePeriod = this.responsePeriodOf(c);
    out.nextAfterResponse = next === NONE ? null : next;
    out.revenueAfterResponse = this.revenueAfterResponse[c]!;
    out.sumGroup = this.sumGroupOf(c);
    return out;
  }

  get(id: string): CustomerFinance | undefined {
    const c = this.find(id);
    return c < 0 ? undefined : this.view(c);
  }

  /**
   * The same snapshot as get(id), written into one object that the next call overwrites: for a
   * pass over many customers that reads each snapshot before asking for the next (no object made
   * per customer).
   */
  peek(id: string): CustomerFinance | undefined {
    const c = this.numberOf(id);
    return c === undefined ? undefined : this.peekAt(c);
  }

  /** The customer's number (as slot gives it), undefined for an id without finance rows. */
  numberOf(id: string): number | undefined {
    const c = this.find(id);
    return c < 0 ? undefined : c;
  }

  /** peek for customer number c. */
  /**
   * Customer c's revenue in period p as revenueInOrNull reads it of a snapshot (where it has a row
   * in p and p is among the RECENT periods up to its last; null otherwise), without a snapshot: the
   * join reads three or four of them a customer.
   */
  recentRevenueAt(c: number, p: number): number | null {
    if (this.recentReleased) throw new Error("internal: the customers' recent revenue was read after the store released it");
    const first = this.firstPeriod[c]!;
    const last = this.lastPeriod[c]!;
    if (last === NONE || p > last || p < Math.max(first, last - RECENT + 1) || !this.hasPeriod(c, p)) return null;
    return this.recentValue(c * RECENT + recentPlace(p));
  }

  /** Customer c's first period with a row; null without periods. */
  firstPeriodAt(c: number): number | null {
    const first = this.firstPeriod[c]!;
    return first === NONE ? null : first;
  }

  /** Whether customer c has a row in period p: its bits (or its wide ones), or its early periods (fillPeriods' fields, read in place). */
  private hasPeriod(c: number, p: number): boolean {
    const offset = p - this.periodBase[c]!;
    if (offset < 0) return this.early.size !== 0 && (this.early.get(c)?.has(p) ?? false);
    const word = offset >>> 5;
    const bit = 1 << (offset & 31);
    const wide = this.wide.size === 0 ? undefined : this.wide.get(c);
    if (wide) return word < wide.length && (wide[word]! & bit) !== 0;
    return word < this.bitWords[c]! && (this.bits[c * this.words + word]! & bit) !== 0;
  }

  peekAt(c: number): CustomerFinance {
    return this.fill(c, this.scratch);
  }

  /**
   * Customer c's period bits and last period (the fields periodsOf and the lag read), in one object
   * that the next call overwrites; also after narrow.
   */
  peekPeriodsAt(c: number): Pick<CustomerFinance, "periodBits" | "periodBase" | "earlyPeriods" | "lastPeriod"> {
    const out = this.periodScratch;
    this.fillPeriods(c, out);
    const last = this.lastPeriod[c]!;
    out.lastPeriod = last === NONE ? null : last;
    return out;
  }

  /** Customer c's period bits (its array refilled in place), base and early periods, written into `out`. */
  private fillPeriods(c: number, out: Pick<CustomerFinance, "periodBits" | "periodBase" | "earlyPeriods">): void {
    // (the maps are asked only when they hold a customer: most files have none)
    const wide = this.wide.size === 0 ? undefined : this.wide.get(c);
    const bits = out.periodBits;
    if (wide) {
      bits.length = wide.length;
      for (let i = 0; i < wide.length; i++) bits[i] = wide[i]!;
    } else {
      const from = c * this.words;
      const count = this.bitWords[c]!;
      bits.length = count;
      for (let i = 0; i < count; i++) bits[i] = this.bits[from + i]!;
    }
    out.periodBase = this.periodBase[c]!;
    out.earlyPeriods = this.early.size === 0 ? null : (this.early.get(c) ?? null);
  }

  private readonly periodScratch: Pick<CustomerFinance, "periodBits" | "periodBase" | "earlyPeriods" | "lastPeriod"> = { periodBits: [], periodBase: 0, earlyPeriods: null, lastPeriod: null };

  private readonly scratch: CustomerFinance = { revenue: 0, cost: null, rows: 0, firstPeriod: null, lastPeriod: null, firstRevenue: 0, lastRevenue: 0, periodBits: [], periodBase: 0, earlyPeriods: null, group: null, churnFlag: null, recentPeriods: [], recentRevenue: [], responsePeriod: null, nextAfterResponse: null, revenueAfterResponse: 0, sumGroup: null };

  *keys(): IterableIterator<string> {
    yield* this.ids;
  }

  *values(): IterableIterator<CustomerFinance> {
    for (let c = 0; c < this.ids.length; c++) yield this.view(c);
  }

  *entries(): IterableIterator<[string, CustomerFinance]> {
    for (let c = 0; c < this.ids.length; c++) yield [this.ids[c]!, this.view(c)];
  }

  [Symbol.iterator](): IterableIterator<[string, CustomerFinance]> {
    return this.entries();
  }

  /** Each customer's number of periods with rows (periodsWithRows), without a snapshot; null without periods. */
  *periodCounts(): IterableIterator<number | null> {
    for (let c = 0; c < this.ids.length; c++) {
      if (this.lastPeriod[c] === NONE) {
        yield null;
        continue;
      }
      let count = this.early.get(c)?.size ?? 0;
      const wide = this.wide.get(c);
      const words = wide ?? this.bits.subarray(c * this.words, c * this.words + this.bitWords[c]!);
      for (let word of words) {
        while (word !== 0) {
          word &= word - 1;
          count++;
        }
      }
      yield count;
    }
  }

  /** Each customer's number, revenue and group, without a snapshot (for the coverage of every finance customer). */
  *revenueAndGroup(): IterableIterator<{ customer: number; revenue: number; group: string | null }> {
    for (let c = 0; c < this.ids.length; c++) {
      const group = this.group[c]!;
      yield { customer: c, revenue: this.revenue[c]!, group: group < 0 ? null : this.names[group]! };
    }
  }
}
