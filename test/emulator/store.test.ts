/** The generated store: determinism, internal consistency, and the mutation helpers tests rely on. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStore, type Emulator, REFERENCE_DATE } from "../../src/emulator/index.ts";
import { allV2, allV3, get, start } from "./helpers.ts";

const DAY = 86_400;

describe("determinism", () => {
  it("the same seed and sizes give the same data; another seed gives other data", () => {
    const a = createStore({ seed: 42, sizes: { orders: 300 } });
    const b = createStore({ seed: 42, sizes: { orders: 300 } });
    const c = createStore({ seed: 43, sizes: { orders: 300 } });
    expect(JSON.stringify(b.orders)).toBe(JSON.stringify(a.orders));
    expect(JSON.stringify(b.customers)).toBe(JSON.stringify(a.customers));
    expect(JSON.stringify(b.products)).toBe(JSON.stringify(a.products));
    expect(JSON.stringify(c.orders)).not.toBe(JSON.stringify(a.orders));
  });

  it("two emulators with one seed answer byte-identical pages", async () => {
    const [x, y] = await Promise.all([start({ seed: "abc", sizes: { orders: 120 } }), start({ seed: "abc", sizes: { orders: 120 } })]);
    try {
      for (const path of ["/v2/orders?limit=250&include=consignments.line_items&consignment_structure=object", "/v3/customers?limit=250", "/v3/catalog/products?include=images,custom_fields&limit=250"]) {
        const [p, q] = [await get(x, path), await get(y, path)];
        expect(q.text.replaceAll(y.url, "")).toBe(p.text.replaceAll(x.url, ""));
      }
    } finally {
      await Promise.all([x.close(), y.close()]);
    }
  });

  it("changing one size leaves the other resources alone", () => {
    const a = createStore({ seed: 7, sizes: { orders: 100 } });
    const b = createStore({ seed: 7, sizes: { orders: 200 } });
    expect(JSON.stringify(b.customers.map((c) => [c.id, c.email, c.created]))).toBe(JSON.stringify(a.customers.map((c) => [c.id, c.email, c.created])));
    expect(b.products.map((p) => p.name)).toEqual(a.products.map((p) => p.name));
  });
});

describe("consistency", () => {
  const store = createStore({ seed: 1 });

  it("has the default sizes", () => {
    expect(store.orders).toHaveLength(1200);
    expect(store.customers).toHaveLength(300);
    expect(store.products).toHaveLength(120);
    expect(store.brands).toHaveLength(12);
  });

  it("timestamps: about two years up to the reference date, created <= modified", () => {
    const all = [...store.orders, ...store.customers, ...store.products];
    for (const o of store.orders) if (o.shipped) expect(o.created <= o.shipped && o.shipped <= o.modified).toBe(true);
    for (const r of all) {
      expect(r.created).toBeLessThanOrEqual(r.modified);
      expect(r.modified).toBeLessThanOrEqual(REFERENCE_DATE);
      expect(Number.isInteger(r.modified)).toBe(true);
    }
    const first = Math.min(...store.orders.map((o) => o.created));
    expect((REFERENCE_DATE - first) / DAY).toBeGreaterThan(600);
    expect((REFERENCE_DATE - first) / DAY).toBeLessThan(760);
  });

  it("orders reference existing customers and products created before them", () => {
    const customers = new Map(store.customers.map((c) => [c.id, c]));
    const products = new Map(store.products.map((p) => [p.id, p]));
    let guests = 0;
    for (const o of store.orders) {
      if (o.customerId === 0) guests++;
      else {
        const c = customers.get(o.customerId);
        expect(c).toBeDefined();
        expect(c!.created).toBeLessThanOrEqual(o.created);
      }
      for (const l of o.lines) {
        if (l.productId === 0) continue;
        const p = products.get(l.productId)!;
        expect(p).toBeDefined();
        expect(p.variants.map((v) => v.id)).toContain(l.variantId);
      }
    }
    expect(guests).toBeGreaterThan(0);
    expect(guests).toBeLessThan(store.orders.length / 2);
  });

  it("coupons, payments, transactions and refunds agree", () => {
    for (const o of store.orders) {
      const discount = o.coupons.reduce((s, c) => s + c.discountCents, 0);
      expect(discount > 0).toBe(o.coupons.length > 0);
      expect(o.paymentStatus !== "").toBe(o.transactions.length > 0);
      if (["refunded", "partially refunded"].includes(o.paymentStatus)) {
        expect(store.refunds.filter((r) => r.orderId === o.id)).toHaveLength(1);
        expect(o.transactions.some((t) => t.event === "refund")).toBe(true);
      }
    }
    for (const r of store.refunds) expect(store.order(r.orderId)!.refundedCents).toBe(r.totalCents);
    const codes = new Set(store.coupons.map((c) => c.id));
    for (const o of store.orders) for (const c of o.coupons) expect(codes.has(c.couponId)).toBe(true);
    expect(store.coupons.reduce((s, c) => s + c.numUses, 0)).toBe(store.orders.reduce((s, o) => s + o.coupons.length, 0));
  });

  it("line item, shipping address and transaction ids are unique store-wide", () => {
    const lines = store.orders.flatMap((o) => o.lines.map((l) => l.id));
    expect(new Set(lines).size).toBe(lines.length);
    const addresses = store.orders.flatMap((o) => o.shipping.map((s) => s.id));
    expect(new Set(addresses).size).toBe(addresses.length);
    const tx = store.orders.flatMap((o) => o.transactions.map((t) => t.id));
    expect(new Set(tx).size).toBe(tx.length);
  });

  it("generates 50 000 orders in reasonable time", () => {
    const t0 = Date.now();
    const big = createStore({ seed: 2, sizes: { orders: 50_000 } });
    expect(big.orders).toHaveLength(50_000);
    expect(Date.now() - t0).toBeLessThan(15_000);
  });
});

describe("a store that does not keep its orders (large stores)", () => {
  const SIZES = { orders: 400, customers: 60, products: 40 };

  it("rebuilds exactly the orders a kept store holds, before and after mutations, without counting them twice", () => {
    const kept = createStore({ seed: 11, sizes: SIZES, keepOrders: true });
    const rebuilt = createStore({ seed: 11, sizes: SIZES, keepOrders: false });
    for (const name of ["orders", "refunds", "giftCertificates", "subscribers", "products", "coupons", "customers"] as const) {
      expect(JSON.stringify(rebuilt[name]), name).toBe(JSON.stringify(kept[name]));
    }
    JSON.stringify(rebuilt.orders); // rebuilding again changes no counts (coupon uses, products sold)
    expect(JSON.stringify(rebuilt.products)).toBe(JSON.stringify(kept.products));
    expect(JSON.stringify(rebuilt.coupons)).toBe(JSON.stringify(kept.coupons));
    for (const store of [kept, rebuilt]) {
      store.touchOrder(store.orders[3]!.id);
      store.updateOrder(store.orders[4]!.id, { status_id: 5, staff_notes: "x" });
      store.deleteOrder(store.orders[5]!.id);
      store.addOrder({ lineCount: 2 });
      store.deleteCustomer(store.customers[0]!.id);
    }
    expect(JSON.stringify(rebuilt.orders)).toBe(JSON.stringify(kept.orders));
  });

  it("answers the same pages as a kept store: sorts, filters, ranges, offsets, counts", async () => {
    const [x, y] = await Promise.all([
      start({ store: createStore({ seed: 12, sizes: SIZES, keepOrders: true }) }),
      start({ store: createStore({ seed: 12, sizes: SIZES, keepOrders: false }) }),
    ]);
    try {
      const some = x.store.orders[17]!;
      for (const emu of [x, y]) emu.store.touchOrder(some.id, "2025-05-30T00:00:00Z");
      const modified = encodeURIComponent(new Date((x.store.orders[200]!.modified) * 1000).toISOString());
      for (const path of [
        "/v2/orders?limit=50&page=3",
        "/v2/orders?sort=date_modified:asc&limit=100",
        `/v2/orders?sort=date_modified:asc&min_date_modified=${modified}&limit=25&page=2`,
        `/v2/orders?sort=date_modified:desc&max_date_modified=${modified}&limit=30`,
        "/v2/orders?sort=date_created:desc&min_id=150&max_id=300&limit=40&page=2",
        `/v2/orders?status_id=${some.statusId}&channel_id=1&sort=id:desc`,
        `/v2/orders?email=${encodeURIComponent(some.billing.email)}`,
        "/v2/orders?min_total=100&max_total=300&limit=250",
        "/v2/orders/count",
        `/v2/orders/count?min_date_modified=${modified}`,
        `/v2/orders/${some.id}?include=consignments.line_items`,
        "/v2/orders?limit=250&page=99",
      ]) {
        const [p, q] = [await get(x, path), await get(y, path)];
        expect(q.status, path).toBe(p.status);
        expect(q.text.replaceAll(y.url, ""), path).toBe(p.text.replaceAll(x.url, ""));
      }
    } finally {
      await Promise.all([x.close(), y.close()]);
    }
  });
});

describe("mutations", () => {
  let emu: Emulator;
  beforeAll(async () => (emu = await start({ seed: 8, sizes: { orders: 200, customers: 40, products: 30 } })));
  afterAll(() => emu.close());
  const iso = (s: number) => encodeURIComponent(new Date(s * 1000).toISOString());

  it("touchOrder moves an order past every other date_modified", async () => {
    const id = emu.store.orders[5]!.id;
    const o = emu.store.touchOrder(id);
    expect(o.modified).toBeGreaterThan(REFERENCE_DATE);
    const rows = (await allV2(emu, `/v2/orders?sort=date_modified:asc&min_date_modified=${iso(REFERENCE_DATE)}`)).rows;
    expect(rows.map((r) => r.id)).toEqual([id]);
    emu.store.touchOrder(emu.store.orders[6]!.id, "2025-07-01T00:00:00Z");
    const latest = (await get(emu, "/v2/orders?sort=date_modified:desc&limit=1")).json[0];
    expect(latest).toMatchObject({ id: emu.store.orders[6]!.id, date_modified: "Tue, 01 Jul 2025 00:00:00 +0000" });
  });

  it("updateOrder overrides fields (status_id moves the status) and touches the order", async () => {
    const id = emu.store.orders[7]!.id;
    emu.store.updateOrder(id, { status_id: 5, staff_notes: "cancelled by test" });
    const o = (await get(emu, `/v2/orders/${id}`)).json;
    expect(o).toMatchObject({ status_id: 5, status: "Cancelled", staff_notes: "cancelled by test" });
    expect((await allV2(emu, "/v2/orders?status_id=5")).rows.map((r) => r.id)).toContain(id);
  });

  it("addOrder appends a new order; deleteOrder archives one out of the list", async () => {
    const before = (await allV2(emu, "/v2/orders")).rows.length;
    const added = emu.store.addOrder({ lineCount: 3 });
    expect(added.id).toBeGreaterThan(emu.store.orders[emu.store.orders.length - 2]!.id);
    const got = (await get(emu, `/v2/orders/${added.id}/products`)).json;
    expect(got).toHaveLength(3);
    emu.store.deleteOrder(emu.store.orders[0]!.id);
    const after = (await allV2(emu, "/v2/orders")).rows;
    expect(after.length).toBe(before);
    expect(after.map((o) => o.id)).not.toContain(emu.store.orders[0]!.id);
    expect((await get(emu, `/v2/orders/${emu.store.orders[0]!.id}`)).json.is_deleted).toBe(true);
    for (let i = 0; i < 30; i++) {
      const o = emu.store.addOrder();
      expect(o.modified).toBe(o.created);
      expect(o.shipped === 0 || o.shipped >= o.created).toBe(true);
    }
    const big = emu.store.addOrder({ lineCount: 60 });
    const inline = (await get(emu, `/v2/orders/${big.id}?include=consignments.line_items&consignment_structure=object`)).json;
    expect(inline.consignments.shipping[0].__warning__).toBeDefined();
  });

  it("customers: update, add, delete", async () => {
    const c = emu.store.customers[3]!;
    emu.store.updateCustomer(c.id, { notes: "VIP" });
    const rows = await allV3(emu, `/v3/customers?sort=date_modified:desc`);
    expect(rows[0]).toMatchObject({ id: c.id, notes: "VIP" });
    const added = emu.store.addCustomer();
    expect((await allV3(emu, "/v3/customers")).map((x) => x.id)).toContain(added.id);
    expect(emu.store.deleteCustomer(added.id)).toBe(true);
    expect((await allV3(emu, "/v3/customers")).map((x) => x.id)).not.toContain(added.id);
  });

  it("products: add, touch, delete (variants and inventory go too)", async () => {
    const p = emu.store.addProduct();
    const ids = (await allV3(emu, "/v3/catalog/products?include_fields=id")).map((x) => x.id);
    expect(ids).toContain(p.id);
    emu.store.touchProduct(emu.store.products[0]!.id);
    const newest = (await get(emu, "/v3/catalog/products?sort=date_modified&direction=desc&limit=1")).json.data[0];
    expect(newest.id).toBe(emu.store.products[0]!.id);
    const victim = emu.store.products[1]!;
    expect(emu.store.deleteProduct(victim.id)).toBe(true);
    expect((await allV3(emu, "/v3/catalog/products?include_fields=id")).map((x) => x.id)).not.toContain(victim.id);
    const variants = await allV3(emu, `/v3/catalog/variants?product_id:in=${victim.id}`);
    expect(variants).toEqual([]);
    expect((await get(emu, `/v3/inventory/items?product_id:in=${victim.id}`)).json.data).toEqual([]);
    expect((await get(emu, `/v3/catalog/products/${victim.id}`)).status).toBe(404);
  });

  it("addField gives every record of a resource a new field (schema evolution)", async () => {
    emu.store.addField("orders", "loyalty_points", (o) => (o.id as number) % 7);
    emu.store.addField("order_products", "gift_wrap", false);
    emu.store.addField("customers", "segment", "retail");
    const o = (await get(emu, `/v2/orders?limit=1&include=consignments.line_items&consignment_structure=object`)).json[0];
    expect(o.loyalty_points).toBe(o.id % 7);
    expect(o.consignments.shipping[0]?.line_items[0]?.gift_wrap ?? o.consignments.downloads[0]?.line_items[0]?.gift_wrap).toBe(false);
    expect((await get(emu, "/v3/customers?limit=1")).json.data[0].segment).toBe("retail");
    emu.store.removeField("customers", "segment");
    expect("segment" in (await get(emu, "/v3/customers?limit=1")).json.data[0]).toBe(false);
  });
});
