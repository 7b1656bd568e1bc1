/** The concurrency controller's rules, step by step, on a fake clock. */
import { describe, expect, it } from "vitest";
import { type RateDecision, RateLimiter } from "../../src/emulator/http/rate-limit.ts";
import { type RateLimitReading, readRateLimit, Throttle } from "../../src/engine/throttle.ts";

function setup(max: number, reserve = 0) {
  let now = 0;
  const throttle = new Throttle(max, reserve, () => now);
  const tick = (ms: number) => (now += ms);
  /** One request through the throttle, answered after `latencyMs` with `reading`. */
  const request = async (latencyMs: number, reading?: RateLimitReading, throttled = false) => {
    const ticket = await throttle.acquire();
    tick(latencyMs);
    throttle.release(ticket, { reading, latencyMs, kind: "v2/orders", throttled });
  };
  return { throttle, tick, request, clock: () => now };
}

const plenty = (left = 10_000): RateLimitReading => ({ quota: 10_000, left, windowMs: 30_000, resetMs: 20_000 });

describe("Throttle", () => {
  it("starts at 8 in flight (or max_concurrency) and grows while the limit binds, the quota lasts and the latency holds, up to max_concurrency", async () => {
    expect(setup(5).throttle.concurrency).toBe(5);
    const { throttle, request } = setup(12);
    expect(throttle.concurrency).toBe(8);
    // Keep the limit busy: requests overlap, so each completion finds the limit binding.
    for (let i = 0; i < 20; i++) await Promise.all(Array.from({ length: throttle.concurrency }, () => request(100, plenty())));
    expect(throttle.concurrency).toBe(12);
  });

  it("halves on a 429", async () => {
    const { throttle, request } = setup(16);
    for (let i = 0; i < 20; i++) await Promise.all(Array.from({ length: throttle.concurrency }, () => request(100, plenty())));
    const before = throttle.concurrency;
    expect(before).toBeGreaterThanOrEqual(8);
    await request(100, plenty(), true);
    expect(throttle.concurrency).toBe(Math.floor(before / 2));
  });

  it("holds the limit while the window's quota is spent (the quota holds requests back until the window ends); with quota left, slower answers hold it", async () => {
    const { throttle, request, tick } = setup(16, 10);
    for (let i = 0; i < 20; i++) await Promise.all(Array.from({ length: throttle.concurrency }, () => request(100, plenty())));
    const before = throttle.concurrency;
    expect(before).toBe(16);
    // Only the reserve left in this window: nothing more may go until it ends, and the limit waits for the next window as it is.
    await request(100, { quota: 10_000, left: 10, windowMs: 30_000, resetMs: 20_000 });
    expect(throttle.left).toBe(10);
    expect(throttle.concurrency).toBe(before);
    tick(30_000); // the window has surely ended: a fresh one, less nothing in flight
    expect(throttle.left).toBe(10_000);
    // Answers five times slower than this kind's best, the limit binding: once the smoothed latency shows it, no growth and no cut.
    const slowRound = () => Promise.all(Array.from({ length: throttle.concurrency }, () => request(500, plenty())));
    for (let i = 0; i < 3; i++) await slowRound();
    const held = throttle.concurrency;
    expect(held).toBe(before);
    for (let i = 0; i < 10; i++) await slowRound();
    expect(throttle.concurrency).toBe(held);
  });

  it("without rate-limit headers, shrinks when latency climbs and stays up, not for one slow answer", async () => {
    const { throttle, request, tick } = setup(16);
    for (let i = 0; i < 20; i++) await Promise.all(Array.from({ length: throttle.concurrency }, () => request(100)));
    const before = throttle.concurrency;
    expect(before).toBe(16);
    await request(500);
    expect(throttle.concurrency).toBe(before); // one slow answer: noise
    for (let i = 0; i < 10; i++) {
      tick(1_000);
      await request(500);
    }
    expect(throttle.concurrency).toBeLessThan(before - 2);
  });

  it("never lets more requests out than the quota has left, less the reserve", async () => {
    const { throttle, request, clock } = setup(16, 2);
    // One long window: each reading's reset counts down to its end.
    const inWindow = (quota: number, left: number): RateLimitReading => ({ quota, left, windowMs: 100_000, resetMs: 100_000 - clock() });
    for (let i = 0; i < 5; i++) await Promise.all(Array.from({ length: throttle.concurrency }, () => request(1_000, inWindow(10_000, 9_000))));
    await request(1_000, inWindow(10, 4));
    expect(throttle.concurrency).toBeGreaterThanOrEqual(4);
    await throttle.acquire();
    await throttle.acquire();
    // 4 left, 2 reserved, 2 in flight: a third waits for the window to reset (the fake clock never gets there).
    let third = false;
    void throttle.acquire().then(() => (third = true));
    await new Promise((r) => setTimeout(r, 30));
    expect(third).toBe(false);
    expect(throttle.inFlight).toBe(2);
  });
});

