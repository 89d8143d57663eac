/**
 * Customer ids (or any short texts: a column's distinct cells, read/record-table.ts) to numbers
 * without a JavaScript Map: an open-addressing table over the ids' bytes.
 * Map.get and Map.set cost about 0.9 µs each for an id string just made from a file's bytes
 * (measured: 1M lookups in a Map of 880k ids), the table a few probes of typed arrays. An id of
 * ASCII characters (one byte a character, the same bytes as bytes or as a string) is kept in the
 * table; any other id (only ever given as a string: the byte paths take ASCII ids only) in a Map.
 */

/** FNV-1a (32 bits) of bytes[start, end). */
export function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
  return hash;
}

/** An entry's fields in IdTable's `entries`: ENTRY numbers from ENTRY · e. */
const ENTRY = 4;
const START = 0;
const LENGTH = 1;
const VALUE = 2;
const HASH = 3;

export class IdTable {
  /** Entry number + 1 at each place (0: empty); its length a power of two, at most half full. */
  private table: Int32Array;
  private keys: Uint8Array;
  private used = 0;
  /**
   * Per entry, side by side (one cache line for a lookup, where four arrays cost a miss each on a
   * table of a million ids): where its key starts in `keys`, its length, its value, and its hash
   * (checked before the key, and used to place it again when the table grows).
   */
  private entries: Int32Array;
  private count = 0;
  /** The ids that are not ASCII. */
  private readonly others = new Map<string, number>();

  /** `places`: the table's starting size (a power of two); it doubles as it fills. */
  constructor(places = 1024) {
    this.table = new Int32Array(places);
    this.keys = new Uint8Array(64 * places);
    this.entries = new Int32Array(ENTRY * places);
  }

  get size(): number {
    return this.count + this.others.size;
  }

  /** The value of the id written by bytes[start, end) (ASCII), whose FNV-1a hash is `hash`; -1 when absent. */
  findBytes(bytes: Uint8Array, start: number, end: number, hash: number): number {
    const length = end - start;
    const table = this.table;
    const mask = table.length - 1;
    const keys = this.keys;
    const entries = this.entries;
    // (as the Int32Array holds it: FNV's start value is above 2^31, the empty id's hash)
    const tag = hash | 0;
    for (let h = hash & mask; ; h = (h + 1) & mask) {
      const entry = table[h]!;
      if (entry === 0) return -1;
      const at = ENTRY * (entry - 1);
      if (entries[at + HASH] !== tag || entries[at + LENGTH] !== length) continue;
      const from = entries[at + START]!;
      let i = 0;
      while (i < length && keys[from + i] === bytes[start + i]) i++;
      if (i === length) return entries[at + VALUE]!;
    }
  }

  /** The value of an id given as a string; -1 when absent. */
  findString(id: string): number {
    const length = id.length;
    let hash = 0x811c9dc5;
    for (let i = 0; i < length; i++) {
      const code = id.charCodeAt(i);
      if (code >= 0x80) return this.others.get(id) ?? -1;
      hash = Math.imul(hash ^ code, 0x01000193);
    }
    const table = this.table;
    const mask = table.length - 1;
    const keys = this.keys;
    const entries = this.entries;
    // (as the Int32Array holds it: FNV's start value is above 2^31, the empty id's hash)
    const tag = hash | 0;
    for (let h = hash & mask; ; h = (h + 1) & mask) {
      const entry = table[h]!;
      if (entry === 0) return -1;
      const at = ENTRY * (entry - 1);
      if (entries[at + HASH] !== tag || entries[at + LENGTH] !== length) continue;
      const from = entries[at + START]!;
      let i = 0;
      while (i < length && keys[from + i] === id.charCodeAt(i)) i++;
      if (i === length) return entries[at + VALUE]!;
    }
  }

  /** Adds the id bytes[start, end) (not in the table: the caller has looked) with its value: ASCII for findString to find it; any bytes in a table read by findBytes alone. */
  addBytes(bytes: Uint8Array, start: number, end: number, hash: number, value: number): void {
    const length = end - start;
    const at = this.reserve(length, value, hash);
    this.keys.set(bytes.subarray(start, end), at);
  }

  /** Adds an id given as a string (not here: the caller has looked) with its value. */
  addString(id: string, value: number): void {
    let hash = 0x811c9dc5;
    for (let i = 0; i < id.length; i++) {
      const code = id.charCodeAt(i);
      if (code >= 0x80) {
        this.others.set(id, value);
        return;
      }
      hash = Math.imul(hash ^ code, 0x01000193);
    }
    const at = this.reserve(id.length, value, hash);
    for (let i = 0; i < id.length; i++) this.keys[at + i] = id.charCodeAt(i);
  }

  /** A new entry (placed in the table), its value and its key's room (the offset in `keys` returned, for the caller to write). */
  private reserve(length: number, value: number, hash: number): number {
    if (this.used + length > this.keys.length) {
      const keys = new Uint8Array(Math.max(this.keys.length * 2, this.used + length));
      keys.set(this.keys.subarray(0, this.used));
      this.keys = keys;
    }
    const e = this.count;
    if (ENTRY * e === this.entries.length) {
      const grown = new Int32Array(this.entries.length * 2);
      grown.set(this.entries);
      this.entries = grown;
    }
    const at = this.used;
    this.entries[ENTRY * e + START] = at;
    this.entries[ENTRY * e + LENGTH] = length;
    this.entries[ENTRY * e + VALUE] = value;
    this.entries[ENTRY * e + HASH] = hash;
    this.used += length;
    this.count = e + 1;
    if (this.count * 2 > this.table.length) this.rehash(this.table.length * 2);
    else this.place(e, hash);
    return at;
  }

  /** Puts entry e in the table (a free place from its hash's). */
  private place(e: number, hash: number): void {
    const mask = this.table.length - 1;
    let h = hash & mask;
    while (this.table[h] !== 0) h = (h + 1) & mask;
    this.table[h] = e + 1;
  }

  /** A table of `size` places with every entry. */
  private rehash(size: number): void {
    this.table = new Int32Array(size);
    for (let e = 0; e < this.count; e++) this.place(e, this.entries[ENTRY * e + HASH]!);
  }
}
