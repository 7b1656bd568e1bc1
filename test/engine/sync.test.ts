import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/emulator/index.ts";
import type { Config } from "../../src/config/load.ts";
import { registry } from "../../streams/index.ts";
import { collect, emulatorWithConfig } from "../support/emulator.ts";

const ORDER_PAGES = { endpoint: "GET /v2/orders" };

describe("pagination edges", () => {
  for (const [orders, brands] of [[0, 0], [1, 1], [250, 250], [251, 251]]) {
    it(`reads ${orders} orders (v2, 204 at the end) and ${brands} brands (v3 envelope) completely`, async () => {
      const { emulator, config } = await emulatorWithConfig({ sizes: { orders, brands } });
      try {
        const { rows } = await collect({ config, selection: { streams: ["orders", "brands"] } });
        expect(rows.get("orders")?.length ?? 0).toBe(orders);
        expect(new Set(rows.get("orders")?.map((r) => r.id)).size).toBe(orders);
        expect(rows.get("brands")?.length ?? 0).toBe(brands);
        // v2: a full page asks once more (and gets 204 or the one-record overlap); v3 knows total_pages.
        expect(emulator.log.count(ORDER_PAGES)).toBe(orders === 0 ? 1 : Math.floor(orders / 250) + 1);
        expect(emulator.log.count({ endpoint: "GET /v3/catalog/brands" })).toBe(Math.max(1, Math.ceil(brands / 250)));
        if (orders === 0) expect(emulator.log.filter(ORDER_PAGES)[0].status).toBe(204);
      } finally {
        await emulator.close();
      }
    });
  }
});

describe("a store synced in full", () => {
  let emulator: Emulator;
  let config: Config;
  beforeAll(async () => {
    ({ emulator, config } = await emulatorWithConfig({ sizes: { orders: 1100 } }));
  });
  afterAll(() => emulator.close());

  it("syncs every stream with records, sending only parameters each endpoint supports", async () => {
    const { rows, skipped } = await collect({ config, selection: { streams: registry.map((s) => s.name) } });
    expect(skipped).toEqual([]);
    for (const stream of registry) expect(rows.get(stream.name)?.length ?? 0, stream.name).toBeGreaterThan(0);
    const ignored = emulator.log.filter((e) => (e.ignoredParams?.length ?? 0) > 0);
    expect(ignored.map((e) => `${e.endpoint} ${e.ignoredParams}`)).toEqual([]);
  });

  it("reads line items and addresses inline: order pages, plus fallbacks and coupon requests only where needed", async () => {
    emulator.log.clear();
    const { rows } = await collect({ config, selection: { streams: ["orders", "order_products", "order_shipping_addresses", "order_coupons"] } });
    const served = rows.get("orders")!;
    expect(served.length).toBe(1100);
    const withCoupons = served.filter((o) => Number(o.coupon_discount) !== 0).length;
    const truncated = emulator.log.count({ endpoint: "GET /v2/orders/{id}/products" });
    const byEndpoint = emulator.log.countByEndpoint();
    expect(byEndpoint["GET /v2/orders"]).toBe(Math.ceil(served.length / 250));
    expect(byEndpoint["GET /v2/orders/{id}/coupons"]).toBe(withCoupons);
    expect(truncated).toBeGreaterThan(0); // the seeded store has orders with more than 50 line items
    // Fallbacks happen exactly for the orders whose inline line items were cut at 50.
    const fallbackOrders = new Set(emulator.log.filter({ endpoint: "GET /v2/orders/{id}/products" }).map((e) => e.path));
    const bigOrders = served.filter((o) => rows.get("order_products")!.filter((p) => p.order_id === o.id).length > 50);
    expect(fallbackOrders.size).toBe(bigOrders.length);
    // The count sizes a first load (cut into cursor windows when it is large), and checks it before and after.
    expect(Object.keys(byEndpoint).sort()).toEqual(["GET /v2/orders", "GET /v2/orders/count", "GET /v2/orders/{id}/coupons", "GET /v2/orders/{id}/products", "GET /v2/store"]);
    expect(byEndpoint["GET /v2/store"]).toBe(1); // the store identity check
    expect(byEndpoint["GET /v2/orders/count"]).toBe(3); // sizing the read, and the completeness check before and after it
    // Every order's line items arrived, keyed (id, order_id).
    const products = rows.get("order_products")!;
    expect(new Set(products.map((p) => `${p.id}/${p.order_id}`)).size).toBe(products.length);
    expect(rows.get("order_shipping_addresses")!.every((a) => typeof a.order_id === "number" && a.line_items === undefined)).toBe(true);
  });

  it("reads a child stream without emitting its parent", async () => {
    const { rows } = await collect({ config, selection: { streams: ["order_products"] } });
    expect(rows.has("orders")).toBe(false);
    expect(rows.get("order_products")!.length).toBeGreaterThan(1100);
  });

  it("flattens nested objects into _ columns", async () => {
    const { rows } = await collect({ config, selection: { streams: ["orders"] } });
    const order = rows.get("orders")![0];
    expect(order).toHaveProperty("billing_address_city");
    expect(order).not.toHaveProperty("billing_address");
    expect(order).not.toHaveProperty("consignments");
    expect(String(order.date_created)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);
    expect(String(order.total_inc_tax)).toMatch(/^\d+\.\d{4}$/);
  });
});

