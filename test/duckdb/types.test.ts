import { afterEach, describe, expect, it } from "vitest";
import { loadEvents, readState } from "../../src/destinations/duckdb/index.ts";
import type { Row, SyncEvent, TableSchema } from "../../src/engine/types.ts";
import { events, query, tempDir } from "./fixtures.ts";
import { batchOfRows } from "../../src/engine/table-rows.ts";

const everyType: TableSchema = {
  name: "samples",
  stream: "samples",
  primaryKey: ["id"],
  writeMode: "merge",
  depth: 0,
  columns: [
    { name: "id", type: "integer" },
    { name: "big", type: "integer" },
    { name: "ratio", type: "number" },
    { name: "price", type: "decimal" },
    { name: "active", type: "boolean" },
    { name: "modified", type: "timestamp" },
    { name: "day", type: "date" },
    { name: "label", type: "string" },
    { name: "meta", type: "json" },
    { name: "tags", type: { list: "string" } },
    { name: "sizes", type: { list: "integer" } },
    { name: "_rescued", type: "json" },
  ],
};

const row: Row = {
  id: 1,
  big: 9_007_199_254_740_993n, // beyond 2^53: arrives as a bigint
  ratio: 1.0825,
  price: "361.9500",
  active: true,
  modified: "2024-03-01T10:20:30.123456Z",
  day: "2024-02-29",
  label: "Ünïcødé 'quoted' \"text\"",
  meta: { form_fields: [{ name: "VAT", value: 12 }], huge: 12345678901234567890n },
  tags: ["a,b", "c"],
  sizes: [1, 2, 3],
  _rescued: { ratio_original: "n/a" },
};

const nulls: Row = Object.fromEntries(everyType.columns.map((c) => [c.name, null]));
nulls.id = 2;

function load(path: string, rows: Row[]): Promise<unknown> {
  const list: SyncEvent[] = [
    { type: "stream-start", stream: "samples", incremental: false },
    { type: "schema", table: everyType },
    batchOfRows("samples", new Map([["samples", rows]]), 1, { bookmarks: { samples: { note: "x" } } }),
    { type: "stream-end", stream: "samples", records: rows.length, requests: 1 },
  ];
  return loadEvents(events(list), { path });
}

describe("type mapping", () => {
  const tmp = tempDir();
  afterEach(() => {});

  it("creates each logical type as its DuckDB type, plus the meta columns", async () => {
    const path = tmp.file("types.duckdb");
    await load(path, [row, nulls]);
    const columns = await query(
      path,
      "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'bigcommerce' AND table_name = 'samples' ORDER BY ordinal_position",
    );
    expect(Object.fromEntries(columns.map((c) => [c.column_name, c.data_type]))).toEqual({
      id: "BIGINT",
      big: "BIGINT",
      ratio: "DOUBLE",
      price: "DECIMAL(18,4)",
      active: "BOOLEAN",
      modified: "TIMESTAMP WITH TIME ZONE",
      day: "DATE",
      label: "VARCHAR",
      meta: "JSON",
      tags: "VARCHAR[]",
      sizes: "BIGINT[]",
      _rescued: "JSON",
      _extracted_at: "TIMESTAMP WITH TIME ZONE",
      _load_id: "VARCHAR",
      _deleted_at: "TIMESTAMP WITH TIME ZONE",
    });
  });

  it("stores values exactly: bigints, decimals from text, microsecond timestamps in UTC, dates, lists, JSON", async () => {
    const path = tmp.file("types.duckdb");
    const [stored] = await query(
      path,
      `SELECT CAST(big AS VARCHAR) AS big, ratio, CAST(price AS VARCHAR) AS price, active,
         strftime(modified, '%Y-%m-%dT%H:%M:%S.%fZ') AS modified, CAST(day AS VARCHAR) AS day, label,
         CAST(meta AS VARCHAR) AS meta, tags, sizes, CAST(_rescued AS VARCHAR) AS rescued,
         typeof(price) AS price_type, typeof(modified) AS modified_type, typeof(meta) AS meta_type,
         json_extract(meta, '$.form_fields[0].value') AS vat, _deleted_at
       FROM bigcommerce.samples WHERE id = 1`,
    );
    expect(stored).toEqual({
      big: "9007199254740993",
      ratio: 1.0825,
      price: "361.9500",
      active: true,
      modified: "2024-03-01T10:20:30.123456Z",
      day: "2024-02-29",
      label: "Ünïcødé 'quoted' \"text\"",
      meta: '{"form_fields":[{"name":"VAT","value":12}],"huge":12345678901234567890}',
      tags: ["a,b", "c"],
      sizes: ["1", "2", "3"],
      rescued: '{"ratio_original":"n/a"}',
      price_type: "DECIMAL(18,4)",
      modified_type: "TIMESTAMP WITH TIME ZONE",
      meta_type: "JSON",
      vat: "12",
      _deleted_at: null,
    });
  });

  it("stores nulls in every type, and the state beside the rows", async () => {
    const path = tmp.file("types.duckdb");
    const [stored] = await query(path, "SELECT * EXCLUDE (id, _extracted_at, _load_id, _deleted_at) FROM bigcommerce.samples WHERE id = 2");
    expect(Object.values(stored).every((v) => v === null)).toBe(true);
    expect(await readState(path)).toEqual({ bookmarks: { samples: { note: "x" } } });
    const [meta] = await query(path, "SELECT count(DISTINCT _load_id) AS loads, min(_extracted_at) IS NOT NULL AS stamped FROM bigcommerce.samples");
    expect(meta).toEqual({ loads: "1", stamped: true });
    tmp.cleanup();
  });
});

describe("values the engine should have rescued", () => {
  it("puts fields that have no column into _rescued instead of dropping them", async () => {
    const tmp = tempDir();
    try {
      const path = tmp.file();
      await load(path, [{ ...nulls, id: 3, surprise: { a: 1 }, _rescued: { ratio: "n/a" } }]);
      const [stored] = await query(path, "SELECT CAST(_rescued AS VARCHAR) AS r FROM bigcommerce.samples");
      expect(JSON.parse(String(stored.r))).toEqual({ ratio: "n/a", surprise: { a: 1 } });
    } finally {
      tmp.cleanup();
    }
  });
});
