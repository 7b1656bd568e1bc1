/**
 * The DuckDB destination's entry points: a `DuckDBDestination` holding one open file (read
 * the state, load, reconcile deletes, export — without opening the file twice), and
 * one-call functions over a path.
 */
import { existsSync } from "node:fs";
import { DuckDBConnection } from "@duckdb/node-api";
import type { HeldIds } from "../../engine/archive-sweep.ts";
import type { State, SyncEvent, TableSchema } from "../../engine/types.ts";
import { heldIds, markArchivedIds, markChildren } from "./archived.ts";
import { ensureBookkeeping, loadState } from "./bookkeeping.ts";
import { inTransaction } from "./connection.ts";
import { type Database, type DatabaseOptions, openDatabase } from "./connection.ts";
import { type DeleteGuard, markDeletedRows } from "./deletes.ts";
import { exportWith, type ExportOptions } from "./export.ts";
import { LoadRun } from "./load.ts";
import { tableNames } from "./tables.ts";
import { DEFAULT_SCHEMA, type LoadOptions, type LoadSummary } from "./types.ts";

/** A DuckDB file opened for loading into one schema. */
export class DuckDBDestination {
  private constructor(readonly database: Database, readonly schema: string) {}

  /** Opens (or creates) the file and creates the schema with `_state` and `_loads`. */
  static async open(path: string, schema = DEFAULT_SCHEMA, options: DatabaseOptions = {}): Promise<DuckDBDestination> {
    const database = await openDatabase(path, options);
    try {
      await ensureBookkeeping(database.connection, schema);
    } catch (error) {
      database.close();
      throw error;
    }
    return new DuckDBDestination(database, schema);
  }

  /** The open connection (session in UTC). */
  get connection(): DuckDBConnection {
    return this.database.connection;
  }

  /** The stored Singer state (`{bookmarks: {}}` when none): pass it to the engine. */
  async readState(): Promise<State> {
    return (await loadState(this.connection, this.schema)) ?? { bookmarks: {} };
  }

  /** The names of the tables in the schema (bookkeeping tables included). */
  async tables(): Promise<Set<string>> {
    return new Set(await tableNames(this.connection, this.schema));
  }

  /** Loads sync events (see `LoadRun`); throws what failed after recording it in `_loads`. */
  async load(events: AsyncIterable<SyncEvent>, options: LoadOptions = {}): Promise<LoadSummary> {
    return await new LoadRun(this.connection, this.schema, await this.readState(), options, this.database.memoryLimit).run(events);
  }

  /**
   * Sets `_deleted_at` on rows of `table` whose key is not in `liveKeys` (`|`-joined key values); returns how many.
   * With `family` (table schemas, the table's among them), the rows of the tables below it follow their parent's mark.
   */
  async markDeleted(
    table: string,
    primaryKey: readonly string[],
    liveKeys: Iterable<string | number | bigint>,
    guard?: DeleteGuard,
    family?: readonly TableSchema[],
  ): Promise<number> {
    const marked = await markDeletedRows(this.connection, this.schema, table, primaryKey, liveKeys, guard);
    const root = family?.find((t) => t.name === table);
    if (root) await inTransaction(this.connection, () => markChildren(this.connection, this.schema, root, family!));
    return marked;
  }

  /** The live ids held of a table keyed by one integer id (see `HeldIds`), with the `groupColumn` values of their rows. */
  heldIds(table: TableSchema, groupColumn?: string): HeldIds {
    return heldIds(this.connection, this.schema, table, groupColumn);
  }

  /**
   * Marks the rows of `table` with these ids archived and deleted (and rows flagged archived but not marked yet),
   * and the rows below them in `family`; returns how many rows of `table`.
   */
  async markArchived(table: TableSchema, ids: readonly number[], family: readonly TableSchema[]): Promise<number> {
    return await inTransaction(this.connection, async () => {
      const marked = await markArchivedIds(this.connection, this.schema, table, ids);
      if (marked > 0) await markChildren(this.connection, this.schema, table, family);
      return marked;
    });
  }

  /** One CSV or Parquet file per table (not `_state`); returns the files. */
  async exportTables(options: Omit<ExportOptions, "path" | "schema">): Promise<string[]> {
    return await exportWith(this.connection, { ...options, schema: this.schema });
  }

  /** Closes the file. */
  close(): void {
    this.database.close();
  }
}

/** Options of `loadEvents`. */
export interface LoadEventsOptions extends LoadOptions, DatabaseOptions {
  /** DuckDB file, created if missing. */
  path: string;
  /** Schema for the tables (default `bigcommerce`). */
  schema?: string;
}

/** Loads sync events into a DuckDB file and closes it; returns the load's summary. */
export async function loadEvents(events: AsyncIterable<SyncEvent>, options: LoadEventsOptions): Promise<LoadSummary> {
  const destination = await DuckDBDestination.open(options.path, options.schema, options);
  try {
    return await destination.load(events, options);
  } finally {
    destination.close();
  }
}

/** The Singer state stored in a DuckDB file; `{bookmarks: {}}` when the file, schema or state is missing. */
export async function readState(path: string, schema = DEFAULT_SCHEMA): Promise<State> {
  if (path !== ":memory:" && !existsSync(path)) return { bookmarks: {} };
  const database = await openDatabase(path, { readOnly: true });
  try {
    return (await loadState(database.connection, schema)) ?? { bookmarks: {} };
  } finally {
    database.close();
  }
}

/** Options of `markDeleted`. */
export interface MarkDeletedOptions {
  schema?: string;
  /** Key columns (default `["id"]`). */
  primaryKey?: readonly string[];
}

/**
 * Sets `_deleted_at` on the rows of `table` whose key is not in `liveKeys` (ids, or
 * `|`-joined composite keys) and clears it on rows that are; returns how many rows were
 * newly marked. `target` is a destination, an open connection or a file path.
 */
export async function markDeleted(
  target: DuckDBDestination | DuckDBConnection | string,
  table: string,
  liveKeys: Iterable<string | number | bigint>,
  options: MarkDeletedOptions = {},
): Promise<number> {
  const primaryKey = options.primaryKey ?? ["id"];
  if (target instanceof DuckDBDestination) {
    return await markDeletedRows(target.connection, options.schema ?? target.schema, table, primaryKey, liveKeys);
  }
  const schema = options.schema ?? DEFAULT_SCHEMA;
  if (target instanceof DuckDBConnection) return await markDeletedRows(target, schema, table, primaryKey, liveKeys);
  const database = await openDatabase(target);
  try {
    return await markDeletedRows(database.connection, schema, table, primaryKey, liveKeys);
  } finally {
    database.close();
  }
}