describe("request cost at benchmark size", () => {
  it("syncs 10 000 orders with floor(n/250)+1 order pages (+5% at most for cursor windows) plus only the fallbacks and coupon requests they need", async () => {
    const { emulator, config } = await emulatorWithConfig({ sizes: { orders: 10_000 } });
    try {
      const { rows } = await collect({ config, selection: { streams: ["orders", "order_products", "order_shipping_addresses", "order_coupons"] } });
      const orders = rows.get("orders")!;
      expect(orders.length).toBe(10_000);
      const byEndpoint = emulator.log.countByEndpoint();
      // v2 lists carry no total: a last page that is full needs one more request to see the end. Read in
      // cursor windows (40 pages: 2), each window ends in a short page, and one page of one record finds the oldest.
      const minimum = Math.floor(10_000 / 250) + 1;
      expect(byEndpoint["GET /v2/orders"]).toBeGreaterThanOrEqual(minimum);
      expect(byEndpoint["GET /v2/orders"]).toBeLessThanOrEqual(Math.floor(minimum * 1.05));
      // orders/count: once to size the two windows, then to check the read: after each window, and before the open-ended newest.
      expect(byEndpoint["GET /v2/orders/count"]).toBe(4);
      expect(byEndpoint["GET /v2/orders/{id}/coupons"]).toBe(orders.filter((o) => Number(o.coupon_discount) !== 0).length);
      const lineItems = new Map<unknown, number>();
      for (const p of rows.get("order_products")!) lineItems.set(p.order_id, (lineItems.get(p.order_id) ?? 0) + 1);
      expect(byEndpoint["GET /v2/orders/{id}/products"]).toBe([...lineItems.values()].filter((n) => n > 50).length);
      // And the store identity check (GET /v2/store).
      expect(Object.keys(byEndpoint).length).toBe(5);
    } finally {
      await emulator.close();
    }
  });
});

describe("incremental", () => {
  it("a second run fetches only the records modified since, and the bookmark never passes an unread record", async () => {
    const { emulator, config } = await emulatorWithConfig({ sizes: { orders: 600 } });
    try {
      const first = await collect({ config, selection: { streams: ["orders", "order_products", "customers", "products"] } });
      expect(first.rows.get("orders")!.length).toBe(600);
      expect(first.state.bookmarks.orders.replication_key).toBe("date_modified");
      const touched = [5, 77, 300].map((i) => emulator.store.touchOrder(emulator.store.orders[i].id).id).sort((a, b) => a - b);
      const customer = emulator.store.touchCustomer(emulator.store.customers[3].id).id;
      emulator.log.clear();
      const second = await collect({ config, selection: { streams: ["orders", "order_products", "customers", "products"] }, state: first.state });
      expect(second.rows.get("orders")!.map((r) => r.id).sort((a, b) => Number(a) - Number(b))).toEqual(touched);
      expect(new Set(second.rows.get("order_products")!.map((r) => r.order_id))).toEqual(new Set(touched));
      expect(second.rows.get("customers")!.map((r) => r.id)).toEqual([customer]);
      expect(second.rows.get("products") ?? []).toEqual([]);
      // The order request carried the bookmark as a second-precision ISO 8601 filter.
      const query = emulator.log.filter(ORDER_PAGES)[0].query;
      expect(query.min_date_modified).toBe(first.state.bookmarks.orders.replication_key_value!.replace(".000Z", "Z"));
      expect(query.sort).toBe("date_modified:asc");
      expect(Date.parse(second.state.bookmarks.orders.replication_key_value!)).toBeGreaterThan(
        Date.parse(first.state.bookmarks.orders.replication_key_value!),
      );
    } finally {
      await emulator.close();
    }
  });

  it("loses no order when orders already read are modified during the run", async () => {
    const { emulator, config } = await emulatorWithConfig({ sizes: { orders: 900 } });
    try {
      const seen = new Set<unknown>();
      let pages = 0;
      const { sync } = await import("../../src/engine/sync.ts");
      for await (const event of sync({ config, selection: { streams: ["orders"] } })) {
        if (event.type !== "batch") continue;
        for (const row of event.rows.get("orders") ?? []) seen.add(row.id);
        // After each page, modify two orders that were already read: offset paging would now skip two.
        if (++pages <= 3) for (const id of [...seen].slice(0, 2)) emulator.store.touchOrder(Number(id));
      }
      expect(seen.size).toBe(900);
    } finally {
      await emulator.close();
    }
  });
});