/** A virtual clock: timers fire in time order, each once the promises the previous one unblocked have settled. */
class VirtualClock {
  now = 0;
  readonly #timers: { at: number; order: number; fire: () => void }[] = [];
  #order = 0;
  readonly sleep = (ms: number) => new Promise<void>((resolve) => this.at(this.now + Math.max(0, ms), resolve));
  at(time: number, fire: () => void): void {
    this.#timers.push({ at: time, order: this.#order++, fire });
  }
  /** Fires timers until none is left. */
  async run(): Promise<void> {
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      if (this.#timers.length === 0) return;
      this.#timers.sort((a, b) => a.at - b.at || a.order - b.order);
      const next = this.#timers.shift()!;
      this.now = Math.max(this.now, next.at);
      next.fire();
    }
  }
}

interface StoreModel {
  quota: number;
  windowMs: number;
  /** Time from sending to the store counting the request (its headers are measured then)… */
  measureMs: number;
  /** …and from then to the answer, per row. */
  perRowMs: number;
}

/**
 * Sends one request per job (its rows) through the throttle, `workers` at a time, against the
 * emulator's own quota counter on a virtual clock, retrying 429s as the client does. Returns
 * the 429s and the quota windows the requests were counted in.
 */
async function simulate(jobs: number[], store: StoreModel, workers: number, reserve = 0) {
  const clock = new VirtualClock();
  const limiter = new RateLimiter({ quota: store.quota, windowMs: store.windowMs }, () => clock.now);
  const throttle = new Throttle(32, reserve, () => clock.now, clock.sleep);
  const windows = new Map<number, number>();
  let throttled = 0;
  const request = async (rows: number) => {
    for (;;) {
      const ticket = await throttle.acquire();
      const sent = clock.now;
      const decision = await new Promise<RateDecision>((resolve) => clock.at(sent + store.measureMs, () => resolve(limiter.take())));
      const reading = readRateLimit(new Headers(decision.headers))!;
      const windowStart = clock.now + reading.resetMs - reading.windowMs;
      await clock.sleep(decision.allowed ? rows * store.perRowMs : 0);
      throttle.release(ticket, { reading, latencyMs: clock.now - sent, kind: `rows ${rows}`, throttled: !decision.allowed });
      if (decision.allowed) {
        windows.set(windowStart, (windows.get(windowStart) ?? 0) + 1);
        return;
      }
      throttled++;
      throttle.pause(reading.resetMs);
    }
  };
  const queue = [...jobs];
  let finished = false;
  const done = Promise.all(Array.from({ length: workers }, async () => {
    while (queue.length > 0) await request(queue.shift()!);
  })).then(() => (finished = true));
  await clock.run();
  expect(finished).toBe(true); // nothing left waiting on a timer that never comes
  await done;
  const starts = [...windows.keys()];
  // Between the end of each window and the opening of the next (the emulator opens one with the first request counted after the end).
  const gaps = starts.slice(1).map((start, i) => start - (starts[i]! + store.windowMs));
  return { throttled, windows: [...windows.values()], gaps, peak: throttle.peakInFlight };
}

/** Mostly one- or two-row answers (per-order sub-resources) and every tenth a full page of 250. */
const MIXED = Array.from({ length: 600 }, (_, i) => (i % 10 === 0 ? 250 : 1 + (i % 2)));

