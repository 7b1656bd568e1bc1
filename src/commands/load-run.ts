/** A load into DuckDB, shared by `load` and `demo`: sync events → destination, optional delete sweep, summary. */
import type { Config } from "../config/load.ts";
import { type AnalyticsSummary, APPEND_SHARE, DuckDBDestination, type LoadSummary } from "../destinations/duckdb/index.ts";
import type { DeleteGuard } from "../destinations/duckdb/deletes.ts";
import { RuntimeFailure } from "../errors.ts";
import { bindState, checkStoreIdentity } from "../engine/identity.ts";
import { canReconcile, liveKeys } from "../engine/reconcile.ts";
import { findStream, isRoot, rootStreamOf } from "../engine/registry.ts";
import { sweepArchived, sweepable } from "../engine/archive-sweep.ts";
import { upgradeState } from "../engine/state.ts";
import { planStream, tablesOf } from "../engine/schema.ts";
import { childrenSummary, clientFor, plannedTables, type Selection, sync } from "../engine/sync.ts";
import type { WriteMode } from "../engine/types.ts";
import type { ClientOptions } from "../engine/http.ts";
import { InterruptGuard } from "../interrupt.ts";
import { canRedraw, Progress } from "../progress.ts";
import { type Logger, redact, writeFailure } from "../log.ts";
import { counted } from "../plural.ts";
import { boundHeap } from "../heap-bound.ts";
import { registry } from "../../streams/index.ts";

/** What to load. */
export interface LoadRequest {
  config: Config;
  selection: Selection;
  path: string;
  schema: string;
  fullRefresh?: boolean;
  writeModes?: Record<string, WriteMode>;
  reconcileDeletes?: boolean;
  /**
   * Let the delete sweep mark more than `reconcile_max_fraction` of a table (or all of it), and a `replace`
   * the API did not affirm by a count remove that much (see the destination's `LoadOptions.force`).
   */
  force?: boolean;
  log: Logger;
  clientOptions?: Partial<ClientOptions>;
  /** Interrupts the load (SIGINT/SIGTERM): requests in flight are aborted, what was read stays committed. */
  signal?: AbortSignal;
  /** Shows the load's progress, retries and waits. */
  progress?: Progress;
}

/** The result: the destination's summary plus what the delete sweep marked. */
export interface LoadResult extends LoadSummary {
  deleted: Record<string, number>;
  seconds: number;
  /** 429 responses met (and waited out). */
  throttled: number;
}

