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

export class IdTable {
  /** Entry number + 1 at each place (0: empty); its length a power of two, at most half full. */
  private table: Int32Array;
  private keys: Uint8Array;
  private used = 0;
  private keyStart: Int32Array;
  private keyLength: Int32Array;
  private values: Int32Array;
  /** Each entry's hash, to place it again when the table grows. */
  private hashes: Int32Array;
  private count = 0;
  /** The ids that are not ASCII. */
  private readonly others = new Map<string, number>();

  /** `places`: the table's starting size (a power of two); it doubles as it fills. */
  constructor(places = 1024) {
    this.table = new Int32Array(places);
    this.keys = new Uint8Array(64 * places);
    this.keyStart = new Int32Array(places);
    this.keyLength = new Int32Array(places);
    this.values = new Int32Array(places);
    this.hashes = new Int32Array(places);
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
    for (let h = hash & mask; ; h = (h + 1) & mask) {
      const entry = table[h]!;
      if (entry === 0) return -1;
      const e = entry - 1;
      if (this.keyLength[e] !== length) continue;
      const from = this.keyStart[e]!;
      let i = 0;
      while (i < length && keys[from + i] === bytes[start + i]) i++;
      if (i === length) return this.values[e]!;
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
    for (let h = hash & mask; ; h = (h + 1) & mask) {
      const entry = table[h]!;
      if (entry === 0) return -1;
      const e = entry - 1;
      if (this.keyLength[e] !== length) continue;
      const from = this.keyStart[e]!;
      let i = 0;
      while (i < length && keys[from + i] === id.charCodeAt(i)) i++;
      if (i === length) return this.values[e]!;
    }
  }

  /** Adds the ASCII id bytes[start, end) (not in the table: the caller has looked) with its value. */
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
    if (e === this.values.length) {
      const grown = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.keyStart = grown(this.keyStart);
      this.keyLength = grown(this.keyLength);
      this.values = grown(this.values);
      this.hashes = grown(this.hashes);
    }
    const at = this.used;
    this.keyStart[e] = at;
    this.keyLength[e] = length;
    this.values[e] = value;
    this.hashes[e] = hash;
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
    for (let e = 0; e < this.count; e++) this.place(e, this.hashes[e]!);
  }
}
