/**
 * The bound on what a stream's readers hold for the consumer (the writer): records read from
 * the API and not yet taken. Before each list request a reader asks for room for a page; it
 * waits (first come, first served) while the records held plus the pages being asked for would
 * pass the limit, and the records are given back when the consumer takes the batch that
 * carries them. A slow writer so slows the readers down instead of letting pages pile up in
 * the buffers between them; a fast one never makes them wait (the limit leaves room for every
 * window's request at once). Sub-resource reads are not held back: the page waiting for them is
 * next in line for the consumer, so waiting on them could never free room.
 */
import type { Gate } from "./merge.ts";

/** Records a stream may hold, in pages of `page_size`: every cursor window's request in flight, and two pages to hand over. */
export const PAGES_HELD = 10;

/** The records read and not yet taken of one stream, bounded (see above). */
export class Backlog implements Gate {
  #held = 0;
  #asked = 0;
  #peak = 0;
  readonly #waiting: (() => void)[] = [];
  /** What each piece read through the gate holds, then each batch that carries it. */
  readonly #weights = new WeakMap<object, number>();

  /**
   * `limit` records; `pageSize` records asked for per request; `weigh` tells the records a
   * piece read holds (until the consumer takes the batch carrying it).
   */
  constructor(readonly limit: number, readonly pageSize: number, readonly weigh: (piece: unknown) => number) {}

  /** The most records held at once (a debug counter, reported by `stream-end`). */
  get peak(): number {
    return this.#peak;
  }

  /** Waits for room for a page (a request always goes when nothing is held or asked); false when `signal` ends the wait. */
  async enter(signal: AbortSignal): Promise<boolean> {
    if (this.#waiting.length === 0 && this.#fits()) {
      this.#asked += this.pageSize;
      return true;
    }
    return await new Promise<boolean>((resolve) => {
      const grant = () => {
        signal.removeEventListener("abort", abandon);
        resolve(true);
      };
      const abandon = () => {
        const at = this.#waiting.indexOf(grant);
        if (at >= 0) this.#waiting.splice(at, 1);
        resolve(false);
      };
      this.#waiting.push(grant);
      signal.addEventListener("abort", abandon, { once: true });
    });
  }

  /** The request `enter` made room for has answered: `piece` (undefined at the end, or on a failure) now holds its records. */
  leave(piece: unknown): void {
    this.#asked -= this.pageSize;
    if (typeof piece === "object" && piece !== null) {
      const records = this.weigh(piece);
      this.#held += records;
      this.#peak = Math.max(this.#peak, this.#held);
      this.#weights.set(piece, records);
    }
    this.#grant();
  }

  /** Moves what `piece` holds to the batch `carrier` built from it (nothing for a piece read without the gate). */
  carry(piece: unknown, carrier: object): void {
    if (typeof piece !== "object" || piece === null) return;
    const records = this.#weights.get(piece);
    if (records === undefined) return;
    this.#weights.delete(piece);
    this.#weights.set(carrier, (this.#weights.get(carrier) ?? 0) + records);
  }

  /** The consumer took `carrier`: its records no longer count. */
  release(carrier: object): void {
    const records = this.#weights.get(carrier);
    if (records === undefined) return;
    this.#weights.delete(carrier);
    this.#held -= records;
    this.#grant();
  }

  #fits(): boolean {
    return this.#held + this.#asked === 0 || this.#held + this.#asked + this.pageSize <= this.limit;
  }

  /** Lets the waiting readers go, in order, while there is room. */
  #grant(): void {
    while (this.#waiting.length > 0 && this.#fits()) {
      this.#asked += this.pageSize;
      this.#waiting.shift()!();
    }
  }
}
