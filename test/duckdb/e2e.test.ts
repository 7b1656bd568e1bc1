/**
 * End to end: the real engine against the emulator, loaded into a DuckDB file. Row counts
 * agree with what the engine emitted; a second, incremental load merges a changed order
 * (its removed line item disappears), adds a new one, and re-reads nothing else.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadEvents, readState } from "../../src/destinations/duckdb/index.ts";
import type { Config } from "../../src/config/load.ts";
import type { Emulator } from "../../src/emulator/index.ts";
import { clientFor, sync } from "../../src/engine/sync.ts";
import { collect, emulatorWithConfig, FAST_RETRIES } from "../support/emulator.ts";
import { query, tempDir } from "./fixtures.ts";

const STREAMS = ["orders", "order_products", "order_shipping_addresses", "order_coupons", "customers", "brands"];

describe("engine → DuckDB against the emulator", () => {
  let emulator: Emulator;
  let config: Config;
  const tmp = tempDir();
  const path = tmp.file("e2e.duckdb");

  beforeAll(async () => {
    ({ emulator, config } = await emulatorWithConfig({ sizes: { orders: 300, customers: 40, products: 30, brands: 5 } }));
  });
  afterAll(async () => {
    await emulator.close();
    tmp.cleanup();
  });

  async function load() {
    const client = clientFor(config, FAST_RETRIES);
    const events = sync({ config, selection: { streams: STREAMS }, state: await readState(path), client });
    return await loadEvents(events, { path, requests: () => client.requests, metadata: { streams: STREAMS } });
  }

  async function counts(): Promise<Record<string, number>> {
    const tables = await query(path, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'bigcommerce' AND table_name NOT LIKE '\\_%' ESCAPE '\\' ORDER BY 1");
    const out: Record<string, number> = {};
    for (const { table_name } of tables) out[String(table_name)] = Number((await query(path, `SELECT count(*)::INTEGER AS n FROM bigcommerce."${table_name}"`))[0].n);
    return out;
  }

  it("stores every row the engine emits, with the state and a successful _loads row", async () => {
    const { rows, state } = await collect({ config, selection: { streams: STREAMS } });
    const summary = await load();
    expect(summary.status).toBe("success");
    const emitted = Object.fromEntries([...rows].filter(([, list]) => list.length > 0).map(([table, list]) => [table, list.length]));
    expect(await counts()).toEqual(emitted);
    expect(summary.streams.orders).toMatchObject({ status: "success", records: 300 });
    expect((await readState(path)).bookmarks).toEqual(state.bookmarks);
    const [types] = await query(path, "SELECT typeof(date_modified) AS ts, typeof(total_inc_tax) AS money, typeof(id) AS id FROM bigcommerce.orders LIMIT 1");
    expect(types).toEqual({ ts: "TIMESTAMP WITH TIME ZONE", money: "DECIMAL(18,4)", id: "BIGINT" });
  });

  it("merges the next incremental load: a changed order's removed line item is gone, a new order is added", async () => {
    const before = await counts();
    const target = emulator.store.orders.find((o) => o.lines.length >= 2 && o.lines.length <= 50 && !o.deleted)!;
    const removed = target.lines.pop()!;
    emulator.store.updateOrder(target.id, { status_id: 10 });
    const added = emulator.store.addOrder({ lineCount: 3 });
    emulator.log.clear();

    const summary = await load();
    expect(summary.tables.orders).toMatchObject({ inserted: 1, updated: 1 });
    expect(summary.tables.order_products).toMatchObject({ inserted: 3, removed: 1 });
    expect(emulator.log.filter({ endpoint: "GET /v2/orders" }).filter((e) => e.query.is_deleted !== "true").length).toBe(1); // the live list (archived orders are one more request)

    const after = await counts();
    expect(after.orders).toBe(before.orders + 1);
    expect(after.order_products).toBe(before.order_products - 1 + added.lines.length);
    expect(after.customers).toBe(before.customers);
    const [order] = await query(path, `SELECT status_id FROM bigcommerce.orders WHERE id = ${target.id}`);
    expect(order.status_id).toBe("10");
    expect(await query(path, `SELECT id FROM bigcommerce.order_products WHERE order_id = ${target.id} AND id = ${removed.id}`)).toEqual([]);
    const loads = await query(path, "SELECT status, requests > 0 AS counted FROM bigcommerce._loads ORDER BY started_at");
    expect(loads).toEqual([{ status: "success", counted: true }, { status: "success", counted: true }]);
  });
});
