/**
 * Writing one batch's tables (inside the batch's transaction): each table is staged, then
 * written in its mode, parents before children. A merged parent then removes the rows of
 * its descendants that the batch does not bring again.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import type { Row, TableSchema, WriteMode } from "../../engine/types.ts";
import { sameType } from "./column-types.ts";
import { stageRows } from "./stage.ts";
import { ident, qualified } from "./sql.ts";
import { dataColumns, type StoredColumns } from "./tables.ts";
import type { TableLoadSummary } from "./types.ts";
import { appendNew, type CascadeLink, cascadeDelete, insertAll, type Stamp, upsert, type WriteTarget } from "./writes.ts";

/** A table written in a load. */
export interface TableInfo {
  schema: TableSchema;
  /** Top-level stream. */
  root: string;
  mode: WriteMode;
  /** Columns as stored; undefined until the table exists. */
  columns?: StoredColumns;
  /** The `replace` staging table, once created. */
  replaceTable?: string;
  summary: TableLoadSummary;
}

/** What a batch did to one table. */
export type TableCounts = Pick<TableLoadSummary, "rows" | "inserted" | "updated" | "skipped" | "removed" | "rescued">;

/** What `writeTables` needs from the load. */
export interface BatchContext {
  connection: DuckDBConnection;
  schema: string;
  stamp: Stamp;
  /** The stored table a table's rows go into (created when missing). */
  physical(info: TableInfo): Promise<string>;
  /** Descendant paths a merge of the table cascades to, deepest first. */
  cascadePaths(info: TableInfo): TableInfo[][];
  /** A fresh name for a temporary stage table. */
  stageName(): string;
}

function zero(): TableCounts {
  return { rows: 0, inserted: 0, updated: 0, skipped: 0, removed: 0, rescued: 0 };
}

/** Writes the rows of `tables` (parents first) in their modes; returns what happened per table. */
export async function writeTables(context: BatchContext, tables: readonly TableInfo[], rows: Map<string, Row[]>): Promise<Map<TableInfo, TableCounts>> {
  const { connection, stamp } = context;
  const counts = new Map<TableInfo, TableCounts>();
  const stages = new Map<TableInfo, WriteTarget>();
  const staged = async (info: TableInfo): Promise<WriteTarget> => {
    const known = stages.get(info);
    if (known) return known;
    const list = rows.get(info.schema.name)!;
    const table = qualified(context.schema, await context.physical(info));
    const stored = info.columns!;
    const columns = dataColumns(stored);
    const stage = context.stageName();
    const { rescued } = await stageRows(connection, stage, table, info.schema.name, columns.map((c) => [c, stored.get(c)!]), list);
    const target = { table, stage, columns };
    stages.set(info, target);
    counts.set(info, { ...(counts.get(info) ?? zero()), rows: list.length, rescued });
    return target;
  };
  for (const info of tables) {
    const target = await staged(info);
    const count = counts.get(info)!;
    const key = info.schema.primaryKey;
    if ((info.mode === "merge" || info.mode === "replace") && key.length > 0) {
      const { updated, written } = await upsert(connection, target, key, stamp);
      Object.assign(count, { updated, inserted: written - updated, skipped: count.rows - written });
      for (const path of context.cascadePaths(info)) {
        const last = path.at(-1)!;
        const own = rows.get(last.schema.name)?.length ? await staged(last) : undefined;
        const links: CascadeLink[] = [];
        let parent = info;
        for (const child of path) {
          links.push({ table: qualified(context.schema, await context.physical(child)), keys: child.schema.parent!.keys, textKeys: textKeys(parent, child) });
          parent = child;
        }
        const removed = await cascadeDelete(connection, target.stage, links, own && { stage: own.stage, key: last.schema.primaryKey });
        if (!counts.has(last)) counts.set(last, zero());
        counts.get(last)!.removed += removed;
      }
    } else if (info.mode === "replace") {
      count.inserted = await insertAll(connection, target, stamp);
    } else {
      // Append identity: (primary key, cursor) when the table has both, else the whole row.
      const cursor = info.schema.cursor;
      const identity = key.length > 0 && cursor && info.columns!.has(cursor) ? [...key, cursor] : target.columns;
      count.inserted = await appendNew(connection, target, identity, stamp);
      count.skipped = count.rows - count.inserted;
    }
  }
  for (const target of stages.values()) await connection.run(`DROP TABLE temp.main.${ident(target.stage)}`);
  return counts;
}

/** Child key columns whose stored type differs from the parent column they match (compared as text). */
function textKeys(parent: TableInfo, child: TableInfo): Set<string> {
  const out = new Set<string>();
  for (const [childColumn, parentColumn] of Object.entries(child.schema.parent!.keys)) {
    const a = child.columns?.get(childColumn);
    const b = parent.columns?.get(parentColumn);
    if (a && b && !sameType(a, b)) out.add(childColumn);
  }
  return out;
}