describe("faults and limits", () => {
  it("retries 5xx, connection resets and truncated bodies, and waits out a 429", async () => {
    const { emulator, config } = await emulatorWithConfig({ sizes: { orders: 300 } });
    try {
      emulator.setFaults([
        { kind: "status", status: 500, match: "/v2/orders", times: 2 },
        { kind: "reset", match: "/v2/orders" },
        { kind: "truncate", match: "/v3/catalog/brands" },
        { kind: "truncate", mode: "half-json", match: "/v3/catalog/brands" },
        { kind: "overload", match: "/v3/catalog/brands" },
      ]);
      const { rows } = await collect({ config, selection: { streams: ["orders", "brands"] } });
      expect(rows.get("orders")!.length).toBe(300);
      expect(rows.get("brands")!.length).toBe(emulator.store.brands.length);
      expect(emulator.pendingFaults()).toEqual([]);
      expect(emulator.log.count({ status: 500 })).toBe(2);
    } finally {
      await emulator.close();
    }
  });

  it("paces itself on the rate-limit headers: a run that needs more than the quota gets no 429", async () => {
    const { emulator, config } = await emulatorWithConfig({ rateLimit: { quota: 4, windowMs: 400 }, sizes: { orders: 1100 } });
    try {
      const { rows } = await collect({ config, selection: { streams: ["orders", "brands", "customers", "currencies"] } });
      expect(rows.get("orders")!.length).toBe(1100);
      expect(emulator.log.count()).toBeGreaterThan(4);
      expect(emulator.log.count({ status: 429 })).toBe(0);
    } finally {
      await emulator.close();
    }
  });

  it("recovers from a 429 with X-Retry-After when another app spent the quota", async () => {
    const { emulator, config } = await emulatorWithConfig({ rateLimit: { quota: 3, windowMs: 500 }, sizes: { orders: 10 } });
    try {
      // Another app spends the quota before we start.
      for (let i = 0; i < 3; i++) {
        await fetch(`${emulator.url}/stores/${emulator.storeHash}/v2/currencies`, { headers: { "X-Auth-Token": emulator.accessToken } });
      }
      const { rows } = await collect({ config, selection: { streams: ["orders"] } });
      expect(rows.get("orders")!.length).toBe(10);
      expect(emulator.log.count({ status: 429 })).toBe(1);
    } finally {
      await emulator.close();
    }
  });

  it("skips a stream whose scope the token lacks, naming the scope, and syncs the others", async () => {
    const { emulator, config } = await emulatorWithConfig({ scopes: ["store_v2_orders_read_only"], sizes: { orders: 20 } });
    try {
      const { rows, skipped } = await collect({ config, selection: { streams: ["orders", "transactions", "brands"] } });
      expect(rows.get("orders")!.length).toBe(20);
      expect(skipped.join("\n")).toContain("'brands'");
      expect(skipped.join("\n")).toContain("store_v2_products_read_only");
      expect(skipped.join("\n")).toContain("store_v2_transactions_read_only");
    } finally {
      await emulator.close();
    }
  });

  it("restricts streams with a channel to channel_id", async () => {
    const { emulator, config } = await emulatorWithConfig({ sizes: { orders: 400 } }, { channel_id: 1 });
    try {
      const { rows } = await collect({ config, selection: { streams: ["orders"] } });
      const all = emulator.store.orders.filter((o) => o.channelId === 1).length;
      expect(rows.get("orders")!.length).toBe(all);
      expect(rows.get("orders")!.every((o) => o.channel_id === 1)).toBe(true);
      expect(emulator.log.filter(ORDER_PAGES)[0].query.channel_id).toBe("1");
    } finally {
      await emulator.close();
    }
  });
});
