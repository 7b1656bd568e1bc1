import { afterAll, describe, expect, it } from "vitest";
import { DuckDBDestination, loadEvents, readState } from "../../src/destinations/duckdb/index.ts";
import type { SyncEvent } from "../../src/engine/types.ts";
import { discountsTable, order, orderProductsTable, orders, ordersTable, query, source, tempDir } from "./fixtures.ts";

const tmp = tempDir();
afterAll(() => tmp.cleanup());

async function count(path: string, table: string, where = "true"): Promise<number> {
  const [row] = await query(path, `SELECT count(*)::INTEGER AS n FROM bigcommerce."${table}" WHERE ${where}`);
  return Number(row.n);
}

describe("merge", () => {
  const path = tmp.file("merge.duckdb");

  it("upserts by key and replaces an updated parent's child rows at every depth", async () => {
    const first = await loadEvents(source(orders(3)), { path });
    expect(first.status).toBe("success");
    expect(first.tables.orders).toMatchObject({ mode: "merge", rows: 3, inserted: 3, updated: 0 });
    expect(await count(path, "order_products")).toBe(6);
    expect(await count(path, "order_products_applied_discounts")).toBe(6);

    // Order 2 changes: one line item left (changed), its discount gone; order 4 is new.
    const changed = order(2, 1, 1);
    changed.discounts = [];
    const second = await loadEvents(source([changed, order(4)], { state: await readState(path) }), { path });
    expect(second.tables.orders).toMatchObject({ inserted: 1, updated: 1 });
    expect(second.tables.order_products).toMatchObject({ inserted: 2, updated: 1, removed: 1 });
    expect(second.tables.order_products_applied_discounts).toMatchObject({ inserted: 2, updated: 0, removed: 2 });

    expect(await count(path, "orders")).toBe(4);
    const [o2] = await query(path, "SELECT status, CAST(total_inc_tax AS VARCHAR) AS total, count(*) OVER () AS n FROM bigcommerce.orders WHERE id = 2");
    expect(o2).toEqual({ status: "Shipped", total: "56.0000", n: "1" });
    expect(await query(path, "SELECT id, name, quantity FROM bigcommerce.order_products WHERE order_id = 2")).toEqual([
      { id: "201", name: "Widget 1 v1", quantity: "2" },
    ]);
    expect(await count(path, "order_products_applied_discounts", "_parent_order_id = 2")).toBe(0);
    // Orders not in the second run keep their children.
    expect(await count(path, "order_products", "order_id IN (1, 3)")).toBe(4);
    expect(await count(path, "order_products_applied_discounts", "_parent_order_id IN (1, 3)")).toBe(4);
    expect(await count(path, "order_products")).toBe(7);
  });

  it("keeps the last version when a key repeats within a batch", async () => {
    const dupes = tmp.file("dupes.duckdb");
    const a = order(7, 0, 1);
    const b = order(7, 1, 1);
    const summary = await loadEvents(source([a, b], { children: false, pageSize: 10 }), { path: dupes });
    expect(summary.tables.orders).toMatchObject({ rows: 2, inserted: 1, skipped: 1 });
    expect(await query(dupes, "SELECT status FROM bigcommerce.orders")).toEqual([{ status: "Shipped" }]);
  });

  it("keeps the last version when the repeat is staged in the next 2048-row chunk (pages gathered into chunks)", async () => {
    const file = tmp.file("chunks.duckdb");
    // 2 000 orders, then 100 of them changed two days later, in one page (a page that repeats a key goes
    // through a stage, see batch.ts): the changed versions are staged as rows 2 000–2 099, across the first chunk's end (2 048).
    const data = [...orders(2000, 0), ...Array.from({ length: 100 }, (_, i) => order(i + 1, 2, 0))];
    const paths: boolean[] = [];
    const summary = await loadEvents(source(data, { children: false, pageSize: 2100 }), { path: file, onBatch: ({ rows, direct }) => rows > 0 && paths.push(direct) });
    expect(paths).toEqual([false]);
    expect(summary.tables.orders).toMatchObject({ rows: 2100, inserted: 2000, skipped: 100 });
    expect(await query(file, "SELECT status, count(*)::INT AS n FROM bigcommerce.orders GROUP BY ALL ORDER BY 1")).toEqual([
      { status: "Awaiting Fulfillment", n: 1900 },
      { status: "Shipped", n: 100 },
    ]);
    expect(await count(file, "orders", "status = 'Shipped' AND id BETWEEN 1 AND 100")).toBe(100);
  });

  it("a merge over archived versions an append-mode load kept writes the key once, with the first archive time", async () => {
    const file = tmp.file("append-then-merge.duckdb");
    const tables = [{ ...ordersTable(), archived: "is_deleted" }];
    const archived = (version: number) => {
      const o = order(5, version, 0);
      o.order.is_deleted = true;
      return o;
    };
    const appendOrders = { writeModes: { orders: "append" as const } };
    await loadEvents(source([archived(0)], { tables, children: false }), { path: file, ...appendOrders });
    await loadEvents(source([archived(1)], { tables, children: false }), { path: file, ...appendOrders });
    const [first] = await query(file, "SELECT min(_deleted_at)::VARCHAR AS at, count(*)::INT AS n FROM bigcommerce.orders WHERE _deleted_at IS NOT NULL");
    expect(first!.n).toBe(2);
    const merged = await loadEvents(source([archived(2)], { tables, children: false }), { path: file });
    expect(merged.tables.orders).toMatchObject({ rows: 1, skipped: 0 });
    expect(await query(file, "SELECT _deleted_at::VARCHAR AS at, count(*) OVER ()::INT AS n FROM bigcommerce.orders")).toEqual([{ at: first!.at, n: 1 }]);
  });

  it("does not cascade into a child table that has a cursor of its own (it brings only new rows)", async () => {
    const file = tmp.file("incremental-child.duckdb");
    const child = { ...orderProductsTable(), cursor: "quantity" };
    const tables = [ordersTable(), child];
    await loadEvents(source(orders(2), { tables, children: true }), { path: file });
    const again = order(1, 1, 0);
    await loadEvents(source([again], { tables, state: await readState(file) }), { path: file });
    expect(await count(file, "order_products", "order_id = 1")).toBe(2);
  });
});

