/**
 * Ids-only delete reconciliation: rows whose primary key is not in the set of keys the
 * store still lists get `_deleted_at` set (rows that come back have it cleared). Keys are
 * encoded by the engine's key codec (`encodeKey`, as `liveKeys` gives them); a single-column
 * key may also be given as a number or bigint.
 */
import { DuckDBDataChunk, type DuckDBConnection, VARCHAR } from "@duckdb/node-api";
import { RuntimeFailure } from "../../errors.ts";
import { decodeKey } from "../../engine/keys.ts";
import { inTransaction } from "./connection.ts";
import { ident, qualified } from "./sql.ts";
import { DELETED_AT, storedColumns } from "./tables.ts";

const LIVE = "__live_keys";

/**
 * Told, before anything is marked, how many keys the store listed, how many rows of the table
 * are not marked deleted yet and how many of them would be; throws to refuse.
 */
export type DeleteGuard = (plan: { live: number; rows: number; marking: number }) => void;

/** Sets `_deleted_at` on the rows of `schema.table` whose key is not in `liveKeys`; returns how many were newly marked. */
export async function markDeletedRows(
  connection: DuckDBConnection,
  schema: string,
  table: string,
  primaryKey: readonly string[],
  liveKeys: Iterable<string | number | bigint>,
  guard?: DeleteGuard,
): Promise<number> {
  const columns = await storedColumns(connection, schema, table);
  if (!columns) throw new RuntimeFailure(`DuckDB: table ${schema}.${table} does not exist`);
  const missing = primaryKey.filter((k) => !columns.has(k));
  if (primaryKey.length === 0 || missing.length > 0) {
    throw new RuntimeFailure(`DuckDB: cannot reconcile ${table}: primary key column(s) ${missing.join(", ") || "(none)"} missing`);
  }
  const target = qualified(schema, table);
  // One text column per key column; a key matches when every part does.
  const parts = primaryKey.map((_, i) => `k${i}`);
  const match = primaryKey.map((k, i) => `l.${parts[i]} IS NOT DISTINCT FROM CAST(t.${ident(k)} AS VARCHAR)`).join(" AND ");
  return await inTransaction(connection, async () => {
    if (!columns.has(DELETED_AT)) await connection.run(`ALTER TABLE ${target} ADD COLUMN ${ident(DELETED_AT)} TIMESTAMPTZ`);
    await connection.run(`CREATE OR REPLACE TEMP TABLE ${ident(LIVE)} (${parts.map((p) => `${p} VARCHAR`).join(", ")})`);
    const appender = await connection.createAppender(LIVE, "main", "temp");
    let batch: (string | null)[][] = parts.map(() => []);
    const flush = () => {
      if (batch[0].length === 0) return;
      const chunk = DuckDBDataChunk.create(parts.map(() => VARCHAR), batch[0].length);
      chunk.setColumns(batch);
      appender.appendDataChunk(chunk);
      batch = parts.map(() => []);
    };
    let live = 0;
    for (const k of liveKeys) {
      live++;
      const decoded = typeof k === "string" ? decodeKey(k) : [String(k)];
      if (decoded.length !== parts.length) {
        throw new RuntimeFailure(`DuckDB: cannot reconcile ${table}: a live key has ${decoded.length} part(s), the primary key (${primaryKey.join(", ")}) ${parts.length}`);
      }
      decoded.forEach((part, i) => batch[i].push(part));
      if (batch[0].length === 2048) flush();
    }
    flush();
    appender.closeSync();
    const listed = `EXISTS (SELECT 1 FROM temp.main.${ident(LIVE)} AS l WHERE ${match})`;
    if (guard) {
      const counts = await connection.runAndReadAll(
        `SELECT count(*) FILTER (WHERE ${ident(DELETED_AT)} IS NULL)::BIGINT, count(*) FILTER (WHERE ${ident(DELETED_AT)} IS NULL AND NOT ${listed})::BIGINT FROM ${target} AS t`,
      );
      const [rows, marking] = counts.getRows()[0].map(Number);
      guard({ live, rows, marking }); // throwing rolls everything back
    }
    const marked = await connection.run(`UPDATE ${target} AS t SET ${ident(DELETED_AT)} = now() WHERE ${ident(DELETED_AT)} IS NULL AND NOT ${listed}`);
    await connection.run(`UPDATE ${target} AS t SET ${ident(DELETED_AT)} = NULL WHERE ${ident(DELETED_AT)} IS NOT NULL AND ${listed}`);
    await connection.run(`DROP TABLE temp.main.${ident(LIVE)}`);
    return Number(marked.rowsChanged);
  });
}