/** Checks the selection (table limit) before the file is touched, then loads. */
export async function runLoad(request: LoadRequest): Promise<LoadResult> {
  plannedTables(request.config, request.selection);
  const started = performance.now();
  const client = clientFor(request.config, { ...request.clientOptions, ...request.progress?.clientHooks(), signal: request.signal });
  if (request.progress) request.progress.requests = () => client.requests;
  // The store identity check comes before the file is opened: a wrong store or token writes nothing.
  const identity = await checkStoreIdentity(client, request.config);
  const { config } = request;
  const destination = await DuckDBDestination.open(request.path, request.schema, { memoryLimit: config.duckdb_memory_limit, threads: config.duckdb_threads });
  // The JavaScript heap is held near what is live while the load runs (see heap-bound.ts).
  const heap = boundHeap();
  try {
    // A first-release state gives its child streams their parent's bookmark only where their tables exist.
    const tables = await destination.tables();
    const state = upgradeState(await destination.readState(), registry, (stream) => tables.has(stream));
    // One schema, one store: another store's load stops here, before `_loads` records anything.
    bindState(state, request.config, identity, `schema '${request.schema}' of ${request.path}`, "load this store into a schema of its own with --schema NAME");
    const events = sync({ config: request.config, selection: fullReadsForReplace(request.selection, request.writeModes), state, fullRefresh: request.fullRefresh, client, log: request.log, identity });
    const tracked = request.progress ? request.progress.track(events) : events;
    const family = registry.flatMap((stream) => tablesOf(planStream(stream, { maxNestingDepth: request.config.max_nesting_depth })));
    const summary = await outOfMemoryNamed(config.duckdb_memory_limit, () => destination.load(logged(tracked, request.log), {
      tables: family,
      writeModes: request.writeModes,
      fullRefresh: request.fullRefresh,
      maxFraction: config.reconcile_max_fraction,
      force: request.force,
      requests: () => client.requests,
      batchRows: config.batch_rows,
      batchSeconds: config.batch_seconds,
      onBatch: ({ stream, rows, direct }) =>
        request.log.debug(`committed a batch of ${stream}: ${counted(rows, "row")} with its state (${direct ? "appended to the tables" : "staged, then written"})`, { stream, rows, direct }),
    }));
    if (summary.appendMemoryLimit !== undefined) {
      request.log.debug(`DuckDB ran at memory_limit ${summary.appendMemoryLimit} (${APPEND_SHARE * 100}% of duckdb_memory_limit ${config.duckdb_memory_limit}) while this load appended into tables that held no rows`);
    }
    const deleted: Record<string, number> = {};
    // Archived records an incremental read cannot see (their cursor did not move): the rows held against the count.
    for (const name of request.selection.streams) {
      const stream = findStream(registry, name)!;
      const incremental = state.bookmarks[name] !== undefined && !request.fullRefresh && !request.selection.fullTable?.has(name);
      if (!isRoot(stream) || !sweepable(stream) || !incremental || summary.streams[name]?.status !== "success") continue;
      const table = family.find((t) => t.name === name)!;
      const held = destination.heldIds(table, stream.count.groups?.field);
      const swept = await sweepArchived(client, stream, request.config, held);
      const marked = await destination.markArchived(table, swept.gone, family);
      if (marked > 0) deleted[name] = marked;
      request.log(
        `archived ${name}: ${counted(swept.held, "live id")} held, ${swept.counted} counted by the API` +
          (swept.gone.length > 0 ? `; ${swept.gone.length} no longer listed (archived), marked deleted with their children` : "") +
          ` (${counted(swept.requests, "request")})`,
      );
    }
    if (request.reconcileDeletes && summary.status === "success") {
      for (const name of request.selection.streams) {
        const stream = findStream(registry, name)!;
        if (!canReconcile(stream) || summary.streams[name]?.status !== "success") continue;
        const guard = request.force ? undefined : reconcileGuard(name, request.config.reconcile_max_fraction);
        deleted[name] = await destination.markDeleted(name, stream.primaryKey, await liveKeys(client, stream, request.config), guard, family);
        request.log(`reconcile ${name}: ${counted(deleted[name], "row")} marked deleted`);
      }
    }
    return { ...summary, deleted, requests: client.requests, throttled: client.throttled, seconds: (performance.now() - started) / 1000 };
  } finally {
    heap.stop();
    destination.close();
  }
}

/**
 * A load run by a command: SIGINT/SIGTERM interrupt it (what was read is committed, the load
 * is recorded `interrupted`); prints the summary (and a query hint, or the interrupt);
 * resolves to the exit code.
 */
export async function runLoadCommand(request: Omit<LoadRequest, "signal" | "progress">, progressSeconds: number): Promise<number> {
  const guard = new InterruptGuard();
  const progress = new Progress({ intervalSeconds: progressSeconds, inPlace: canRedraw(), maxRetries: request.config.max_retries });
  let result: LoadResult;
  try {
    result = await runLoad({ ...request, signal: guard.signal, progress });
  } finally {
    progress.stop();
    guard.dispose();
  }
  process.stdout.write(redact(summaryTable(result)));
  const interrupted = guard.interrupted;
  if (result.status === "interrupted" && interrupted) {
    const rows = Object.values(result.rows).reduce((a, b) => a + b, 0);
    writeFailure(`interrupted: ${counted(rows, "row")} committed; run again to resume`, { exit_code: interrupted.exitCode, rows, load_id: result.loadId });
    return interrupted.exitCode;
  }
  if (result.status === "partial") {
    writeFailure(`partial load: ${result.error}`, { exit_code: 1, load_id: result.loadId });
    return 1;
  }
  process.stdout.write(queryHint(request.path, result));
  return 0;
}

