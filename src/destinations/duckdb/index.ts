/**
 * The DuckDB destination: sync events into typed tables of one schema, merge/append/replace,
 * exactly-once batches with the Singer state in the same file, schema evolution, delete
 * marking and CSV/Parquet exports.
 */
export { DuckDBDestination, loadEvents, type LoadEventsOptions, markDeleted, type MarkDeletedOptions, readState } from "./destination.ts";
export type { DatabaseOptions } from "./connection.ts";
export { APPEND_SHARE } from "./memory.ts";
export { type ExportOptions, exportTables } from "./export.ts";
export { sqlType } from "./column-types.ts";
export { LOADS_TABLE, STATE_TABLE } from "./bookkeeping.ts";
export { DELETED_AT, EXTRACTED_AT, LOAD_ID, RESCUED } from "./tables.ts";
export { DEFAULT_SCHEMA, type LoadOptions, type LoadSummary, type StreamLoadSummary, type TableLoadSummary } from "./types.ts";
export { ANALYTICS_VIEWS, type AnalyticsSummary, analyticsSchema, refreshAnalytics } from "./analytics.ts";
export { ORDER_STATUS_GROUPS, type StatusGroup } from "./analytics-sources.ts";
export type { Migration } from "./retype.ts";
