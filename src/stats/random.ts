/**
 * Seeded pseudo-random numbers: xoshiro128** seeded through splitmix32. Same seed, same
 * sequence, on every platform (32-bit integer arithmetic only).
 */

export interface Random {
  /** Uniform on [0, 1). */
  next(): number;
  /** Fills `out` with the next out.length values of next(), in one loop (the same values, without a call each). */
  fill(out: Float64Array): void;
  /** Standard normal (Box-Muller; both values of a pair are used). */
  normal(): number;
  /** Uniform whole number in [min, max]. */
  integer(min: number, max: number): number;
  /** true with probability p. */
  chance(p: number): boolean;
  /** One element, uniformly. */
  pick<T>(items: readonly T[]): T;
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** The four state words of a generator made by createRandom, to read and to set (for a kernel that runs the same generator elsewhere). */
export interface RandomState {
  get(): [number, number, number, number];
  set(state: readonly [number, number, number, number]): void;
}

const states = new WeakMap<Random, RandomState>();

/**
 * The state of `random` if createRandom made it (not a copy or a stand-in: those have none), so
 * that code running xoshiro128** elsewhere (stats/kernels) can continue its sequence and hand it
 * back. The words are unsigned 32-bit integers.
 */
export function randomState(random: Random): RandomState | undefined {
  return states.get(random);
}

/**
 * A generator for the given seed (any integer; taken modulo 2^32).
 * @example createRandom(1).next() // => the same number on every run
 */
export function createRandom(seed: number): Random {
  const init = splitmix32(seed);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5) >>> 0, 7), 9) >>> 0;
    const t = (b << 9) >>> 0;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d >>> 0, 11);
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    return result;
  };
  let spare: number | null = null;
  const random: Random = {
    next: () => nextUint32() / 4294967296,
    fill: (out) => {
      // nextUint32 written out, on local copies of the state
      let s0 = a;
      let s1 = b;
      let s2 = c;
      let s3 = d;
      for (let i = 0; i < out.length; i++) {
        const x = Math.imul(s1, 5) >>> 0;
        const result = Math.imul(((x << 7) | (x >>> 25)) >>> 0, 9) >>> 0;
        const t = (s1 << 9) >>> 0;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 >>>= 0;
        s3 = ((s3 << 11) | (s3 >>> 21)) >>> 0;
        s0 >>>= 0;
        s1 >>>= 0;
        s2 >>>= 0;
        out[i] = result / 4294967296;
      }
      a = s0;
      b = s1;
      c = s2;
      d = s3;
    },
    normal: () => {
      if (spare !== null) {
        const value = spare;
        spare = null;
        return value;
      }
      let u = 0;
      while (u === 0) u = random.next();
      const v = random.next();
      const radius = Math.sqrt(-2 * Math.log(u));
      spare = radius * Math.sin(2 * Math.PI * v);
      return radius * Math.cos(2 * Math.PI * v);
    },
    integer: (min, max) => min + Math.floor(random.next() * (max - min + 1)),
    chance: (p) => random.next() < p,
    pick: (items) => items[Math.floor(random.next() * items.length)]!,
  };
  states.set(random, {
    get: () => [a, b, c, d],
    set: (state) => {
      // a pending normal() value stays pending, as it does across fill()
      [a, b, c, d] = state.map((word) => word >>> 0) as [number, number, number, number];
    },
  });
  return random;
}

/** The next 32-bit value of the xoshiro128** generator whose four state words are words[at .. at + 3], which it advances (createRandom's step, on words kept elsewhere). */
export function nextOfWords(words: Uint32Array, at: number): number {
  const s1 = words[at + 1]!;
  const result = Math.imul(rotl(Math.imul(s1, 5) >>> 0, 7), 9) >>> 0;
  const t = (s1 << 9) >>> 0;
  const s2 = words[at + 2]! ^ words[at]!;
  const s3 = words[at + 3]! ^ s1;
  words[at + 1] = s1 ^ s2;
  words[at] = words[at]! ^ s3;
  words[at + 2] = s2 ^ t;
  words[at + 3] = rotl(s3 >>> 0, 11);
  return result;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
