/**
 * Archived records and their children. A row of a table with an archived column (`TableSchema.archived`,
 * orders' `is_deleted`) set true is marked deleted (`_deleted_at`, when it was learned) by its write; its
 * descendants' rows (order_products, order_consignments, … at any depth) take their parent's `_deleted_at`,
 * here. The same marking of children follows `markDeletedRows` (the delete sweep) and the archived-id sweep.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import type { HeldIds } from "../../engine/archive-sweep.ts";
import type { TableSchema } from "../../engine/types.ts";
import { ident, literal, qualified } from "./sql.ts";
import { DELETED_AT, storedColumns } from "./tables.ts";

/** One parent → child link below a table, parents before children. */
interface Link {
  parent: string;
  child: string;
  /** Child column ← parent column. */
  keys: Record<string, string>;
}

/** The links from `root` down to every table that hangs off it (any depth), parents first. */
function linksBelow(root: string, tables: readonly TableSchema[]): Link[] {
  const links: Link[] = [];
  const queue = [root];
  for (let i = 0; i < queue.length && i < 256; i++) {
    for (const table of tables) {
      if (table.parent?.table !== queue[i] || queue.includes(table.name)) continue;
      links.push({ parent: queue[i], child: table.name, keys: table.parent.keys });
      queue.push(table.name);
    }
  }
  return links;
}

/**
 * Gives every stored descendant row of `root` its parent's `_deleted_at` (marked with a deleted parent, cleared
 * with a live one), top-down. With `only` (a relation holding the root's key columns: a stage, a batch's rows), only
 * the children of those root rows at the first level; deeper levels follow whatever changed. Returns the rows changed.
 */
export async function markChildren(
  connection: DuckDBConnection,
  schema: string,
  root: TableSchema,
  tables: readonly TableSchema[],
  only?: string,
): Promise<number> {
  let changed = 0;
  for (const link of linksBelow(root.name, tables)) {
    const columns = await storedColumns(connection, schema, link.child);
    const parentColumns = await storedColumns(connection, schema, link.parent);
    if (!columns || !parentColumns || !Object.entries(link.keys).every(([c, p]) => columns.has(c) && parentColumns.has(p))) continue;
    if (!columns.has(DELETED_AT)) await connection.run(`ALTER TABLE ${qualified(schema, link.child)} ADD COLUMN ${ident(DELETED_AT)} TIMESTAMPTZ`);
    const join = Object.entries(link.keys).map(([c, p]) => `CAST(c.${ident(c)} AS VARCHAR) = CAST(p.${ident(p)} AS VARCHAR)`).join(" AND ");
    const restrict = only && link.parent === root.name
      ? ` AND EXISTS (SELECT 1 FROM ${only} AS s WHERE ${root.primaryKey.map((k) => `s.${ident(k)} IS NOT DISTINCT FROM p.${ident(k)}`).join(" AND ")})`
      : "";
    const result = await connection.run(
      `UPDATE ${qualified(schema, link.child)} AS c SET ${ident(DELETED_AT)} = p.${ident(DELETED_AT)} FROM ${qualified(schema, link.parent)} AS p
       WHERE ${join}${restrict} AND c.${ident(DELETED_AT)} IS DISTINCT FROM p.${ident(DELETED_AT)}`,
    );
    changed += Number(result.rowsChanged);
  }
  return changed;
}

/** True when the relation (a stage) holds a row whose archived column is true (its children then need marking). */
export async function stagesArchived(connection: DuckDBConnection, stage: string, column: string): Promise<boolean> {
  const reader = await connection.runAndReadAll(`SELECT count(*) FROM ${stage} WHERE ${ident(column)} IS TRUE`);
  return Number(reader.getRows()[0]![0]) > 0;
}

/**
 * Marks rows of `table` archived (`archived` column true, `_deleted_at` now unless set) by id, and the rows
 * already flagged archived but not marked (stored by a version that did not mark them); returns how many changed.
 */
export async function markArchivedIds(connection: DuckDBConnection, schema: string, table: TableSchema, ids: readonly number[]): Promise<number> {
  const key = ident(table.primaryKey[0]);
  const flag = table.archived ? `${ident(table.archived)} = true, ` : "";
  let changed = 0;
  if (table.archived) {
    const result = await connection.run(
      `UPDATE ${qualified(schema, table.name)} SET ${ident(DELETED_AT)} = now() WHERE ${ident(table.archived)} IS TRUE AND ${ident(DELETED_AT)} IS NULL`,
    );
    changed += Number(result.rowsChanged);
  }
  for (let i = 0; i < ids.length; i += 1000) {
    const chunk = ids.slice(i, i + 1000).map((id) => literal(String(id))).join(", ");
    const result = await connection.run(
      `UPDATE ${qualified(schema, table.name)} SET ${flag}${ident(DELETED_AT)} = coalesce(${ident(DELETED_AT)}, now())
       WHERE CAST(${key} AS VARCHAR) IN (${chunk})`,
    );
    changed += Number(result.rowsChanged);
  }
  return changed;
}

/**
 * The live rows (not archived, not marked deleted) of a table keyed by one integer id, for `sweepArchived`: ids
 * counted once however many rows hold them (an append-mode table keeps a row per version).
 */
export function heldIds(connection: DuckDBConnection, schema: string, table: TableSchema, groupColumn?: string): HeldIds {
  const key = ident(table.primaryKey[0]);
  const live = `${ident(DELETED_AT)} IS NULL${table.archived ? ` AND ${ident(table.archived)} IS NOT TRUE` : ""}`;
  const from = qualified(schema, table.name);
  const rows = async (sql: string) => (await connection.runAndReadAll(sql)).getRows();
  return {
    async bounds() {
      const [lo, hi] = (await rows(`SELECT min(${key})::BIGINT, max(${key})::BIGINT FROM ${from} WHERE ${live}`))[0]!;
      return lo === null || hi === null ? undefined : [Number(lo), Number(hi)];
    },
    async count(lo, hi) {
      const group = groupColumn ? `CAST(${ident(groupColumn)} AS VARCHAR)` : "''";
      const reader = await connection.runAndReadAll(
        `SELECT count(DISTINCT ${key})::BIGINT, coalesce(list(DISTINCT ${group}), []) FROM ${from} WHERE ${live} AND ${key} BETWEEN ${lo} AND ${hi}`,
      );
      const [total, groups] = reader.getRowsJS()[0]!;
      return { total: Number(total), groups: new Set((groups as unknown[]).map(String)) };
    },
    async ids(lo, hi) {
      return (await rows(`SELECT DISTINCT ${key}::BIGINT FROM ${from} WHERE ${live} AND ${key} BETWEEN ${lo} AND ${hi} ORDER BY 1`)).map(([id]) => Number(id));
    },
  };
}
