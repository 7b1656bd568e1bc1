/** Options and results of a DuckDB load. */
import type { State, TableSchema, WriteMode } from "../../engine/types.ts";
import type { AnalyticsSummary } from "./analytics.ts";
import type { Migration } from "./retype.ts";

/** The schema tables go into unless told otherwise. */
export const DEFAULT_SCHEMA = "bigcommerce";

/** Top-level rows a batch (one transaction) gathers before it is written, unless told otherwise. */
export const DEFAULT_BATCH_ROWS = 10_000;
/** Seconds a batch gathers pages before it is written, unless told otherwise. */
export const DEFAULT_BATCH_SECONDS = 10;

/** How a load behaves. */
export interface LoadOptions {
  /**
   * A batch (one transaction: rows and the state after them) is written once it holds this
   * many rows of its top-level stream (default `DEFAULT_BATCH_ROWS`)…
   */
  batchRows?: number;
  /** …or once it is this many seconds old (default `DEFAULT_BATCH_SECONDS`), whichever comes first. */
  batchSeconds?: number;
  /** Write mode per table or stream name (table name first, then its stream, then its top-level stream), over the tables' defaults. */
  writeModes?: Record<string, WriteMode>;
  /**
   * A full refresh: each synced stream's stored bookmark is cleared when the stream starts
   * (and kept cleared until the engine moves it), so an interrupted refresh resumes as a
   * refresh; the tables of a stream read in full (its `stream-start` says not incremental)
   * are replaced rather than merged, except an incremental child's (a cursor below the
   * top-level table) and the tables under it. Tables of incremental streams keep their mode:
   * a refresh re-reads them only from `start_date`.
   */
  fullRefresh?: boolean;
  /**
   * A `replace` (asked, or a full refresh's) of a stream whose read the API did not affirm by
   * a count (`stream-end` without `proof`) is refused when it would empty a table that holds
   * rows or remove more than this share of its rows (the CLI passes `reconcile_max_fraction`;
   * default 1: only a read that would empty a table is refused)…
   */
  maxFraction?: number;
  /** …unless forced (`--force`). */
  force?: boolean;
  /** Total API requests so far (e.g. `() => client.requests`), recorded in `_loads.requests`; default: the sum of the streams'. */
  requests?: () => number;
  /** Anything worth keeping with the load (tap version, selection…), stored as `_loads.metadata`. Never secrets. */
  metadata?: Record<string, unknown>;
  /**
   * Every table the source defines, with its current column types: stored tables written by
   * an earlier version get these types before anything is written (one transaction, recorded
   * in `_loads.migrations`). Tables only met in the events are brought up to date when met.
   */
  tables?: readonly TableSchema[];
  /** Told after each committed batch (`direct`: appended straight to the stored tables, see batch.ts). */
  onBatch?: (info: { stream: string; rows: number; state: State; direct: boolean }) => void;
}

/** Per table, what a load wrote. */
export interface TableLoadSummary {
  /** Top-level stream whose sync produced the table. */
  stream: string;
  mode: WriteMode;
  /** Rows received. */
  rows: number;
  /** Rows whose key was not stored before. */
  inserted: number;
  /** Stored rows replaced by a newer version with the same key (merge). */
  updated: number;
  /** Rows not written: a version already stored (append), or an earlier duplicate key in the same batch. */
  skipped: number;
  /** Stale child rows removed because their parent was merged without them. */
  removed: number;
  /** Values kept in `_rescued` (fields that did not fit their column, or had none). */
  rescued: number;
}

/** Per stream, what a load did. */
export interface StreamLoadSummary {
  status: "running" | "success" | "skipped" | "failed" | "interrupted";
  /** Records read (from the engine's `stream-end`). */
  records: number;
  /** Requests made for it (a parent's include its children's). */
  requests: number;
  /** For a child stream: the stream it was read with (its requests are part of that stream's). */
  readWith?: string;
  /** Rows stored, over all the stream's tables. */
  rows: number;
  reason?: string;
  /** Known differences between the list and the API's count (see the engine's `stream-end`). */
  differences?: string[];
}

/** What a load did. */
export interface LoadSummary {
  loadId: string;
  schema: string;
  /** `interrupted`: stopped by SIGINT/SIGTERM after committing what was read (counts below). */
  /**
   * `partial`: every stream was committed except those the user named that the token lacks the scope for,
   * and those whose `replace` was refused for want of proof (`error` names them).
   */
  status: "success" | "partial" | "failed" | "interrupted";
  startedAt: string;
  endedAt: string;
  durationMs: number;
  /** Rows written (inserted + updated) per table. */
  rows: Record<string, number>;
  tables: Record<string, TableLoadSummary>;
  streams: Record<string, StreamLoadSummary>;
  /** Values kept in `_rescued`, over all tables. */
  rescued: number;
  /** Columns changed to their current type (a file written by an earlier version). */
  migrations: Migration[];
  requests: number;
  /** The state stored at the end. */
  state: State;
  /** The analytics views refreshed at the end (absent when the refresh did not happen). */
  analytics?: AnalyticsSummary;
  /**
   * DuckDB's `memory_limit` while the load appended into tables that held no rows, as DuckDB reads it
   * (e.g. `91.5 MiB`: `APPEND_SHARE` of the limit); absent when the load ran with the whole limit.
   */
  appendMemoryLimit?: string;
  error?: string;
}
