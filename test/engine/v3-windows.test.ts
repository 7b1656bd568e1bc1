/**
 * Cursor windows for the v3 lists with an upper filter on their cursor, sized from the list's
 * own `meta.pagination.total`: products (sorted, read by seeking), customers (sorted, cursor
 * pagination: read page by page between both filters) and refunds (unsorted). Every record once,
 * every yielded state honest, a run stopped after any batch resumes without a loss.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/emulator/index.ts";
import { sync } from "../../src/engine/sync.ts";
import type { Row, State } from "../../src/engine/types.ts";
import { emulatorWithConfig, FAST_RETRIES } from "../support/emulator.ts";
import type { Config } from "../../src/config/load.ts";

/** Each stream with its cursor field, its upper filter and its list's path. */
const STREAMS = [
  { name: "products", cursor: "date_modified", upper: "date_modified:max", path: "/v3/catalog/products" },
  { name: "customers", cursor: "date_modified", upper: "date_modified:max", path: "/v3/customers" },
  { name: "refunds", cursor: "created", upper: "created:max", path: "/v3/orders/payment_actions/refunds" },
];

type Batch = { rows: Map<string, Row[]>; state: State };

async function batches(config: Config, state?: State): Promise<Batch[]> {
  const out: Batch[] = [];
  for await (const event of sync({ config, selection: { streams: STREAMS.map((s) => s.name) }, state, clientOptions: FAST_RETRIES })) {
    if (event.type === "batch") out.push({ rows: event.rows, state: event.state });
  }
  return out;
}

const ms = (value: unknown) => Date.parse(String(value));

describe("cursor windows of v3 lists", () => {
  let emulator: Emulator;
  let config: Config;
  let all: Batch[];
  const total = new Map<string, number>();
  beforeAll(async () => {
    // Pages of 2: 60 pages of products, 150 of customers, 58 of refunds: each list is cut into windows.
    ({ emulator, config } = await emulatorWithConfig({ sizes: { orders: 2500 } }, { page_size: 2 }));
    all = await batches(config);
    total.set("products", emulator.store.products.length);
    total.set("customers", emulator.store.customers.length);
    total.set("refunds", emulator.store.refunds.length);
  });
  afterAll(() => emulator.close());

  it("reads every record once, each list in windows between its cursor's filters, sized by its first page's total", () => {
    for (const { name, upper, path } of STREAMS) {
      const rows = all.flatMap((b) => b.rows.get(name) ?? []);
      expect(rows.length, name).toBe(total.get(name));
      expect(new Set(rows.map((r) => r.id)).size, name).toBe(total.get(name));
      const bounds = new Set(emulator.log.filter((e) => e.path === path && e.query[upper] !== undefined).map((e) => e.query[upper]));
      expect(bounds.size, `${name}: windows with an upper bound (all but the newest)`).toBeGreaterThanOrEqual(1);
      // Sized from the list itself: the total of its first page, then a one-record page per cut; no count endpoint.
      expect(emulator.log.filter((e) => e.path === path && e.query.limit === "1").length, name).toBe(bounds.size);
    }
  });

  it("gives every batch a state whose bookmarks pass no record not yet yielded", () => {
    for (const { name, cursor } of STREAMS) {
      const rows = all.flatMap((b) => b.rows.get(name) ?? []);
      const yielded = new Set<unknown>();
      let moved = 0;
      for (const batch of all) {
        for (const row of batch.rows.get(name) ?? []) yielded.add(row.id);
        const value = batch.state.bookmarks[name]?.replication_key_value;
        if (value === undefined) continue;
        moved++;
        expect(rows.filter((r) => ms(r[cursor]) < ms(value) && !yielded.has(r.id)).map((r) => r.id), name).toEqual([]);
      }
      expect(moved, name).toBeGreaterThan(0);
      expect(ms(all.at(-1)!.state.bookmarks[name]?.replication_key_value), name).toBe(Math.max(...rows.map((r) => ms(r[cursor]))));
    }
  });

  it("stopped after any batch, a run resumed from that batch's state ends with every record", async () => {
    for (const stop of [Math.floor(all.length / 3), Math.floor((2 * all.length) / 3)]) {
      const resumed = await batches(config, all[stop].state);
      for (const { name } of STREAMS) {
        const ids = new Set(all.slice(0, stop + 1).flatMap((b) => (b.rows.get(name) ?? []).map((r) => r.id)));
        for (const batch of resumed) for (const row of batch.rows.get(name) ?? []) ids.add(row.id);
        expect(ids.size, `${name}, stopped after batch ${stop}`).toBe(total.get(name));
      }
    }
  });
});

describe("a small v3 list", () => {
  it("is read as one sequence, its first page sizing it without an extra request", async () => {
    const { emulator, config } = await emulatorWithConfig({ sizes: { orders: 40, products: 30 } }, { page_size: 10 });
    try {
      const all = await batches(config);
      expect(all.flatMap((b) => b.rows.get("products") ?? []).length).toBe(30);
      const products = emulator.log.filter((e) => e.path === "/v3/catalog/products");
      expect(products.filter((e) => e.query.limit === "1" && e.query.page === "1" && e.query["date_modified:min"] === undefined)).toEqual([]);
      expect(products.filter((e) => e.query["date_modified:max"] !== undefined)).toEqual([]);
    } finally {
      await emulator.close();
    }
  });
});