/**
 * `replace` swaps a stream's tables for what this load read, so that read must be whole: a
 * stream (or a child stream) in replace mode makes its top-level stream read in full, not
 * from its bookmark.
 */
function fullReadsForReplace(selection: Selection, writeModes: Record<string, WriteMode> = {}): Selection {
  const roots = Object.entries(writeModes)
    .filter(([, mode]) => mode === "replace")
    .map(([name]) => rootStreamOf(registry, name))
    .filter((root) => root?.cursor !== undefined)
    .map((root) => root!.name);
  if (roots.length === 0) return selection;
  return { ...selection, fullTable: new Set([...(selection.fullTable ?? []), ...roots]) };
}

/** The delete sweep's proof: an empty list of keys, or more than `maxFraction` of a table gone, is refused (exit 1, nothing marked). */
function reconcileGuard(stream: string, maxFraction: number): DeleteGuard {
  return ({ live, rows, marking }) => {
    const refuse = (why: string) => {
      throw new RuntimeFailure(`reconcile ${stream}: ${why}; nothing was marked. If the store really lost them, run again with --force`);
    };
    if (live === 0 && rows > 0) refuse(`the store listed no ${stream} at all, so all ${counted(rows, "row")} would be marked deleted`);
    if (rows > 0 && marking / rows > maxFraction) {
      refuse(`${marking} of ${counted(rows, "row")} (${Math.round((marking / rows) * 100)}%) would be marked deleted, more than reconcile_max_fraction ${maxFraction}`);
    }
  };
}

async function* logged<T extends { type: string; stream?: string }>(events: AsyncIterable<T>, log: Logger): AsyncGenerator<T> {
  for await (const event of events) {
    const e = event as unknown as {
      type: string;
      stream: string;
      records?: number;
      requests?: number;
      reason?: string;
      since?: string;
      incremental?: boolean;
      children?: Record<string, { records: number; requests: number }>;
      peakHeld?: number;
    };
    if (e.type === "stream-start") log(`load ${e.stream}: ${e.incremental ? `incremental since ${e.since ?? "the beginning"}` : "full table"}`);
    if (e.type === "stream-end") {
      log(`load ${e.stream}: ${counted(e.records ?? 0, "record")}, ${counted(e.requests ?? 0, "request")}${childrenSummary(e.children)}`);
      if (e.peakHeld !== undefined) log.debug(`${e.stream}: at most ${counted(e.peakHeld, "record")} held between reading and writing`, { stream: e.stream, peak_held: e.peakHeld });
    }
    if (e.type === "stream-skipped") log(`warning: ${e.reason}`);
    yield event;
  }
}