describe("Throttle: rate-limit readings tied to their quota window", () => {
  it("a late answer from the previous window neither refills the present one nor drains it", async () => {
    const { throttle, tick, request, clock } = setup(32);
    for (let i = 0; i < 10; i++) await Promise.all(Array.from({ length: throttle.concurrency }, () => request(10)));
    expect(throttle.concurrency).toBeGreaterThanOrEqual(11);
    // A store with 10 requests per 1 000 ms; this window ends at `end`, the next 1 000 ms after its first request.
    const end = clock() + 1_000;
    const reading = (left: number, windowEnd: number, measuredAt = clock()): RateLimitReading =>
      ({ quota: 10, left, windowMs: 1_000, resetMs: windowEnd - measuredAt });
    const first = await throttle.acquire();
    tick(10);
    throttle.release(first, { reading: reading(9, end), latencyMs: 10 });
    // Nine more spend the window; the last of them (a long answer) is still in flight when it ends.
    const tickets = [];
    for (let i = 0; i < 9; i++) tickets.push(await throttle.acquire());
    expect(throttle.left).toBe(0);
    tick(10);
    for (let i = 0; i < 8; i++) throttle.release(tickets[i]!, { reading: reading(8 - i, end), latencyMs: 10 });
    const late = tickets[8]!;
    tick(end - clock()); // the window has ended: the one request in flight may be counted in the new one
    expect(throttle.left).toBe(9);
    const fresh = [];
    for (let i = 0; i < 9; i++) fresh.push(await throttle.acquire());
    expect(throttle.left).toBe(0);
    tick(250);
    // The new window's own readings (it opened with the first of them, 200 ms after they were sent): 1 left,
    // unless the request still in flight is counted in it too.
    for (let i = 0; i < 9; i++) throttle.release(fresh[i]!, { reading: reading(9 - i, end + 1_200, end + 200), latencyMs: 250 });
    expect(throttle.left).toBe(0);
    // Now the late answer, measured 5 ms before the old window ended (0 left): it was not in the new window, and it
    // must not restart the count 5 ms from now, nor say the new window is spent.
    tick(50);
    throttle.release(late, { reading: reading(0, end, end - 5), latencyMs: 1_280 });
    expect(throttle.staleReadings).toBe(1);
    expect(throttle.left).toBe(1);
    tick(100); // past where that reading would have said a window resets
    expect(throttle.left).toBe(1);
  });

  it("quota-bound (30 per 3 s, answers 200 ms + 4 ms a row): no 429, every window but the first and last spent to the quota, the next opening right after", async () => {
    const { throttled, windows, gaps } = await simulate(MIXED, { quota: 30, windowMs: 3_000, measureMs: 200, perRowMs: 4 }, 32);
    expect(throttled).toBe(0);
    // Requests waiting for a spent window go when they will be counted just after its end, not a round trip (200 ms) later.
    expect(Math.max(...gaps)).toBeLessThan(100);
    expect(windows.reduce((a, b) => a + b, 0)).toBe(MIXED.length);
    expect(windows.slice(1, -1).every((n) => n === 30)).toBe(true);
    expect(windows.length).toBeLessThanOrEqual(Math.ceil(MIXED.length / 30) + 1);
  });

  it("keeps rate_limit_reserve unspent in every window", async () => {
    const { throttled, windows } = await simulate(MIXED.slice(0, 200), { quota: 30, windowMs: 3_000, measureMs: 200, perRowMs: 4 }, 32, 5);
    expect(throttled).toBe(0);
    expect(Math.max(...windows)).toBe(25);
  });

  it("latency-bound (150 per 3 s): no 429 with many requests in flight across window ends, every window but the first and last nearly spent", async () => {
    const { throttled, windows, peak } = await simulate(MIXED, { quota: 150, windowMs: 3_000, measureMs: 200, perRowMs: 4 }, 32);
    expect(throttled).toBe(0);
    // Any request in flight may be missing from the latest reading, so each counts until it answers: a window whose
    // last requests are long pages leaves some of its quota unspent, never more than 10%.
    expect(windows.slice(1, -1).every((n) => n >= 0.9 * 150 && n <= 150)).toBe(true);
    expect(windows.length).toBeLessThanOrEqual(Math.ceil(MIXED.length / 150) + 1);
    expect(peak).toBeGreaterThanOrEqual(10);
  });
});
