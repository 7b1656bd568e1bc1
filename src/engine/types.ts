/**
 * The shapes every part of tap-bigcommerce agrees on: stream definitions (the
 * registry in `streams/`), table schemas (what discovery derives from them), sync
 * events (what the engine yields to hosts and destinations) and state.
 *
 * Data flows one way: registry → engine → host/destination.
 */
import type { TableRows } from "./table-rows.ts";

/** A JSON Schema fragment, as derived from BigCommerce's OpenAPI descriptions. */
export interface JsonSchema {
  type?: string | string[];
  format?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  additionalProperties?: boolean | JsonSchema;
  [key: string]: unknown;
}

/** How a list endpoint pages. */
export type PaginationStyle =
  /** v2: `page`/`limit`, a bare JSON array, `204 No Content` (or `[]`, or a short page) at the end. */
  | "v2-page"
  /** v2: keyset on `min_id` (coupons): ask for ids above the last one seen. */
  | "v2-keyset"
  /** v3: `page`/`limit` with the `{data, meta.pagination}` envelope. */
  | "v3-offset"
  /** v3: `after` cursor with `meta.cursor_pagination`. */
  | "v3-cursor"
  /** One unpaged response: a single object (v2 `/store`) or a whole list (v2 `/order_statuses`, `/shipping/zones`). */
  | "single";

/** The incremental cursor of a stream. */
export interface CursorSpec {
  /** Record field that carries the cursor, e.g. `date_modified`. */
  field: string;
  /** Query parameter that filters on it (inclusive lower bound), e.g. `min_date_modified` or `date_modified:min`. */
  filter: string;
  /** Query parameter for the upper bound (`end_date`), e.g. `max_date_modified`. */
  upperFilter?: string;
  /**
   * Query parameters that order the list by the cursor ascending, e.g. `{ sort: "date_modified:asc" }`
   * (v2) or `{ sort: "date_modified", direction: "asc" }` (v3 catalog). With them the engine
   * reads by seeking on the cursor and can bookmark after every page; without them the
   * bookmark moves only when the stream completes.
   */
  sort?: Record<string, string>;
  /** A v2 path that counts the list's records under the same filters (`orders/count` → `{count}`), for cutting windows. */
  countPath?: string;
  /** When there is no bookmark yet, read everything instead of starting at `start_date`. */
  firstRunIgnoresStartDate?: boolean;
  /**
   * The filter is documented as "after this date", so it may leave out records at the
   * bound: reads start one second early, and the boundary de-duplication skips what a
   * previous run already emitted.
   */
  filterMayExclude?: boolean;
}

/** A condition on a parent record, for child streams that cost a request per parent. */
export interface ParentCondition {
  /** Parent field (dotted path) to test. */
  field: string;
  /** `nonzero`: a number or numeric string other than 0; `nonempty`: not null, "" or []. */
  is: "nonzero" | "nonempty";
}

/**
 * Reading a parent's child rows from a sub-resource when the inline ones are incomplete: an
 * object on the way carries `marker` (BigCommerce's `__warning__` on a consignment with more
 * than 50 line items), or they do not add up to the parent's own count (`expect`), e.g. no
 * consignments block at all, or line item quantities summing to less than `items_total`.
 */
export interface InlineFallback {
  marker?: string;
  /** The parent's count the inline rows must reach: its field `count`, compared with the rows' `sum` field added up (else the rows counted). */
  expect?: { count: string; sum?: string };
  api: "v2" | "v3";
  path: string;
  pagination: PaginationStyle;
}

/** Where a child stream's rows come from. */
export type ChildSource =
  /** Arrays already inside the parent record (possibly because of `include=` on the parent's request). */
  | {
    kind: "inline";
    /** Paths inside the parent record; `[]` fans out over an array, e.g. `consignments.shipping[].line_items[]`. */
    paths: string[];
    /** Fields of the inline object left out of the child row (they belong to another table). */
    omit?: string[];
    /** Where to read a parent's rows when its inline rows are not provably complete. */
    fallback?: InlineFallback;
    /** A column naming which path a row came from: `values[i]` for rows of `paths[i]` (e.g. the consignment kind). */
    tag?: { column: string; values: string[] };
    /** A column holding the row's position (from 0) among the rows of its path for one parent, for rows without an id. */
    indexColumn?: string;
  }
  /** One request (paged) per parent record: `path` with `{field}` placeholders filled from the parent. */
  | {
    kind: "subresource";
    api: "v2" | "v3";
    path: string;
    pagination: PaginationStyle;
    /** Only ask for parents that satisfy this; the rest have no rows by definition. */
    when?: ParentCondition;
    /** Fixed query parameters. */
    params?: Record<string, string>;
    /**
     * The API documents a 404 here as "this parent has none" (e.g. an order's transactions).
     * Without it a 404 fails the run, like a 404 anywhere else.
     */
    notFoundMeansNone?: boolean;
  };

