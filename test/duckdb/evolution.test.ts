import { afterAll, describe, expect, it } from "vitest";
import { loadEvents } from "../../src/destinations/duckdb/index.ts";
import type { ColumnType, Row, State, SyncEvent, TableSchema } from "../../src/engine/types.ts";
import { events, query, tempDir } from "./fixtures.ts";
import { batchOfRows } from "../../src/engine/table-rows.ts";

const tmp = tempDir();
afterAll(() => tmp.cleanup());

function table(columns: Record<string, ColumnType>): TableSchema {
  return {
    name: "customers",
    stream: "customers",
    primaryKey: ["id"],
    cursor: "date_modified",
    writeMode: "merge",
    depth: 0,
    columns: [...Object.entries(columns).map(([name, type]) => ({ name, type })), { name: "_rescued", type: "json" }],
  };
}

const state = (v: string): State => ({ bookmarks: { customers: { replication_key: "date_modified", replication_key_value: v } } });
const batch = (rows: Row[], v: string): SyncEvent => batchOfRows("customers", new Map([["customers", rows]]), 0, state(v));

async function types(path: string): Promise<Record<string, unknown>> {
  const rows = await query(path, "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'bigcommerce' AND table_name = 'customers' ORDER BY ordinal_position");
  return Object.fromEntries(rows.map((r) => [r.column_name, r.data_type]));
}

describe("schema evolution", () => {
  const path = tmp.file("evolution.duckdb");
  const v1 = { id: "integer", date_modified: "timestamp", store_credit: "integer", email: "string", notes: "string", group_ids: { list: "integer" } } as const;

  it("adds columns and changes types when a schema event comes again mid-load", async () => {
    const v2 = { ...v1, store_credit: "number", channel_ids: { list: "integer" } } as const;
    await loadEvents(events([
      { type: "stream-start", stream: "customers", incremental: true },
      { type: "schema", table: table(v1) },
      batch([{ id: 1, date_modified: "2024-03-01T10:00:00.000Z", store_credit: 5, email: "a@example.com", notes: "vip", group_ids: [1, 2], _rescued: null }], "2024-03-01T10:00:00.000Z"),
      { type: "schema", table: table(v2) },
      batch([{ id: 2, date_modified: "2024-03-02T10:00:00.000Z", store_credit: 2.5, email: "b@example.com", notes: null, group_ids: [3], channel_ids: [1], _rescued: null }], "2024-03-02T10:00:00.000Z"),
      { type: "stream-end", stream: "customers", records: 2, requests: 1 },
    ]), { path });
    expect(await types(path)).toMatchObject({ store_credit: "DOUBLE", channel_ids: "BIGINT[]", group_ids: "BIGINT[]" });
    expect(await query(path, "SELECT id, store_credit, channel_ids FROM bigcommerce.customers ORDER BY id")).toEqual([
      { id: "1", store_credit: 5, channel_ids: null },
      { id: "2", store_credit: 2.5, channel_ids: ["1"] },
    ]);
  });

  it("brings an existing table up to a later load's schema: never drops a column, converts stored values to the new types", async () => {
    // The later schema lacks `notes`, and widens: timestamp → string (stored values become ISO text), string → json (JSON strings), integer[] → number[].
    const v3 = { id: "integer", date_modified: "string", store_credit: "number", email: "json", group_ids: { list: "number" }, tax_exempt_category: "string" } as const;
    const summary = await loadEvents(events([
      { type: "stream-start", stream: "customers", incremental: true },
      { type: "schema", table: table(v3) },
      batch([{ id: 3, date_modified: "yesterday-ish", store_credit: 1, email: { primary: "c@example.com" }, group_ids: [1.5], tax_exempt_category: "A", _rescued: null }], "2024-03-03T10:00:00.000Z"),
      { type: "stream-end", stream: "customers", records: 1, requests: 1 },
    ]), { path });
    expect(summary.status).toBe("success");
    expect(await types(path)).toEqual({
      id: "BIGINT",
      date_modified: "VARCHAR",
      store_credit: "DOUBLE",
      email: "JSON",
      notes: "VARCHAR",
      group_ids: "DOUBLE[]",
      _rescued: "JSON",
      _extracted_at: "TIMESTAMP WITH TIME ZONE",
      _load_id: "VARCHAR",
      _deleted_at: "TIMESTAMP WITH TIME ZONE",
      channel_ids: "BIGINT[]",
      tax_exempt_category: "VARCHAR",
    });
    expect(await query(path, "SELECT id, date_modified, CAST(email AS VARCHAR) AS email, notes, group_ids FROM bigcommerce.customers ORDER BY id")).toEqual([
      { id: "1", date_modified: "2024-03-01T10:00:00.000Z", email: '"a@example.com"', notes: "vip", group_ids: [1, 2] },
      { id: "2", date_modified: "2024-03-02T10:00:00.000Z", email: '"b@example.com"', notes: null, group_ids: [3] },
      { id: "3", date_modified: "yesterday-ish", email: '{"primary":"c@example.com"}', notes: null, group_ids: [1.5] },
    ]);
  });

  it("changes a stored column to the schema's type: every row kept, values converted exactly, misfits moved to _rescued", async () => {
    const summary = await loadEvents(events([
      { type: "stream-start", stream: "customers", incremental: true },
      { type: "schema", table: table(v1) },
      batch([{ id: 4, date_modified: "2024-03-04T10:00:00.000Z", store_credit: 7, email: "d@example.com", notes: "n", group_ids: [4], _rescued: null }], "2024-03-04T10:00:00.000Z"),
      { type: "stream-end", stream: "customers", records: 1, requests: 1 },
    ]), { path });
    expect(await types(path)).toMatchObject({ date_modified: "TIMESTAMP WITH TIME ZONE", email: "VARCHAR", group_ids: "BIGINT[]", store_credit: "BIGINT" });
    expect(await query(
      path,
      `SELECT id, strftime(date_modified, '%Y-%m-%dT%H:%M:%SZ') AS date_modified, email, group_ids, store_credit, CAST(_rescued AS VARCHAR) AS rescued
       FROM bigcommerce.customers ORDER BY id`,
    )).toEqual([
      { id: "1", date_modified: "2024-03-01T10:00:00Z", email: "a@example.com", group_ids: ["1", "2"], store_credit: "5", rescued: null },
      { id: "2", date_modified: "2024-03-02T10:00:00Z", email: "b@example.com", group_ids: ["3"], store_credit: null, rescued: '{"store_credit":2.5}' },
      {
        id: "3", date_modified: null, email: null, group_ids: null, store_credit: "1",
        rescued: '{"date_modified":"yesterday-ish","email":{"primary":"c@example.com"},"group_ids":[1.5]}',
      },
      { id: "4", date_modified: "2024-03-04T10:00:00Z", email: "d@example.com", group_ids: ["4"], store_credit: "7", rescued: null },
    ]);
    const changed = summary.migrations.map((m) => `${m.column}: ${m.from} → ${m.to}, ${m.values} values, ${m.rescued} rescued`).sort();
    expect(changed).toEqual([
      "date_modified: VARCHAR → TIMESTAMPTZ, 3 values, 1 rescued",
      "email: JSON → VARCHAR, 3 values, 1 rescued",
      "group_ids: DOUBLE[] → BIGINT[], 3 values, 1 rescued",
      "store_credit: DOUBLE → BIGINT, 3 values, 1 rescued",
    ]);
    const [loads] = await query(path, `SELECT json_array_length(migrations)::INTEGER AS n FROM bigcommerce._loads WHERE load_id = '${summary.loadId}'`);
    expect(loads).toEqual({ n: 4 });
  });
});
