/**
 * Schema discovery for hosts: the Singer catalog of every stream and split child table
 * (JSON Schema of the flat columns, with Singer metadata), with the store-specific field
 * columns the store reports, and reading a host's catalog back into a selection.
 */
import * as v from "valibot";
import { closest, type Config } from "../config/load.ts";
import { InputError } from "../errors.ts";
import { registry as defaultRegistry } from "../../streams/index.ts";
import { findStream, rootStreamOf } from "./registry.ts";
import type { ClientOptions } from "./http.ts";
import { enforceTableLimit, planStream, type TablePlan, tablesOf } from "./schema.ts";
import { readStoreFieldNames } from "./store-discovery.ts";
import type { StoreFieldNames } from "./store-fields.ts";
import type { Selection } from "./sync.ts";
import type { ColumnType, JsonSchema, StreamDefinition, TableSchema } from "./types.ts";

/** One Singer metadata entry. */
export interface MetadataEntry {
  breadcrumb: string[];
  metadata: Record<string, unknown>;
}

/** One stream of a Singer catalog. */
export interface CatalogEntry {
  tap_stream_id: string;
  stream: string;
  schema: JsonSchema;
  key_properties: string[];
  replication_key?: string;
  replication_method?: string;
  metadata: MetadataEntry[];
}

/** A Singer catalog. */
export interface Catalog {
  streams: CatalogEntry[];
}

/** The JSON Schema of a column type, as Singer targets read it. */
export function jsonSchemaOf(type: ColumnType): JsonSchema {
  if (typeof type === "object") return { type: ["array", "null"], items: jsonSchemaOf(type.list) };
  switch (type) {
    case "integer":
      return { type: ["integer", "null"] };
    case "number":
      return { type: ["number", "null"] };
    case "decimal":
    case "rate":
      return { type: ["string", "null"], format: "singer.decimal" };
    case "boolean":
      return { type: ["boolean", "null"] };
    case "timestamp":
      return { type: ["string", "null"], format: "date-time" };
    case "date":
      return { type: ["string", "null"], format: "date" };
    case "string":
      return { type: ["string", "null"] };
    case "json":
      return { type: ["object", "array", "string", "number", "boolean", "null"] };
  }
}

/** The JSON Schema of a table's flat rows. */
export function tableJsonSchema(table: TableSchema): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const column of table.columns) properties[column.name] = jsonSchemaOf(column.type);
  return { type: "object", properties, additionalProperties: false };
}

/**
 * The property that tells Singer targets a record was deleted (archived): pipelinewise targets delete the rows
 * that have it set under `hard_delete`, Meltano SDK targets keep it in their `_sdc_deleted_at` column under
 * `add_record_metadata` (docs/hosts.md). It carries the time the run read the archive (the RECORD's
 * `time_extracted`): BigCommerce gives no time of archiving.
 */
export const SINGER_DELETED_AT = "_sdc_deleted_at";

/**
 * A table's JSON Schema as the catalog lists it and Singer SCHEMA messages declare it: its columns, and
 * `_sdc_deleted_at` when the table can hold rows of archived records (its top-level stream has an `archived`
 * rule: orders and every table below it).
 */
export function singerTableSchema(table: TableSchema, registry: readonly StreamDefinition[] = defaultRegistry): JsonSchema {
  const schema = tableJsonSchema(table);
  if (!rootStreamOf(registry, table.stream)?.archived) return schema;
  return { ...schema, properties: { ...schema.properties, [SINGER_DELETED_AT]: { type: ["null", "string"], format: "date-time" } } };
}

/** The Singer metadata keys the tap writes and reads, each named once. */
export const META = {
  inclusion: "inclusion",
  selected: "selected",
  selectedByDefault: "selected-by-default",
  tableKeyProperties: "table-key-properties",
  validReplicationKeys: "valid-replication-keys",
  replicationMethod: "replication-method",
  replicationKey: "replication-key",
  forcedReplicationMethod: "forced-replication-method",
  parentTapStreamId: "parent-tap-stream-id",
  /** Ours: the OAuth scope a stream needs. */
  oauthScope: "bigcommerce-oauth-scope",
  /** Ours, on a field: the store-specific field a column holds, `{ path, name }`. */
  storeField: "bigcommerce-store-field",
} as const;

