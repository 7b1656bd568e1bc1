/**
 * The SQL of the write modes, from a staged batch (see `stage.ts`) into a stored table, each
 * set-based, once per batch: the stored rows with one of the batch's keys are deleted, then
 * the batch's last version of each key is inserted (a first load deletes nothing: no stored
 * row has its keys); append without re-adding a version already stored; plain insert; and
 * the cascade that removes a merged parent's stale child rows.
 *
 * Delete + insert replaced `MERGE INTO` after a measurement against 1M stored orders (10 000
 * changed orders and their children per batch, 128MB, 2 threads): `MERGE` updated every column
 * of each matched row in place, 18.5 s of CPU per batch with up to 96 MB of DuckDB's
 * `TRANSACTION` memory (old versions kept until commit; the 1M incremental bench ran out of
 * memory on it), against 6.1 s and no `TRANSACTION` memory for the delete (a row mark) and
 * the insert (new rows, spilled to disk past `memory_limit` like any insert). No PRIMARY KEY
 * constraints are needed (nor wanted: DuckDB cannot alter a constrained column's type).
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { ORDER_COLUMN } from "./stage.ts";
import { ident, literal } from "./sql.ts";
import { DELETED_AT, EXTRACTED_AT, LOAD_ID } from "./tables.ts";

/** A staged batch and the stored table it goes into. */
export interface WriteTarget {
  /** Qualified stored table. */
  table: string;
  /** Temporary stage table (unqualified). */
  stage: string;
  /** Data columns staged (all the stored table's data columns). */
  columns: string[];
  /** The archived column (`TableSchema.archived`): a row with it true is written marked deleted. */
  archived?: string;
}

/** Stamps of the rows a batch writes. */
export interface Stamp {
  /** ISO 8601 time the batch was stored. */
  extractedAt: string;
  loadId: string;
}

function matches(a: string, b: string, columns: readonly string[], operator = "IS NOT DISTINCT FROM"): string {
  return columns.map((c) => `${a}.${ident(c)} ${operator} ${b}.${ident(c)}`).join(" AND ");
}

/**
 * `_deleted_at` of a written row: null (listed, so alive), or for an archived record the batch's time — or,
 * with `kept` (alias `k`: the stored times of the keys being replaced), the time it was first stored as archived.
 */
function deletedAt(target: WriteTarget, stamp: Stamp, kept = false): string {
  if (!target.archived) return "NULL::TIMESTAMPTZ";
  const now = `${literal(stamp.extractedAt)}::TIMESTAMPTZ`;
  return `CASE WHEN s.${ident(target.archived)} IS TRUE THEN ${kept ? `coalesce(k.${ident(DELETED_AT)}, ${now})` : now} ELSE NULL::TIMESTAMPTZ END`;
}

/** `INSERT … SELECT` of the staged rows (alias `s`); `from` replaces the plain stage (a join adding `k`). */
function insertSql(target: WriteTarget, stamp: Stamp, tail: string, from?: string): string {
  const columns = target.columns.map(ident).join(", ");
  const source = target.columns.map((c) => `s.${ident(c)}`).join(", ");
  return `INSERT INTO ${target.table} (${columns}, ${ident(EXTRACTED_AT)}, ${ident(LOAD_ID)}, ${ident(DELETED_AT)})
    SELECT ${source}, ${literal(stamp.extractedAt)}::TIMESTAMPTZ, ${literal(stamp.loadId)}, ${deletedAt(target, stamp, from !== undefined)}
    FROM ${from ?? `${ident(target.stage)} AS s`} ${tail}`;
}

async function changed(connection: DuckDBConnection, sql: string): Promise<number> {
  const result = await connection.run(sql);
  return Number(result.rowsChanged);
}

/**
 * The clause that keeps the batch's last version of each key; none when no key repeats in the
 * stage (the common case, checked by one count: the window costs about as much as the insert).
 */
async function latest(connection: DuckDBConnection, target: WriteTarget, key: readonly string[]): Promise<string> {
  const partition = key.map((c) => `s.${ident(c)}`).join(", ");
  const reader = await connection.runAndReadAll(`SELECT count(*) = count(DISTINCT (${partition})) FROM ${ident(target.stage)} AS s`);
  if (reader.getRows()[0]![0] === true) return "";
  return `QUALIFY row_number() OVER (PARTITION BY ${partition} ORDER BY s.${ident(ORDER_COLUMN)} DESC) = 1`;
}

/** A stage's temporary side table of the stored archive times of its keys (see `upsertLatest`). */
const KEPT = "__kept_deleted_at";

/**
 * Upserts the batch by key: deletes the stored rows that have one of the staged keys, then
 * inserts the batch's last version of each key. Returns the stored rows replaced (0: the batch
 * only brought new keys, as in a first load) and the rows written. An archived record read
 * again keeps the time it was first stored as archived.
 */
