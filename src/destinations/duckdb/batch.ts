/**
 * Writing one batch's tables (inside the batch's transaction): each table's staged rows (many
 * pages) are written in its mode, parents before children. A merged parent then removes the
 * rows of its descendants that the batch does not bring again.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import type { TableSchema, WriteMode } from "../../engine/types.ts";
import { markChildren, stagesArchived } from "./archived.ts";
import { sameType } from "./column-types.ts";
import type { Stage } from "./stage.ts";
import { qualified } from "./sql.ts";
import { dataColumns, type StoredColumns } from "./tables.ts";
import type { TableLoadSummary } from "./types.ts";
import {
  appendNew, type CascadeLink, cascadeDelete, insertAll, type Stamp, upsertLatest, type WriteTarget,
} from "./writes.ts";

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
  /** Every table known (the source's and this load's), for marking an archived row's children. */
  family: readonly TableSchema[];
}

function zero(): TableCounts {
  return { rows: 0, inserted: 0, updated: 0, skipped: 0, removed: 0, rescued: 0 };
}

/**
 * Writes the staged batch of each table (parents first) in its mode; returns what happened per
 * table. A table with a key is upserted (stored rows with the batch's keys deleted, the batch
 * inserted); when some stored rows had those keys, the parent's stale descendants are removed
 * (a first load deletes nothing and looks at no child).
 */
export async function writeTables(context: BatchContext, tables: readonly TableInfo[], stages: ReadonlyMap<TableInfo, Stage>): Promise<Map<TableInfo, TableCounts>> {
  const { connection, stamp } = context;
  const counts = new Map<TableInfo, TableCounts>();
  const count = (info: TableInfo): TableCounts => {
    let known = counts.get(info);
    if (!known) counts.set(info, (known = zero()));
    return known;
  };
  const targets = new Map<TableInfo, WriteTarget>();
  const target = async (info: TableInfo): Promise<WriteTarget> => {
    const known = targets.get(info);
    if (known) return known;
    const stage = stages.get(info)!;
    stage.close();
    const columns = dataColumns(info.columns!);
    const archived = info.schema.archived && columns.includes(info.schema.archived) ? info.schema.archived : undefined;
    const made = { table: qualified(context.schema, await context.physical(info)), stage: stage.name, columns, archived };
    targets.set(info, made);
    Object.assign(count(info), { rows: stage.rows, rescued: stage.rescued });
    return made;
  };
  for (const info of tables) {
    const into = await target(info);
    const counted = count(info);
    const key = info.schema.primaryKey;
    if ((info.mode === "merge" || info.mode === "replace") && key.length > 0) {
      const { replaced: matched, written } = await upsertLatest(connection, into, key, stamp);
      Object.assign(counted, { updated: matched, inserted: Math.max(0, written - matched), skipped: counted.rows - written });
      // No stored parent had these keys: there are no stored children to replace.
      if (matched === 0) continue;
      for (const path of context.cascadePaths(info)) {
        const last = path.at(-1)!;
        const own = stages.has(last) ? await target(last) : undefined;
        const links: CascadeLink[] = [];
        let parent = info;
        for (const child of path) {
          links.push({ table: qualified(context.schema, await context.physical(child)), keys: child.schema.parent!.keys, textKeys: textKeys(parent, child) });
          parent = child;
        }
        count(last).removed += await cascadeDelete(connection, into.stage, links, own && { stage: own.stage, key: last.schema.primaryKey });
      }
    } else if (info.mode === "replace") {
      counted.inserted = await insertAll(connection, into, stamp);
    } else {
      // Append identity: (primary key, cursor) when the table has both, else the whole row.
      const cursor = info.schema.cursor;
      const identity = key.length > 0 && cursor && info.columns!.has(cursor) ? [...key, cursor] : into.columns;
      counted.inserted = await appendNew(connection, into, identity, stamp);
      counted.skipped = counted.rows - counted.inserted;
    }
  }
  // Archived rows in the batch (marked by their write): their children, stored now or before, are marked with them.
  for (const info of tables) {
    const into = targets.get(info);
    if (!into?.archived || info.mode === "replace" || !(await stagesArchived(connection, into.stage, into.archived))) continue;
    await markChildren(connection, context.schema, info.schema, context.family, into.stage);
  }
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
