/** The TypeScript API (`createSource`, exported by the package entry) against the emulator. */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DuckDBInstance } from "@duckdb/node-api";
import { createSource, type Emulator, loadEvents, readState, type RecordBatch, type Row, startEmulator, type State } from "../../src/index.ts";
import { InputError } from "../../src/errors.ts";
import { defineStream } from "../../src/engine/registry.ts";
import { registry } from "../../streams/index.ts";
import { NODE, ROOT, run, tempDir } from "../support/cli.ts";
import { emulatorSettings, SMALL_STORE } from "../support/singer.ts";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ rateLimit: false, sizes: SMALL_STORE });
});
afterAll(() => emulator?.close());

/** Reads every batch; returns rows per table, the batches and the last state. */
async function readAll(batches: AsyncGenerator<RecordBatch>) {
  const rows = new Map<string, Row[]>();
  const seen: RecordBatch[] = [];
  let state: State | undefined;
  for await (const batch of batches) {
    for (const [table, list] of batch.tables) rows.set(table, [...(rows.get(table) ?? []), ...list]);
    seen.push(batch);
    state = batch.state;
  }
  return { rows, batches: seen, state: state! };
}

describe("createSource", () => {
  it("gives every stream the write mode its tables have, from the registry's one rule (merge on a key, append without one)", () => {
    const source = createSource(emulatorSettings(emulator));
    for (const info of source.streams) {
      const stream = registry.find((s) => s.name === info.name)!;
      expect(info.writeDisposition, info.name).toBe(stream.writeMode);
      for (const table of info.tables) expect(table.writeMode, table.name).toBe(stream.writeMode);
    }
    // The rule, for an entry without a key (none in the registry today) and with one.
    const entry = registry.find((s) => s.name === "brands")!;
    expect(defineStream({ ...entry, primaryKey: [], writeMode: undefined }).writeMode).toBe("append");
    expect(defineStream({ ...entry, writeMode: undefined }).writeMode).toBe("merge");
  });

  it("describes every stream with the hints a loader needs", () => {
    const source = createSource(emulatorSettings(emulator));
    const byName = new Map(source.streams.map((s) => [s.name, s]));
    const orders = byName.get("orders")!;
    expect(orders.primaryKey).toEqual(["id"]);
    expect(orders.cursor).toBe("date_modified");
    expect(orders.writeDisposition).toBe("merge");
    expect(orders.children).toEqual(expect.arrayContaining(["order_products", "order_shipping_addresses", "order_coupons", "transactions"]));
    expect(byName.get("order_products")!.tables.map((t) => t.name)).toContain("order_products_applied_discounts");
    expect(orders.oauthScope).toBe("store_v2_orders_read_only");
    const lineItems = byName.get("order_products")!;
    expect(lineItems.parent).toBe("orders");
    expect(lineItems.primaryKey).toEqual(["id", "order_id"]);
    expect(lineItems.cursor).toBeUndefined();
    expect(byName.get("transactions")!.selectedByDefault).toBe(false);
    expect(byName.get("brands")!.cursor).toBeUndefined();
    expect(source.catalog().streams.map((s) => s.tap_stream_id)).toEqual(expect.arrayContaining([...byName.keys()]));
  });

  it("iterates batches with the state in and out; the second run is incremental", async () => {
    const source = createSource(emulatorSettings(emulator, { page_size: 10 }));
    const first = await readAll(source.batches({ streams: ["orders", "order_products"] }));
    expect(first.rows.get("orders")).toHaveLength(SMALL_STORE.orders);
    expect(first.rows.get("order_products")!.length).toBeGreaterThan(SMALL_STORE.orders);
    expect(first.batches.length).toBeGreaterThanOrEqual(4); // one per page of 10 orders
    for (const batch of first.batches) expect(batch.stream).toBe("orders");
    expect(first.state.bookmarks.orders.replication_key).toBe("date_modified");
    // The state of a batch covers its rows: the bookmark never passes a row not yet yielded.
    let yielded = 0;
    for (const batch of first.batches) {
      yielded += batch.tables.get("orders")?.length ?? 0;
      const mark = batch.state.bookmarks.orders?.replication_key_value;
      if (mark) {
        const notYet = first.rows.get("orders")!.slice(yielded).filter((o) => Date.parse(String(o.date_modified)) < Date.parse(mark));
        expect(notYet).toEqual([]);
      }
    }

    const touched = [emulator.store.orders[2].id, emulator.store.orders[11].id];
    for (const id of touched) emulator.store.touchOrder(id);
    emulator.log.clear();
    const second = await readAll(source.batches({ streams: ["orders", "order_products"], state: first.state }));
    expect(second.rows.get("orders")!.map((o) => o.id).sort()).toEqual(touched.sort());
    expect(second.rows.get("order_products")!.every((p) => touched.includes(p.order_id as number))).toBe(true);
    expect(emulator.log.filter({ endpoint: "GET /v2/orders" }).filter((e) => e.query.is_deleted !== "true").length).toBe(1); // the live list (archived orders are one more request)
    expect(Date.parse(second.state.bookmarks.orders.replication_key_value!)).toBeGreaterThan(
      Date.parse(first.state.bookmarks.orders.replication_key_value!),
    );

    // A full refresh ignores the state.
    const full = await readAll(source.batches({ streams: ["orders"], state: second.state, fullRefresh: true }));
    expect(full.rows.get("orders")).toHaveLength(SMALL_STORE.orders);
  });

  it("reads the streams selected by default when none are named", async () => {
    const source = createSource(emulatorSettings(emulator));
    const { rows } = await readAll(source.batches());
    expect(rows.has("customers")).toBe(true);
    expect(rows.has("brands")).toBe(true);
    expect(rows.has("transactions")).toBe(false);
  });

  it("yields schema events before a table's rows", async () => {
    const source = createSource(emulatorSettings(emulator));
    const announced = new Set<string>();
    for await (const event of source.events({ streams: ["brands"] })) {
      if (event.type === "schema") announced.add(event.table.name);
      if (event.type === "batch") for (const table of event.rows.keys()) expect(announced.has(table), table).toBe(true);
    }
    expect(announced.has("brands")).toBe(true);
  });

  it("says on stream-end what affirmed each read: the list's total, the count endpoint, the one object, or nothing", async () => {
    const source = createSource(emulatorSettings(emulator));
    const proofs: Record<string, string | undefined> = {};
    for await (const event of source.events({ streams: ["store", "orders", "brands", "coupons", "gift_certificates"] })) {
      if (event.type === "stream-end") proofs[event.stream] = event.proof;
    }
    expect(proofs).toEqual({
      store: "v2/store (one object)",
      orders: `v2/orders/count (${emulator.store.orders.filter((o) => !o.deleted).length})`,
      brands: `meta.pagination.total (${emulator.store.brands.length})`,
      coupons: `v2/coupons/count (${emulator.store.coupons.length})`,
      // No count endpoint: nothing can affirm the read.
      gift_certificates: undefined,
    });
  });

  it("stops when its signal is aborted", async () => {
    const source = createSource(emulatorSettings(emulator, { page_size: 10 }));
    const controller = new AbortController();
    let batches = 0;
    const reading = (async () => {
      for await (const _ of source.batches({ streams: ["orders"], signal: controller.signal })) {
        batches++;
        controller.abort();
      }
    })();
    await expect(reading).rejects.toThrow(/abort/i);
    expect(batches).toBe(1);
  });

  it("refuses bad config and unknown streams as InputError (exit code 2 at the CLI)", async () => {
    expect(() => createSource({ ...emulatorSettings(emulator), page_size: 500 })).toThrow(InputError);
    expect(() => createSource({ ...emulatorSettings(emulator), page_size: 500 })).toThrow(/page_size/);
    const source = createSource(emulatorSettings(emulator));
    await expect(readAll(source.batches({ streams: ["ordres"] }))).rejects.toThrow(/unknown stream 'ordres'.*did you mean 'orders'/);
  });
});