/** Field metadata key naming the store-specific field a column holds: `{ path, name }`. */
export const STORE_FIELD_METADATA = META.storeField;

/** The store-specific field behind each pivoted column of a plan: column → `{ path, name }`. */
function storeFieldsOf(plan: TablePlan): Map<string, { path: string; name: string }> {
  const out = new Map<string, { path: string; name: string }>();
  for (const pivot of plan.pivots ?? []) {
    for (const [name, column] of pivot.columns) out.set(column, { path: pivot.rule.path, name });
  }
  return out;
}

/** A catalog entry for one table. */
function entryOf(
  table: TableSchema,
  stream: StreamDefinition,
  registry: readonly StreamDefinition[],
  storeFields = new Map<string, { path: string; name: string }>(),
): CatalogEntry {
  const schema = singerTableSchema(table, registry);
  const cursor = table.name === stream.name ? stream.cursor?.field : undefined;
  const automatic = new Set([...table.primaryKey, ...(cursor ? [cursor] : []), ...Object.keys(table.parent?.keys ?? {})]);
  const streamMetadata: Record<string, unknown> = {
    [META.inclusion]: "available",
    [META.selectedByDefault]: stream.selectedByDefault,
    [META.tableKeyProperties]: table.primaryKey,
  };
  // An incremental stream can be switched to FULL_TABLE by the host; the others are full-table only.
  if (cursor) {
    streamMetadata[META.validReplicationKeys] = [cursor];
    streamMetadata[META.replicationMethod] = "INCREMENTAL";
    streamMetadata[META.replicationKey] = cursor;
  } else {
    streamMetadata[META.forcedReplicationMethod] = "FULL_TABLE";
  }
  if (table.parent) streamMetadata[META.parentTapStreamId] = table.parent.table;
  if (table.name === stream.name) streamMetadata[META.oauthScope] = stream.scope;
  const metadata: MetadataEntry[] = [{ breadcrumb: [], metadata: streamMetadata }];
  for (const column of table.columns) {
    const field = storeFields.get(column.name);
    metadata.push({
      breadcrumb: ["properties", column.name],
      metadata: {
        [META.inclusion]: automatic.has(column.name) ? "automatic" : "available",
        [META.selectedByDefault]: true,
        ...(field ? { [META.storeField]: field } : {}),
      },
    });
  }
  // Written by the Singer host, not read from the API: always there.
  if (schema.properties?.[SINGER_DELETED_AT]) {
    metadata.push({ breadcrumb: ["properties", SINGER_DELETED_AT], metadata: { [META.inclusion]: "automatic", [META.selectedByDefault]: true } });
  }
  return {
    tap_stream_id: table.name,
    stream: table.name,
    schema,
    key_properties: table.primaryKey,
    ...(cursor ? { replication_key: cursor, replication_method: "INCREMENTAL" } : { replication_method: "FULL_TABLE" }),
    metadata,
  };
}

/**
 * The catalog of every stream and child table, checked against `max_tables`, from the
 * registry alone (no request); `storeFields` adds the columns of store-specific fields.
 */
export function discover(config: Config, registry: readonly StreamDefinition[] = defaultRegistry, storeFields: StoreFieldNames = {}): Catalog {
  const entries: CatalogEntry[] = [];
  const tables: TableSchema[] = [];
  for (const stream of registry) {
    const plan = planStream(stream, { maxNestingDepth: config.max_nesting_depth, storeFields });
    for (const table of tablesOf(plan)) {
      tables.push(table);
      entries.push(entryOf(table, stream, registry, table === plan.table ? storeFieldsOf(plan) : undefined));
    }
  }
  enforceTableLimit(tables.filter((t) => entries.some((e) => e.tap_stream_id === t.name && isSelectedByDefault(e))), config.max_tables, config.max_nesting_depth);
  return { streams: entries };
}