describe("append", () => {
  const path = tmp.file("append.duckdb");
  const modes = { writeModes: { orders: "append" as const } };

  it("keeps every version, with _extracted_at, and does not re-add the version at the bookmark", async () => {
    await loadEvents(source(orders(3), { children: false }), { path, ...modes });
    const state = await readState(path);
    expect(state.bookmarks.orders.replication_key_value).toBe(String(order(3).order.date_modified));
    // The resumed read starts at the bookmark (inclusive): order 3 comes again unchanged, order 2 has a new version.
    const summary = await loadEvents(source([...orders(3), order(2, 1)], { children: false, state }), { path, ...modes });
    expect(summary.tables.orders).toMatchObject({ mode: "append", rows: 2, inserted: 1, skipped: 1 });
    expect(await count(path, "orders")).toBe(4);
    const versions = await query(path, "SELECT status, _extracted_at IS NOT NULL AS stamped, _load_id FROM bigcommerce.orders WHERE id = 2 ORDER BY date_modified");
    expect(versions.map((v) => [v.status, v.stamped])).toEqual([["Awaiting Fulfillment", true], ["Shipped", true]]);
    expect(versions[0]._load_id).not.toBe(versions[1]._load_id);
    expect(await count(path, "orders", "id = 3")).toBe(1);
  });

  it("applies to child tables too (named by stream), deduplicating whole rows when there is no cursor", async () => {
    const file = tmp.file("append-children.duckdb");
    const appendAll = { writeModes: { orders: "append" as const } };
    await loadEvents(source(orders(2)), { path: file, ...appendAll });
    await loadEvents(source(orders(2)), { path: file, ...appendAll });
    expect(await count(file, "orders")).toBe(2);
    expect(await count(file, "order_products")).toBe(4);
    expect(await count(file, "order_products_applied_discounts")).toBe(4);
  });
});

