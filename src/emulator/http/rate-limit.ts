/** The store's request quota: fixed windows, and the four X-Rate-Limit-* headers on every response. */

/** Quota settings: requests per window (default 150) and the window length (default 30 000 ms). */
export interface RateLimitOptions {
  quota?: number;
  windowMs?: number;
}

/** Standard/Plus plan quota. */
export const DEFAULT_QUOTA = 150;
/** BigCommerce's window length. */
export const DEFAULT_WINDOW_MS = 30_000;

/** The outcome of taking one request from the quota. */
export interface RateDecision {
  allowed: boolean;
  headers: Record<string, string>;
  /** Seconds until the window resets (for `X-Retry-After`), when not allowed. */
  retryAfter?: number;
}

/** A fixed-window counter; a window opens with the first request after the previous one closed. */
export class RateLimiter {
  private quota = DEFAULT_QUOTA;
  private windowMs = DEFAULT_WINDOW_MS;
  private enabled = true;
  private windowStart = -Infinity;
  private used = 0;

  constructor(options: RateLimitOptions | false = {}, private readonly clock: () => number = Date.now) {
    this.configure(options);
  }

  /** Changes the settings (`false` disables the limit and its headers) and starts a fresh window. */
  configure(options: RateLimitOptions | false): void {
    this.enabled = options !== false;
    if (options !== false) {
      this.quota = options.quota ?? DEFAULT_QUOTA;
      this.windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
      if (!(this.quota >= 1) || !(this.windowMs >= 1)) throw new Error("rate limit quota and windowMs must be positive");
    }
    this.windowStart = -Infinity;
    this.used = 0;
  }

  private roll(now: number): void {
    if (now >= this.windowStart + this.windowMs) {
      this.windowStart = now;
      this.used = 0;
    }
  }

  private headers(now: number): Record<string, string> {
    if (!this.enabled) return {};
    const reset = Math.max(0, this.windowStart + this.windowMs - now);
    return {
      "X-Rate-Limit-Time-Window-Ms": String(this.windowMs),
      "X-Rate-Limit-Time-Reset-Ms": String(Number.isFinite(reset) ? reset : this.windowMs),
      "X-Rate-Limit-Requests-Quota": String(this.quota),
      "X-Rate-Limit-Requests-Left": String(Math.max(0, this.quota - this.used)),
    };
  }

  /** Takes one request from the current window. */
  take(): RateDecision {
    if (!this.enabled) return { allowed: true, headers: {} };
    const now = this.clock();
    this.roll(now);
    if (this.used >= this.quota) {
      const headers = this.headers(now);
      return { allowed: false, headers, retryAfter: Math.max(1, Math.ceil(Number(headers["X-Rate-Limit-Time-Reset-Ms"]) / 1000)) };
    }
    this.used++;
    return { allowed: true, headers: this.headers(now) };
  }

  /** The headers as they stand, without taking a request. */
  peek(): Record<string, string> {
    if (!this.enabled) return {};
    const now = this.clock();
    this.roll(now);
    return this.headers(now);
  }
}