/** How a child stream hangs off its parent. */
export interface ParentRule {
  /** The parent stream's name. */
  stream: string;
  /** Child column ← parent field, e.g. `{ order_id: "id" }`. Set on every child row. */
  keys: Record<string, string>;
  /**
   * Child column ← parent *table* column, when they differ from `keys`: a parent whose rows are not its
   * API items (`rowsAt`) holds the item's id under another name (product_options.product_id).
   */
  tableKeys?: Record<string, string>;
  source: ChildSource;
  /** Query parameters the parent request must carry for this child (merged into the parent's params). */
  parentParams?: Record<string, string>;
}

/** How rows land in a destination when nothing overrides it. */
export type WriteMode = "merge" | "append" | "replace";

/** What every stream entry states, root or child. */
interface StreamEntryBase {
  /** snake_case name: the Singer stream id and the DuckDB table name. */
  name: string;
  /** One line for docs and `--about`. */
  description: string;
  primaryKey: string[];
  /** Present for incremental streams. */
  cursor?: CursorSpec;
  /** OAuth scope the token needs (the read-only one). */
  scope: string;
  /** JSON Schema of one record as the API returns it. */
  schema: JsonSchema;
  /** Record fields not turned into columns or child tables (they feed child streams). */
  exclude?: string[];
  /** Selected when the catalog says nothing (default true). */
  selectedByDefault?: boolean;
  /** Default write mode for destinations (default: `defaultWriteMode` in registry.ts). */
  writeMode?: WriteMode;
  /**
   * Store-specific fields (form fields, custom fields): arrays of `{name, value}` objects
   * pivoted into one string column per name instead of a child table. See `StoreFieldsRule`.
   */
  storeFields?: StoreFieldsRule[];
  /**
   * Record field (dotted; a channel id or a list of them) that says which channels a record serves, for lists
   * the API cannot filter by channel: when `channel_id` is set, records of other channels are left out
   * (records with no value serve every channel and are kept).
   */
  channelField?: string;
}

/**
 * Archived (deleted) records a list leaves out unless asked with `params` (orders: `is_deleted=true`, used by
 * BigCommerce integrations but absent from the spec copy: an assumption). Each incremental run also reads those
 * modified since the bookmark and emits them with `field` true; a list that rejects the parameter (4xx) or
 * ignores it is a warning, not a failure. With `idFilters` (the list's id range filters) and a `count`, a
 * destination that holds rows compares them with the count and sweeps ids where they disagree
 * (src/engine/archive-sweep.ts), which also finds records whose archiving left their cursor as it was.
 */
export interface ArchivedRule {
  params: Record<string, string>;
  field: string;
  idFilters?: { min: string; max: string };
}

/** A top-level stream as written in `streams/`: read from a list endpoint of its own. */
export interface RootStreamEntry extends StreamEntryBase {
  /** `v2` or `v3`; the path is under `/stores/{store_hash}/{api}/`. */
  api: "v2" | "v3";
  /** List path, e.g. `orders`, `catalog/products`. */
  path: string;
  /** Pagination style; see `PaginationStyle`. Defaults by API version. */
  pagination?: PaginationStyle;
  /** Fixed query parameters (e.g. `include`). */
  params?: Record<string, string>;
  /** The most records a page of this list holds whatever `page_size` says (products with options: 10). */
  pageSize?: number;
  /** Query parameter that restricts rows to one channel when `channel_id` is set. */
  channelFilter?: string;
  /**
   * A list that may not exist on every store (a deprecated endpoint): a 404 is a warning and the stream
   * ends with what it read, instead of failing the run.
   */
  bestEffort?: boolean;
  /** Archived (deleted) records the list leaves out: how to read and find them (see `ArchivedRule`). */
  archived?: ArchivedRule;
  /** Query parameters that ask for ids only, for delete reconciliation (e.g. `include_fields=id`). */
  idsOnlyParams?: Record<string, string>;
  /**
   * Each API item fans out into several rows: the objects at `path` (e.g. `locations[]`),
   * each given `keys` (row column ← item field, dotted) from its item.
   */
  rowsAt?: { path: string; keys: Record<string, string> };
  /** A count endpoint a full read of the list is checked against (lists without `meta.pagination.total`). */
  count?: CountCheck;
  parent?: never;
}

/**
 * An endpoint that counts what the list holds, asked with the list's own filters before and
 * after the read (v2 `orders/count`). Its total may be split into groups (order statuses);
 * the rows read are then compared group by group.
 */
