/**
 * Printing a DuckDB query result for `sql`: an aligned text table (for people), CSV
 * (RFC 4180, with a header) or JSON (an array of objects). CSV and JSON stream chunk by
 * chunk; the table keeps at most `TABLE_ROW_LIMIT` rows to align them and counts the rest.
 */
import type { DuckDBResult, DuckDBType } from "@duckdb/node-api";
import { DuckDBTypeId } from "@duckdb/node-api";
import { counted } from "../plural.ts";

/** The output formats of `sql`. */
export const FORMATS = ["table", "csv", "json"] as const;
/** One of `FORMATS`. */
export type Format = (typeof FORMATS)[number];

/** Rows a `table` shows; the rest are counted, not printed. */
export const TABLE_ROW_LIMIT = 1000;
/** Widest cell of a `table`, in characters; longer values are cut with `…`. */
const CELL_WIDTH = 60;

/** Where output goes: process.stdout, or any writable stream. */
export interface Output {
  write(text: string): boolean;
  once(event: "drain", listener: () => void): unknown;
}

/** Writes, waiting for the stream to drain when its buffer is full (bounded memory on a slow pipe). */
async function emit(out: Output, text: string): Promise<void> {
  if (!out.write(text)) await new Promise<void>((resolve) => out.once("drain", resolve));
}

const NUMERIC = new Set<DuckDBTypeId>([
  DuckDBTypeId.TINYINT, DuckDBTypeId.SMALLINT, DuckDBTypeId.INTEGER, DuckDBTypeId.BIGINT, DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UTINYINT, DuckDBTypeId.USMALLINT, DuckDBTypeId.UINTEGER, DuckDBTypeId.UBIGINT, DuckDBTypeId.UHUGEINT,
  DuckDBTypeId.FLOAT, DuckDBTypeId.DOUBLE, DuckDBTypeId.DECIMAL,
]);

/** A value as text, the way DuckDB renders it; `null` for SQL NULL. */
function text(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

/** A CSV field: quoted when it holds a comma, quote or line break. */
function csvField(value: string | null): string {
  if (value === null) return "";
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function cell(value: string | null): string {
  const shown = value === null ? "NULL" : value.replace(/\s+/g, " ");
  return shown.length > CELL_WIDTH ? shown.slice(0, CELL_WIDTH - 1) + "…" : shown;
}

/** Writes a query result in `format`; returns the number of rows. */
export async function writeResult(result: DuckDBResult, format: Format, out: Output): Promise<number> {
  switch (format) {
    case "csv":
      return await writeCsv(result, out);
    case "json":
      return await writeJson(result, out);
    case "table":
      return await writeTable(result, out);
  }
}

async function writeCsv(result: DuckDBResult, out: Output): Promise<number> {
  out.write(result.columnNames().map(csvField).join(",") + "\n");
  let count = 0;
  for await (const rows of result.yieldRows()) {
    await emit(out, rows.map((row) => row.map((v) => csvField(text(v))).join(",") + "\n").join(""));
    count += rows.length;
  }
  return count;
}

async function writeJson(result: DuckDBResult, out: Output): Promise<number> {
  const names = result.columnNames();
  let count = 0;
  out.write("[");
  for await (const rows of result.yieldRowsJson()) {
    for (const row of rows) {
      const object = Object.fromEntries(names.map((name, i) => [name, row[i]]));
      await emit(out, `${count === 0 ? "\n" : ",\n"}${JSON.stringify(object)}`);
      count++;
    }
  }
  out.write(count === 0 ? "]\n" : "\n]\n");
  return count;
}

async function writeTable(result: DuckDBResult, out: Output): Promise<number> {
  const names = result.columnNames();
  const right = result.columnTypes().map((type: DuckDBType) => NUMERIC.has(type.typeId));
  const shown: string[][] = [];
  let count = 0;
  for await (const rows of result.yieldRows()) {
    for (const row of rows) {
      if (shown.length < TABLE_ROW_LIMIT) shown.push(row.map((v) => cell(text(v))));
      count++;
    }
  }
  const widths = names.map((name, i) => Math.max(name.length, ...shown.map((row) => row[i].length)));
  const line = (values: string[]) => values.map((v, i) => (right[i] ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join(" │ ").trimEnd();
  out.write(line(names) + "\n");
  out.write(widths.map((w) => "─".repeat(w)).join("─┼─") + "\n");
  for (const row of shown) await emit(out, line(row) + "\n");
  const more = count > shown.length ? ` (${shown.length} shown; use --format csv or json for all)` : "";
  out.write(`(${counted(count, "row")}${more})\n`);
  return count;
}