describe("the DuckDB destination, from the package entry", () => {
  it("loads a source's events into a file that keeps the state; the second load is incremental", async () => {
    const path = join(tempDir("api-duckdb-"), "shop.duckdb");
    const source = createSource(emulatorSettings(emulator));
    const streams = ["orders", "order_products"];
    const first = await loadEvents(source.events({ streams, state: await readState(path) }), { path });
    expect(first.status).toBe("success");
    expect(first.rows.orders).toBe(SMALL_STORE.orders);
    const saved = await readState(path);
    expect(saved.bookmarks.orders.replication_key).toBe("date_modified");
    const touched = emulator.store.orders[7].id;
    emulator.store.updateOrder(touched, { staff_notes: "loaded twice" });
    emulator.log.clear();
    const second = await loadEvents(source.events({ streams, state: saved }), { path });
    expect(second.tables.orders.updated).toBe(1);
    expect(second.tables.orders.inserted).toBe(0);
    expect(emulator.log.filter({ endpoint: "GET /v2/orders" }).filter((e) => e.query.is_deleted !== "true").length).toBe(1); // the live list (archived orders are one more request)
    const instance = await DuckDBInstance.create(path, { access_mode: "READ_ONLY" });
    const connection = await instance.connect();
    try {
      const [count] = (await connection.runAndReadAll("select count(*)::int as n from bigcommerce.orders")).getRowObjectsJson();
      expect(Number(count.n)).toBe(SMALL_STORE.orders); // merged by key: no duplicate for the changed order
      const [row] = (await connection.runAndReadAll(`select staff_notes from bigcommerce.orders where id = ${touched}`)).getRowObjectsJson();
      expect(row.staff_notes).toBe("loaded twice");
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
    expect(Date.parse((await readState(path)).bookmarks.orders.replication_key_value!)).toBeGreaterThan(Date.parse(saved.bookmarks.orders.replication_key_value!));
  });
});

describe("examples/api-example.ts", () => {
  it("runs via the built JS: two runs, the second incremental", async () => {
    const result = await run(NODE, [join(ROOT, "dist", "examples", "api-example.js")]);
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout.trim().split("\n").at(-1)!);
    expect(summary.runs[0].rows.orders).toBe(25);
    expect(summary.runs[1].rows.orders).toBe(1);
    expect(summary.state.bookmarks.orders.replication_key).toBe("date_modified");
    expect(result.stdout).toMatch(/^orders: primary key \[id\], cursor date_modified, merge/m);
  });
});
