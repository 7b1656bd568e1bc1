/** The concurrency controller's rules, step by step, on a fake clock. */
import { describe, expect, it } from "vitest";
import { type RateLimitReading, Throttle } from "../../src/engine/throttle.ts";

function setup(max: number, reserve = 0) {
  let now = 0;
  const throttle = new Throttle(max, reserve, () => now);
  const tick = (ms: number) => (now += ms);
  /** One request through the throttle, answered after `latencyMs` with `reading`. */
  const request = async (latencyMs: number, reading?: RateLimitReading, throttled = false) => {
    await throttle.acquire();
    tick(latencyMs);
    throttle.release({ reading, latencyMs, kind: "v2/orders", throttled });
  };
  return { throttle, tick, request };
}

const plenty = (left = 10_000): RateLimitReading => ({ quota: 10_000, left, windowMs: 30_000, resetMs: 20_000 });

describe("Throttle", () => {
  it("starts at 2 in flight and grows while the limit binds, the quota lasts and the latency holds, up to max_concurrency", async () => {
    const { throttle, request } = setup(5);
    expect(throttle.concurrency).toBe(2);
    // Keep the limit busy: requests overlap, so each completion finds the limit binding.
    for (let i = 0; i < 20; i++) await Promise.all(Array.from({ length: throttle.concurrency }, () => request(100, plenty())));
    expect(throttle.concurrency).toBe(5);
  });

  it("halves on a 429", async () => {
    const { throttle, request } = setup(16);
    for (let i = 0; i < 20; i++) await Promise.all(Array.from({ length: throttle.concurrency }, () => request(100, plenty())));
    const before = throttle.concurrency;
    expect(before).toBeGreaterThanOrEqual(8);
    await request(100, plenty(), true);
    expect(throttle.concurrency).toBe(Math.floor(before / 2));
  });

  it("shrinks when what is left would not last until the reset at this pace; with quota left, slower answers hold it", async () => {
    const { throttle, request, tick } = setup(16, 10);
    for (let i = 0; i < 20; i++) await Promise.all(Array.from({ length: throttle.concurrency }, () => request(100, plenty())));
    const before = throttle.concurrency;
    // 40 left (30 after the reserve) at `before` requests per 100 ms lasts well under the 20 s to the reset.
    await request(100, { quota: 10_000, left: 40, windowMs: 30_000, resetMs: 20_000 });
    expect(throttle.concurrency).toBe(before - 1);
    tick(1_000);
    // Answers five times slower than this kind's best, the limit binding: once the smoothed latency shows it, no growth and no cut.
    const slowRound = () => Promise.all(Array.from({ length: throttle.concurrency }, () => request(500, plenty())));
    for (let i = 0; i < 3; i++) await slowRound();
    const held = throttle.concurrency;
    expect(held).toBeGreaterThanOrEqual(before - 1);
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
    const { throttle, request } = setup(16, 2);
    for (let i = 0; i < 5; i++) await Promise.all(Array.from({ length: throttle.concurrency }, () => request(1_000, plenty())));
    await request(1_000, { quota: 10, left: 4, windowMs: 1_000, resetMs: 50 });
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
