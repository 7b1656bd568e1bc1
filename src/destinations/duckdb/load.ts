/**
 * One load: sync events in, tables out. Pages of a stream are gathered into batches (by rows
 * and seconds, see `LoadOptions`); each batch is one transaction holding the rows of all its
 * tables and the state after its last page, so a load killed at any point and run again
 * (from the stored state) ends with the same tables as one uninterrupted load.
 *
 * Write modes, per table:
 * - `merge`: upsert by primary key; a merged parent's child rows (child tables without a
 *   cursor of their own, same mode, any depth) that the batch does not bring again are
 *   deleted, so an updated parent's children are replaced, not left stale.
 * - `append`: every version kept; a row already stored with the same (primary key, cursor)
 *   — the whole row when the table has no cursor — is not added again (a resumed run
 *   re-reads the page at the bookmark).
 * - `replace`: rows go to `<table>__replace_<load_id>` and replace the table at the
 *   stream's end (drop + rename + state, one transaction). Until then the stream's state is
 *   held back, so a crash leaves the old table and the old state. A read the API did not
 *   affirm by a count may not empty a table or remove more than `maxFraction` of it
 *   (replace-guard.ts): it is refused, the old table and state kept, the load `partial`.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import type { TableRows } from "../../engine/table-rows.ts";
import type { ColumnType, State, StreamBookmark, SyncEvent, TableSchema, WriteMode } from "../../engine/types.ts";
import { Interrupted, RuntimeFailure } from "../../errors.ts";
import { type AnalyticsSummary, refreshAnalytics } from "./analytics.ts";
import { closeInterruptedLoads, type LoadRecord, REPLACE_MARK, saveState, startLoad, updateLoad } from "./bookkeeping.ts";
import { inOpenTransaction, inTransaction } from "./connection.ts";
import { MemoryBudget } from "./memory.ts";
import { type BatchContext, type TableCounts, type TableInfo, writesDirect, writeTables } from "./batch.ts";
import { ident, qualified } from "./sql.ts";
import { type Migration, upgradeTables } from "./retype.ts";
import { replaceLoss, replaceRefusal } from "./replace-guard.ts";
import { Stage } from "./stage.ts";
import { dataColumns, DELETED_AT, ensureTable, storedColumns, tableNames } from "./tables.ts";
import { DEFAULT_BATCH_ROWS, DEFAULT_BATCH_SECONDS, type LoadOptions, type LoadSummary, type StreamLoadSummary } from "./types.ts";
import type { Stamp } from "./writes.ts";

/** A new load id: UTC start time and a random suffix, e.g. `20240301T102030Z_3f9a1c`. */
export function newLoadId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+/, "");
  const random = Array.from(crypto.getRandomValues(new Uint8Array(3)), (b) => b.toString(16).padStart(2, "0")).join("");
  return `${stamp}_${random}`;
}

/** Drops `replace` staging tables of loads other than `keep` (left behind by a crash). */
export async function dropReplaceTables(connection: DuckDBConnection, schema: string, keep?: string): Promise<string[]> {
  const dropped: string[] = [];
  for (const name of await tableNames(connection, schema)) {
    const at = name.lastIndexOf(REPLACE_MARK);
    if (at <= 0 || (keep && name.endsWith(REPLACE_MARK + keep))) continue;
    await connection.run(`DROP TABLE IF EXISTS ${qualified(schema, name)}`);
    dropped.push(name);
  }
  return dropped;
}

function isEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The batch being gathered: a stream's pages staged in DuckDB, and the state after the last of them. */
interface PendingBatch {
  stream: string;
  stages: Map<TableInfo, Stage>;
  state: State;
  /** Top-level records. */
  records: number;
  /** When its first page came (performance.now()). */
  started: number;
  /** A batch appended straight into the stored tables (see batch.ts): its time, and the keys it holds per table. */
  direct: { stamp: Date; keys: Map<TableInfo, Set<unknown>> } | undefined;
}

/**
 * The key of every row of a page, per table with a primary key (a composite key as one string);
 * undefined when the page holds a key twice, or a row lacks a key value.
 */
