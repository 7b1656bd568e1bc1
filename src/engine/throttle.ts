/**
 * Pacing from BigCommerce's rate-limit headers, with adaptive concurrency. The quota is per
 * store and shared by every app, so the throttle never spends more than the headers say is
 * left (less `rate_limit_reserve`): it spends the window down to the reserve, then waits for
 * the window to surely have ended, instead of running into 429s. Each header reading is tied
 * to the quota window it was measured in (by the window end it implies), so a late answer
 * from a window that has ended neither refills nor drains the present one. Within that hard
 * bound, the number of requests in flight adapts to the latency: it grows while the latency
 * holds (a slower store holds it where it is) and halves on a 429; while a window's quota is
 * spent, the quota holds requests back and the limit waits, as it is, for the next window.
 * Without rate-limit headers it steers by latency and 429s alone: responses slowing down
 * shrink it. Latency is judged per kind of request, smoothed, against that kind's best (one
 * slow answer is noise, not strain). Never above `maxConcurrency`.
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
const INITIAL_CONCURRENCY = 8;
/** A kind's smoothed latency above this multiple of its best (plus `LATENCY_SLACK_MS`) means the store is straining. */
const LATENCY_TOLERANCE = 2;
const LATENCY_SLACK_MS = 50;
/** Weight of the newest response in a kind's smoothed latency. */
const LATENCY_SMOOTHING = 0.25;

/** The least margin for sending into the next window before its latest end (requests are held up by the client itself, by tens of ms under load). */
const MIN_MARGIN_MS = 50;

/** A request let through by `acquire`: hand it back to `release` with how it went. */
export interface Ticket {
  /** When it was let through (sent). */
  readonly sentAt: number;
}

/**
 * One quota window as the readings attributed to it place it. A reading is measured somewhere
 * between its request's send and its response, so it places the window's end between
 * `sent + reset` and `received + reset`; every reading of the same window narrows that.
 */
interface QuotaWindow {
  /** The window cannot end before this, nor after `endsBy`. */
  endsAfter: number;
  endsBy: number;
  quota: number;
  windowMs: number;
  /**
   * The fewest requests left any of its readings reported (the one measured last: within a
   * window the count only falls, whatever order the answers arrive in); the quota while the
   * window is presumed open.
   */
  left: number;
  /** No reading of this window yet: presumed open because the previous one surely ended. */
  presumed: boolean;
}

/**
 * From when a request sent is counted in the next window. `endsAfter` is the end less the
 * shortest time any of the window's requests took to be counted (`sent + reset` is the end
 * less that request's time), so a request sent then is counted at the end or after, opening
 * the next window without a gap of a round trip; a quarter of the span (at least
 * `MIN_MARGIN_MS`, never past `endsBy`) is the margin for a request counted sooner than any
 * before it (that would be a 429). A window presumed open has no readings: its end is only
 * presumed, as late as it can be.
 */
function sendsIntoNext(window: QuotaWindow): number {
  if (window.presumed) return window.endsBy;
  return Math.min(window.endsBy, window.endsAfter + Math.max((window.endsBy - window.endsAfter) / 4, MIN_MARGIN_MS));
}

/** Shares one store's quota among the requests of a run, adapting how many are in flight. */
export class Throttle {
  /** The window requests are counted in now (undefined before the first reading: no known quota). */
  #window: QuotaWindow | undefined;
  /** The last window that had readings, while `#window` is presumed open after it (to recognise its late readings). */
  #previous: QuotaWindow | undefined;
  #pausedUntil = 0;
  readonly #flying = new Set<Ticket>();
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
  /** Readings set aside because they were measured in a quota window that had already ended. */
  staleReadings = 0;
  /** Told before a wait for the quota window (ms). */
  onWait: ((ms: number) => void) | undefined;

  /** `now` and `wait` are the clock (a test may run the throttle on a virtual one). */
  constructor(
    readonly maxConcurrency: number,
    readonly reserve: number,
    private readonly now: () => number = Date.now,
    private readonly wait: (ms: number) => Promise<void> = sleep,
  ) {
    this.#limit = Math.min(maxConcurrency, INITIAL_CONCURRENCY);
  }

  /** Requests allowed in flight now (adapts between 1 and `maxConcurrency`). */
  get concurrency(): number {
    return this.#limit;
  }

  /** Requests in flight now. */
  get inFlight(): number {
    return this.#flying.size;
  }

  /**
   * Requests the current quota window surely still has (before the reserve): its fewest left,
   * less every request in flight. Requests are not counted by the store in the order they are
   * sent (the client's own queueing under load can reorder them by 100 ms and more), so any of
   * them may be missing from that reading: one counted twice until it answers is the safe
   * side, one missed is a 429. Infinity while no quota is known.
   */
  get left(): number {
    const window = this.#current(this.now());
    return window ? window.left - this.#flying.size : Infinity;
  }

