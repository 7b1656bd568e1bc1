/**
 * The destination's own tables in the schema: `_state` (the Singer state, one JSON
 * document, written in the same transaction as the rows it covers) and `_loads` (one row
 * per load: started, ended, status, per-stream and per-table counts, error, and the columns
 * the load changed to their current types).
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import type { State } from "../../engine/types.ts";
import { redact } from "../../log.ts";
import { ident, literal, qualified } from "./sql.ts";

/** Table holding the Singer state. */
export const STATE_TABLE = "_state";
/** Table with one row per load. */
export const LOADS_TABLE = "_loads";
/** Marks the staging table of a `replace` load: `<table>__replace_<load_id>`. */
export const REPLACE_MARK = "__replace_";

/** Creates the schema and the bookkeeping tables when missing. */
export async function ensureBookkeeping(connection: DuckDBConnection, schema: string): Promise<void> {
  await connection.run(`CREATE SCHEMA IF NOT EXISTS ${ident(schema)}`);
  await connection.run(
    `CREATE TABLE IF NOT EXISTS ${qualified(schema, STATE_TABLE)} (state JSON, load_id VARCHAR, updated_at TIMESTAMPTZ)`,
  );
  await connection.run(
    `CREATE TABLE IF NOT EXISTS ${qualified(schema, LOADS_TABLE)} (
      load_id VARCHAR, started_at TIMESTAMPTZ, ended_at TIMESTAMPTZ, status VARCHAR,
      streams JSON, tables JSON, rows BIGINT, requests BIGINT, metadata JSON, error VARCHAR, migrations JSON)`,
  );
  // Files written by the first release have no `migrations` column yet.
  await connection.run(`ALTER TABLE ${qualified(schema, LOADS_TABLE)} ADD COLUMN IF NOT EXISTS migrations JSON`);
}

/** The stored state, or undefined when there is none (or no `_state` table). */
export async function loadState(connection: DuckDBConnection, schema: string): Promise<State | undefined> {
  const exists = await connection.runAndReadAll(
    `SELECT 1 FROM information_schema.tables WHERE table_schema = ${literal(schema)} AND table_name = ${literal(STATE_TABLE)}`,
  );
  if (exists.currentRowCount === 0) return undefined;
  const reader = await connection.runAndReadAll(`SELECT CAST(state AS VARCHAR) FROM ${qualified(schema, STATE_TABLE)} LIMIT 1`);
  const text = reader.getRows()[0]?.[0];
  if (typeof text !== "string") return undefined;
  const state = JSON.parse(text) as State;
  state.bookmarks ??= {};
  return state;
}

/** Replaces the stored state (call inside the batch's transaction). */
export async function saveState(connection: DuckDBConnection, schema: string, state: State, loadId: string): Promise<void> {
  const table = qualified(schema, STATE_TABLE);
  await connection.run(`DELETE FROM ${table}`);
  await connection.run(`INSERT INTO ${table} VALUES (${literal(JSON.stringify(state))}, ${literal(loadId)}, now())`);
}

/**
 * A `_loads` row's outcome: `running` (or a process that died: set to `failed` by the next
 * load), `success`, `failed` (the error says why), `interrupted` (SIGINT/SIGTERM; what was
 * read is committed and counted).
 */
export interface LoadRecord {
  status: "running" | "success" | "partial" | "failed" | "interrupted";
  streams: unknown;
  tables: unknown;
  rows: number;
  requests: number;
  /** Columns changed to their current type (files written by an earlier version). */
  migrations: readonly unknown[];
  error?: string;
}

/** Marks loads left `running` by a process that died as failed. Returns how many. */
export async function closeInterruptedLoads(connection: DuckDBConnection, schema: string): Promise<number> {
  const result = await connection.run(
    `UPDATE ${qualified(schema, LOADS_TABLE)} SET status = 'failed',
       error = coalesce(error, 'interrupted: the process ended before the load finished')
     WHERE status = 'running'`,
  );
  return Number(result.rowsChanged);
}

/** Inserts the `_loads` row of a starting load. */
export async function startLoad(connection: DuckDBConnection, schema: string, loadId: string, startedAt: string, metadata: unknown): Promise<void> {
  await connection.run(
    `INSERT INTO ${qualified(schema, LOADS_TABLE)} (load_id, started_at, status, streams, tables, rows, requests, metadata)
     VALUES (${literal(loadId)}, ${literal(startedAt)}::TIMESTAMPTZ, 'running', '{}', '{}', 0, 0, ${literal(redact(JSON.stringify(metadata ?? {})))})`,
  );
}

/** Updates the `_loads` row of a load (progress or outcome); `endedAt` set once it is over. */
export async function updateLoad(connection: DuckDBConnection, schema: string, loadId: string, record: LoadRecord, endedAt?: string): Promise<void> {
  await connection.run(
    `UPDATE ${qualified(schema, LOADS_TABLE)} SET
       status = ${literal(record.status)},
       ended_at = ${endedAt ? `${literal(endedAt)}::TIMESTAMPTZ` : "NULL"},
       streams = ${literal(redact(JSON.stringify(record.streams)))},
       tables = ${literal(JSON.stringify(record.tables))},
       rows = ${record.rows}, requests = ${record.requests},
       migrations = ${record.migrations.length > 0 ? literal(JSON.stringify(record.migrations)) : "NULL"},
       error = ${record.error === undefined ? "NULL" : literal(redact(record.error))}
     WHERE load_id = ${literal(loadId)}`,
  );
}
