import { afterAll, describe, expect, it } from "vitest";
import { DuckDBDestination, loadEvents, markDeleted } from "../../src/destinations/duckdb/index.ts";
import { encodeKey } from "../../src/engine/keys.ts";
import type { TableSchema } from "../../src/engine/types.ts";
import { events, orders, query, source, tempDir } from "./fixtures.ts";
import { batchOfRows } from "../../src/engine/table-rows.ts";

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe("markDeleted", () => {
  const path = tmp.file("deletes.duckdb");

  it("sets _deleted_at on rows whose id the store no longer lists (by path)", async () => {
    await loadEvents(source(orders(4)), { path });
    expect(await markDeleted(path, "orders", [1, 3])).toBe(2);
    expect(await query(path, "SELECT id, _deleted_at IS NOT NULL AS deleted FROM bigcommerce.orders ORDER BY id")).toEqual([
      { id: "1", deleted: false },
      { id: "2", deleted: true },
      { id: "3", deleted: false },
      { id: "4", deleted: true },
    ]);
    // Marking again changes nothing; a row that reappears is live again.
    expect(await markDeleted(path, "orders", new Set(["1", "2", "3"]))).toBe(0);
    expect(await query(path, "SELECT id FROM bigcommerce.orders WHERE _deleted_at IS NOT NULL")).toEqual([{ id: "4" }]);
  });

  it("reconciles composite keys encoded by the key codec (from an open destination)", async () => {
    const destination = await DuckDBDestination.open(path);
    try {
      const live = [[101, 1], [102, 1], [201, 2], [301, 3], [401, 4]].map(encodeKey);
      expect(await destination.markDeleted("order_products", ["id", "order_id"], live)).toBe(3);
      expect(await markDeleted(destination, "order_products", [...live, encodeKey([302, 3])], { primaryKey: ["id", "order_id"] })).toBe(0);
    } finally {
      destination.close();
    }
    expect(await query(path, "SELECT id FROM bigcommerce.order_products WHERE _deleted_at IS NOT NULL ORDER BY id")).toEqual([{ id: "202" }, { id: "402" }]);
  });

  it("keeps composite text keys apart when a value contains the separator", async () => {
    const tagged = tmp.file("tagged.duckdb");
    const table: TableSchema = {
      name: "tags",
      stream: "tags",
      primaryKey: ["code", "region"],
      writeMode: "merge",
      depth: 0,
      columns: [{ name: "code", type: "string" }, { name: "region", type: "string" }, { name: "note", type: "string" }],
    };
    // Joined with a bare `|`, both keys would read "a|b|c" and neither could be told from the other.
    const rows = [{ code: "a|b", region: "c", note: "first" }, { code: "a", region: "b|c", note: "second" }, { code: "x\\", region: "|", note: "third" }];
    await loadEvents(events([
      { type: "schema", table },
      batchOfRows("tags", new Map([["tags", rows]]), 0, { bookmarks: {} }),
    ]), { path: tagged });
    expect(await markDeleted(tagged, "tags", [encodeKey(["a|b", "c"]), encodeKey(["x\\", "|"])], { primaryKey: ["code", "region"] })).toBe(1);
    expect(await query(tagged, "SELECT note FROM bigcommerce.tags WHERE _deleted_at IS NOT NULL")).toEqual([{ note: "second" }]);
  });

  it("refuses a table without the key columns", async () => {
    await expect(markDeleted(path, "orders", [1], { primaryKey: ["nope"] })).rejects.toThrow(/primary key column\(s\) nope missing/);
    await expect(markDeleted(path, "missing_table", [1])).rejects.toThrow(/does not exist/);
  });
});
