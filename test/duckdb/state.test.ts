import { afterAll, describe, expect, it } from "vitest";
import { loadEvents, readState } from "../../src/destinations/duckdb/index.ts";
import { order, orders, query, source, tempDir } from "./fixtures.ts";

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe("state in the file", () => {
  it("is empty for a missing file (which is not created) and for a file without state", async () => {
    const path = tmp.file("missing.duckdb");
    expect(await readState(path)).toEqual({ bookmarks: {} });
    expect(await readState(path, "elsewhere")).toEqual({ bookmarks: {} });
    await loadEvents(source([]), { path, schema: "other" });
    expect(await readState(path)).toEqual({ bookmarks: {} });
  });

  it("is the state of the last batch, in `<schema>._state`, and resumes the next load", async () => {
    const path = tmp.file("state.duckdb");
    const summary = await loadEvents(source(orders(5)), { path });
    const expected = { bookmarks: { orders: { replication_key: "date_modified", replication_key_value: String(order(5).order.date_modified) } }, currently_syncing: null };
    expect(await readState(path)).toEqual(expected);
    expect(summary.state).toEqual(expected);
    const [row] = await query(path, "SELECT typeof(state) AS type, load_id FROM bigcommerce._state");
    expect(row).toEqual({ type: "JSON", load_id: summary.loadId });
    // Resumed from the stored bookmark, the source re-reads only the boundary page.
    const again = await loadEvents(source(orders(5), { state: await readState(path) }), { path });
    expect(again.tables.orders).toMatchObject({ rows: 1, inserted: 0, updated: 1 });
  });

  it("records each load in `_loads`: running at the start, then success with counts", async () => {
    const path = tmp.file("loads.duckdb");
    const summary = await loadEvents(source(orders(3)), { path, metadata: { tap: "test" }, requests: () => 42 });
    const [load] = await query(
      path,
      "SELECT load_id, status, rows, requests, ended_at >= started_at AS ordered, CAST(streams AS VARCHAR) AS streams, CAST(metadata AS VARCHAR) AS metadata, error FROM bigcommerce._loads",
    );
    expect(load).toEqual({
      load_id: summary.loadId,
      status: "success",
      rows: "15",
      requests: "42",
      ordered: true,
      streams: JSON.stringify({ orders: { status: "success", records: 3, requests: 3, rows: 15 } }),
      metadata: '{"tap":"test"}',
      error: null,
    });
    expect(summary.loadId).toMatch(/^\d{8}T\d{6}Z_[0-9a-f]{6}$/);
    expect(summary.rows).toEqual({ orders: 3, order_products: 6, order_products_applied_discounts: 6 });
  });
});

describe("atomicity", () => {
  it("a batch whose write fails part-way leaves neither its rows nor its state, and the load is recorded failed", async () => {
    const path = tmp.file("atomic.duckdb");
    await loadEvents(source(orders(2)), { path });
    const before = await readState(path);
    const counts = async () => (await query(path, "SELECT (SELECT count(*) FROM bigcommerce.orders)::INTEGER AS o, (SELECT count(*) FROM bigcommerce.order_products)::INTEGER AS p, (SELECT count(*) FROM bigcommerce.order_products_applied_discounts)::INTEGER AS d"))[0];
    const was = await counts();

    // Order 3 is fine; one of its line items has a price beyond DECIMAL(18,4) — a value the
    // engine's "decimal" normalisation accepts but DuckDB cannot hold. The orders rows of
    // the batch are written (parents go first), then staging the line items fails.
    const bad = order(3);
    bad.products[1].base_price = "123456789012345678.5000";
    await expect(loadEvents(source([bad, order(4)], { pageSize: 2 }), { path })).rejects.toThrow(
      /table order_products, row 2 of the batch, column base_price: decimal "?123456789012345678\.5000"? does not fit DECIMAL\(18,4\)/,
    );
    expect(await counts()).toEqual(was);
    expect(await query(path, "SELECT id FROM bigcommerce.orders WHERE id IN (3, 4)")).toEqual([]);
    expect(await readState(path)).toEqual(before);
    const [load] = await query(path, "SELECT status, error FROM bigcommerce._loads ORDER BY started_at DESC LIMIT 1");
    expect(load.status).toBe("failed");
    expect(String(load.error)).toContain("does not fit DECIMAL(18,4)");
  });

  it("a failure two levels down (an integer beyond BIGINT in a split child table) rolls back the same way", async () => {
    const path = tmp.file("atomic-bigint.duckdb");
    await loadEvents(source(orders(1)), { path });
    const before = await readState(path);
    const bad = order(2);
    bad.discounts[0]._index = 2n ** 64n;
    await expect(loadEvents(source([bad]), { path })).rejects.toThrow(/out of BIGINT range/);
    expect(await query(path, "SELECT count(*)::INTEGER AS n FROM bigcommerce.orders")).toEqual([{ n: 1 }]);
    expect(await readState(path)).toEqual(before);
  });

  it("a load left `running` by a killed process is marked failed by the next load", async () => {
    const path = tmp.file("interrupted.duckdb");
    await loadEvents(source(orders(1)), { path });
    await query(path, "UPDATE bigcommerce._loads SET status = 'running', ended_at = NULL");
    await loadEvents(source([]), { path });
    const loads = await query(path, "SELECT status, error FROM bigcommerce._loads ORDER BY started_at");
    expect(loads).toEqual([
      { status: "failed", error: "interrupted: the process ended before the load finished" },
      { status: "success", error: null },
    ]);
  });
});
