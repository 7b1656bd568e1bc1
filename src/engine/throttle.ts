/**
 * Pacing from BigCommerce's rate-limit headers, with adaptive concurrency. The quota is per
 * store and shared by every app, so the throttle never spends more than the headers say is
 * left (less `rate_limit_reserve`), waiting for the window to reset instead of running into
 * 429s. Within that hard bound, the number of requests in flight adapts: it grows while the
 * quota would last the window and the latency holds (a slower store holds it where it is),
 * and shrinks on a 429 or when the requests left fall faster than the window replenishes
 * them. Without rate-limit headers it steers by latency and 429s alone: responses slowing
 * down shrink it. Latency is judged per kind of request, smoothed, against that kind's best
 * (one slow answer is noise, not strain). Never above `maxConcurrency`.
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

/** How a finished request went, for the concurrency controller. */
export interface Outcome {
  /** The rate-limit headers of the response, when there was one and it had them. */
  reading?: RateLimitReading;
  /** Milliseconds from sending to the response (undefined for a network error). */
  latencyMs?: number;
  /** A kind of request whose latency is comparable (the path without ids); latency is judged per kind. */
  kind?: string;
  /** The response was a 429. */
  throttled?: boolean;
}

/** Requests in flight a run starts with, before it has seen how the store answers. */
const INITIAL_CONCURRENCY = 2;
/** A kind's smoothed latency above this multiple of its best (plus `LATENCY_SLACK_MS`) means the store is straining. */
const LATENCY_TOLERANCE = 2;
const LATENCY_SLACK_MS = 50;
/** Weight of the newest response in a kind's smoothed latency. */
const LATENCY_SMOOTHING = 0.25;

/** Shares one store's quota among the requests of a run, adapting how many are in flight. */
export class Throttle {
  #left = Infinity;
  #resetAt = 0;
  #pausedUntil = 0;
  #inFlight = 0;
  #limit: number;
  /** Slow start: double per round trip until the first sign of a limit, then grow by one per round trip. */
  #slowStart = true;
  #grown = 0;
  #lastShrink = -Infinity;
  #latency = NaN;
  /** Per kind of request: its best latency and its smoothed latency. */
  readonly #kinds = new Map<string, { best: number; smoothed: number }>();
  #waiters: (() => void)[] = [];
  /** Milliseconds spent waiting for the quota. */
  waitedMs = 0;
  /** The last quota the headers reported. */
  quota: number | undefined;
  /** The last window length the headers reported. */
  windowMs: number | undefined;
  /** The most requests that were in flight at once. */
  peakInFlight = 0;
  /** Told before a wait for the quota window (ms). */
  onWait: ((ms: number) => void) | undefined;

  constructor(readonly maxConcurrency: number, readonly reserve: number, private readonly now: () => number = Date.now) {
    this.#limit = Math.min(maxConcurrency, INITIAL_CONCURRENCY);
  }

  /** Requests allowed in flight now (adapts between 1 and `maxConcurrency`). */
  get concurrency(): number {
    return this.#limit;
  }

  /** Requests in flight now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Waits until a request may be sent; call `release` with how it went afterwards. */
  async acquire(): Promise<void> {
    for (;;) {
      while (this.#inFlight >= this.#limit) await new Promise<void>((r) => this.#waiters.push(r));
      const now = this.now();
      let waitUntil = this.#pausedUntil;
      if (now >= this.#resetAt && this.#left !== Infinity && this.#resetAt > 0) {
        // The window has turned over since the last reading: the quota is fresh.
        this.#left = this.quota ?? Infinity;
      }
      // Never more in flight than the quota has left, less the reserve for other apps.
      if (this.#left - this.#inFlight <= this.reserve) waitUntil = Math.max(waitUntil, this.#resetAt);
      if (waitUntil <= now) break;
      const start = now;
      this.onWait?.(waitUntil - now);
      await sleep(waitUntil - now + 5);
      this.waitedMs += this.now() - start;
    }
    this.#inFlight++;
    this.peakInFlight = Math.max(this.peakInFlight, this.#inFlight);
  }

  /** Records a finished request and adapts the concurrency to what it showed. */
  release(outcome: Outcome = {}): void {
    this.#inFlight--;
    const { reading } = outcome;
    if (reading) {
      this.quota = reading.quota;
      this.windowMs = reading.windowMs;
      this.#left = reading.left;
      this.#resetAt = this.now() + reading.resetMs;
    }
    this.#adapt(outcome);
    this.#wake();
  }

  /** Stops every request until `ms` from now (after a 429 or platform overload). */
  pause(ms: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, this.now() + ms);
  }

  #adapt({ reading, latencyMs, kind, throttled }: Outcome): void {
    if (throttled) return this.#shrink(true);
    if (latencyMs === undefined) return;
    this.#latency = Number.isNaN(this.#latency) ? latencyMs : 0.8 * this.#latency + 0.2 * latencyMs;
    const key = kind ?? "";
    const seen = this.#kinds.get(key);
    const best = Math.min(seen?.best ?? Infinity, latencyMs);
    const smoothed = seen ? (1 - LATENCY_SMOOTHING) * seen.smoothed + LATENCY_SMOOTHING * latencyMs : latencyMs;
    this.#kinds.set(key, { best, smoothed });
    const straining = smoothed > best * LATENCY_TOLERANCE + LATENCY_SLACK_MS;
    if (reading) {
      // At this pace (limit requests per round trip), would what is left last until the reset?
      const spendable = reading.left - this.reserve;
      const lastsMs = spendable <= 0 ? 0 : (spendable * this.#latency) / this.#limit;
      if (lastsMs < reading.resetMs) return this.#shrink(false);
      // The quota is the store's own word on what it can take: slower answers hold the limit, they do not cut it.
      if (!straining) this.#grow();
      return;
    }
    if (straining) return this.#shrink(false);
    this.#grow();
  }

  #grow(): void {
    if (this.#limit >= this.maxConcurrency || this.#inFlight + 1 < this.#limit) return; // only grow when the limit binds
    if (this.#slowStart || ++this.#grown >= this.#limit) {
      this.#limit++;
      this.#grown = 0;
    }
  }

  /** One step down (at most once per round trip), or halved on a 429. */
  #shrink(halve: boolean): void {
    this.#slowStart = false;
    this.#grown = 0;
    const now = this.now();
    const roundTrip = Number.isNaN(this.#latency) ? 0 : this.#latency;
    if (!halve && now - this.#lastShrink < roundTrip) return;
    this.#lastShrink = now;
    this.#limit = Math.max(1, halve ? Math.floor(this.#limit / 2) : this.#limit - 1);
  }

  #wake(): void {
    // The limit may have grown: wake as many waiters as may now go.
    let free = this.#limit - this.#inFlight;
    while (free-- > 0 && this.#waiters.length > 0) this.#waiters.shift()?.();
  }
}
