/** `load` options through the real CLI: --schema, --write-mode, --full-refresh, --reconcile-deletes. */
import { existsSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/emulator/index.ts";
import { runCli as cli, tempDir, writeFile } from "../support/cli.ts";
import { emulatorWithConfig } from "../support/emulator.ts";
import { query } from "./fixtures.ts";

describe("load options", () => {
  let emulator: Emulator;
  let dir: string;
  let config: string;
  beforeAll(async () => {
    let raw: Record<string, unknown>;
    ({ emulator, raw } = await emulatorWithConfig({ sizes: { orders: 300, products: 40, brands: 10 } }));
    dir = tempDir("tap-bc-options-");
    config = writeFile(dir, "config.json", raw);
  });
  afterAll(() => emulator.close());

  it("--schema keeps two stores apart in one file, each with its own state", async () => {
    const db = join(dir, "two.duckdb");
    expect((await cli(["load", "--config", config, "--duckdb", db, "--streams", "brands", "--schema", "store_a"])).code).toBe(0);
    expect((await cli(["load", "--config", config, "--duckdb", db, "--streams", "orders", "--schema", "store_b"])).code).toBe(0);
    const tables = await query(db, "select table_schema, table_name from information_schema.tables where table_type = 'BASE TABLE' and table_name in ('brands','orders','_state') order by 1, 2");
    expect(tables).toEqual([
      { table_schema: "store_a", table_name: "_state" },
      { table_schema: "store_a", table_name: "brands" },
      { table_schema: "store_b", table_name: "_state" },
      { table_schema: "store_b", table_name: "orders" },
    ]);
    const views = await query(db, "select distinct table_schema from information_schema.tables where table_type = 'VIEW' order by 1");
    expect(views.map((v) => v.table_schema)).toEqual(["store_a_analytics", "store_b_analytics"]);
    const [state] = await query(db, "select state::varchar as s from store_b._state");
    expect(JSON.parse(String(state.s)).bookmarks.orders.replication_key).toBe("date_modified");
  });

  it("--write-mode orders=append keeps each version of a modified order, merge keeps one", async () => {
    const appendDb = join(dir, "append.duckdb");
    const mergeDb = join(dir, "merge.duckdb");
    for (const db of [appendDb, mergeDb]) {
      const mode = db === appendDb ? ["--write-mode", "orders=append"] : [];
      expect((await cli(["load", "--config", config, "--duckdb", db, "--streams", "orders,order_products", ...mode])).code).toBe(0);
    }
    const id = emulator.store.orders[10].id;
    emulator.store.updateOrder(id, { staff_notes: "changed" });
    for (const db of [appendDb, mergeDb]) {
      const mode = db === appendDb ? ["--write-mode", "orders=append"] : [];
      expect((await cli(["load", "--config", config, "--duckdb", db, "--streams", "orders,order_products", ...mode])).code).toBe(0);
    }
    const [appended] = await query(appendDb, `select count(*)::int as n, count(distinct date_modified)::int as versions from bigcommerce.orders where id = ${id}`);
    expect(appended).toEqual({ n: 2, versions: 2 });
    const [merged] = await query(mergeDb, `select count(*)::int as n, any_value(staff_notes) as notes from bigcommerce.orders where id = ${id}`);
    expect(merged).toEqual({ n: 1, notes: "changed" });
    // The merged order's line items were replaced, not duplicated.
    const [items] = await query(mergeDb, `select count(*)::int as n, count(distinct id)::int as d from bigcommerce.order_products where order_id = ${id}`);
    expect(items.n).toBe(items.d);
    expect(Number(items.n)).toBeGreaterThan(0);
  });

  it("--reconcile-deletes marks vanished products with _deleted_at; --full-refresh rereads everything", async () => {
    const db = join(dir, "deletes.duckdb");
    expect((await cli(["load", "--config", config, "--duckdb", db, "--streams", "products,brands"])).code).toBe(0);
    const gone = emulator.store.products[3].id;
    emulator.store.deleteProduct(gone);
    emulator.log.clear();
    const swept = await cli(["load", "--config", config, "--duckdb", db, "--streams", "products,brands", "--reconcile-deletes"]);
    expect(swept.code, swept.stderr).toBe(0);
    expect(swept.stdout).toMatch(/products\s+1 row marked deleted/);
    const marked = await query(db, "select id::int as id from bigcommerce.products where _deleted_at is not null");
    expect(marked).toEqual([{ id: gone }]);
    // The sweep asked for ids only.
    expect(emulator.log.filter({ endpoint: "GET /v3/catalog/products" }).some((e) => e.query.include_fields === "id")).toBe(true);
    emulator.log.clear();
    expect((await cli(["load", "--config", config, "--duckdb", db, "--streams", "products", "--full-refresh"])).code).toBe(0);
    const refreshQuery = emulator.log.filter({ endpoint: "GET /v3/catalog/products" })[0].query;
    expect(refreshQuery["date_modified:min"]).toBeUndefined();
  });

  it("loads into a file named like the schema (bigcommerce.duckdb) and reports on it", async () => {
    const sub = mkdtempSync(join(dir, "named-"));
    const db = join(sub, "bigcommerce.duckdb");
    const load = await cli(["load", "--config", config, "--duckdb", db, "--streams", "orders,order_products"]);
    expect(load.code, load.stderr).toBe(0);
    const report = await cli(["report", "--duckdb", db, "--out", join(sub, "report.html")]);
    expect(report.code, report.stderr).toBe(0);
    const second = await cli(["load", "--config", config, "--duckdb", db, "--streams", "orders,order_products"]);
    expect(second.code, second.stderr).toBe(0);
  });

  it("rejects a bad --write-mode before touching the file (exit 2)", async () => {
    const db = join(dir, "never.duckdb");
    const result = await cli(["load", "--config", config, "--duckdb", db, "--write-mode", "orders=upsert"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown mode 'upsert'");
    expect(existsSync(db)).toBe(false);
  });
});
