/** Filters: v2 date bounds in RFC 2822 and ISO 8601 (inclusive), ids, channels; v3 date bounds, includes, fields. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/emulator/index.ts";
import { rfc2822 } from "../../src/emulator/time.ts";
import { allV2, allV3, get, start } from "./helpers.ts";

const iso = (s: number) => new Date(s * 1000).toISOString().replace(".000Z", "+00:00");
const enc = encodeURIComponent;

describe("filters", () => {
  let emu: Emulator;
  beforeAll(async () => (emu = await start({ seed: 5 })));
  afterAll(() => emu.close());

  const liveOrders = () => emu.store.orders.filter((o) => !o.deleted);
  /** An instant shared by several orders' date_modified (a bulk update), for boundary tests. */
  const tieInstant = () => {
    const counts = new Map<number, number>();
    for (const o of liveOrders()) counts.set(o.modified, (counts.get(o.modified) ?? 0) + 1);
    return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
  };

  it("min_date_modified is inclusive, and RFC 2822 and ISO 8601 give the same rows", async () => {
    const t = tieInstant();
    const expected = liveOrders().filter((o) => o.modified >= t).map((o) => o.id);
    const rfc = (await allV2(emu, `/v2/orders?min_date_modified=${enc(rfc2822(t))}`)).rows.map((o) => o.id);
    const isoRows = (await allV2(emu, `/v2/orders?min_date_modified=${enc(iso(t))}`)).rows.map((o) => o.id);
    const offset = new Date((t - 4 * 3600) * 1000).toISOString().slice(0, 19) + ".000-04:00";
    const offsetRows = (await allV2(emu, `/v2/orders?min_date_modified=${enc(offset)}`)).rows.map((o) => o.id);
    expect(rfc).toEqual(expected);
    expect(isoRows).toEqual(expected);
    expect(offsetRows).toEqual(expected);
    const after = (await allV2(emu, `/v2/orders?min_date_modified=${enc(rfc2822(t + 1))}`)).rows;
    expect(after.length).toBe(liveOrders().filter((o) => o.modified > t).length);
    expect(after.length).toBeLessThan(expected.length - 10);
  });

  it("max_date_modified is inclusive; both bounds at one instant give exactly the tied orders", async () => {
    const t = tieInstant();
    const tied = liveOrders().filter((o) => o.modified === t).map((o) => o.id);
    const r = await allV2(emu, `/v2/orders?min_date_modified=${enc(iso(t))}&max_date_modified=${enc(rfc2822(t))}`);
    expect(r.rows.map((o) => o.id)).toEqual(tied);
    const upTo = (await allV2(emu, `/v2/orders?max_date_modified=${enc(iso(t))}`)).rows.length;
    expect(upTo).toBe(liveOrders().filter((o) => o.modified <= t).length);
  });

  it("an unparseable date is a 400 in the v2 shape", async () => {
    const r = await get(emu, "/v2/orders?min_date_modified=yesterday");
    expect(r.status).toBe(400);
    expect(r.json[0].status).toBe(400);
  });

  it("min_id/max_id, channel_id and customer_id on orders", async () => {
    const ids = liveOrders().map((o) => o.id);
    const r = (await get(emu, `/v2/orders?min_id=${ids[10]}&max_id=${ids[19]}`)).json;
    expect(r.map((o: any) => o.id)).toEqual(ids.slice(10, 20));
    for (const channel of [1, 2, 3]) {
      const rows = (await allV2(emu, `/v2/orders?channel_id=${channel}`)).rows;
      expect(rows.length).toBe(liveOrders().filter((o) => o.channelId === channel).length);
      expect(rows.every((o) => o.channel_id === channel)).toBe(true);
    }
    const customer = liveOrders().find((o) => o.customerId > 0)!.customerId;
    const mine = (await allV2(emu, `/v2/orders?customer_id=${customer}`)).rows;
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((o) => o.customer_id === customer)).toBe(true);
  });

  it("v3 date_modified:min/max are inclusive (ISO 8601, with or without offset, or a bare date)", async () => {
    const c = emu.store.customers[40]!;
    const at = c.modified;
    const ids = (await allV3(emu, `/v3/customers?date_modified:min=${enc(iso(at))}`)).map((x) => x.id);
    expect(ids).toContain(c.id);
    expect(ids.length).toBe(emu.store.customers.filter((x) => x.modified >= at).length);
    const naive = new Date(at * 1000).toISOString().slice(0, 19);
    expect((await allV3(emu, `/v3/customers?date_modified:min=${naive}`)).length).toBe(ids.length);
    const exclusive = await allV3(emu, `/v3/customers?date_modified:min=${enc(iso(at + 1))}`);
    expect(exclusive.map((x) => x.id)).not.toContain(c.id);
    const upTo = await allV3(emu, `/v3/customers?date_modified:max=${enc(iso(at))}`);
    expect(upTo.map((x) => x.id)).toContain(c.id);
    const day = new Date(at * 1000).toISOString().slice(0, 10);
    const fromDay = await allV3(emu, `/v3/customers?date_modified:min=${day}`);
    expect(fromDay.length).toBe(emu.store.customers.filter((x) => x.modified * 1000 >= Date.parse(day)).length);
    const bad = await get(emu, "/v3/customers?date_modified:min=notadate");
    expect(bad.status).toBe(422);
    expect(bad.json).toMatchObject({ status: 422, errors: { "date_modified:min": expect.any(String) } });
  });

  it("catalog products: sort=date_modified&direction=asc with date_modified:min, channel_id:in, id:in", async () => {
    const products = emu.store.products;
    const t = [...products].sort((a, b) => a.modified - b.modified)[Math.floor(products.length / 2)]!.modified;
    const rows = await allV3(emu, `/v3/catalog/products?sort=date_modified&direction=asc&date_modified:min=${enc(iso(t))}`);
    expect(rows.length).toBe(products.filter((p) => p.modified >= t).length);
    for (let i = 1; i < rows.length; i++) expect(Date.parse(rows[i].date_modified)).toBeGreaterThanOrEqual(Date.parse(rows[i - 1].date_modified));
    const pos = await allV3(emu, "/v3/catalog/products?channel_id:in=2");
    expect(pos.length).toBe(products.filter((p) => p.channels.includes(2)).length);
    expect(pos.length).toBeGreaterThan(0);
    expect(pos.length).toBeLessThan(products.length);
    const some = products.slice(3, 6).map((p) => p.id);
    expect((await allV3(emu, `/v3/catalog/products?id:in=${some.join(",")}`)).map((p) => p.id)).toEqual(some);
  });

  it("include=images,custom_fields inlines both arrays; include_fields=id returns ids only", async () => {
    const rows = await allV3(emu, "/v3/catalog/products?include=images,custom_fields");
    expect(rows.every((p) => Array.isArray(p.images) && Array.isArray(p.custom_fields))).toBe(true);
    const withImages = rows.filter((p) => p.images.length > 0);
    expect(withImages.length).toBeGreaterThan(0);
    for (const p of withImages) for (const img of p.images) expect(img.product_id).toBe(p.id);
    const withFields = rows.filter((p) => p.custom_fields.length > 0);
    expect(withFields.length).toBeGreaterThan(0);
    expect(Object.keys(withFields[0].custom_fields[0]).sort()).toEqual(["id", "name", "value"]);
    const plain = (await get(emu, "/v3/catalog/products?limit=5")).json.data;
    expect(plain.every((p: any) => !("images" in p) && !("custom_fields" in p))).toBe(true);
    const ids = await allV3(emu, "/v3/catalog/products?include_fields=id");
    expect(ids.every((p) => Object.keys(p).join() === "id")).toBe(true);
    expect(ids.length).toBe(emu.store.products.length);
    const brandIds = (await get(emu, "/v3/catalog/brands?include_fields=id&limit=250")).json.data;
    expect(brandIds.every((b: any) => Object.keys(b).join() === "id")).toBe(true);
  });

  it("pages by channel_id, promotions by channels, trees by channel_id:in", async () => {
    const pages = (await get(emu, "/v3/content/pages?channel_id=2")).json.data;
    expect(pages.length).toBe(emu.store.pages.filter((p) => p.channelId === 2).length);
    expect(pages.every((p: any) => p.channel_id === 2)).toBe(true);
    const promos = (await get(emu, "/v3/promotions?channels=2")).json.data;
    expect(promos.length).toBe(emu.store.promotions.filter((p) => p.channels.includes(2)).length);
    const trees = (await get(emu, "/v3/catalog/trees?channel_id:in=2")).json.data;
    expect(trees.map((t: any) => t.id)).toEqual([2]);
  });

  it("refunds by created:min (RFC 3339), price list records by date_modified:min", async () => {
    const refunds = emu.store.refunds;
    const t = refunds[Math.floor(refunds.length / 2)]!.created;
    const rows = await allV3(emu, `/v3/orders/payment_actions/refunds?created:min=${enc(iso(t))}`);
    expect(rows.length).toBe(refunds.filter((r) => r.created >= t).length);
    const list = emu.store.priceLists[1]!;
    const recs = emu.store.priceRecords.filter((r) => r.priceListId === list.id);
    const m = recs[0]!.modified;
    const got = await allV3(emu, `/v3/pricelists/${list.id}/records?date_modified:min=${enc(iso(m))}`);
    expect(got.length).toBe(recs.filter((r) => r.modified >= m).length);
    expect(got.every((r) => r.price_list_id === list.id)).toBe(true);
  });

  it("the log names query parameters an endpoint ignored", async () => {
    emu.log.clear();
    await get(emu, "/v2/orders?limit=1&min_date_modified=2024-01-01&frobnicate=1");
    expect(emu.log.entries[0]!.ignoredParams).toEqual(["frobnicate"]);
    await get(emu, "/v3/catalog/variants?limit=1&date_modified:min=2024-01-01");
    expect(emu.log.entries[1]!.ignoredParams).toEqual(["date_modified:min"]);
  });
});
