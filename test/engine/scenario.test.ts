/**
 * The bench scenarios (bench/scenarios.js) at CI size, asserted by counts, never by times: the
 * requests made against the plan, the peak of requests in flight reaching the quota's share
 * (per-order sub-resources of several pages overlap, and with the list pages of several
 * windows), and the 429s.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/emulator/index.ts";
import { clientFor } from "../../src/engine/sync.ts";
import { collect, emulatorWithConfig, FAST_RETRIES } from "../support/emulator.ts";

const STREAMS = ["orders", "order_products", "order_coupons"];
let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

/** Requests the emulator logged to paths matching `path`. */
function requestsTo(emu: Emulator, path: RegExp): number {
  return emu.log.filter((e) => path.test(e.path)).length;
}

/** The list pages a sequential read of `orders` needs by seeking on the cursor (each page asks again from its last record's value). */
function seekPages(orders: number, pageSize: number): number {
  return Math.ceil(orders / (pageSize - 1)) + 1;
}

/**
 * The requests a sequential read of orders needs: the identity check, the list pages, one per
 * order with a coupon, the line-item fallbacks, and the count checks the run made (proof of a
 * complete read, before and after: per window when the read is cut).
 */
function sequentialPlan(emu: Emulator, orders: number, pageSize: number, withCoupon: number): number {
  const fallbacks = requestsTo(emu, /^\/v2\/orders\/\d+\/products$/);
  return 1 + requestsTo(emu, /^\/v2\/orders\/count$/) + seekPages(orders, pageSize) + withCoupon + fallbacks;
}

describe("scenarios at CI size", () => {
  it("latency-bound: the sub-resources of several pages and the pages of several windows are in flight at once, up to the quota's share; requests within 5% of the plan", async () => {
    // 400/s at ~25 ms a request: the quota would carry ~10 in flight, max_concurrency 16 more. One page of 5
    // orders has at most 5 transactions and a coupon or two: a page at a time, with the list requests of the
    // three windows, stays under 10; the transactions of several pages at once reach the quota's share.
    const setup = await emulatorWithConfig(
      { sizes: { orders: 300 }, rateLimit: { quota: 400, windowMs: 1000 }, latencyMs: 25, latencyPerRowMs: 0.1 },
      { max_concurrency: 16, page_size: 5 },
    );
    emulator = setup.emulator;
    const client = clientFor(setup.config, FAST_RETRIES);
    const { rows } = await collect({ config: setup.config, selection: { streams: [...STREAMS, "transactions"] }, client });
    const orders = rows.get("orders") ?? [];
    expect(orders.length).toBe(300);
    expect(new Set(orders.map((o) => o.id)).size).toBe(300);
    const withCoupon = orders.filter((o) => Number(o.coupon_discount) !== 0).length;
    expect(requestsTo(emulator, /^\/v2\/orders\/\d+\/coupons$/)).toBe(withCoupon);
    const paid = orders.filter((o) => o.payment_status !== "" && o.payment_status !== null).length;
    expect(requestsTo(emulator, /^\/v3\/orders\/\d+\/transactions$/)).toBe(paid);
    // 60 pages: cut into windows read at once (the oldest record, at most one short page per window).
    const windows = new Set(emulator.log.filter((e) => e.path === "/v2/orders" && e.query.max_date_modified !== undefined).map((e) => e.query.max_date_modified)).size + 1;
    expect(windows).toBeGreaterThanOrEqual(3);
    expect(requestsTo(emulator, /^\/v2\/orders$/)).toBeLessThanOrEqual(1 + seekPages(300, 5) + windows);
    expect(client.requests).toBe(emulator.log.entries.length);
    expect(client.requests).toBeLessThanOrEqual(Math.ceil(1.05 * (sequentialPlan(emulator, 300, 5, withCoupon) + paid)));
    expect(client.throttled).toBe(0);
    expect(emulator.inFlight().peak).toBeGreaterThanOrEqual(10);
    expect(client.throttle.peakInFlight).toBeLessThanOrEqual(16);
  });

  it("quota-bound: never more than the quota in a window, no 429, every order read", async () => {
    const setup = await emulatorWithConfig(
      { sizes: { orders: 300 }, rateLimit: { quota: 20, windowMs: 400 }, latencyMs: 20, latencyPerRowMs: 0.1 },
      { max_concurrency: 16, page_size: 50 },
    );
    emulator = setup.emulator;
    const client = clientFor(setup.config, FAST_RETRIES);
    const { rows } = await collect({ config: setup.config, selection: { streams: STREAMS }, client });
    expect(rows.get("orders")?.length).toBe(300);
    expect(client.throttled).toBe(0);
    const withCoupon = (rows.get("orders") ?? []).filter((o) => Number(o.coupon_discount) !== 0).length;
    expect(client.requests).toBeLessThanOrEqual(Math.ceil(1.05 * sequentialPlan(emulator, 300, 50, withCoupon)));
    // The quota, not max_concurrency, bounds what is in flight: at most a window's quota. The quota (50 a second)
    // is about what one request at a time (20 ms) achieves, so only the bursts after a window resets put several
    // in flight: at least two, never more than the window allows.
    expect(emulator.inFlight().peak).toBeLessThanOrEqual(20);
    expect(emulator.inFlight().peak).toBeGreaterThanOrEqual(2);
  });

  it("quota-bound with long answers (a page answers in a third of the window): readings of ended windows set aside, no 429, every order read", async () => {
    // 30 per 600 ms; a request is counted 40 ms after it is sent and a page of 250 answers 200 ms after that, so pages
    // sent before a window ends answer in the next one, and what they say is left belongs to the window before.
    const setup = await emulatorWithConfig(
      { sizes: { orders: 600 }, rateLimit: { quota: 30, windowMs: 600 }, latencyMs: 40, latencyPerRowMs: 0.8 },
      { max_concurrency: 32 },
    );
    emulator = setup.emulator;
    const client = clientFor(setup.config, FAST_RETRIES);
    const { rows } = await collect({ config: setup.config, selection: { streams: STREAMS }, client });
    const orders = rows.get("orders") ?? [];
    expect(new Set(orders.map((o) => o.id)).size).toBe(600);
    expect(client.throttled).toBe(0);
    expect(client.requests).toBe(emulator.log.entries.length);
    const withCoupon = orders.filter((o) => Number(o.coupon_discount) !== 0).length;
    expect(client.requests).toBeLessThanOrEqual(Math.ceil(1.05 * sequentialPlan(emulator, 600, 250, withCoupon)));
    // The window's quota, spent at once when it opens, not one request at a time.
    expect(emulator.inFlight().peak).toBeGreaterThanOrEqual(8);
    expect(emulator.inFlight().peak).toBeLessThanOrEqual(30);
  });
});