/** Options of `discoverFromStore`. */
export interface StoreDiscoveryOptions {
  registry?: readonly StreamDefinition[];
  /** Progress and warnings (a missing scope, an unreachable store), for stderr. */
  log?: (message: string) => void;
  /** Overrides for the client (backoff timings in tests). */
  clientOptions?: Partial<ClientOptions>;
}

/**
 * `--discover`: the catalog with each stream's store-specific fields (form fields, custom
 * fields) asked of the store as string columns. A stream whose names cannot be read (the
 * token lacks the scope, the store does not answer) keeps its static schema, with a warning.
 */
export async function discoverFromStore(config: Config, options: StoreDiscoveryOptions = {}): Promise<Catalog> {
  const registry = options.registry ?? defaultRegistry;
  discover(config, registry); // bad input (the table limit) fails before any request
  const names = await readStoreFieldNames(config, registry, options);
  return discover(config, registry, names);
}

function isSelectedByDefault(entry: CatalogEntry): boolean {
  return streamMetadata(entry)[META.selectedByDefault] !== false;
}

function streamMetadata(entry: CatalogEntry): Record<string, unknown> {
  return entry.metadata.find((m) => m.breadcrumb.length === 0)?.metadata ?? {};
}

const CatalogSchema = v.object({
  streams: v.array(
    v.looseObject({
      tap_stream_id: v.string(),
      stream: v.optional(v.string()),
      schema: v.optional(v.looseObject({})),
      replication_method: v.optional(v.string()),
      metadata: v.optional(
        v.array(v.looseObject({ breadcrumb: v.array(v.union([v.string(), v.number()])), metadata: v.looseObject({}) })),
        [],
      ),
    }),
  ),
});

/**
 * A selected catalog entry's replication method: `replication-method` (metadata, else the
 * entry's legacy `replication_method`); INCREMENTAL needs a cursor, and `replication-key`
 * (else `replication_key`), when given, must be that cursor.
 */
function replicationOf(
  entry: { tap_stream_id: string; replication_method?: string; replication_key?: unknown },
  top: Record<string, unknown>,
  known: { stream: StreamDefinition; table: TableSchema },
  source: string,
): "INCREMENTAL" | "FULL_TABLE" {
  const cursor = known.table.name === known.stream.name ? known.stream.cursor?.field : undefined;
  const method = top[META.replicationMethod] ?? entry.replication_method ?? (cursor ? "INCREMENTAL" : "FULL_TABLE");
  const where = `catalog ${source}: stream '${entry.tap_stream_id}'`;
  if (method !== "INCREMENTAL" && method !== "FULL_TABLE") {
    throw new InputError(`${where} has replication-method ${JSON.stringify(method)}; use INCREMENTAL or FULL_TABLE`);
  }
  // Full-table-only streams stay so (`forced-replication-method`), also under a host's blanket `'*': INCREMENTAL`.
  if (method === "FULL_TABLE" || !cursor) return "FULL_TABLE";
  const key = top[META.replicationKey] ?? entry.replication_key;
  if (key !== undefined && key !== null && key !== cursor) {
    throw new InputError(`${where} has replication-key ${JSON.stringify(key)}; the only valid replication key is '${cursor}'`);
  }
  return method;
}

/** The streams selected when no catalog is given: those selected by default. */
export function defaultSelection(registry: readonly StreamDefinition[] = defaultRegistry): Selection {
  return { streams: registry.filter((s) => s.selectedByDefault).map((s) => s.name), named: new Set() };
}

/** A selection from stream names (`--streams a,b`), checked against the registry. */
export function selectionOf(names: string[], registry: readonly StreamDefinition[] = defaultRegistry): Selection {
  for (const name of names) {
    if (!findStream(registry, name)) {
      const hint = closest(name, registry.map((s) => s.name));
      throw new InputError(
        `unknown stream '${name}' in --streams${hint ? ` (did you mean '${hint}'?)` : ""}; known streams: ${registry.map((s) => s.name).join(", ")}`,
      );
    }
  }
  return { streams: names, named: new Set(names) };
}