  /** Waits until a request may be sent; give the ticket to `release` with how it went afterwards. */
  async acquire(): Promise<Ticket> {
    for (;;) {
      while (this.#flying.size >= this.#limit) await new Promise<void>((r) => this.#waiters.push(r));
      const now = this.now();
      let waitUntil = this.#pausedUntil;
      // Never more sent into the window than it has left, less the reserve for other apps: spend down to it, then
      // wait for the window to surely have ended.
      if (this.left <= this.reserve) waitUntil = Math.max(waitUntil, sendsIntoNext(this.#window!));
      if (waitUntil <= now) break;
      const start = now;
      this.onWait?.(waitUntil - now);
      await this.wait(waitUntil - now + 1);
      this.waitedMs += this.now() - start;
    }
    const ticket = { sentAt: this.now() };
    this.#flying.add(ticket);
    this.peakInFlight = Math.max(this.peakInFlight, this.#flying.size);
    return ticket;
  }

  /** Records a finished request (its rate-limit reading tied to the window it was measured in) and adapts the concurrency. */
  release(ticket: Ticket, outcome: Outcome = {}): void {
    this.#flying.delete(ticket);
    const { reading } = outcome;
    const current = reading !== undefined && this.#attribute(ticket, this.now(), reading);
    this.#adapt(outcome, current);
    this.#wake();
  }

  /** Stops every request until `ms` from now (after a 429 or platform overload). */
  pause(ms: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, this.now() + ms);
  }

  /** The window requests sent now count in: once they would be counted after the known one's end, a fresh one is presumed open. */
  #current(now: number): QuotaWindow | undefined {
    const window = this.#window;
    if (!window || now < sendsIntoNext(window)) return window;
    if (!window.presumed) this.#previous = window;
    // Its end is not known until a reading of it arrives; presume the earliest, so that without readings it is presumed over again.
    this.#window = { ...window, presumed: true, left: window.quota, endsAfter: now + window.windowMs, endsBy: now + window.windowMs };
    return this.#window;
  }

  /**
   * Ties a reading to the quota window it was measured in, by the window end it implies: the
   * current window (narrowing when it ends, and keeping the fewest left), a newer one (which
   * becomes current), or one that has already ended (set aside: a late answer must neither
   * refill nor drain the present window). Returns whether it describes the current window.
   */
  #attribute(ticket: Ticket, now: number, raw: RateLimitReading): boolean {
    const windowMs = Math.max(1, raw.windowMs, raw.resetMs);
    const quota = Math.max(0, raw.quota);
    const left = Math.min(quota, Math.max(0, raw.left));
    const reset = Math.min(windowMs, Math.max(0, raw.resetMs));
    const endsAfter = ticket.sentAt + reset;
    const endsBy = Math.max(endsAfter, now + reset);
    const window = this.#current(now);
    const known = window && !window.presumed ? window : this.#previous;
    // Windows end at least a window's length apart: a reading implying an end within half of one of the known window's is of it.
    const offset = known ? (endsAfter + endsBy) / 2 - (known.endsAfter + known.endsBy) / 2 : Infinity;
    if (known && offset < windowMs / 2) {
      if (known !== window || offset <= -windowMs / 2) {
        this.staleReadings++;
        return false;
      }
      // Narrow the end (when readings disagree, keep the wider span: a later end is the safe side).
      const after = Math.max(known.endsAfter, endsAfter);
      const by = Math.min(known.endsBy, endsBy);
      if (after <= by) [known.endsAfter, known.endsBy] = [after, by];
      else [known.endsAfter, known.endsBy] = [Math.min(known.endsAfter, endsAfter), Math.max(known.endsBy, endsBy)];
      known.left = Math.min(known.left, left);
      known.quota = quota;
      known.windowMs = windowMs;
    } else {
      // The first reading, or one of a newer window: that window is the current one now.
      this.#previous = undefined;
      this.#window = { endsAfter, endsBy, quota, windowMs, left, presumed: false };
    }
    this.quota = quota;
    this.windowMs = windowMs;
    return true;
  }

  #adapt({ reading, latencyMs, kind, throttled }: Outcome, current: boolean): void {
    if (throttled) return this.#shrink(true);
    if (latencyMs === undefined) return;
    this.#latency = Number.isNaN(this.#latency) ? latencyMs : 0.8 * this.#latency + 0.2 * latencyMs;
    const key = kind ?? "";
    const seen = this.#kinds.get(key);
    const best = Math.min(seen?.best ?? Infinity, latencyMs);
    const smoothed = seen ? (1 - LATENCY_SMOOTHING) * seen.smoothed + LATENCY_SMOOTHING * latencyMs : latencyMs;
    this.#kinds.set(key, { best, smoothed });
    const straining = smoothed > best * LATENCY_TOLERANCE + LATENCY_SLACK_MS;
    // While the window's quota is spent down, the quota, not the limit, holds requests back: hold the limit
    // where the latency put it, ready for the next window.
    if (current && this.left <= this.reserve) return;
    // The quota is the store's own word on what it can take: slower answers hold the limit, they do not cut it.
    if (reading && !straining) return this.#grow();
    if (reading) return;
    if (straining) return this.#shrink(false);
    this.#grow();
  }

  #grow(): void {
    if (this.#limit >= this.maxConcurrency || this.#flying.size + 1 < this.#limit) return; // only grow when the limit binds
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
    let free = this.#limit - this.#flying.size;
    while (free-- > 0 && this.#waiters.length > 0) this.#waiters.shift()?.();
  }
}
