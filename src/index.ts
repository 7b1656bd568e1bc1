/**
 * tap-bigcommerce as a library: `createSource` for TypeScript hosts, the engine's types,
 * the DuckDB destination and the bundled BigCommerce emulator.
 */
export { createSource, type ReadOptions, type RecordBatch, type Source, type StreamInfo } from "./hosts/api.ts";
export type { Row, State, StreamDefinition, SyncEvent, TableSchema, WriteMode } from "./engine/types.ts";
export { registry } from "../streams/index.ts";
export { type Emulator, type EmulatorOptions, startEmulator } from "./emulator/index.ts";
export {
  DEFAULT_SCHEMA,
  DuckDBDestination,
  type ExportOptions,
  exportTables,
  loadEvents,
  type LoadEventsOptions,
  type LoadOptions,
  type LoadSummary,
  markDeleted,
  readState,
} from "./destinations/duckdb/index.ts";