function pageKeys(page: readonly [TableInfo, TableRows][]): Map<TableInfo, unknown[]> | undefined {
  const out = new Map<TableInfo, unknown[]>();
  for (const [info, rows] of page) {
    const key = info.schema.primaryKey;
    if (key.length === 0) continue;
    const columns = key.map((name) => rows.values[rows.columns.findIndex((c) => c.name === name)]);
    const list: unknown[] = [];
    for (let r = 0; r < rows.length; r++) {
      const parts = columns.map((column) => column?.[r]);
      if (parts.some((part) => part === null || part === undefined)) return undefined;
      list.push(parts.length === 1 ? parts[0] : parts.map((part) => `${typeof part}:${String(part)}`).join("\u0000"));
    }
    if (new Set(list).size !== list.length) return undefined;
    out.set(info, list);
  }
  return out;
}

/** True when a page's keys include one the batch already holds. */
function repeats(held: ReadonlyMap<TableInfo, ReadonlySet<unknown>>, keys: ReadonlyMap<TableInfo, readonly unknown[]>): boolean {
  for (const [info, list] of keys) {
    const known = held.get(info);
    if (known && list.some((key) => known.has(key))) return true;
  }
  return false;
}

/** True when a stored table holds any row. */
async function hasRows(connection: DuckDBConnection, table: string): Promise<boolean> {
  const reader = await connection.runAndReadAll(`SELECT EXISTS (SELECT 1 FROM ${table})`);
  return reader.getRows()[0]![0] === true;
}

/** Loads sync events into the tables of one schema. Create one per load. */
export class LoadRun {
  readonly loadId: string;
  readonly #tables = new Map<string, TableInfo>();
  readonly #streams: Record<string, StreamLoadSummary> = {};
  /** Top-level streams whose `stream-start` said full table. */
  readonly #fullTable = new Set<string>();
  /** Streams skipped (e.g. a child stream without its scope): never cascaded into. */
  readonly #skipped = new Set<string>();
  /** Full refresh: streams whose bookmark stays cleared until the engine moves it. */
  readonly #clearing = new Set<string>();
  /** State of a stream held back until its `replace` tables are swapped in. */
  readonly #held = new Map<string, State>();
  /** The batch being gathered: a stream's pages staged in DuckDB, and the state after the last of them. */
  #pending: PendingBatch | undefined;
  /** The time of the last batch (each gets a later one: a direct batch's rows are told apart by it). */
  #lastStamp = 0;
  #root: string | undefined;
  /** Why the load is partial: named streams skipped for a missing scope, replaces refused for want of proof. */
  readonly #incomplete: string[] = [];
  #state: State;
  readonly #initial: State;
  #stages = 0;
  /** Columns this load changed to their current type. */
  readonly #migrations: Migration[] = [];
  readonly #retyped = (migration: Migration) => this.#migrations.push(migration);
  readonly #started = new Date();
  #analytics: AnalyticsSummary | undefined;
  /** DuckDB's memory limit through the load: its append share while it only appends into tables that held no rows. */
  #memory!: MemoryBudget;

