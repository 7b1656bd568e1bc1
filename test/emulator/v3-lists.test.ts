/** v3 lists: the {data, meta.pagination} envelope, links, limits; customers' cursor pagination. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/emulator/index.ts";
import { allV3, get, start } from "./helpers.ts";

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/;

describe("v3 offset envelope", () => {
  let emu: Emulator;
  beforeAll(async () => (emu = await start({ seed: 9 })));
  afterAll(() => emu.close());

  it("meta.pagination counts, pages and links", async () => {
    const total = emu.store.products.length;
    const first = await get(emu, "/v3/catalog/products?limit=50");
    expect(first.status).toBe(200);
    expect(first.json.data).toHaveLength(50);
    expect(first.json.meta.pagination).toEqual({
      total, count: 50, per_page: 50, current_page: 1, total_pages: Math.ceil(total / 50),
      links: { current: "?page=1&limit=50", next: "?page=2&limit=50" },
    });
    const last = await get(emu, `/v3/catalog/products?limit=50&page=${Math.ceil(total / 50)}`);
    expect(last.json.data).toHaveLength(total - 50 * (Math.ceil(total / 50) - 1));
    expect(last.json.meta.pagination.links.previous).toBeDefined();
    expect(last.json.meta.pagination.links.next).toBeUndefined();
    const past = await get(emu, "/v3/catalog/products?limit=50&page=99");
    expect(past.status).toBe(200);
    expect(past.json.data).toEqual([]);
    expect(past.json.meta.pagination.count).toBe(0);
  });

  it("default limit 50; above 250 is capped at 250", async () => {
    expect((await get(emu, "/v3/catalog/variants")).json.meta.pagination.per_page).toBe(50);
    const big = await get(emu, "/v3/catalog/variants?limit=1000");
    expect(big.json.meta.pagination.per_page).toBe(250);
    expect(big.json.data.length).toBeLessThanOrEqual(250);
  });

  it("every list endpoint answers the envelope with ISO 8601 dates and numeric money", async () => {
    const order = emu.store.orders.find((o) => o.transactions.length > 1)!;
    const paths = [
      "/v3/customers", "/v3/customers/addresses", "/v3/customers/subscribers", "/v3/catalog/products", "/v3/catalog/variants",
      "/v3/catalog/brands", "/v3/catalog/trees/categories", "/v3/catalog/trees", "/v3/content/pages", "/v3/channels",
      "/v3/promotions", "/v3/pricelists", "/v3/pricelists/1/records", "/v3/inventory/items", `/v3/orders/${order.id}/transactions`,
      "/v3/orders/payment_actions/refunds",
    ];
    for (const path of paths) {
      const r = await get(emu, path);
      expect(r.status, path).toBe(200);
      expect(Array.isArray(r.json.data), path).toBe(true);
      expect(r.json.data.length, path).toBeGreaterThan(0);
      expect(r.json.meta.pagination.total, path).toBeGreaterThanOrEqual(r.json.data.length);
      for (const row of r.json.data) {
        for (const key of ["date_created", "date_modified", "created"]) if (key in row) expect(row[key], `${path} ${key}`).toMatch(ISO);
      }
    }
    const p = (await get(emu, "/v3/catalog/products?limit=1")).json.data[0];
    expect(typeof p.price).toBe("number");
    const tx = (await get(emu, `/v3/orders/${order.id}/transactions`)).json.data;
    expect(tx.map((t: any) => t.id)).toEqual(order.transactions.map((t) => t.id));
    expect(tx[0].order_id).toBe(String(order.id));
  });

  it("transactions: 204 for an order without any", async () => {
    const none = emu.store.orders.find((o) => o.transactions.length === 0)!;
    expect(none.paymentStatus).toBe("");
    const r = await get(emu, `/v3/orders/${none.id}/transactions`);
    expect(r.status).toBe(204);
    expect(r.text).toBe("");
  });

  it("categories carry category_id and tree_id; inventory items identity and locations", async () => {
    const cats = await allV3(emu, "/v3/catalog/trees/categories");
    expect(cats.length).toBe(emu.store.categories.length);
    expect(cats.every((c) => typeof c.category_id === "number" && typeof c.tree_id === "number")).toBe(true);
    const items = await allV3(emu, "/v3/inventory/items");
    expect(items.length).toBe(emu.store.products.reduce((n, p) => n + p.variants.length, 0));
    const item = items[0];
    expect(Object.keys(item.identity).sort()).toEqual(["product_id", "sku", "sku_id", "variant_id"]);
    expect(item.locations.map((l: any) => l.location_id)).toEqual([1, 2]);
    expect(item.locations[0]).toMatchObject({ available_to_sell: expect.any(Number), total_inventory_onhand: expect.any(Number) });
    const one = await get(emu, "/v3/inventory/items?location_id:in=2&limit=3");
    expect(one.json.data.every((i: any) => i.locations.length === 1 && i.locations[0].location_id === 2)).toBe(true);
  });
});

describe("v3 cursor pagination (customers)", () => {
  let emu: Emulator;
  beforeAll(async () => (emu = await start({ seed: 9, sizes: { customers: 137 } })));
  afterAll(() => emu.close());

  async function walk(query: string, limit: number): Promise<{ ids: number[]; requests: number }> {
    const ids: number[] = [];
    let r = await get(emu, `/v3/customers?limit=${limit}${query}`);
    let requests = 1;
    expect(r.json.meta.pagination).toBeDefined();
    expect(r.json.meta.cursor_pagination).toBeDefined();
    ids.push(...r.json.data.map((c: any) => c.id));
    while (r.json.meta.cursor_pagination.links.next) {
      const next: string = r.json.meta.cursor_pagination.links.next;
      expect(next).toMatch(/^\?.*after=/);
      expect(new URLSearchParams(next.slice(1)).get("after")).toBe(r.json.meta.cursor_pagination.end_cursor);
      r = await get(emu, `/v3/customers${next}${query}`);
      requests++;
      expect(r.json.meta.pagination).toBeUndefined();
      expect(r.json.meta.cursor_pagination.count).toBe(r.json.data.length);
      ids.push(...r.json.data.map((c: any) => c.id));
    }
    return { ids, requests };
  }

  it("following links.next from the first page reads every customer once, by id", async () => {
    const { ids, requests } = await walk("", 20);
    expect(ids).toEqual(emu.store.customers.map((c) => c.id));
    expect(requests).toBe(Math.ceil(137 / 20));
  });

  it("with sort=date_modified:asc the walk is ordered by (date_modified, id), ties included", async () => {
    const { ids } = await walk("&sort=date_modified:asc", 7);
    const expected = [...emu.store.customers].sort((a, b) => a.modified - b.modified || a.id - b.id).map((c) => c.id);
    expect(ids).toEqual(expected);
    const counts = new Map<number, number>();
    for (const c of emu.store.customers) counts.set(c.modified, (counts.get(c.modified) ?? 0) + 1);
    expect(Math.max(...counts.values())).toBeGreaterThan(7);
  });

  it("a cursor is a keyset: a record touched during the walk shows up again at the end", async () => {
    const first = await get(emu, "/v3/customers?limit=10&sort=date_modified:asc");
    const seen = first.json.data[0].id;
    emu.store.touchCustomer(seen);
    let next = first.json.meta.cursor_pagination.links.next as string | undefined;
    const later: number[] = [];
    while (next) {
      const r = await get(emu, `/v3/customers${next}&sort=date_modified:asc`);
      later.push(...r.json.data.map((c: any) => c.id));
      next = r.json.meta.cursor_pagination.links.next;
    }
    expect(later[later.length - 1]).toBe(seen);
  });

  it("before= reads the page preceding a cursor; a malformed cursor is a 422", async () => {
    const p1 = await get(emu, "/v3/customers?limit=10");
    const p2 = await get(emu, `/v3/customers${p1.json.meta.cursor_pagination.links.next}`);
    const back = await get(emu, `/v3/customers?limit=10&before=${encodeURIComponent(p2.json.meta.cursor_pagination.start_cursor)}`);
    expect(back.json.data.map((c: any) => c.id)).toEqual(p1.json.data.map((c: any) => c.id));
    const bad = await get(emu, "/v3/customers?after=%%%not-a-cursor");
    expect(bad.status).toBe(422);
  });

  it("date_modified:min combines with the cursor", async () => {
    const sorted = [...emu.store.customers].sort((a, b) => a.modified - b.modified || a.id - b.id);
    const t = sorted[100]!.modified;
    const min = new Date(t * 1000).toISOString().replace(".000Z", "Z");
    const { ids } = await walk(`&sort=date_modified:asc&date_modified:min=${encodeURIComponent(min)}`, 8);
    expect(ids).toEqual(sorted.filter((c) => c.modified >= t).map((c) => c.id));
  });
});
