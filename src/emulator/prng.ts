/** A tiny seeded PRNG (mulberry32) and the helpers the store generator draws with. */

/** Hashes a string or number seed to a 32-bit unsigned integer (FNV-1a over the decimal text). */
export function hashSeed(seed: string | number): number {
  const text = String(seed);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A seeded random source (mulberry32) with the draws the generator needs. Its whole state is one 32-bit number (`state`). */
export class Rng {
  /** mulberry32's state. */
  #a: number;

  /** `seed` plus a `stream` name: each stream (orders, customers, …) draws independently. */
  constructor(seed: string | number, stream = "") {
    this.#a = hashSeed(`${seed}/${stream}`);
  }

  /** A source that continues from a saved `state` (draws exactly what the saved source drew next). */
  static at(state: number): Rng {
    const rng = new Rng(0);
    rng.#a = state >>> 0;
    return rng;
  }

  /** The current state: `Rng.at(state)` replays the draws from here. */
  get state(): number {
    return this.#a;
  }

  private next(): number {
    this.#a = (this.#a + 0x6d2b79f5) >>> 0;
    let t = this.#a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A float in [0, 1). */
  float(): number {
    return this.next();
  }

  /** An integer in [min, max] (inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** One key of a weight table, drawn by weight. */
  weighted<K extends string | number>(table: ReadonlyArray<readonly [K, number]>): K {
    const total = table.reduce((sum, [, w]) => sum + w, 0);
    let x = this.next() * total;
    for (const [key, w] of table) {
      x -= w;
      if (x < 0) return key;
    }
    return table[table.length - 1]![0];
  }

  /** `count` distinct elements (or all of them when there are fewer), in draw order. */
  sample<T>(items: readonly T[], count: number): T[] {
    const pool = items.slice();
    const out: T[] = [];
    while (out.length < count && pool.length > 0) {
      const i = Math.floor(this.next() * pool.length);
      out.push(pool[i] as T);
      pool[i] = pool[pool.length - 1] as T;
      pool.pop();
    }
    return out;
  }

  /** A string of `length` characters from `alphabet`. */
  chars(length: number, alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"): string {
    let s = "";
    for (let i = 0; i < length; i++) s += alphabet[Math.floor(this.next() * alphabet.length)];
    return s;
  }

  /** A version-4-shaped UUID drawn from this source. */
  uuid(): string {
    const hex = this.chars(32, "0123456789abcdef").split("");
    hex[12] = "4";
    hex[16] = "89ab"[Math.floor(this.next() * 4)]!;
    const h = hex.join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
}