  constructor(
    readonly connection: DuckDBConnection,
    readonly schema: string,
    state: State,
    readonly options: LoadOptions = {},
    /** `duckdb_memory_limit`, which the load's memory budget shares out (undefined: DuckDB's own, left alone). */
    readonly memoryLimit?: string,
  ) {
    this.loadId = newLoadId(this.#started);
    this.#state = structuredClone(state);
    this.#initial = structuredClone(state);
  }

  /**
   * Consumes the events; records the load in `_loads`; rethrows a failure after recording it.
   * An interrupt (the source throws `Interrupted`) is not a failure: every batch before it is
   * committed, the load is recorded `interrupted` with those counts, and the summary says so.
   */
  async run(events: AsyncIterable<SyncEvent>): Promise<LoadSummary> {
    await closeInterruptedLoads(this.connection, this.schema);
    await dropReplaceTables(this.connection, this.schema);
    await startLoad(this.connection, this.schema, this.loadId, this.#started.toISOString(), this.options.metadata);
    this.#memory = await MemoryBudget.start(this.connection, this.schema, this.memoryLimit);
    try {
      await this.#upgrade();
      const iterator = events[Symbol.asyncIterator]();
      for (;;) {
        let next: IteratorResult<SyncEvent>;
        try {
          next = await iterator.next();
        } catch (error) {
          // The source failed: the pages gathered so far are complete, with the state after them.
          await this.#flush().catch(() => {});
          throw error;
        }
        if (next.done) break;
        await this.#handle(next.value);
      }
      await this.#flush();
      await this.#finish();
      this.#analytics = await refreshAnalytics(this.connection, this.schema);
    } catch (error) {
      await this.#abandon();
      const message = error instanceof Error ? error.message : String(error);
      const outcome = error instanceof Interrupted ? "interrupted" : "failed";
      for (const stream of Object.values(this.#streams)) if (stream.status === "running") stream.status = outcome;
      await dropReplaceTables(this.connection, this.schema).catch(() => {});
      // What was committed is queryable through the views too.
      this.#analytics ??= await refreshAnalytics(this.connection, this.schema).catch(() => undefined);
      if (outcome === "interrupted") return await this.#record(outcome, message);
      await this.#record(outcome, message).catch(() => {});
      throw error;
    } finally {
      await this.#memory.whole().catch(() => {});
    }
    const missing = this.#incomplete;
    return missing.length === 0 ? await this.#record("success") : await this.#record("partial", missing.join("; "));
  }

  /**
   * A file written by an earlier version: every stored column of the source's tables to its
   * current type, and the record of it in `_loads`, in one transaction.
   */
  async #upgrade(): Promise<void> {
    if (!this.options.tables) return;
    try {
      await inTransaction(this.connection, async () => {
        this.#migrations.push(...await upgradeTables(this.connection, this.schema, this.options.tables!));
        if (this.#migrations.length > 0) await this.#record("running");
      });
    } catch (error) {
      this.#migrations.length = 0; // rolled back
      throw new RuntimeFailure(`DuckDB: upgrading the tables of schema ${this.schema} to the current column types failed: ${(error as Error).message}`, { cause: error });
    }
  }

  async #handle(event: SyncEvent): Promise<void> {
    // A stream boundary ends the pending batch, and so does a schema change to a table the
    // batch has staged rows for (its stage has the old columns); a new table's schema does not,
    // unless the batch is direct (its transaction is open, and a schema change runs in its own).
    if (event.type !== "batch" && (event.type !== "schema" || this.#pending?.direct || this.#staged(event.table.name))) await this.#flush();
    switch (event.type) {
      case "stream-start":
        return await this.#streamStart(event.stream, event.incremental);
      case "schema":
        return await this.#schema(event.table);
      case "batch":
        return await this.#batch(event.stream, event.tables, event.state);
      case "stream-end": {
        const stream = this.#stream(event.stream);
        Object.assign(stream, { status: "success", records: event.records, requests: event.requests });
        for (const [name, child] of Object.entries(event.children ?? {})) {
          Object.assign(this.#stream(name), { status: "success", records: child.records, requests: child.requests, readWith: event.stream });
        }
        if (event.differences) stream.differences = event.differences;
        await this.#swapReplaced(event.stream, event.proof);
        for (const info of this.#tables.values()) if (info.root === event.stream) this.#clearing.delete(info.schema.stream);
        this.#clearing.delete(event.stream);
        await this.#record("running");
        return;
      }
      case "stream-skipped":
        if (event.fails) this.#incomplete.push(event.reason);
        this.#skipped.add(event.stream);
        Object.assign(this.#stream(event.stream), { status: "skipped", reason: event.reason });
        return await this.#abandonReplace(event.stream);
    }
  }

  #stream(name: string): StreamLoadSummary {
    return (this.#streams[name] ??= { status: "running", records: 0, requests: 0, rows: 0 });
  }

  async #streamStart(stream: string, incremental: boolean): Promise<void> {
    this.#root = stream;
    this.#stream(stream);
    if (!incremental) this.#fullTable.add(stream);
    if (!this.options.fullRefresh) return;
    this.#clearing.add(stream);
    if (this.#state.bookmarks[stream] !== undefined) {
      const cleared = structuredClone(this.#state);
      delete cleared.bookmarks[stream];
      await inTransaction(this.connection, () => saveState(this.connection, this.schema, cleared, this.loadId));
      this.#state = cleared;
    }
  }

  /** The top-level stream of a table: the running stream, else the top of its parent chain. */
  #rootOf(table: TableSchema): string {
    if (this.#root) return this.#root;
    const parent = table.parent && this.#tables.get(table.parent.table);
    return parent ? parent.root : table.stream;
  }

  /** The table and its ancestors (known in this load), nearest first. */
  #chain(table: TableSchema): TableSchema[] {
    const chain: TableSchema[] = [];
    for (let t: TableSchema | undefined = table; t && chain.length < 64; t = t.parent && this.#tables.get(t.parent.table)?.schema) chain.push(t);
    return chain;
  }

  #modeOf(table: TableSchema, root: string): WriteMode {
    const modes = this.options.writeModes ?? {};
    const chosen = modes[table.name] ?? modes[table.stream] ?? modes[root];
    if (chosen) return chosen;
    // A full-table read is complete for the top-level table and the tables it carries whole;
    // an incremental child (a cursor below the top) brings only its new rows.
    const belowTop = this.#chain(table).slice(0, -1);
    if (this.options.fullRefresh && this.#fullTable.has(root) && !belowTop.some((t) => t.cursor)) return "replace";
    return table.writeMode;
  }

  /**
   * A table's schema: an existing table is brought up to it at once (columns added, types
   * widened); a new one is created with its first rows, in their transaction, so tables
   * that never get rows are not created.
   */
  async #schema(table: TableSchema): Promise<void> {
    const known = this.#tables.get(table.name);
    if (this.options.fullRefresh && (!known || known.root === this.#root)) this.#clearing.add(table.stream);
    const info: TableInfo = known ?? this.#newInfo(table);
    info.schema = table;
    const exists = info.columns ?? await storedColumns(this.connection, this.schema, table.name);
    if (!exists) return;
    await inTransaction(this.connection, async () => {
      info.columns = await ensureTable(this.connection, this.schema, table, table.name, this.#retyped);
      if (info.replaceTable) await ensureTable(this.connection, this.schema, table, info.replaceTable);
    });
  }

  #newInfo(table: TableSchema): TableInfo {
    const root = this.#rootOf(table);
    const mode = this.#modeOf(table, root);
    const info: TableInfo = {
      schema: table,
      root,
      mode,
      summary: { stream: root, mode, rows: 0, inserted: 0, updated: 0, skipped: 0, removed: 0, rescued: 0 },
    };
    this.#tables.set(table.name, info);
    return info;
  }

  /** Where a table's rows go in this load. */
  async #physical(info: TableInfo): Promise<string> {
    info.columns ??= await ensureTable(this.connection, this.schema, info.schema, info.schema.name, this.#retyped);
    if (info.mode !== "replace") return info.schema.name;
    if (!info.replaceTable) {
      const name = `${info.schema.name}${REPLACE_MARK}${this.loadId}`;
      await this.connection.run(`CREATE TABLE ${qualified(this.schema, name)} AS SELECT * FROM ${qualified(this.schema, info.schema.name)} LIMIT 0`);
      info.replaceTable = name;
    }
    return info.replaceTable;
  }

  #depth(table: TableSchema): number {
    return this.#chain(table).length;
  }

  /** True when a `replace` of the stream has not been swapped in yet. */
  #replacing(root: string): boolean {
    for (const info of this.#tables.values()) if (info.root === root && info.mode === "replace") return true;
    return false;
  }

  /**
   * A page of a stream: its rows are appended to the pending batch's stage tables (only the
   * page is held in JS), and the batch is written once it holds `batchRows` top-level rows or
   * is `batchSeconds` old.
   */
  async #batch(stream: string, rows: Map<string, TableRows>, state: State): Promise<void> {
    if (this.#pending && this.#pending.stream !== stream) await this.#flush();
    const page: [TableInfo, TableRows][] = [];
    for (const [name, list] of rows) {
      if (list.length === 0) continue;
      const info = this.#tables.get(name);
      if (!info) throw new RuntimeFailure(`DuckDB: the batch of ${stream} has rows for table ${name}, which had no schema event`);
      page.push([info, list]);
    }
    // A page joins a pending staged batch whatever its keys: they are looked at only for a direct batch or a new one.
    const staged = this.#pending !== undefined && !this.#pending.direct;
    const keys = !staged && page.every(([info]) => writesDirect(info)) ? pageKeys(page) : undefined;
    // A direct batch holds each key once: a page that repeats one of its keys (a record read in two windows) starts the next batch.
    if (this.#pending?.direct && (!keys || repeats(this.#pending.direct.keys, keys))) await this.#flush();
    let pending = this.#pending;
    if (!pending) {
      const direct = keys && { stamp: this.#nextStamp(), keys: new Map<TableInfo, Set<unknown>>() };
      // A staged batch's temporary tables keep DuckDB's 256 KiB blocks: they get the whole limit.
      if (!direct) await this.#memory.whole();
      if (direct) await this.connection.run("BEGIN TRANSACTION");
      pending = this.#pending = { stream, stages: new Map(), state, records: 0, started: performance.now(), direct };
    }
    if (pending.direct && keys) {
      for (const [info, list] of keys) {
        const known = pending.direct.keys.get(info);
        if (known) for (const key of list) known.add(key);
        else pending.direct.keys.set(info, new Set(list));
      }
    }
    for (const [info, list] of page) {
      let stage = pending.stages.get(info);
      if (!stage) {
        const physical = await this.#physical(info);
        if (pending.direct) {
          info.holdsRows ??= await hasRows(this.connection, qualified(this.schema, physical));
          const columns = [...info.columns!];
          const archived = info.schema.archived && info.columns!.has(info.schema.archived) ? info.schema.archived : undefined;
          stage = await Stage.direct(this.connection, this.schema, physical, info.schema.name, columns, { extractedAt: pending.direct.stamp, loadId: this.loadId, archived });
        } else {
          const columns = dataColumns(info.columns!).map((c): [string, ColumnType] => [c, info.columns!.get(c)!]);
          stage = await Stage.create(this.connection, `__stage_${++this.#stages}`, qualified(this.schema, physical), info.schema.name, columns);
        }
        pending.stages.set(info, stage);
      }
      stage.append(list);
    }
    pending.state = state;
    pending.records += rows.get(stream)?.length ?? 0;
    const { batchRows = DEFAULT_BATCH_ROWS, batchSeconds = DEFAULT_BATCH_SECONDS } = this.options;
    if (pending.records >= batchRows || performance.now() - pending.started >= batchSeconds * 1000) await this.#flush();
  }

  /** A batch's time: now, or a millisecond after the last one's. */
  #nextStamp(): Date {
    this.#lastStamp = Math.max(Date.now(), this.#lastStamp + 1);
    return new Date(this.#lastStamp);
  }

  /** Writes the pending batch and its state in one transaction (a direct batch's, open since its first page). */
  async #flush(): Promise<void> {
    const pending = this.#pending;
    if (!pending) return;
    this.#pending = undefined;
    const { stream, stages } = pending;
    const stamp: Stamp = { extractedAt: (pending.direct?.stamp ?? this.#nextStamp()).toISOString(), loadId: this.loadId };
    const present = [...stages.keys()].sort((a, b) => this.#depth(a.schema) - this.#depth(b.schema));
    const stored = this.#stateToStore(pending.state);
    const hold = this.#replacing(stream);
    const context: BatchContext = {
      connection: this.connection,
      schema: this.schema,
      stamp,
      physical: (info) => this.#physical(info),
      cascadePaths: (info) => this.#cascadePaths(info),
      family: [...(this.options.tables ?? []), ...[...this.#tables.values()].map((i) => i.schema)],
    };
    let counts = new Map<TableInfo, TableCounts>();
    const write = async () => {
      counts = await writeTables(context, present, stages);
      if (hold) this.#held.set(stream, stored);
      else await saveState(this.connection, this.schema, stored, this.loadId);
    };
    try {
      if (pending.direct) await inOpenTransaction(this.connection, write);
      else await inTransaction(this.connection, write);
    } finally {
      for (const stage of stages.values()) await stage.drop();
    }
    for (const [info, stage] of stages) if (stage.rows > 0) info.holdsRows = true;
    if (!hold) this.#state = stored;
    let written = 0;
    for (const [info, count] of counts) {
      const s = info.summary;
      s.rows += count.rows;
      s.inserted += count.inserted;
      s.updated += count.updated;
      s.skipped += count.skipped;
      s.removed += count.removed;
      s.rescued += count.rescued;
      written += count.rows;
    }
    this.#stream(stream).rows += written;
    this.options.onBatch?.({ stream, rows: written, state: stored, direct: pending.direct !== undefined });
  }

  /** True when the pending batch has rows staged for the table. */
  #staged(table: string): boolean {
    const info = this.#tables.get(table);
    return info !== undefined && this.#pending?.stages.has(info) === true;
  }

  /** Abandons the pending batch (its rows are read again from the stored state). */
  async #abandon(): Promise<void> {
    const pending = this.#pending;
    this.#pending = undefined;
    for (const stage of pending?.stages.values() ?? []) await stage.drop().catch(() => {});
    if (pending?.direct) await this.connection.run("ROLLBACK").catch(() => {});
  }

  /** The state to store for a batch: a full refresh keeps the bookmarks of the streams it re-reads cleared until they move. */
  #stateToStore(state: State): State {
    if (this.#clearing.size === 0) return state;
    const out = structuredClone(state);
    for (const name of this.#clearing) {
      const bookmark: StreamBookmark | undefined = out.bookmarks[name];
      if (bookmark === undefined) continue;
      if (isEqual(bookmark, this.#initial.bookmarks[name])) delete out.bookmarks[name];
      else this.#clearing.delete(name);
    }
    return out;
  }

  /**
   * Paths (parent's children first) from a merged table down to each descendant whose rows
   * are replaced with it: same mode, a primary key, no cursor of its own (an incremental
   * child brings only its new rows) and not skipped. Deepest first, so that the tables in
   * between still hold the rows that lead to them.
   */
  #cascadePaths(root: TableInfo): TableInfo[][] {
    const paths: TableInfo[][] = [];
    const visit = (parent: TableInfo, path: TableInfo[]) => {
      for (const child of this.#tables.values()) {
        if (child.schema.parent?.table !== parent.schema.name || path.includes(child)) continue;
        if (child.mode !== root.mode || child.schema.primaryKey.length === 0 || child.schema.cursor) continue;
        if (this.#skipped.has(child.schema.stream) || child.root !== root.root || !child.columns) continue;
        const next = [...path, child];
        paths.push(next);
        visit(child, next);
      }
    };
    visit(root, []);
    return paths.sort((a, b) => b.length - a.length);
  }

  /**
   * Swaps a stream's `replace` tables in, with the state held back for them, in one
   * transaction — unless nothing affirmed the read (`proof`) and it would empty a table or
   * remove more of it than allowed: then the swap is refused (see replace-guard.ts).
   */
  async #swapReplaced(stream: string, proof: string | undefined): Promise<void> {
    const all = [...this.#tables.values()].filter((i) => i.root === stream && i.mode === "replace");
    if (all.length === 0) return;
    // Tables never created (no rows, now or before) have nothing to replace; a skipped child stream keeps its table.
    const replaced = all.filter((i) => i.columns && !this.#skipped.has(i.schema.stream));
    if (proof === undefined && !this.options.force) {
      for (const info of replaced) {
        const loss = await replaceLoss(this.connection, this.schema, info.schema.name, info.replaceTable, info.schema.primaryKey, info.columns!.has(DELETED_AT));
        const refusal = replaceRefusal(stream, loss, this.options.maxFraction ?? 1);
        if (refusal === undefined) continue;
        this.#incomplete.push(refusal);
        Object.assign(this.#stream(stream), { status: "failed", reason: refusal });
        // Nothing of the read is kept.
        for (const table of all) Object.assign(table.summary, { inserted: 0, updated: 0, removed: 0 });
        return await this.#abandonReplace(stream);
      }
    }
    const held = this.#held.get(stream);
    await inTransaction(this.connection, async () => {
      for (const info of all) {
        if (!replaced.includes(info)) {
          if (info.replaceTable) await this.connection.run(`DROP TABLE IF EXISTS ${qualified(this.schema, info.replaceTable)}`);
          continue;
        }
        const staging = await this.#physical(info);
        await this.connection.run(`DROP TABLE ${qualified(this.schema, info.schema.name)}`);
        await this.connection.run(`ALTER TABLE ${qualified(this.schema, staging)} RENAME TO ${ident(info.schema.name)}`);
      }
      if (held) await saveState(this.connection, this.schema, held, this.loadId);
    });
    if (held) this.#state = held;
    this.#held.delete(stream);
    for (const info of all) {
      info.replaceTable = undefined;
      info.holdsRows = undefined; // its rows are now where the stored table was
      // Rows after the swap (none are expected) go in by the table's own mode (the registry's).
      info.mode = info.schema.writeMode;
    }
  }

  /** A skipped stream (or a refused replace) keeps its old tables and state: its `replace` staging tables are dropped. */
  async #abandonReplace(stream: string): Promise<void> {
    this.#held.delete(stream);
    for (const info of this.#tables.values()) {
      if (info.root !== stream || info.mode !== "replace") continue;
      if (info.replaceTable) await this.connection.run(`DROP TABLE IF EXISTS ${qualified(this.schema, info.replaceTable)}`);
      info.replaceTable = undefined;
      info.holdsRows = undefined; // written next into the stored table, which is asked again
      info.mode = info.schema.writeMode;
    }
  }

  /** End of the events: swap in what ended without a `stream-end` (unless skipped), drop what is left. */
  async #finish(): Promise<void> {
    const roots = new Set([...this.#tables.values()].filter((i) => i.mode === "replace").map((i) => i.root));
    // No `stream-end`, so no proof of the read.
    for (const root of roots) if (!this.#skipped.has(root)) await this.#swapReplaced(root, undefined);
    await dropReplaceTables(this.connection, this.schema);
  }

  async #record(status: LoadRecord["status"], error?: string): Promise<LoadSummary> {
    const ended = new Date();
    const tables = Object.fromEntries([...this.#tables.values()].map((i) => [i.schema.name, i.summary]));
    const rows = Object.fromEntries([...this.#tables.values()].map((i) => [i.schema.name, i.summary.inserted + i.summary.updated]));
    const total = Object.values(rows).reduce((a, b) => a + b, 0);
    const requests = this.options.requests?.() ?? Object.values(this.#streams).reduce((n, s) => n + (s.readWith ? 0 : s.requests), 0);
    const migrations = this.#migrations;
    await updateLoad(this.connection, this.schema, this.loadId, { status, streams: this.#streams, tables, rows: total, requests, migrations, error }, status === "running" ? undefined : ended.toISOString());
    return {
      loadId: this.loadId,
      schema: this.schema,
      status: status === "running" ? "success" : status,
      startedAt: this.#started.toISOString(),
      endedAt: ended.toISOString(),
      durationMs: ended.getTime() - this.#started.getTime(),
      rows,
      tables,
      streams: this.#streams,
      rescued: Object.values(tables).reduce((n, t) => n + t.rescued, 0),
      migrations: [...migrations],
      requests,
      state: this.#state,
      analytics: this.#analytics,
      ...(this.#memory.appendLimit !== undefined && { appendMemoryLimit: this.#memory.appendLimit }),
      error,
    };
  }
}
