/** v2 lists: bare arrays, page/limit edges, 204 past the end, 413 above 250, sorting, the order shape. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/emulator/index.ts";
import { allV2, get, start } from "./helpers.ts";

const RFC2822 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} \+0000$/;
const MONEY = /^-?\d+\.\d{4}$/;

describe("v2 page/limit edges", () => {
  for (const count of [0, 1, 250, 251]) {
    it(`${count} orders: pages of 250, then 204 with an empty body`, async () => {
      const emu = await start({ sizes: { orders: count, customers: 5, products: 5 } });
      try {
        const expected = Math.ceil(count / 250);
        for (let page = 1; page <= expected; page++) {
          const r = await get(emu, `/v2/orders?page=${page}&limit=250`);
          expect(r.status).toBe(200);
          expect(Array.isArray(r.json)).toBe(true);
          expect(r.json).toHaveLength(page < expected ? 250 : count - 250 * (expected - 1));
        }
        const past = await get(emu, `/v2/orders?page=${expected + 1}&limit=250`);
        expect(past.status).toBe(204);
        expect(past.text).toBe("");
        expect(past.headers.get("content-type")).toBeNull();
        const { rows } = await allV2(emu, "/v2/orders");
        expect(rows.map((o) => o.id)).toEqual(emu.store.orders.map((o) => o.id));
      } finally {
        await emu.close();
      }
    });
  }
});

describe("v2 lists", () => {
  let emu: Emulator;
  beforeAll(async () => (emu = await start({ seed: 3 })));
  afterAll(() => emu.close());

  it("default limit is 50; 250 is allowed; 251 answers 413 with details.max_limit", async () => {
    expect((await get(emu, "/v2/orders")).json).toHaveLength(50);
    expect((await get(emu, "/v2/orders?limit=250")).json).toHaveLength(250);
    const r = await get(emu, "/v2/orders?limit=251");
    expect(r.status).toBe(413);
    expect(r.json[0]).toMatchObject({ status: 413, details: { max_limit: 250 } });
    expect((await get(emu, "/v2/coupons?limit=1000")).status).toBe(413);
  });

  it("pages do not overlap and cover every live order, by id ascending", async () => {
    const { rows, requests } = await allV2(emu, "/v2/orders", 100);
    expect(requests).toBe(Math.ceil(emu.store.orders.length / 100) + 1);
    const ids = rows.map((o) => o.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(ids.length).toBe(emu.store.orders.length);
  });

  it("sort=date_modified:asc / :desc orders by date_modified (ties by id)", async () => {
    const asc = (await allV2(emu, "/v2/orders?sort=date_modified:asc")).rows;
    const key = (o: any) => [Date.parse(o.date_modified), o.id] as const;
    for (let i = 1; i < asc.length; i++) {
      const [a, ai] = key(asc[i - 1]);
      const [b, bi] = key(asc[i]);
      expect(a < b || (a === b && ai < bi)).toBe(true);
    }
    const desc = (await get(emu, "/v2/orders?sort=date_modified:desc&limit=5")).json;
    expect(desc[0].id).toBe(asc[asc.length - 1].id);
    expect((await get(emu, "/v2/orders?sort=bogus:asc")).status).toBe(400);
  });

  it("has runs of orders sharing one date_modified second", async () => {
    const counts = new Map<number, number>();
    for (const o of emu.store.orders) counts.set(o.modified, (counts.get(o.modified) ?? 0) + 1);
    expect(Math.max(...counts.values())).toBeGreaterThanOrEqual(20);
  });

  it("orders carry RFC 2822 dates, 4-decimal money strings and sub-resource links", async () => {
    const rows = (await get(emu, "/v2/orders?limit=250")).json as any[];
    for (const o of rows) {
      expect(o.date_created).toMatch(RFC2822);
      expect(o.date_modified).toMatch(RFC2822);
      expect(Date.parse(o.date_created)).toBeLessThanOrEqual(Date.parse(o.date_modified));
      expect(o.date_shipped === "" || RFC2822.test(o.date_shipped)).toBe(true);
      for (const k of ["subtotal_ex_tax", "subtotal_inc_tax", "total_ex_tax", "total_inc_tax", "coupon_discount", "refunded_amount"]) {
        expect(o[k]).toMatch(MONEY);
      }
      expect(o.billing_address).toMatchObject({ first_name: expect.any(String), city: expect.any(String), country_iso2: expect.any(String) });
      expect(o.products).toEqual({ url: `${emu.url}/stores/${emu.storeHash}/v2/orders/${o.id}/products`, resource: `/orders/${o.id}/products` });
      expect(o.coupons.resource).toBe(`/orders/${o.id}/coupons`);
      expect(o.shipping_addresses.resource).toBe(`/orders/${o.id}/shippingaddresses`);
      expect("consignments" in o).toBe(false);
    }
    const shipped = rows.filter((o) => o.date_shipped !== "");
    expect(shipped.length).toBeGreaterThan(0);
    expect(rows.some((o) => o.date_shipped === "")).toBe(true);
    expect(rows.some((o) => o.payment_status === "")).toBe(true);
    expect(rows.some((o) => o.payment_status === "captured")).toBe(true);
    expect(rows.some((o) => o.payment_method === "Manual" && o.payment_status === "")).toBe(true);
    const withCoupon = rows.filter((o) => o.coupon_discount !== "0.0000");
    expect(withCoupon.length).toBeGreaterThan(0);
    expect(rows.filter((o) => o.coupon_discount === "0.0000").length).toBeGreaterThan(withCoupon.length * 3);
    const total = (o: any) => Number(o.subtotal_ex_tax) + Number(o.shipping_cost_ex_tax) - Number(o.coupon_discount);
    for (const o of rows) expect(Number(o.total_ex_tax)).toBeCloseTo(total(o), 4);
  });

  it("coupons of an order: rows when coupon_discount is non-zero, 204 otherwise", async () => {
    const rows = (await get(emu, "/v2/orders?limit=250")).json as any[];
    for (const o of rows.slice(0, 120)) {
      const r = await get(emu, `/v2/orders/${o.id}/coupons`);
      if (o.coupon_discount === "0.0000") expect(r.status).toBe(204);
      else {
        expect(r.status).toBe(200);
        const sum = r.json.reduce((s: number, c: any) => s + c.discount, 0);
        expect(sum).toBeCloseTo(Number(o.coupon_discount), 2);
        expect(r.json[0]).toMatchObject({ order_id: o.id, coupon_id: expect.any(Number), code: expect.any(String) });
      }
    }
  });

  it("line items and shipping addresses follow their links", async () => {
    const order = emu.store.orders.find((o) => o.shipping.length > 0 && o.lines.length > 1)!;
    const products = await get(emu, `/v2/orders/${order.id}/products`);
    expect(products.json.map((l: any) => l.id)).toEqual(order.lines.map((l) => l.id));
    const line = products.json[0];
    expect(line).toMatchObject({ order_id: order.id, base_price: expect.stringMatching(MONEY), product_options: expect.any(Array) });
    expect(Number(line.total_inc_tax)).toBeCloseTo(Number(line.price_inc_tax) * line.quantity, 2);
    const one = await get(emu, `/v2/orders/${order.id}/products/${line.id}`);
    expect(one.json).toEqual(line);
    for (const path of ["shipping_addresses", "shippingaddresses"]) {
      const r = await get(emu, `/v2/orders/${order.id}/${path}`);
      expect(r.json.map((s: any) => s.id)).toEqual(order.shipping.map((s) => s.id));
      expect(r.json[0].order_id).toBe(order.id);
    }
  });

  it("coupons list: keyset on min_id (inclusive) as well as pages", async () => {
    const all = (await get(emu, "/v2/coupons?limit=250")).json as any[];
    expect(all.length).toBe(emu.store.coupons.length);
    const pivot = all[5].id;
    const after = (await get(emu, `/v2/coupons?min_id=${pivot}&limit=3`)).json as any[];
    expect(after.map((c) => c.id)).toEqual(all.slice(5, 8).map((c) => c.id));
    const last = all[all.length - 1].id;
    expect((await get(emu, `/v2/coupons?min_id=${last + 1}`)).status).toBe(204);
    expect(all[0]).toMatchObject({ amount: expect.stringMatching(MONEY), date_created: expect.stringMatching(RFC2822) });
  });

  it("other v2 lists: customer groups, gift certificates, currencies; the store object", async () => {
    const groups = (await get(emu, "/v2/customer_groups")).json as any[];
    expect(groups.length).toBe(4);
    expect(groups.filter((g) => g.is_group_for_guests)).toHaveLength(1);
    const certs = await allV2(emu, "/v2/gift_certificates", 10);
    expect(certs.rows.length).toBe(emu.store.giftCertificates.length);
    expect(certs.rows.some((g) => g.order_id > 0)).toBe(true);
    const currencies = (await get(emu, "/v2/currencies")).json as any[];
    expect(currencies.find((c) => c.is_default).currency_code).toBe("USD");
    const store = await get(emu, "/v2/store");
    expect(store.status).toBe(200);
    expect(Array.isArray(store.json)).toBe(false);
    expect(store.json.id).toBe(emu.storeHash);
  });

  it("orders/count counts live orders per status", async () => {
    const r = await get(emu, "/v2/orders/count");
    expect(r.json.count).toBe(emu.store.orders.length);
    expect(r.json.statuses.reduce((s: number, x: any) => s + x.count, 0)).toBe(emu.store.orders.length);
  });
});