/** The summary as a text table: one line per table with its rows, then the streams' requests and the totals. */
export function summaryTable(result: LoadResult): string {
  const all = Object.entries(result.rows).sort(([a], [b]) => a.localeCompare(b));
  const tables = all.filter(([, rows]) => rows > 0);
  const width = Math.max(12, ...tables.map(([t]) => t.length));
  // Values kept in `_rescued`, per table, when there are any.
  const rescued = (table: string) => result.tables[table]?.rescued ?? 0;
  const rescueColumn = tables.some(([t]) => rescued(t) > 0);
  const extra = (table: string) => (rescueColumn ? `  ${String(rescued(table)).padStart(8)}` : "");
  const lines = [
    `${"table".padEnd(width)}  ${"rows".padStart(8)}${rescueColumn ? `  ${"rescued".padStart(8)}` : ""}`,
    `${"-".repeat(width)}  ${"-".repeat(8)}${rescueColumn ? `  ${"-".repeat(8)}` : ""}`,
  ];
  for (const [table, rows] of tables) lines.push(`${table.padEnd(width)}  ${String(rows).padStart(8)}${extra(table)}`);
  const total = tables.reduce((n, [, rows]) => n + rows, 0);
  if (all.length > tables.length) lines.push(`(${counted(all.length - tables.length, "child table")} with no rows this time)`);
  lines.push(`${"-".repeat(width)}  ${"-".repeat(8)}`, `${"total".padEnd(width)}  ${String(total).padStart(8)}`, "");
  const streams = Object.entries(result.streams);
  for (const [name, s] of streams) {
    lines.push(`${name.padEnd(width)}  ${s.status === "success" ? `${counted(s.records, "record")}, ${counted(s.requests, "request")}` : `${s.status}${s.reason ? `: ${s.reason}` : ""}`}`);
    for (const difference of s.differences ?? []) lines.push(`${"".padEnd(width)}  note: ${difference}`);
  }
  for (const [name, n] of Object.entries(result.deleted)) lines.push(`${name.padEnd(width)}  ${counted(n, "row")} marked deleted`);
  if (result.analytics) lines.push("", analyticsLine(result.analytics));
  if (result.migrations.length > 0) {
    const moved = result.migrations.reduce((n, m) => n + m.rescued, 0);
    lines.push(
      "",
      `upgraded ${counted(result.migrations.length, "column")} of ${counted(new Set(result.migrations.map((m) => m.table)).size, "table")} to their current types` +
        ` (${counted(moved, "value")} that did not fit moved to _rescued; see _loads.migrations)`,
    );
  }
  lines.push(
    "",
    `${counted(total, "row")} in ${counted(tables.length, "table")}, ${counted(result.requests, "API request")}, ${result.seconds.toFixed(1)} s` +
      (result.rescued ? `, ${counted(result.rescued, "value")} kept in _rescued` : "") + ` (load ${result.loadId}, schema ${result.schema})`,
  );
  return lines.join("\n") + "\n";
}

/** One line about the analytics views: where, in which time zone, and which sources were not loaded. */
function analyticsLine(analytics: AnalyticsSummary): string {
  const notes = [analytics.note ?? `dates in the store's time zone, ${analytics.timezone}`];
  if (analytics.missing.length > 0) notes.push(`read as empty, not in the file: ${analytics.missing.join(", ")}`);
  return `analytics views in ${analytics.schema} (${notes.join("; ")}); see docs/analytics.md`;
}

/** A shell word: quoted when it holds anything but plain path characters. */
function shellWord(value: string): string {
  return /^[\w./@%+=:,-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/** The "Query it" hint printed after a load: the bundled `sql` command on the file just written. */
export function queryHint(path: string, result: LoadResult): string {
  const query = result.analytics
    ? `select * from ${result.analytics.schema}.daily_sales order by day desc limit 7`
    : `select table_name from information_schema.tables where table_schema = '${result.schema}'`;
  return `\nQuery it: npx tap-bigcommerce sql --duckdb ${shellWord(path)} "${query}"\n` +
    `(or just: npx tap-bigcommerce sql --duckdb ${shellWord(path)} for a prompt)\n`;
}

/**
 * Runs `work`; DuckDB's out-of-memory error (which names its own SQL settings) becomes a runtime failure naming
 * ours, what to change, and that the batches committed before it stay.
 */
async function outOfMemoryNamed<T>(memoryLimit: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (!/could not allocate block|Out of Memory/i.test(message)) throw error;
    throw new RuntimeFailure(
      `DuckDB ran out of memory within duckdb_memory_limit (${memoryLimit}; a load into tables that hold no rows runs DuckDB at ` +
        `${APPEND_SHARE * 100}% of it) while writing a batch: raise duckdb_memory_limit ` +
        `(e.g. 1GB), or lower batch_rows or duckdb_threads. Batches committed before it are kept; the next load resumes ` +
        `from them. (DuckDB: ${message.split("\n")[0]})`,
      { cause: error },
    );
  }
}
