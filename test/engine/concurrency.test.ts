/**
 * Adaptive concurrency against the emulator, asserted by counts (requests in flight, requests
 * per quota window, 429s), never by times: per-order transactions (one request per paid order)
 * give the engine many independent requests to spend the quota on.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/emulator/index.ts";
import { clientFor, sync } from "../../src/engine/sync.ts";
import { collect, emulatorWithConfig, FAST_RETRIES } from "../support/emulator.ts";

const STREAMS = ["orders", "transactions"];
let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

/** Requests the emulator counted in each of its fixed quota windows (a window opens with the first request after the last closed). */
function perWindow(emu: Emulator, windowMs: number): number[] {
  const counts: number[] = [];
  let start = -Infinity;
  for (const entry of [...emu.log.entries].sort((a, b) => a.time - b.time)) {
    if (entry.time >= start + windowMs) {
      start = entry.time;
      counts.push(0);
    }
    counts[counts.length - 1]++;
  }
  return counts;
}

describe("adaptive concurrency", () => {
  it("grows the requests in flight towards the quota's share when the quota allows, within max_concurrency, without a 429", async () => {
    // Quota 400/s at ~60 ms a request: the quota's share is ~24 in flight; max_concurrency caps it at 12.
    const setup = await emulatorWithConfig(
      { sizes: { orders: 240 }, rateLimit: { quota: 400, windowMs: 1000 }, latencyMs: 50, latencyPerRowMs: 0.2 },
      { max_concurrency: 12, page_size: 50 },
    );
    emulator = setup.emulator;
    const client = clientFor(setup.config, FAST_RETRIES);
    const { rows } = await collect({ config: setup.config, selection: { streams: STREAMS }, client });
    expect(rows.get("orders")?.length).toBe(240);
    const paid = new Set((rows.get("transactions") ?? []).map((t) => t.order_id)).size;
    expect(paid).toBeGreaterThan(100);
    expect(client.throttled).toBe(0);
    // It started at 2 in flight and reached the cap the setting allows, never more.
    expect(emulator.inFlight().peak).toBeGreaterThanOrEqual(10);
    expect(client.throttle.peakInFlight).toBeLessThanOrEqual(12);
    expect(emulator.inFlight().peak).toBeLessThanOrEqual(12);
  });

  it("never spends more than the quota less the reserve in a window, and runs into no 429", async () => {
    const setup = await emulatorWithConfig(
      { sizes: { orders: 120 }, rateLimit: { quota: 12, windowMs: 400 }, latencyPerRowMs: 0.5 },
      { max_concurrency: 32, rate_limit_reserve: 4, page_size: 50 },
    );
    emulator = setup.emulator;
    const client = clientFor(setup.config, FAST_RETRIES);
    const { rows } = await collect({ config: setup.config, selection: { streams: STREAMS }, client });
    expect(rows.get("orders")?.length).toBe(120);
    expect(client.throttled).toBe(0);
    const windows = perWindow(emulator, 400);
    expect(windows.length).toBeGreaterThan(5);
    // 12 per window, 4 left for other apps: at most 8 of ours in any window (the identity check included).
    expect(Math.max(...windows)).toBeLessThanOrEqual(8);
    expect(emulator.inFlight().peak).toBeLessThanOrEqual(8);
  });

  it("without rate-limit headers, steers by latency: grows to max_concurrency while responses keep their pace", async () => {
    const setup = await emulatorWithConfig({ sizes: { orders: 150 }, rateLimit: false, latencyMs: 40 }, { max_concurrency: 6, page_size: 50 });
    emulator = setup.emulator;
    const client = clientFor(setup.config, FAST_RETRIES);
    await collect({ config: setup.config, selection: { streams: STREAMS }, client });
    expect(client.throttle.quota).toBeUndefined();
    expect(emulator.inFlight().peak).toBe(6);
    expect(client.throttled).toBe(0);
  });

  it("a 429 in the middle is waited out once and the read completes", async () => {
    const setup = await emulatorWithConfig({ sizes: { orders: 150 }, rateLimit: false, latencyMs: 20 }, { max_concurrency: 8, page_size: 50 });
    emulator = setup.emulator;
    emulator.setFaults([{ kind: "overload", match: /\/transactions/, skip: 40, times: 1 }]);
    const client = clientFor(setup.config, FAST_RETRIES);
    const { rows } = await collect({ config: setup.config, selection: { streams: STREAMS }, client });
    expect(rows.get("orders")?.length).toBe(150);
    expect(client.throttled).toBe(1);
    expect(emulator.pendingFaults()).toEqual([]);
  });

  it("reads the next streams ahead while one is handed over, and counts each stream's own requests", async () => {
    const setup = await emulatorWithConfig({ sizes: { orders: 60, customers: 120, products: 30 }, rateLimit: false, latencyMs: 60 }, { page_size: 25 });
    emulator = setup.emulator;
    const streams = ["brands", "customer_groups", "channels", "currencies", "customers", "orders"];
    const client = clientFor(setup.config, FAST_RETRIES);
    const ended = new Map<string, number>();
    const order: string[] = [];
    const marks: string[] = [];
    for await (const event of sync({ config: setup.config, selection: { streams }, client, clientOptions: FAST_RETRIES })) {
      if (event.type === "stream-start") order.push(event.stream);
      if (event.type === "stream-start" || event.type === "stream-end") marks.push(`${event.type}:${event.stream}`);
      if (event.type === "batch" && event.rows.size > 0) marks.push(`batch:${event.stream}`);
      if (event.type === "stream-end") ended.set(event.stream, event.requests);
    }
    // Handed over one at a time, in registry order; read several at once.
    expect(new Set(order)).toEqual(new Set(streams));
    // A stream's events are never interleaved with another's: start, its batches, end.
    for (const stream of order) {
      const mine = marks.flatMap((m, i) => (m.endsWith(`:${stream}`) ? [i] : []));
      expect(mine.at(-1)! - mine[0] + 1, stream).toBe(mine.length);
      expect(marks[mine[0]]).toBe(`stream-start:${stream}`);
      expect(marks[mine.at(-1)!]).toBe(`stream-end:${stream}`);
    }
    expect(emulator.inFlight().peak).toBeGreaterThanOrEqual(3);
    // Each stream's request count is its own, though they ran at once: the counts add up to the run's (less the identity check).
    const count = (path: RegExp) => emulator!.log.count({ path });
    expect(ended.get("customers")).toBe(count(/^\/v3\/customers$/));
    expect(ended.get("orders")).toBe(count(/^\/v2\/orders(\/count)?$/));
    expect([...ended.values()].reduce((a, b) => a + b, 0)).toBe(client.requests - 1);
  });
});
