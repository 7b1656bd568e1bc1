import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DuckDBDestination, exportTables, loadEvents } from "../../src/destinations/duckdb/index.ts";
import { orders, query, source, tempDir } from "./fixtures.ts";

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe("exports", () => {
  const path = tmp.file("export.duckdb");

  for (const format of ["csv", "parquet"] as const) {
    it(`writes one ${format} file per table (with _loads, without _state) that DuckDB reads back`, async () => {
      if (!existsSync(path)) await loadEvents(source(orders(5)), { path });
      const outDir = join(tmp.dir, format);
      const files = await exportTables({ path, format, outDir });
      expect(files.map((f) => f.slice(outDir.length + 1)).sort()).toEqual(
        ["_loads", "order_products", "order_products_applied_discounts", "orders"].map((t) => `${t}.${format}`),
      );
      const reader = format === "csv" ? "read_csv" : "read_parquet";
      for (const file of files) {
        const table = file.slice(outDir.length + 1, -(format.length + 1));
        const [{ exported, stored }] = await query(
          path,
          `SELECT (SELECT count(*) FROM ${reader}('${file}'))::INTEGER AS exported, (SELECT count(*) FROM bigcommerce."${table}")::INTEGER AS stored`,
        );
        expect(exported, table).toBe(stored);
      }
      const [first] = await query(path, `SELECT CAST(total_inc_tax AS VARCHAR) AS total, coupon_codes FROM ${reader}('${join(outDir, `orders.${format}`)}') ORDER BY id LIMIT 1`);
      expect(first.total).toMatch(/^27\.50*$/);
      if (format === "parquet") expect(first.coupon_codes).toEqual(["SPRING", "VIP"]);
    });
  }

  it("exports selected tables from an open destination", async () => {
    const destination = await DuckDBDestination.open(path);
    try {
      const files = await destination.exportTables({ format: "parquet", outDir: join(tmp.dir, "some"), tables: ["orders"] });
      expect(files).toEqual([join(tmp.dir, "some", "orders.parquet")]);
    } finally {
      destination.close();
    }
  });
});
