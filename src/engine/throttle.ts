/**
 * Pacing from BigCommerce's rate-limit headers. The quota is per store and shared by every
 * app, so the throttle spends what the headers say is left (less a reserve), then waits for
 * the window to reset instead of running into 429s. It also bounds requests in flight.
 */

/** What the `X-Rate-Limit-*` headers said last. */
export interface RateLimitReading {
  quota: number;
  left: number;
  windowMs: number;
  resetMs: number;
}

/** Reads the rate-limit headers of a response; undefined when they are absent. */
export function readRateLimit(headers: Headers): RateLimitReading | undefined {
  const num = (name: string) => {
    const raw = headers.get(name);
    const n = raw === null ? NaN : Number(raw);
    return Number.isFinite(n) ? n : undefined;
  };
  const left = num("x-rate-limit-requests-left");
  const resetMs = num("x-rate-limit-time-reset-ms");
  if (left === undefined || resetMs === undefined) return undefined;
  return {
    left,
    resetMs,
    quota: num("x-rate-limit-requests-quota") ?? left,
    windowMs: num("x-rate-limit-time-window-ms") ?? resetMs,
  };
}

/** Sleeps for `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/** Shares one store's quota among the requests of a run. */
export class Throttle {
  #left = Infinity;
  #resetAt = 0;
  #pausedUntil = 0;
  #inFlight = 0;
  #waiters: (() => void)[] = [];
  /** Milliseconds spent waiting for the quota. */
  waitedMs = 0;
  /** The last quota the headers reported. */
  quota: number | undefined;

  constructor(readonly maxConcurrency: number, readonly reserve: number, private readonly now: () => number = Date.now) {}

  /** Waits until a request may be sent; call `release` with its response headers afterwards. */
  async acquire(): Promise<void> {
    for (;;) {
      while (this.#inFlight >= this.maxConcurrency) await new Promise<void>((r) => this.#waiters.push(r));
      const now = this.now();
      let waitUntil = this.#pausedUntil;
      if (now >= this.#resetAt && this.#left !== Infinity && this.#resetAt > 0) {
        // The window has turned over since the last reading: the quota is fresh.
        this.#left = this.quota ?? Infinity;
      }
      if (this.#left - this.#inFlight <= this.reserve) waitUntil = Math.max(waitUntil, this.#resetAt);
      if (waitUntil <= now) break;
      const start = now;
      await sleep(waitUntil - now + 5);
      this.waitedMs += this.now() - start;
    }
    this.#inFlight++;
  }

  /** Records a finished request and what its headers said. */
  release(reading: RateLimitReading | undefined): void {
    this.#inFlight--;
    if (reading) {
      this.quota = reading.quota;
      this.#left = reading.left;
      this.#resetAt = this.now() + reading.resetMs;
    }
    this.#waiters.shift()?.();
  }

  /** Stops every request until `ms` from now (after a 429). */
  pause(ms: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, this.now() + ms);
  }
}