describe("replace", () => {
  const path = tmp.file("replace.duckdb");
  const modes = { writeModes: { orders: "replace" as const } };

  it("swaps the table at the stream's end; until then readers see the old table", async () => {
    await loadEvents(source(orders(3)), { path, ...modes });
    expect(await count(path, "orders")).toBe(3);

    const destination = await DuckDBDestination.open(path);
    const seen: string[] = [];
    const during = async (index: number) => {
      if (index !== 1) return;
      const reader = await destination.connection.runAndReadAll(
        "SELECT table_name, (SELECT count(*) FROM bigcommerce.orders)::INTEGER AS live FROM information_schema.tables WHERE table_schema = 'bigcommerce' AND table_name LIKE 'orders__replace_%'",
      );
      for (const [name, live] of reader.getRows()) seen.push(`${String(name).replace(/_\d{8}T\d{6}Z_[0-9a-f]{6}$/, "_<id>")}:${live}`);
    };
    try {
      const summary = await destination.load(source([order(2, 1), order(5), order(6)], { beforeBatch: during }), modes);
      expect(summary.tables.orders.mode).toBe("replace");
    } finally {
      destination.close();
    }
    expect(seen).toEqual(["orders__replace_<id>:3"]);
    expect((await query(path, "SELECT id FROM bigcommerce.orders ORDER BY id")).map((r) => r.id)).toEqual(["2", "5", "6"]);
    expect(await count(path, "order_products")).toBe(6);
    expect(await query(path, "SELECT table_name FROM information_schema.tables WHERE table_name LIKE '%__replace_%'")).toEqual([]);
  });

  it("a load that dies before the stream's end leaves the old table and the old state", async () => {
    const before = await readState(path);
    const dying = async function* (): AsyncGenerator<SyncEvent> {
      for await (const event of source(orders(9), { pageSize: 2 })) {
        if (event.type === "stream-end") throw new Error("connection reset");
        yield event;
      }
    };
    await expect(loadEvents(dying(), { path, ...modes })).rejects.toThrow("connection reset");
    expect((await query(path, "SELECT id FROM bigcommerce.orders ORDER BY id")).map((r) => r.id)).toEqual(["2", "5", "6"]);
    expect(await readState(path)).toEqual(before);
    expect(await query(path, "SELECT table_name FROM information_schema.tables WHERE table_name LIKE '%__replace_%'")).toEqual([]);
    const [last] = await query(path, "SELECT status, error, ended_at IS NOT NULL AS ended FROM bigcommerce._loads ORDER BY started_at DESC LIMIT 1");
    expect(last).toEqual({ status: "failed", error: "connection reset", ended: true });
  });

  it("keeps the tables when a read nothing affirmed brings no rows: the load is partial, naming the stream", async () => {
    const stored = await count(path, "orders");
    expect(stored).toBeGreaterThan(0);
    const summary = await loadEvents(source([]), { path, ...modes });
    expect(summary.status).toBe("partial");
    expect(summary.error).toMatch(new RegExp(`replace of orders refused: the read brought no orders rows where ${stored} are stored`));
    expect(summary.streams.orders.status).toBe("failed");
    expect(await count(path, "orders")).toBe(stored);
    expect(await count(path, "order_products")).toBeGreaterThan(0);
    expect(await query(path, "SELECT table_name FROM information_schema.tables WHERE table_name LIKE '%__replace_%'")).toEqual([]);
  });

  it("empties a table whose stream brings no rows this time, when the API affirmed the count", async () => {
    await loadEvents(source([], { proof: "meta.pagination.total (0)" }), { path, ...modes });
    expect(await count(path, "orders")).toBe(0);
    expect(await count(path, "order_products")).toBe(0);
  });
});

describe("full refresh", () => {
  it("replaces the tables of full-table streams and keeps the stream's old bookmark cleared until it moves", async () => {
    const path = tmp.file("refresh.duckdb");
    await loadEvents(source(orders(3), { incremental: false }), { path });
    const stored = await readState(path);
    const states: unknown[] = [];
    const summary = await loadEvents(source([order(1)], { incremental: false, state: { bookmarks: {} } }), {
      path,
      fullRefresh: true,
      onBatch: ({ state }) => states.push(state.bookmarks.orders),
    });
    expect(stored.bookmarks.orders).toBeDefined();
    expect(summary.tables.orders.mode).toBe("replace");
    expect(await count(path, "orders")).toBe(1);
    // Order 1's modification time differs from the old bookmark (order 3's), so it is stored.
    expect(states.at(-1)).toEqual({ replication_key: "date_modified", replication_key_value: String(order(1).order.date_modified) });
  });

  it("merges incremental streams (a refresh re-reads only from start_date)", async () => {
    const path = tmp.file("refresh-incremental.duckdb");
    await loadEvents(source(orders(3)), { path });
    const summary = await loadEvents(source([order(1, 1)]), { path, fullRefresh: true });
    expect(summary.tables.orders.mode).toBe("merge");
    expect(await count(path, "orders")).toBe(3);
  });
});

describe("tables", () => {
  it("are created with their first rows: a schema without rows leaves no empty table", async () => {
    const path = tmp.file("lazy.duckdb");
    await loadEvents(source(orders(2), { tables: [ordersTable(), orderProductsTable(), discountsTable(), { ...discountsTable(), name: "orders_fees" }] }), { path });
    const names = (await query(path, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'bigcommerce' ORDER BY 1")).map((r) => r.table_name);
    expect(names).toEqual(["_loads", "_state", "order_products", "order_products_applied_discounts", "orders"]);
  });
});
