/** Authentication, unknown stores and paths, methods and OAuth scopes: statuses and the real body shapes. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/emulator/index.ts";
import { get, start } from "./helpers.ts";

const SMALL = { orders: 20, customers: 10, products: 10 };

describe("auth and routing", () => {
  let emu: Emulator;
  beforeAll(async () => (emu = await start({ sizes: SMALL, rateLimit: { quota: 1000 } })));
  afterAll(() => emu.close());

  it("v2 without a token: 401 with a JSON array of {status, message}", async () => {
    const r = await get(emu, "/v2/orders", null);
    expect(r.status).toBe(401);
    expect(Array.isArray(r.json)).toBe(true);
    expect(r.json).toHaveLength(1);
    expect(r.json[0].status).toBe(401);
    expect(typeof r.json[0].message).toBe("string");
    expect(r.json[0].message.length).toBeGreaterThan(0);
  });

  it("v3 with a wrong token: 401 with {status, title, type, errors}", async () => {
    const r = await get(emu, "/v3/customers", "wrong-token");
    expect(r.status).toBe(401);
    expect(Array.isArray(r.json)).toBe(false);
    expect(r.json).toMatchObject({ status: 401, errors: {} });
    expect(typeof r.json.title).toBe("string");
    expect(r.json.type).toMatch(/^https:\/\//);
  });

  it("the right token is accepted", async () => {
    expect((await get(emu, "/v2/orders?limit=1")).status).toBe(200);
    expect((await get(emu, "/v3/customers?limit=1")).status).toBe(200);
  });

  it("unknown store hash: 404", async () => {
    const res = await fetch(`${emu.url}/stores/nosuchstore/v2/orders`, { headers: { "X-Auth-Token": emu.accessToken } });
    expect(res.status).toBe(404);
    const body = await res.json();
    expect(body[0].status).toBe(404);
    const v3 = await fetch(`${emu.url}/stores/nosuchstore/v3/customers`, { headers: { "X-Auth-Token": emu.accessToken } });
    expect(v3.status).toBe(404);
    expect((await v3.json()).status).toBe(404);
  });

  it("unknown path: 404 in the version's shape; unknown record: 404", async () => {
    const v2 = await get(emu, "/v2/widgets");
    expect(v2.status).toBe(404);
    expect(v2.json[0]).toMatchObject({ status: 404 });
    const v3 = await get(emu, "/v3/widgets");
    expect(v3.status).toBe(404);
    expect(v3.json).toMatchObject({ status: 404, errors: {} });
    expect((await get(emu, "/v2/orders/999999")).status).toBe(404);
    expect((await get(emu, "/v3/orders/999999/transactions")).status).toBe(404);
    expect((await get(emu, "/v3/pricelists/999/records")).status).toBe(404);
    const outside = await fetch(`${emu.url}/v2/orders`);
    expect(outside.status).toBe(404);
  });

  it("methods other than GET: 405", async () => {
    const res = await fetch(`${emu.url}/stores/${emu.storeHash}/v2/orders`, {
      method: "POST", headers: { "X-Auth-Token": emu.accessToken, "Content-Type": "application/json" }, body: "{}",
    });
    expect(res.status).toBe(405);
  });
});

describe("OAuth scopes", () => {
  let emu: Emulator;
  beforeAll(async () => (emu = await start({ sizes: SMALL, scopes: ["store_v2_orders_read_only", "store_v2_products"] })));
  afterAll(() => emu.close());

  it("a granted read-only scope works", async () => {
    expect((await get(emu, "/v2/orders?limit=1")).status).toBe(200);
  });

  it("a modify scope implies its read-only one", async () => {
    expect((await get(emu, "/v3/catalog/products?limit=1")).status).toBe(200);
  });

  it("v2 endpoint without its scope: 403 with the v2 body", async () => {
    const r = await get(emu, "/v2/customer_groups");
    expect(r.status).toBe(403);
    expect(r.json).toEqual([{ status: 403, message: expect.any(String) }]);
  });

  it("v3 endpoint without its scope: 403 with the v3 body", async () => {
    const order = emu.store.orders.find((o) => o.transactions.length > 0)!;
    const r = await get(emu, `/v3/orders/${order.id}/transactions`);
    expect(r.status).toBe(403);
    expect(r.json).toMatchObject({ status: 403, title: expect.any(String), type: expect.any(String), errors: {} });
    expect((await get(emu, "/v3/customers")).status).toBe(403);
    expect((await get(emu, "/v3/inventory/items")).status).toBe(403);
  });

  it("refunds accept the orders scope as well as the transactions scope", async () => {
    expect((await get(emu, "/v3/orders/payment_actions/refunds")).status).toBe(200);
  });

  it("scopes can change at run time", async () => {
    emu.setScopes(["store_v2_customers_read_only"]);
    expect((await get(emu, "/v2/customer_groups")).status).toBe(200);
    expect((await get(emu, "/v2/orders")).status).toBe(403);
    emu.setScopes(null);
    expect((await get(emu, "/v2/orders?limit=1")).status).toBe(200);
  });
});
