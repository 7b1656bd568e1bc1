/**
 * Tables as stored: their columns (read from `information_schema`), creation, and
 * evolution — new columns are added, widened types widened (stored values converted),
 * nothing is ever dropped. Every table also gets the destination's meta columns.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import type { ColumnType, TableSchema } from "../../engine/types.ts";
import { convertSql, logicalType, sameType, sqlType, widenType } from "./column-types.ts";
import { ident, literal, qualified } from "./sql.ts";

/** When the batch holding the row was stored. */
export const EXTRACTED_AT = "_extracted_at";
/** The load (`_loads.load_id`) that wrote the row. */
export const LOAD_ID = "_load_id";
/** Set by `markDeleted` when the row's key is no longer in the store. */
export const DELETED_AT = "_deleted_at";
/** Values that did not fit their column's type (the engine fills it; unknown fields land here too). */
export const RESCUED = "_rescued";

/** Columns the destination adds to every table, after the data columns. */
export const META_COLUMNS: ReadonlyArray<readonly [string, string]> = [
  [EXTRACTED_AT, "TIMESTAMPTZ"],
  [LOAD_ID, "VARCHAR"],
  [DELETED_AT, "TIMESTAMPTZ"],
];

const META_NAMES = new Set(META_COLUMNS.map(([name]) => name));

/** True for the destination's own columns (not data). */
export function isMetaColumn(name: string): boolean {
  return META_NAMES.has(name);
}

/** Data columns of a stored table, name → logical type, in table order. */
export type StoredColumns = Map<string, ColumnType>;

/** The stored columns of a table (meta columns included), or undefined when it does not exist. */
export async function storedColumns(connection: DuckDBConnection, schema: string, table: string): Promise<StoredColumns | undefined> {
  const reader = await connection.runAndReadAll(
    `SELECT column_name, data_type FROM information_schema.columns
     WHERE table_schema = ${literal(schema)} AND table_name = ${literal(table)} ORDER BY ordinal_position`,
  );
  const rows = reader.getRows();
  if (rows.length === 0) return undefined;
  return new Map(rows.map(([name, type]) => [String(name), logicalType(String(type))]));
}

/** The names of a schema's base tables. */
export async function tableNames(connection: DuckDBConnection, schema: string): Promise<string[]> {
  const reader = await connection.runAndReadAll(
    `SELECT table_name FROM information_schema.tables
     WHERE table_schema = ${literal(schema)} AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  return reader.getRows().map(([name]) => String(name));
}

/** The columns a table schema asks for, with `_rescued` added when the schema lacks it. */
function wantedColumns(table: TableSchema): { name: string; type: ColumnType }[] {
  const columns = table.columns.filter((c) => !isMetaColumn(c.name));
  if (!columns.some((c) => c.name === RESCUED)) columns.push({ name: RESCUED, type: "json" });
  return columns;
}

/**
 * Makes the stored table `physical` hold `table`'s columns: creates it, or adds missing
 * columns and widens narrower ones (`ALTER … TYPE … USING`, converting stored values).
 * Returns the columns as now stored. Run it inside a transaction to make it atomic.
 */
export async function ensureTable(
  connection: DuckDBConnection,
  schema: string,
  table: TableSchema,
  physical = table.name,
): Promise<StoredColumns> {
  const target = qualified(schema, physical);
  const stored = await storedColumns(connection, schema, physical);
  const wanted = wantedColumns(table);
  if (!stored) {
    const defs = [...wanted.map((c) => `${ident(c.name)} ${sqlType(c.type)}`), ...META_COLUMNS.map(([n, t]) => `${ident(n)} ${t}`)];
    await connection.run(`CREATE TABLE ${target} (${defs.join(", ")})`);
    return new Map([...wanted.map((c) => [c.name, c.type] as const), ...META_COLUMNS.map(([n]) => [n, n === LOAD_ID ? "string" : "timestamp"] as const)]);
  }
  for (const column of wanted) {
    const have = stored.get(column.name);
    if (have === undefined) {
      await connection.run(`ALTER TABLE ${target} ADD COLUMN ${ident(column.name)} ${sqlType(column.type)}`);
      stored.set(column.name, column.type);
      continue;
    }
    const wider = widenType(have, column.type);
    if (sameType(wider, have)) continue;
    const name = ident(column.name);
    await connection.run(`ALTER TABLE ${target} ALTER COLUMN ${name} SET DATA TYPE ${sqlType(wider)} USING ${convertSql(name, have, wider)}`);
    stored.set(column.name, wider);
  }
  for (const [name, type] of META_COLUMNS) {
    if (stored.has(name)) continue;
    await connection.run(`ALTER TABLE ${target} ADD COLUMN ${ident(name)} ${type}`);
    stored.set(name, logicalType(type));
  }
  return stored;
}

/** The data columns (meta columns left out) of stored columns, in order. */
export function dataColumns(stored: StoredColumns): string[] {
  return [...stored.keys()].filter((name) => !isMetaColumn(name));
}