export interface CountCheck {
  api: "v2" | "v3";
  path: string;
  /** Dotted path of the total in the count's body, e.g. `count`. */
  total: string;
  /**
   * The count endpoint takes no filters (it counts every record): only a read without
   * filters (a full-table read, e.g. for `replace`) is checked against it.
   */
  unfiltered?: boolean;
  groups?: {
    /** Dotted path of the array of groups in the count's body, e.g. `statuses`. */
    at: string;
    /** Fields of each group entry: its id, its name, its count. */
    id: string;
    name: string;
    count: string;
    /** The record field holding a row's group id, e.g. `status_id`. */
    field: string;
    /** The list's query parameter that restricts it to one group, for re-reading a group that came up short. */
    filter: string;
  };
}

/** A child stream as written in `streams/`: read through its parent (inline arrays or one request per parent). */
export interface ChildStreamEntry extends StreamEntryBase {
  parent: ParentRule;
  // A child has no list endpoint of its own (so reading these on any stream is typed, and undefined here).
  api?: never;
  path?: never;
  pagination?: never;
  params?: never;
  channelFilter?: never;
  idsOnlyParams?: never;
  rowsAt?: never;
  pageSize?: never;
  bestEffort?: never;
  archived?: never;
  count?: never;
}

/** A registry entry as written, defaults left out. */
export type StreamEntry = RootStreamEntry | ChildStreamEntry;

/** The defaults `defineStreams` fills in, so that readers never guess them. */
interface Resolved {
  selectedByDefault: boolean;
  writeMode: WriteMode;
}

/** A top-level stream with its defaults applied. */
export type RootStream = RootStreamEntry & Resolved & { pagination: PaginationStyle };

/** A child stream with its defaults applied. */
export type ChildStream = ChildStreamEntry & Resolved;

/** One BigCommerce stream, as plain data with its defaults applied. See `streams/` and `defineStreams`. */
export type StreamDefinition = RootStream | ChildStream;

/**
 * An array of `{name, value}` objects inside a record whose names are defined per store
 * (customer form fields, order address form fields, product custom fields). Each name
 * becomes a column `<prefix><snake_case(name)>` of the stream's table, holding the value
 * as text (arrays, and a name repeated in one record, as JSON text). Discovery asks the
 * store for the names; names first seen during a sync add columns then.
 */
export interface StoreFieldsRule {
  /** Dotted path of the array inside the record, e.g. `form_fields` or `billing_address.form_fields`. */
  path: string;
  /** Column prefix, e.g. `form_field_`. */
  prefix: string;
  /** Query parameters the stream's own list request needs for the array to be there (e.g. `include=formfields`). */
  params?: Record<string, string>;
  /** At most this many pivoted columns (default 100); entries with further names stay in `_rescued`. */
  maxColumns?: number;
  /** How `--discover` learns the names from the store. */
  discover: StoreFieldsDiscovery;
}

/** A bounded read that yields a store's field names, for discovery. */
export interface StoreFieldsDiscovery {
  api: "v2" | "v3";
  path: string;
  pagination: PaginationStyle;
  /** Fixed query parameters (sort newest first, ids only…). */
  params?: Record<string, string>;
  /** Pages read at most (default 1). */
  maxPages?: number;
  /** Path of the name inside each listed item, `[]` fanning out, e.g. `name` or `billing_address.form_fields[].name`. */
  names: string;
  /** Only items where this field is present and not null count (e.g. `customer_id`, not `address_id`). */
  where?: string;
  /** OAuth scope the request needs; named in the warning when the token lacks it. */
  scope: string;
}

/**
 * A column's logical type, decided once from the spec and the override rules
 * (`streams/column-types.ts`), mapped by each destination (DuckDB: BIGINT,
 * DECIMAL(18,4), DECIMAL(20,10), TIMESTAMPTZ…) and by the Singer catalog.
 * `decimal` is money (4 decimals), `rate` an exchange rate (10 decimals).
 */
export type ColumnType =
  | "integer"
  | "number"
  | "decimal"
  | "rate"
  | "boolean"
  | "timestamp"
  | "date"
  | "string"
  | "json"
  | { list: ColumnType };

/**
 * What a spec says of a field's type, as the column type rules match it: a JSON Schema
 * type (`integer`, `number`, `string`, `boolean`, `object`), `decimal-string` (a v2 money
 * string), `date-time`/`date` (a string with that format), `list:<kind>` (an array of
 * scalars), several kinds joined by `|` in sorted order (`number|string`), `missing`
 * (declared with no type) or `undeclared` (a field the spec does not list).
 */
export type SpecKind = string;

/** A column type rule by field name: the spec kinds it applies to and the type they get. */
export interface ColumnNameRule {
  /** Matches the field's own key (the last key of its path), e.g. `/_id$/`. */
  name: RegExp;
  /** The spec kinds the rule overrides; other kinds keep the spec's type. */
  kinds: readonly SpecKind[];
  type: ColumnType;
  /** Why: what the spec says loosely and what BigCommerce sends. */
  reason: string;
}

