/**
 * Ids-only delete reconciliation: rows whose primary key is not in the set of keys the
 * store still lists get `_deleted_at` set (rows that come back have it cleared). Keys are
 * the primary key values as text joined by `|`, as the engine's `liveKeys` gives them.
 */
import { DuckDBDataChunk, type DuckDBConnection, VARCHAR } from "@duckdb/node-api";
import { RuntimeFailure } from "../../errors.ts";
import { inTransaction } from "./connection.ts";
import { ident, qualified } from "./sql.ts";
import { DELETED_AT, storedColumns } from "./tables.ts";

const LIVE = "__live_keys";

/** Sets `_deleted_at` on the rows of `schema.table` whose key is not in `liveKeys`; returns how many were newly marked. */
export async function markDeletedRows(
  connection: DuckDBConnection,
  schema: string,
  table: string,
  primaryKey: readonly string[],
  liveKeys: Iterable<string | number | bigint>,
): Promise<number> {
  const columns = await storedColumns(connection, schema, table);
  if (!columns) throw new RuntimeFailure(`DuckDB: table ${schema}.${table} does not exist`);
  const missing = primaryKey.filter((k) => !columns.has(k));
  if (primaryKey.length === 0 || missing.length > 0) {
    throw new RuntimeFailure(`DuckDB: cannot reconcile ${table}: primary key column(s) ${missing.join(", ") || "(none)"} missing`);
  }
  const target = qualified(schema, table);
  const key = primaryKey.map((k) => `coalesce(CAST(t.${ident(k)} AS VARCHAR), 'null')`).join(` || '|' || `);
  return await inTransaction(connection, async () => {
    if (!columns.has(DELETED_AT)) await connection.run(`ALTER TABLE ${target} ADD COLUMN ${ident(DELETED_AT)} TIMESTAMPTZ`);
    await connection.run(`CREATE OR REPLACE TEMP TABLE ${ident(LIVE)} (k VARCHAR)`);
    const appender = await connection.createAppender(LIVE, "main", "temp");
    let batch: string[] = [];
    const flush = () => {
      if (batch.length === 0) return;
      const chunk = DuckDBDataChunk.create([VARCHAR], batch.length);
      chunk.setColumns([batch]);
      appender.appendDataChunk(chunk);
      batch = [];
    };
    for (const k of liveKeys) {
      batch.push(String(k));
      if (batch.length === 2048) flush();
    }
    flush();
    appender.closeSync();
    const live = `EXISTS (SELECT 1 FROM temp.main.${ident(LIVE)} AS l WHERE l.k = ${key})`;
    const marked = await connection.run(`UPDATE ${target} AS t SET ${ident(DELETED_AT)} = now() WHERE ${ident(DELETED_AT)} IS NULL AND NOT ${live}`);
    await connection.run(`UPDATE ${target} AS t SET ${ident(DELETED_AT)} = NULL WHERE ${ident(DELETED_AT)} IS NOT NULL AND ${live}`);
    await connection.run(`DROP TABLE temp.main.${ident(LIVE)}`);
    return Number(marked.rowsChanged);
  });
}
