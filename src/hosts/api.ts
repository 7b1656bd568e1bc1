/**
 * The TypeScript API for dlt-style hosts: the streams with their hints, and async iteration
 * over record batches with state in and out.
 *
 * ```ts
 * import { createSource } from "tap-bigcommerce";
 * const source = createSource({ store_hash: "abc123", access_token: "…", start_date: "2024-01-01T00:00:00Z" });
 * for await (const batch of source.batches({ streams: ["orders", "order_products"], state })) {
 *   await store(batch.tables);   // rows per table
 *   state = batch.state;         // durable once the rows are
 * }
 * ```
 */
import { validateConfig } from "../config/load.ts";
import { defaultSelection, discover, selectionOf } from "../engine/catalog.ts";
import type { ClientOptions } from "../engine/http.ts";
import { childrenOf } from "../engine/registry.ts";
import { planStream, tablesOf } from "../engine/schema.ts";
import { type Selection, sync } from "../engine/sync.ts";
import type { Row, State, SyncEvent, TableSchema, WriteMode } from "../engine/types.ts";
import { registry } from "../../streams/index.ts";

/** A stream with the hints a loader needs (dlt's primary_key, incremental cursor, write_disposition, parent). */
export interface StreamInfo {
  name: string;
  description: string;
  primaryKey: string[];
  /** Incremental cursor field, when the stream has one. */
  cursor?: string;
  writeDisposition: WriteMode;
  /** The stream this one is read with, for child streams. */
  parent?: string;
  /** Child streams read with this one. */
  children: string[];
  /** The tables a sync of this stream writes (its own, then split child tables). */
  tables: TableSchema[];
  selectedByDefault: boolean;
  oauthScope: string;
}

/** One page of a stream: rows per table and the state that is true once they are stored. */
export interface RecordBatch {
  stream: string;
  tables: Map<string, Row[]>;
  state: State;
  /** Rows that kept misfit values in `_rescued`. */
  rescued: number;
}

/** What to read. */
export interface ReadOptions {
  /** Stream names (default: those selected by default). */
  streams?: string[];
  state?: State;
  fullRefresh?: boolean;
  signal?: AbortSignal;
  log?: (message: string) => void;
}

/** A configured BigCommerce source. */
export interface Source {
  /** Every stream, with hints. */
  streams: StreamInfo[];
  /** The Singer catalog (`--discover`). */
  catalog(): ReturnType<typeof discover>;
  /** Async iteration over record batches, one per page of a stream. */
  batches(options?: ReadOptions): AsyncGenerator<RecordBatch>;
  /** The raw engine events (schema, batch, stream-start/end/skipped), for destinations. */
  events(options?: ReadOptions): AsyncGenerator<SyncEvent>;
}

/** Creates a source from a config object (validated like the CLI's config files). */
export function createSource(config: Record<string, unknown>, clientOptions: Partial<ClientOptions> = {}): Source {
  const valid = validateConfig(config);
  const depth = { maxNestingDepth: valid.max_nesting_depth };
  const streams: StreamInfo[] = registry.map((s) => ({
    name: s.name,
    description: s.description,
    primaryKey: [...s.primaryKey],
    cursor: s.cursor?.field,
    writeDisposition: s.writeMode,
    parent: s.parent?.stream,
    children: childrenOf(registry, s.name).map((c) => c.name),
    tables: tablesOf(planStream(s, depth)),
    selectedByDefault: s.selectedByDefault,
    oauthScope: s.scope,
  }));
  const selectionFor = (options: ReadOptions): Selection => options.streams ? selectionOf(options.streams) : defaultSelection();
  const events = (options: ReadOptions = {}) => {
    return sync({ config: valid, selection: selectionFor(options), state: options.state, fullRefresh: options.fullRefresh, log: options.log, clientOptions });
  };
  return {
    streams,
    catalog: () => discover(valid),
    events,
    async *batches(options: ReadOptions = {}) {
      for await (const event of events(options)) {
        options.signal?.throwIfAborted();
        if (event.type === "batch") yield { stream: event.stream, tables: event.rows, state: event.state, rescued: event.rescued };
      }
    },
  };
}