/** A column type decided for one column of one table, whatever the spec says. */
export interface ColumnException {
  /** Table (stream or split child table) name. */
  table: string;
  /** Flat column name. */
  column: string;
  type: ColumnType;
  /** True for a field BigCommerce sends that the spec does not list: the table gets the column up front. */
  added?: boolean;
  reason: string;
}

/** The reviewed override table: exceptions first, then the first name rule that matches. */
export interface ColumnTypeRules {
  exceptions: readonly ColumnException[];
  names: readonly ColumnNameRule[];
}

/** One column of a table. */
export interface Column {
  name: string;
  type: ColumnType;
}

/** A table the sync writes: a stream, a child stream, or a child table split from an array. */
export interface TableSchema {
  /** Table (and Singer stream) name. */
  name: string;
  /** Registry stream whose sync produces it. */
  stream: string;
  /** The table it hangs off, with child column ← parent column. */
  parent?: { table: string; keys: Record<string, string> };
  primaryKey: string[];
  /** Replication key column, for incremental streams. */
  cursor?: string;
  columns: Column[];
  writeMode: WriteMode;
  /**
   * The boolean column that says a row's record is archived (`ArchivedRule.field`, orders' `is_deleted`): a
   * destination marks such rows and their children deleted.
   */
  archived?: string;
  /** How many arrays deep a split child table sits below its registry stream (0 for every registry stream, child streams included). */
  depth: number;
}

/** A row as it leaves the engine: flat columns, values already normalised to their column types. */
export type Row = Record<string, unknown>;

/** Singer-compatible state. */
export interface State {
  /** The format (`STATE_VERSION` in state.ts); absent in a state written by the first release. */
  version?: number;
  /** The store the state belongs to, recorded by its first sync (absent before). */
  store?: StateStore;
  bookmarks: Record<string, StreamBookmark>;
  currently_syncing?: string | null;
}

/** The store a state belongs to. */
export interface StateStore {
  store_hash: string;
  /** The store's id and name, from `v2/store` (absent when the token cannot read it). */
  id?: number | string;
  name?: string;
}

/** One stream's bookmark. */
export interface StreamBookmark {
  replication_key?: string;
  replication_key_value?: string;
  [key: string]: unknown;
}

/** What the engine yields while it syncs. */
export type SyncEvent =
  /** A table's schema, before its first rows and again when a new column appears. */
  | { type: "schema"; table: TableSchema }
  /** Rows from one page of a stream (with its children), and the state that covers them. */
  | {
    type: "batch";
    stream: string;
    /** The rows per table, column by column (what a destination reads). */
    tables: Map<string, TableRows>;
    /** The same rows as objects, built on first use (for hosts that hand rows on one by one). */
    readonly rows: Map<string, Row[]>;
    /** Rows whose value did not fit the column type (kept in `_rescued`). */
    rescued: number;
    state: State;
    /**
     * Set when every row of the batch belongs to an archived record (read by the stream's `ArchivedRule`
     * ask), its child rows included: a host writing rows one by one (Singer) knows a child row archived
     * without looking for its parent's, and an order archived when the catalog deselected `is_deleted`.
     */
    archived?: true;
  }
  | { type: "stream-start"; stream: string; incremental: boolean; since?: string }
  | {
    type: "stream-end";
    stream: string;
    records: number;
    requests: number;
    /** Child streams read with it: their records and the requests made for them alone (e.g. one per order). */
    children?: Record<string, { records: number; requests: number }>;
    /**
     * Differences between the list and the API's own count that are known quirks rather than
     * missing rows (e.g. a status the count includes and the list never returns); named in
     * the run summary and `_loads`.
     */
    differences?: string[];
    /**
     * What affirmed the top-level read complete: the API's own count of it (`meta.pagination.total`,
     * a count endpoint such as `v2/orders/count`) or the one object asked for. Absent when nothing
     * did (a list without a total or count endpoint, a best-effort list that answered 404): the
     * read then cannot prove that rows it did not bring are gone, and a destination must not
     * replace a table with it on trust (DuckDB `replace` guards it).
     */
    proof?: string;
    /**
     * The most records of the stream's list pages held at once between reading and the
     * consumer taking them (read, not yet taken): at most `page_size` × 10 by design, the readers
     * wait for room (a debug counter: `load --verbose` logs it).
     */
    peakHeld?: number;
  }
  /** A stream skipped without failing the run (e.g. the token lacks its scope). */
  | {
    type: "stream-skipped";
    stream: string;
    reason: string;
    /** The user named the stream (and `skip_streams_without_scope` is off): the run fails (exit 1) once the other streams are done. */
    fails: boolean;
  };