export async function upsertLatest(connection: DuckDBConnection, target: WriteTarget, key: readonly string[], stamp: Stamp): Promise<{ replaced: number; written: number }> {
  const staged = `EXISTS (SELECT 1 FROM ${ident(target.stage)} AS s WHERE ${matches("s", "t", key)})`;
  let from: string | undefined;
  if (target.archived) {
    // One row per key (the first archive time), even where an append-mode load stored several versions of it.
    await connection.run(
      `CREATE OR REPLACE TEMP TABLE ${ident(KEPT)} AS SELECT ${key.map((c) => `t.${ident(c)}`).join(", ")}, min(t.${ident(DELETED_AT)}) AS ${ident(DELETED_AT)}
       FROM ${target.table} AS t WHERE t.${ident(DELETED_AT)} IS NOT NULL AND ${staged} GROUP BY ALL`,
    );
    from = `${ident(target.stage)} AS s LEFT JOIN ${ident(KEPT)} AS k ON ${matches("s", "k", key)}`;
  }
  const replaced = await changed(connection, `DELETE FROM ${target.table} AS t WHERE ${staged}`);
  const written = await changed(connection, insertSql(target, stamp, await latest(connection, target, key), from));
  // Not in a `finally`: after a failed statement the batch's transaction is aborted, a DROP would throw and hide
  // the error; the rollback discards the temporary table anyway.
  if (from) await connection.run(`DROP TABLE IF EXISTS temp.main.${ident(KEPT)}`);
  return { replaced, written };
}

/**
 * Append: every version is kept, but a row whose `identity` (primary key and cursor, or
 * the whole row) is already stored — or earlier in the batch — is not added again.
 */
export async function appendNew(connection: DuckDBConnection, target: WriteTarget, identity: readonly string[], stamp: Stamp): Promise<number> {
  const partition = identity.map((c) => `s.${ident(c)}`).join(", ");
  return await changed(
    connection,
    insertSql(
      target,
      stamp,
      `WHERE NOT EXISTS (SELECT 1 FROM ${target.table} AS t WHERE ${matches("s", "t", identity)})
       QUALIFY row_number() OVER (PARTITION BY ${partition} ORDER BY s.${ident(ORDER_COLUMN)}) = 1`,
    ),
  );
}

/** Plain insert of every staged row. */
export async function insertAll(connection: DuckDBConnection, target: WriteTarget, stamp: Stamp): Promise<number> {
  return await changed(connection, insertSql(target, stamp, ""));
}

/** One table on a cascade path: where its rows are, and how it hangs off the previous one. */
export interface CascadeLink {
  /** Qualified stored table. */
  table: string;
  /** Child column ← parent column, towards the previous link. */
  keys: Record<string, string>;
  /** Columns compared as text because their stored types differ. */
  textKeys?: ReadonlySet<string>;
}

/**
 * Deletes the rows of the last table of `path` that hang (through the tables between)
 * off the parent rows of the relation `parents` (SQL: a stage, or a direct batch's rows),
 * except rows for which `except` (SQL on alias `d`) holds. Returns the rows removed.
 */
export async function cascadeDelete(
  connection: DuckDBConnection,
  parents: string,
  path: readonly CascadeLink[],
  except?: string,
): Promise<number> {
  const last = path.length - 1;
  const condition = (alias: string, index: number): string => {
    const link = path[index];
    const parentAlias = `p${index}`;
    const source = index === 0 ? parents : path[index - 1].table;
    const joins = Object.entries(link.keys).map(([child, parent]) => {
      const left = `${parentAlias}.${ident(parent)}`;
      const right = `${alias}.${ident(child)}`;
      return link.textKeys?.has(child) ? `CAST(${left} AS VARCHAR) = CAST(${right} AS VARCHAR)` : `${left} = ${right}`;
    });
    const deeper = index > 0 ? ` AND ${condition(parentAlias, index - 1)}` : "";
    return `EXISTS (SELECT 1 FROM ${source} AS ${parentAlias} WHERE ${joins.join(" AND ")}${deeper})`;
  };
  const keep = except ? ` AND NOT (${except})` : "";
  return await changed(connection, `DELETE FROM ${path[last].table} AS d WHERE ${condition("d", last)}${keep}`);
}

/** `cascadeDelete`'s exception for rows whose own key is staged in `stage` (the upsert of their table replaces them). */
export function stagedKey(stage: string, key: readonly string[]): string {
  return `EXISTS (SELECT 1 FROM ${ident(stage)} AS o WHERE ${matches("o", "d", key)})`;
}

/**
 * A batch appended straight into its stored table (a direct stage, see batch.ts): its rows are
 * the table's rows with the batch's `_extracted_at`, which no other batch has.
 */
export interface DirectTarget {
  /** Qualified stored table. */
  table: string;
  /** The batch's time, as a TIMESTAMPTZ SQL literal. */
  stamp: string;
  /** The archived column, when the table has one. */
  archived?: string;
}