/** Notes a discovered store-specific field (`{ path, name }` metadata) of a stream that declares that path. */
function addStoreField(names: StoreFieldNames, stream: StreamDefinition, field: unknown): void {
  if (field === null || typeof field !== "object") return;
  const { path, name } = field as { path?: unknown; name?: unknown };
  if (typeof name !== "string" || !stream.storeFields?.some((rule) => rule.path === path)) return;
  ((names[stream.name] ??= {})[path as string] ??= []).push(name);
}

/**
 * Reads a host's catalog into a selection: `selected` (else `selected-by-default`),
 * deselected fields (never the automatic ones), deselected child tables,
 * `replication-method` FULL_TABLE overrides, and the store-specific fields discovery found.
 */
export function selectionFromCatalog(input: unknown, source: string, registry: readonly StreamDefinition[] = defaultRegistry): Selection {
  const result = v.safeParse(CatalogSchema, input);
  if (!result.success) {
    const issue = result.issues[0];
    const where = issue.path?.map((p) => p.key).join(".") ?? "";
    throw new InputError(`catalog ${source} is not a valid Singer catalog${where ? ` at '${where}'` : ""}: ${issue.message}`);
  }
  const tableNames = new Map<string, { stream: StreamDefinition; table: TableSchema }>();
  for (const stream of registry) {
    for (const table of tablesOf(planStream(stream, { maxNestingDepth: 10 }))) tableNames.set(table.name, { stream, table });
  }
  const streams: string[] = [];
  const named = new Set<string>();
  const excludedFields = new Map<string, Set<string>>();
  const fullTable = new Set<string>();
  const excludedTables = new Set<string>();
  const storeFields: StoreFieldNames = {};
  for (const entry of result.output.streams) {
    const known = tableNames.get(entry.tap_stream_id);
    if (!known) {
      const hint = closest(entry.tap_stream_id, [...tableNames.keys()]);
      throw new InputError(
        `catalog ${source}: unknown stream '${entry.tap_stream_id}'${hint ? ` (did you mean '${hint}'?)` : ""}; run --discover for the current catalog`,
      );
    }
    const top = entry.metadata.find((m) => m.breadcrumb.length === 0)?.metadata ?? {};
    const selected = top[META.selected] ?? top[META.selectedByDefault] ?? known.stream.selectedByDefault;
    const isStreamTable = known.table.name === known.stream.name;
    if (!selected || top[META.inclusion] === "unsupported") {
      if (!isStreamTable) excludedTables.add(entry.tap_stream_id);
      continue;
    }
    if (isStreamTable) streams.push(known.stream.name);
    if (isStreamTable && top[META.selected] === true) named.add(known.stream.name);
    if (replicationOf(entry, top, known, source) === "FULL_TABLE" && known.stream.cursor && isStreamTable) {
      fullTable.add(known.stream.name);
    }
    const automatic = new Set(known.table.primaryKey);
    if (isStreamTable && known.stream.cursor) automatic.add(known.stream.cursor.field);
    for (const key of Object.keys(known.table.parent?.keys ?? {})) automatic.add(key);
    for (const m of entry.metadata) {
      if (m.breadcrumb.length !== 2 || m.breadcrumb[0] !== "properties") continue;
      const field = String(m.breadcrumb[1]);
      if (isStreamTable) addStoreField(storeFields, known.stream, m.metadata[META.storeField]);
      const fieldSelected = m.metadata[META.selected] ?? m.metadata[META.selectedByDefault] ?? true;
      const alwaysEmitted = automatic.has(field) || m.metadata[META.inclusion] === "automatic";
      if ((fieldSelected === false || m.metadata[META.inclusion] === "unsupported") && !alwaysEmitted) {
        let set = excludedFields.get(entry.tap_stream_id);
        if (!set) excludedFields.set(entry.tap_stream_id, (set = new Set()));
        set.add(field);
      }
    }
  }
  // A split child table whose stream is not selected is not written either.
  for (const [name, { stream, table }] of tableNames) {
    if (table.name !== stream.name && !streams.includes(stream.name)) excludedTables.add(name);
  }
  return { streams, named, excludedFields, fullTable, excludedTables, storeFields };
}
