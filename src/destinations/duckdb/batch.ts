/**
 * Writing one batch's tables (inside the batch's transaction): each table's staged rows (many
 * pages) are written in its mode, parents before children. A merged parent then removes the
 * rows of its descendants that the batch does not bring again.
 *
 * A batch whose tables are all upserted or appended by key (or replaced whole) and that holds
 * each key once is appended straight into the stored tables instead (direct stages, inside a
 * transaction open from its first page): no temporary copy, no `INSERT … SELECT`. Its rows carry
 * the batch's own `_extracted_at`, so the upsert is then one `DELETE` of the other rows with the
 * batch's keys, and an append one `DELETE` of the batch's rows that were stored already — none
 * to look for in a table this load found empty and has not written yet.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import type { TableSchema, WriteMode } from "../../engine/types.ts";
import { markChildren, stagesArchived } from "./archived.ts";
import { sameType } from "./column-types.ts";
import type { Stage } from "./stage.ts";
import { ident, literal, qualified } from "./sql.ts";
import { dataColumns, type StoredColumns } from "./tables.ts";
import type { TableLoadSummary } from "./types.ts";
import {
  appendNew, batchRows, type CascadeLink, cascadeDelete, type DirectTarget, dropStoredVersions, inDirectBatch, insertAll, ofBatch, replaceOlder,
  type Stamp, stagedKey, upsertLatest, type WriteTarget,
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
  /** Whether the stored table (where this load writes it) may hold rows besides the pending batch's: undefined until first written. */
  holdsRows?: boolean;
  summary: TableLoadSummary;
}

/** True when a table's batches may be appended straight into it: merged or appended by key, or replaced whole. */
export function writesDirect(info: TableInfo): boolean {
  return info.mode === "replace" || info.schema.primaryKey.length > 0;
}

/** What makes a row of an `append` table a version already stored: its key and cursor when it has both, else the whole row. */
function appendIdentity(info: TableInfo): string[] {
  const key = info.schema.primaryKey;
  const cursor = info.schema.cursor;
  return key.length > 0 && cursor && info.columns!.has(cursor) ? [...key, cursor] : dataColumns(info.columns!);
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
  if (tables.some((info) => stages.get(info)!.direct)) return await writeDirect(context, tables, stages);
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
        const links = await cascadeLinks(context, info, path);
        count(last).removed += await cascadeDelete(connection, ident(into.stage), links, own && stagedKey(own.stage, last.schema.primaryKey));
      }
    } else if (info.mode === "replace") {
      counted.inserted = await insertAll(connection, into, stamp);
    } else {
      counted.inserted = await appendNew(connection, into, appendIdentity(info), stamp);
      counted.skipped = counted.rows - counted.inserted;
    }
  }
  // Archived rows in the batch (marked by their write): their children, stored now or before, are marked with them.
  for (const info of tables) {
    const into = targets.get(info);
    if (!into?.archived || info.mode === "replace" || !(await stagesArchived(connection, ident(into.stage), into.archived))) continue;
    await markChildren(connection, context.schema, info.schema, context.family, ident(into.stage));
  }
  return counts;
}

/** The links of a cascade path from `info` down to its last table. */
async function cascadeLinks(context: BatchContext, info: TableInfo, path: readonly TableInfo[]): Promise<CascadeLink[]> {
  const links: CascadeLink[] = [];
  let parent = info;
  for (const child of path) {
    links.push({ table: qualified(context.schema, await context.physical(child)), keys: child.schema.parent!.keys, textKeys: textKeys(parent, child) });
    parent = child;
  }
  return links;
}

/**
 * Writes a batch appended straight into its tables (every stage direct, see above): each keyed
 * table's rows of other batches with the batch's keys are deleted, parents first, and a parent
 * that had some removes its descendants' rows of other batches; then archived rows mark their children.
 */
async function writeDirect(context: BatchContext, tables: readonly TableInfo[], stages: ReadonlyMap<TableInfo, Stage>): Promise<Map<TableInfo, TableCounts>> {
  const { connection } = context;
  const stamp = `${literal(context.stamp.extractedAt)}::TIMESTAMPTZ`;
  const counts = new Map<TableInfo, TableCounts>();
  const targets = new Map<TableInfo, DirectTarget>();
  // Every appender is flushed before a statement reads the tables.
  for (const info of tables) {
    const stage = stages.get(info)!;
    if (!stage.direct) throw new Error(`DuckDB: the batch of ${info.root} mixes direct and staged tables (${info.schema.name})`);
    stage.close();
    const archived = info.schema.archived && info.columns!.has(info.schema.archived) ? info.schema.archived : undefined;
    targets.set(info, { table: qualified(context.schema, await context.physical(info)), stamp, archived });
    counts.set(info, { ...zero(), rows: stage.rows, inserted: stage.rows, rescued: stage.rescued });
  }
  for (const info of tables) {
    const key = info.schema.primaryKey;
    // A table replaced whole without a key keeps every row; one that held no other rows has none to replace.
    if (key.length === 0 || info.holdsRows === false) continue;
    const target = targets.get(info)!;
    const counted = counts.get(info)!;
    if (info.mode === "append") {
      const skipped = await dropStoredVersions(connection, target, appendIdentity(info));
      Object.assign(counted, { skipped, inserted: counted.rows - skipped });
      continue;
    }
    const replaced = await replaceOlder(connection, target, key, stages.get(info)!.archivedRows);
    Object.assign(counted, { updated: replaced, inserted: Math.max(0, counted.rows - replaced) });
    if (replaced === 0) continue;
    for (const path of context.cascadePaths(info)) {
      const last = path.at(-1)!;
      const own = targets.get(last);
      const except = own ? inDirectBatch(own, last.schema.primaryKey) : ofBatch(target, "d");
      const removed = await cascadeDelete(connection, batchRows(target), await cascadeLinks(context, info, path), except);
      let known = counts.get(last);
      if (!known) counts.set(last, (known = zero()));
      known.removed += removed;
    }
  }
  for (const info of tables) {
    const target = targets.get(info)!;
    if (!target.archived || info.mode === "replace" || stages.get(info)!.archivedRows === 0) continue;
    await markChildren(connection, context.schema, info.schema, context.family, batchRows(target));
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
