/**
 * Logical column types ↔ DuckDB types, and the SQL that converts stored values to text or
 * JSON. The mapping: integer→BIGINT, number→DOUBLE, decimal→DECIMAL(18,4),
 * rate→DECIMAL(20,10), boolean→BOOLEAN, timestamp→TIMESTAMPTZ, date→DATE, string→VARCHAR, json→JSON, {list:T}→T[].
 */
import { DECIMAL_DIGITS, typeName } from "../../engine/columns.ts";
import type { ColumnType } from "../../engine/types.ts";

export { typeName };

/** The DuckDB type of a logical column type. */
export function sqlType(type: ColumnType): string {
  if (typeof type === "object") return `${sqlType(type.list)}[]`;
  switch (type) {
    case "integer":
      return "BIGINT";
    case "number":
      return "DOUBLE";
    case "decimal":
    case "rate": {
      const { precision, scale } = DECIMAL_DIGITS[type];
      return `DECIMAL(${precision},${scale})`;
    }
    case "boolean":
      return "BOOLEAN";
    case "timestamp":
      return "TIMESTAMPTZ";
    case "date":
      return "DATE";
    case "string":
      return "VARCHAR";
    case "json":
      return "JSON";
  }
}

const FROM_SQL: Record<string, ColumnType> = {
  BIGINT: "integer",
  INTEGER: "integer",
  SMALLINT: "integer",
  TINYINT: "integer",
  HUGEINT: "integer",
  UBIGINT: "integer",
  UINTEGER: "integer",
  USMALLINT: "integer",
  UTINYINT: "integer",
  DOUBLE: "number",
  FLOAT: "number",
  BOOLEAN: "boolean",
  "TIMESTAMP WITH TIME ZONE": "timestamp",
  TIMESTAMPTZ: "timestamp",
  DATE: "date",
  VARCHAR: "string",
  JSON: "json",
};

/**
 * The logical type of a stored DuckDB column (`information_schema.columns.data_type`).
 * Types this destination never creates read as `string` (values are then written as text).
 */
export function logicalType(dataType: string): ColumnType {
  const upper = dataType.trim().toUpperCase();
  if (upper.endsWith("[]")) return { list: logicalType(upper.slice(0, -2)) };
  if (upper === sqlType("rate")) return "rate";
  if (upper.startsWith("DECIMAL") || upper.startsWith("NUMERIC")) return "decimal";
  return FROM_SQL[upper] ?? "string";
}

/** True when two logical types are the same. */
export function sameType(a: ColumnType, b: ColumnType): boolean {
  return typeName(a) === typeName(b);
}

/** ISO 8601 in UTC with milliseconds, as the engine writes timestamps (the session runs in UTC). */
const ISO_FORMAT = "'%Y-%m-%dT%H:%M:%S.%gZ'";

/**
 * SQL converting `expr` of type `from` to text or JSON, where nothing can be lost: used by
 * `ALTER … USING` so that stored values read like the values the engine sends (timestamps
 * ISO 8601 text, strings JSON strings rather than parsed JSON).
 */
export function convertSql(expr: string, from: ColumnType, to: "string" | "json"): string {
  if (sameType(from, to)) return expr;
  if (to === "json") return `to_json(${expr})`;
  if (from === "timestamp") return `strftime(${expr}, ${ISO_FORMAT})`;
  if (typeof from === "object") return `CAST(to_json(${expr}) AS VARCHAR)`;
  return `CAST(${expr} AS VARCHAR)`;
}
