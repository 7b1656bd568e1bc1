/** Injected faults: statuses, platform overload, connection resets, truncated bodies, delays; taken in order. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/emulator/index.ts";
import { get, start } from "./helpers.ts";

describe("faults", () => {
  let emu: Emulator;
  beforeAll(async () => (emu = await start({ sizes: { orders: 30, customers: 10, products: 10 }, rateLimit: { quota: 10_000 } })));
  afterAll(() => emu.close());
  beforeEach(() => {
    emu.setFaults([]);
    emu.log.clear();
  });

  it("status: the next N matching requests fail with that status and an error body", async () => {
    emu.setFaults([{ kind: "status", status: 503, times: 2, match: "/v2/orders" }]);
    const other = await get(emu, "/v3/customers");
    expect(other.status).toBe(200);
    const a = await get(emu, "/v2/orders");
    const b = await get(emu, "/v2/orders/100/products");
    expect([a.status, b.status]).toEqual([503, 503]);
    expect(a.json[0].status).toBe(503);
    expect(a.headers.get("x-rate-limit-requests-quota")).toBe("10000");
    expect((await get(emu, "/v2/orders")).status).toBe(200);
    expect(emu.pendingFaults()).toEqual([]);
  });

  it("reset: a fresh connection is dropped without an answer", async () => {
    emu.setFaults([{ kind: "reset" }]);
    const { request } = await import("node:http");
    const error = await new Promise<Error>((resolve, reject) => {
      const req = request(`${emu.url}/stores/${emu.storeHash}/v2/store`, { headers: { "X-Auth-Token": emu.accessToken }, agent: false });
      req.on("response", () => reject(new Error("got a response")));
      req.on("error", resolve);
      req.end();
    });
    expect(String(error)).toMatch(/socket hang up|ECONNRESET|closed/i);
    expect(emu.log.entries.map((e) => [e.status, e.fault])).toEqual([[0, "reset"]]);
  });

  it("rules are taken in order: 500, then 502, then a reset", async () => {
    emu.setFaults([{ kind: "status", status: 500 }, { kind: "status", status: 502 }, { kind: "reset" }]);
    expect((await get(emu, "/v3/customers")).status).toBe(500);
    expect(emu.pendingFaults().map((f) => f.kind)).toEqual(["status", "reset"]);
    const v3 = await get(emu, "/v3/customers");
    expect(v3.status).toBe(502);
    expect(v3.json).toMatchObject({ status: 502 });
    // Node's fetch surfaces the reset; Deno's fetch retries a request whose reused keep-alive
    // connection was dropped, once, transparently (the log then shows the retry as a 200).
    const outcome = await get(emu, "/v3/customers").then((r) => r.status, () => "rejected");
    const retried = outcome === 200;
    if (!retried) expect(outcome).toBe("rejected");
    expect((await get(emu, "/v3/customers")).status).toBe(200);
    expect(emu.log.entries.map((e) => e.status)).toEqual(retried ? [500, 502, 0, 200, 200] : [500, 502, 0, 200]);
    expect(emu.log.entries[2]!.fault).toBe("reset");
  });

  it("overload: 429 without any rate-limit header or X-Retry-After", async () => {
    emu.setFaults([{ kind: "overload" }]);
    const r = await get(emu, "/v2/orders");
    expect(r.status).toBe(429);
    expect([...r.headers.keys()].filter((k) => k.startsWith("x-rate-limit") || k === "x-retry-after")).toEqual([]);
    const ok = await get(emu, "/v2/orders");
    expect(ok.headers.get("x-rate-limit-requests-left")).not.toBeNull();
  });

  it("truncate (content-length): the body stops short and the connection drops", async () => {
    emu.setFaults([{ kind: "truncate" }]);
    const res = await fetch(`${emu.url}/stores/${emu.storeHash}/v2/orders`, { headers: { "X-Auth-Token": emu.accessToken } });
    expect(res.status).toBe(200);
    const declared = Number(res.headers.get("content-length"));
    expect(declared).toBeGreaterThan(100);
    await expect(res.text()).rejects.toThrow();
  });

  it("truncate (half-json): a complete response whose JSON is cut in half", async () => {
    emu.setFaults([{ kind: "truncate", mode: "half-json" }]);
    const res = await fetch(`${emu.url}/stores/${emu.storeHash}/v3/customers`, { headers: { "X-Auth-Token": emu.accessToken } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text.length).toBeGreaterThan(10);
    expect(text.startsWith('{"data":[')).toBe(true);
    expect(() => JSON.parse(text)).toThrow();
  });

  it("delay: the answer comes late but whole", async () => {
    emu.setFaults([{ kind: "delay", ms: 250 }]);
    const t0 = Date.now();
    const r = await get(emu, "/v2/orders?limit=2");
    expect(Date.now() - t0).toBeGreaterThanOrEqual(240);
    expect(r.json).toHaveLength(2);
  });

  it("skip lets matching requests through first; a RegExp matches path and query", async () => {
    emu.setFaults([{ kind: "status", status: 500, match: /\/v2\/orders\?.*page=3/, skip: 1 }]);
    expect((await get(emu, "/v2/orders?page=3&limit=5")).status).toBe(200);
    expect((await get(emu, "/v2/orders?page=2&limit=5")).status).toBe(200);
    expect((await get(emu, "/v2/orders?page=3&limit=5")).status).toBe(500);
    expect((await get(emu, "/v2/orders?page=3&limit=5")).status).toBe(200);
  });

  it("per-row latency is charged per listed record, and the emulator counts requests in flight", async () => {
    emu.setLatency(100, 20);
    try {
      emu.resetPeakInFlight();
      const t0 = Date.now();
      const answers = await Promise.all([1, 2, 3, 4].map(() => get(emu, "/v2/orders?limit=10")));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(100 + 10 * 20 - 1); // one wave: base + 10 rows × 20 ms
      expect(emu.inFlight().peak).toBeGreaterThanOrEqual(2);
      expect(emu.inFlight().now).toBe(0);
    } finally {
      emu.setLatency(0);
    }
  });

  it("latency applies to every request", async () => {
    emu.setLatency(120);
    try {
      const t0 = Date.now();
      await get(emu, "/v2/store");
      await get(emu, "/v2/store");
      expect(Date.now() - t0).toBeGreaterThanOrEqual(230);
    } finally {
      emu.setLatency(0);
    }
  });
});

describe("request log", () => {
  let emu: Emulator;
  beforeAll(async () => (emu = await start({ sizes: { orders: 30, customers: 10, products: 10 } })));
  afterAll(() => emu.close());

  it("records method, path without the store prefix, query, status, time; counts by normalised endpoint", async () => {
    const before = Date.now();
    const order = emu.store.orders[3]!;
    await get(emu, "/v2/orders?limit=5&page=2");
    await get(emu, `/v2/orders/${order.id}/coupons`);
    await get(emu, `/v2/orders/${emu.store.orders[4]!.id}/coupons`);
    await get(emu, "/v3/catalog/products?include=images");
    await get(emu, "/v2/orders", "bad");
    const e = emu.log.entries[0]!;
    expect(e).toMatchObject({ method: "GET", path: "/v2/orders", query: { limit: "5", page: "2" }, status: 200, endpoint: "GET /v2/orders" });
    expect(e.time).toBeGreaterThanOrEqual(before);
    expect(emu.log.countByEndpoint()).toEqual({
      "GET /v2/orders": 2, "GET /v2/orders/{id}/coupons": 2, "GET /v3/catalog/products": 1,
    });
    expect(emu.log.count()).toBe(5);
    expect(emu.log.count({ status: 401 })).toBe(1);
    expect(emu.log.count({ path: /coupons$/ })).toBe(2);
    expect(emu.log.count({ endpoint: "GET /v2/orders/{id}/coupons" })).toBe(2);
    expect(emu.log.count((x) => x.query.include === "images")).toBe(1);
    emu.log.clear();
    expect(emu.log.count()).toBe(0);
  });
});
