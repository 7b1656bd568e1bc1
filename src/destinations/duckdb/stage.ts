/**
 * Staging a batch: rows are converted in JS and appended, 2048 rows (one DuckDB vector)
 * at a time, as typed data chunks into a temporary table with the target's column types;
 * merge/append/replace then run as SQL from that table.
 *
 * Measured on 10 000 rows × 45 columns (orders-like: bigint, double, decimal, timestamp,
 * date, varchar, json, list) under Node 20, median of 5, staging + INSERT … SELECT + COMMIT:
 * row-by-row `appendValue` 1 089 ms; typed data chunks (this) 251 ms; all-VARCHAR chunks +
 * SQL casts 343 ms; NDJSON temp file + `read_json` 221 ms. Chunks and NDJSON are level
 * within noise; chunks win on needing no temp files (same under Deno) and on exact values
 * (decimals scaled from their text, microsecond timestamps). Memory: one chunk of converted
 * values at a time on top of the batch itself.
 */
import { DuckDBDataChunk, type DuckDBConnection, type DuckDBValue } from "@duckdb/node-api";
import type { ColumnType, Row } from "../../engine/types.ts";
import { RuntimeFailure } from "../../errors.ts";
import { ident } from "./sql.ts";
import { RESCUED } from "./tables.ts";
import { type Converter, converterFor, ValueError } from "./values.ts";

/** Rows per appended chunk (DuckDB's vector size). */
const CHUNK_ROWS = 2048;

/** Column that keeps each staged row's position in its batch (later rows win a merge). */
export const ORDER_COLUMN = "__ord";

/** What staging found. */
export interface StageResult {
  /** Values in `_rescued` (after unknown fields were moved there). */
  rescued: number;
}

/**
 * Creates the temporary table `stage` shaped like `source`'s data `columns` (plus the row
 * order) and appends `rows` to it. Fields of a row that are not columns go to `_rescued`.
 */
export async function stageRows(
  connection: DuckDBConnection,
  stage: string,
  source: string,
  table: string,
  columns: [string, ColumnType][],
  rows: readonly Row[],
): Promise<StageResult> {
  const selected = columns.map(([name]) => ident(name)).join(", ");
  await connection.run(`CREATE TEMP TABLE ${ident(stage)} AS SELECT ${selected}, 0::BIGINT AS ${ident(ORDER_COLUMN)} FROM ${source} LIMIT 0`);
  const appender = await connection.createAppender(stage, "main", "temp");
  const types = columns.map((_, i) => appender.columnType(i));
  types.push(appender.columnType(columns.length));
  const converters: Converter[] = columns.map(([, type], i) => converterFor(type, types[i]));
  const names = columns.map(([name]) => name);
  const known = new Set(names);
  let rescued = 0;
  try {
    for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
      const part = rows.slice(start, start + CHUNK_ROWS);
      const values: DuckDBValue[][] = names.map(() => new Array(part.length));
      const order: DuckDBValue[] = new Array(part.length);
      for (let r = 0; r < part.length; r++) {
        const row = withUnknownRescued(part[r], known);
        rescued += rescuedValues(row[RESCUED]);
        for (let c = 0; c < names.length; c++) {
          try {
            values[c][r] = converters[c](row[names[c]]);
          } catch (error) {
            if (!(error instanceof ValueError)) throw error;
            throw new RuntimeFailure(`DuckDB: table ${table}, row ${start + r + 1} of the batch, column ${names[c]}: ${error.message}`, { cause: error });
          }
        }
        order[r] = BigInt(start + r);
      }
      const chunk = DuckDBDataChunk.create(types, part.length);
      chunk.setColumns([...values, order]);
      appender.appendDataChunk(chunk);
    }
    appender.closeSync();
  } catch (error) {
    try {
      appender.clear();
      appender.closeSync();
    } catch {
      // the transaction rolls back anyway
    }
    throw error;
  }
  return { rescued };
}

/** The row with fields that have no column moved into `_rescued` (the row itself when there are none). */
function withUnknownRescued(row: Row, known: ReadonlySet<string>): Row {
  let extra: Record<string, unknown> | undefined;
  for (const key in row) {
    if (known.has(key) || row[key] === undefined) continue;
    (extra ??= {})[key] = row[key];
  }
  if (!extra) return row;
  const current = row[RESCUED];
  const merged = current && typeof current === "object" && !Array.isArray(current) ? { ...current, ...extra } : { ...extra };
  return { ...row, [RESCUED]: merged };
}

/** How many values a row's `_rescued` keeps. */
function rescuedValues(rescued: unknown): number {
  if (rescued === null || rescued === undefined) return 0;
  return typeof rescued === "object" && !Array.isArray(rescued) ? Object.keys(rescued).length : 1;
}
