/**
 * Exports: one CSV (with header) or Parquet file per table, written by DuckDB's `COPY … TO`.
 * `_loads` is exported (the run history travels with the data); `_state` and `replace`
 * staging tables are not.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { REPLACE_MARK, STATE_TABLE } from "./bookkeeping.ts";
import { openDatabase } from "./connection.ts";
import { literal, qualified } from "./sql.ts";
import { tableNames } from "./tables.ts";
import { DEFAULT_SCHEMA } from "./types.ts";

/** What to export. */
export interface ExportOptions {
  /** DuckDB file (opened read-only). */
  path: string;
  schema?: string;
  format: "csv" | "parquet";
  /** Directory for the files (created if needed); a file is `<table>.csv` or `<table>.parquet`. */
  outDir: string;
  /** Only these tables (default: all but `_state`). */
  tables?: string[];
  /** Wait while a load holds the file (see `OpenOptions.waitForWriter`) instead of failing. */
  waitForWriter?: (message: string) => void;
}

/** Writes one file per table of the schema; returns the files written. */
export async function exportTables(options: ExportOptions): Promise<string[]> {
  const db = await openDatabase(options.path, { readOnly: true, waitForWriter: options.waitForWriter });
  try {
    return await exportWith(db.connection, options);
  } finally {
    db.close();
  }
}

/** `exportTables` on an open connection. */
export async function exportWith(connection: DuckDBConnection, options: Omit<ExportOptions, "path">): Promise<string[]> {
  const schema = options.schema ?? DEFAULT_SCHEMA;
  mkdirSync(options.outDir, { recursive: true });
  const all = (await tableNames(connection, schema)).filter((t) => t !== STATE_TABLE && !t.includes(REPLACE_MARK));
  const wanted = options.tables ? all.filter((t) => options.tables!.includes(t)) : all;
  const format = options.format === "csv" ? "(FORMAT csv, HEADER true)" : "(FORMAT parquet)";
  const files: string[] = [];
  for (const table of wanted) {
    const file = join(options.outDir, `${table}.${options.format}`);
    await connection.run(`COPY ${qualified(schema, table)} TO ${literal(file)} ${format}`);
    files.push(file);
  }
  return files;
}
