/**
 * Tables as stored: their columns (read from `information_schema`), creation, and
 * evolution — new columns are added, a column stored with another type is changed to the
 * current one (stored values converted exactly or kept in `_rescued`), nothing is dropped.
 * Every table also gets the destination's meta columns.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import type { ColumnType, TableSchema } from "../../engine/types.ts";
import { logicalType, sqlType } from "./column-types.ts";
import { changesOf, type Migration, retypeTable, schemaTypes, storedTypes } from "./retype.ts";
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
  const types = await storedTypes(connection, schema, table);
  if (types.size === 0) return undefined;
  return logicalColumns(types);
}

/** The stored columns of every table of a schema, in one query (information_schema is slow per table). */
export async function schemaColumns(connection: DuckDBConnection, schema: string): Promise<Map<string, StoredColumns>> {
  return new Map([...await schemaTypes(connection, schema)].map(([table, types]) => [table, logicalColumns(types)]));
}

function logicalColumns(types: Map<string, string>): StoredColumns {
  return new Map([...types].map(([name, type]) => [name, logicalType(type)]));
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
 * columns and changes columns stored with another type to the table's types (`retypeTable`:
 * values converted exactly, misfits moved to `_rescued`; `onRetype` is told). Returns the
 * columns as now stored. Run it inside a transaction to make it atomic.
 */
export async function ensureTable(
  connection: DuckDBConnection,
  schema: string,
  table: TableSchema,
  physical = table.name,
  onRetype?: (migration: Migration) => void,
): Promise<StoredColumns> {
  const target = qualified(schema, physical);
  const types = await storedTypes(connection, schema, physical);
  let stored = types.size === 0 ? undefined : logicalColumns(types);
  const wanted = wantedColumns(table);
  if (!stored) {
    const defs = [...wanted.map((c) => `${ident(c.name)} ${sqlType(c.type)}`), ...META_COLUMNS.map(([n, t]) => `${ident(n)} ${t}`)];
    await connection.run(`CREATE TABLE ${target} (${defs.join(", ")})`);
    return new Map([...wanted.map((c) => [c.name, c.type] as const), ...META_COLUMNS.map(([n]) => [n, n === LOAD_ID ? "string" : "timestamp"] as const)]);
  }
  const migrations = await retypeTable(connection, schema, physical, types, changesOf(table, types));
  for (const migration of migrations) onRetype?.({ ...migration, table: table.name });
  if (migrations.length > 0) stored = (await storedColumns(connection, schema, physical))!;
  for (const column of wanted) {
    if (stored.has(column.name)) continue;
    await connection.run(`ALTER TABLE ${target} ADD COLUMN ${ident(column.name)} ${sqlType(column.type)}`);
    stored.set(column.name, column.type);
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
