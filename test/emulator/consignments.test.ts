/** Orders with consignments: inline line items, links, every consignment kind, and the 50-item `__warning__` cap. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/emulator/index.ts";
import { allV2, get, start } from "./helpers.ts";

const INLINE = "include=consignments.line_items&consignment_structure=object";

function consignmentsOf(order: any): any[] {
  const c = order.consignments;
  return [...c.pickups, ...c.shipping, ...c.downloads, ...c.email.gift_certificates];
}

describe("consignments", () => {
  let emu: Emulator;
  let orders: any[];
  beforeAll(async () => {
    emu = await start({ seed: 21 });
    orders = (await allV2(emu, `/v2/orders?${INLINE}`)).rows;
  });
  afterAll(() => emu.close());

  it("every order carries the object structure with all four kinds", () => {
    for (const o of orders) {
      expect(Object.keys(o.consignments).sort()).toEqual(["downloads", "email", "pickups", "shipping"]);
      expect(Array.isArray(o.consignments.email.gift_certificates)).toBe(true);
    }
    expect(orders.some((o) => o.consignments.pickups.length > 0)).toBe(true);
    expect(orders.some((o) => o.consignments.downloads.length > 0)).toBe(true);
    expect(orders.some((o) => o.consignments.email.gift_certificates.length > 0)).toBe(true);
    expect(orders.some((o) => o.consignments.shipping.length > 1)).toBe(true);
  });

  it("inline line items equal /orders/{id}/products for orders within the cap", async () => {
    const sample = orders.filter((o) => consignmentsOf(o).every((c) => !("__warning__" in c))).slice(0, 80);
    sample.push(...orders.filter((o) => o.consignments.pickups.length || o.consignments.email.gift_certificates.length).slice(0, 10));
    for (const o of sample) {
      const inline = consignmentsOf(o).flatMap((c) => c.line_items).sort((a, b) => a.id - b.id);
      const listed = (await get(emu, `/v2/orders/${o.id}/products?limit=250`)).json;
      expect(inline).toEqual(listed);
    }
  });

  it("shipping consignments carry the shipping address fields and method", () => {
    const o = orders.find((x) => x.consignments.shipping.length > 0)!;
    const s = o.consignments.shipping[0];
    expect(s).toMatchObject({ id: expect.any(Number), first_name: expect.any(String), city: expect.any(String), shipping_method: expect.any(String) });
    for (const line of s.line_items) expect(line.order_address_id).toBe(s.id);
  });

  it("a consignment with more than 50 line items returns 50 and a __warning__; /products has them all", async () => {
    const big = orders.filter((o) => consignmentsOf(o).some((c) => "__warning__" in c));
    expect(big.length).toBeGreaterThanOrEqual(5);
    for (const o of big) {
      const shipping = o.consignments.shipping[0];
      expect(shipping.line_items).toHaveLength(50);
      expect(typeof shipping.__warning__).toBe("string");
      const all = (await get(emu, `/v2/orders/${o.id}/products?limit=250`)).json;
      expect(all.length).toBeGreaterThan(50);
      expect(all.length).toBe(emu.store.order(o.id)!.lines.length);
      expect(all.slice(0, 50)).toEqual(shipping.line_items);
      // Reading 50 at a time also works, with a 204 after the last page.
      const paged = await allV2(emu, `/v2/orders/${o.id}/products`, 50);
      expect(paged.rows.map((l) => l.id)).toEqual(all.map((l: any) => l.id));
    }
    const small = orders.filter((o) => !big.includes(o));
    for (const o of small) for (const c of consignmentsOf(o)) expect("__warning__" in c).toBe(false);
  });

  it("include=consignments alone gives line items as {url, resource} links that resolve", async () => {
    const page = (await get(emu, "/v2/orders?include=consignments&consignment_structure=object&limit=20")).json;
    const o = page.find((x: any) => x.consignments.shipping.length > 0);
    const link = o.consignments.shipping[0].line_items[0];
    expect(Object.keys(link).sort()).toEqual(["resource", "url"]);
    expect(link.resource).toMatch(new RegExp(`^/orders/${o.id}/products/\\d+$`));
    const res = await fetch(link.url, { headers: { "X-Auth-Token": emu.accessToken } });
    expect(res.status).toBe(200);
    expect((await res.json()).order_id).toBe(o.id);
  });

  it("a single order takes the same include", async () => {
    const o = orders[0];
    const one = await get(emu, `/v2/orders/${o.id}?${INLINE}`);
    expect(one.json.consignments).toEqual(o.consignments);
  });
});