/** The batch's rows of a direct target, as a relation. */
export function batchRows(target: DirectTarget): string {
  return `(SELECT * FROM ${target.table} WHERE ${ident(EXTRACTED_AT)} = ${target.stamp})`;
}

/** True (SQL, on `alias`) for the rows of the direct target's batch. */
export function ofBatch(target: DirectTarget, alias: string): string {
  return `${alias}.${ident(EXTRACTED_AT)} IS NOT DISTINCT FROM ${target.stamp}`;
}

/**
 * `cascadeDelete`'s exception for a direct batch: its own rows, and rows whose own key it brings
 * again (`replaceOlder` of their table replaces them). Keys compare with `=` (a direct batch has no
 * NULL key): with `IS NOT DISTINCT FROM` this query took 984 ms instead of 52 on a 300 000-order file.
 */
export function inDirectBatch(target: DirectTarget, key: readonly string[]): string {
  const own = ofBatch(target, "d");
  if (key.length === 0) return own;
  return `${own} OR EXISTS (SELECT 1 FROM ${target.table} AS o WHERE ${ofBatch(target, "o")} AND ${matches("o", "d", key, "=")})`;
}

/** A direct batch's identities of one table that other rows of it already have (see `dropStoredVersions`). */
const STORED_VERSIONS = "__stored_versions";

/**
 * The append of a batch appended straight into its table: the batch's rows whose `identity` (key and
 * cursor, or the whole row) a row of another batch already has are deleted again, so each version is
 * stored once. The batch's identities are found in the table first (a join of the batch against
 * the older rows), then deleted from the batch. Returns the rows deleted (the batch's skipped rows).
 */
export async function dropStoredVersions(connection: DuckDBConnection, target: DirectTarget, identity: readonly string[]): Promise<number> {
  const columns = identity.map((c) => `n.${ident(c)}`).join(", ");
  const stored = `temp.main.${ident(STORED_VERSIONS)}`;
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE ${ident(STORED_VERSIONS)} AS SELECT DISTINCT ${columns} FROM ${target.table} AS n
     WHERE ${ofBatch(target, "n")} AND EXISTS (SELECT 1 FROM ${target.table} AS t WHERE NOT (${ofBatch(target, "t")}) AND ${matches("t", "n", identity)})`,
  );
  const deleted = await changed(connection, `DELETE FROM ${target.table} AS n USING ${stored} AS v WHERE ${ofBatch(target, "n")} AND ${matches("n", "v", identity)}`);
  await connection.run(`DROP TABLE ${stored}`);
  return deleted;
}

/** A direct batch's keys of one table (see `replaceOlder`). */
const BATCH_KEYS = "__batch_keys";

/**
 * The upsert of a batch appended straight into its table: the rows of other batches that have
 * one of the batch's keys are deleted (the batch holds each key once, none of them NULL). An
 * archived record read again first takes the time it was first stored as archived, as
 * `upsertLatest` gives it. Returns the rows deleted.
 *
 * The batch's keys are gathered into a temporary table first, so DuckDB knows they are few and
 * hashes them, not the stored table: written as one correlated `EXISTS` over the table itself, the
 * plan grouped every stored key (810 440 rows of order_products at 300 000 orders) for each batch,
 * and the 1M bench's peak RSS rose from 837 to 1 032 MB.
 */
export async function replaceOlder(connection: DuckDBConnection, target: DirectTarget, key: readonly string[], archivedRows: number): Promise<number> {
  const columns = key.map((c) => ident(c)).join(", ");
  const keys = `temp.main.${ident(BATCH_KEYS)}`;
  await connection.run(`CREATE OR REPLACE TEMP TABLE ${ident(BATCH_KEYS)} AS SELECT DISTINCT ${columns} FROM ${target.table} AS n WHERE ${ofBatch(target, "n")}`);
  const older = `NOT (${ofBatch(target, "t")})`;
  if (target.archived && archivedRows > 0) {
    await connection.run(
      `UPDATE ${target.table} AS n SET ${ident(DELETED_AT)} = k.${ident(DELETED_AT)}
       FROM (SELECT ${key.map((c) => `t.${ident(c)}`).join(", ")}, min(t.${ident(DELETED_AT)}) AS ${ident(DELETED_AT)} FROM ${target.table} AS t, ${keys} AS b
             WHERE ${matches("t", "b", key, "=")} AND ${older} AND t.${ident(DELETED_AT)} IS NOT NULL GROUP BY ALL) AS k
       WHERE ${ofBatch(target, "n")} AND n.${ident(target.archived)} IS TRUE AND ${matches("n", "k", key)}`,
    );
  }
  const deleted = await changed(connection, `DELETE FROM ${target.table} AS t USING ${keys} AS b WHERE ${matches("t", "b", key, "=")} AND ${older}`);
  await connection.run(`DROP TABLE ${keys}`);
  return deleted;
}
