/** The store quota: four headers on every response, 429 with X-Retry-After when spent, a fresh window after. */
import { afterEach, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/emulator/index.ts";
import { get, start } from "./helpers.ts";

const HEADERS = ["x-rate-limit-time-window-ms", "x-rate-limit-time-reset-ms", "x-rate-limit-requests-quota", "x-rate-limit-requests-left"];
const SMALL = { orders: 10, customers: 5, products: 5 };

describe("rate limit", () => {
  let emu: Emulator | undefined;
  afterEach(async () => {
    await emu?.close();
    emu = undefined;
  });

  it("defaults to 150 requests per 30 s window", async () => {
    emu = await start({ sizes: SMALL, rateLimit: {} });
    const r = await get(emu, "/v2/orders?limit=1");
    expect(r.headers.get("x-rate-limit-requests-quota")).toBe("150");
    expect(r.headers.get("x-rate-limit-time-window-ms")).toBe("30000");
    expect(r.headers.get("x-rate-limit-requests-left")).toBe("149");
    const reset = Number(r.headers.get("x-rate-limit-time-reset-ms"));
    expect(reset).toBeGreaterThan(29_000);
    expect(reset).toBeLessThanOrEqual(30_000);
  });

  it("counts down, answers 429 with X-Retry-After when spent, and refills after the window", async () => {
    emu = await start({ sizes: SMALL, rateLimit: { quota: 4, windowMs: 600 } });
    const left: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await get(emu, i % 2 ? "/v3/customers" : "/v2/orders");
      expect(r.status).toBe(200);
      left.push(r.headers.get("x-rate-limit-requests-left")!);
    }
    expect(left).toEqual(["3", "2", "1", "0"]);
    const limited = await get(emu, "/v2/orders");
    expect(limited.status).toBe(429);
    for (const h of HEADERS) expect(limited.headers.get(h)).not.toBeNull();
    expect(limited.headers.get("x-rate-limit-requests-left")).toBe("0");
    expect(Number(limited.headers.get("x-retry-after"))).toBeGreaterThanOrEqual(1);
    expect(limited.json[0].status).toBe(429);
    const v3 = await get(emu, "/v3/customers");
    expect(v3.status).toBe(429);
    expect(v3.json.status).toBe(429);
    const wait = Number(limited.headers.get("x-rate-limit-time-reset-ms"));
    expect(wait).toBeLessThanOrEqual(600);
    await new Promise((r) => setTimeout(r, wait + 30));
    const again = await get(emu, "/v2/orders");
    expect(again.status).toBe(200);
    expect(again.headers.get("x-rate-limit-requests-left")).toBe("3");
  });

  it("puts the headers on every response: 204, 401, 403, 404, 413", async () => {
    emu = await start({ sizes: SMALL, rateLimit: { quota: 100 }, scopes: ["store_v2_orders_read_only"] });
    const order = emu.store.orders.find((o) => o.coupons.length === 0)!;
    const responses = [
      await get(emu, `/v2/orders/${order.id}/coupons`), await get(emu, "/v2/orders", null), await get(emu, "/v3/customers"),
      await get(emu, "/v3/nothing"), await get(emu, "/v2/orders?limit=300"),
    ];
    expect(responses.map((r) => r.status)).toEqual([204, 401, 403, 404, 413]);
    for (const r of responses) for (const h of HEADERS) expect(r.headers.get(h), `${r.status} ${h}`).not.toBeNull();
  });

  it("rateLimit: false drops the limit and its headers; setRateLimit turns it back on", async () => {
    emu = await start({ sizes: SMALL, rateLimit: false });
    for (let i = 0; i < 5; i++) {
      const r = await get(emu, "/v2/orders?limit=1");
      expect(r.status).toBe(200);
      expect(r.headers.get("x-rate-limit-requests-quota")).toBeNull();
    }
    emu.setRateLimit({ quota: 1, windowMs: 60_000 });
    expect((await get(emu, "/v2/orders?limit=1")).status).toBe(200);
    expect((await get(emu, "/v2/orders?limit=1")).status).toBe(429);
  });
});
