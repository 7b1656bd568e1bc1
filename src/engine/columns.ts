/**
 * Column types: derived from a JSON Schema property, inferred from a value, widened when
 * data disagrees, and values coerced to them. Both hosts and every destination see the
 * same typed values.
 */
import type { ColumnType, JsonSchema } from "./types.ts";

/** The non-null JSON Schema types of a property. */
export function schemaTypes(schema: JsonSchema): string[] {
  const t = schema.type;
  const list = Array.isArray(t) ? t : t ? [t] : [];
  return list.filter((x) => x !== "null");
}

/** The column type of a scalar or array property (objects are flattened elsewhere). */
export function columnTypeOf(schema: JsonSchema): ColumnType {
  const types = schemaTypes(schema);
  if (types.length !== 1) {
    if (types.length === 2 && types.includes("integer") && types.includes("number")) return "number";
    return "json";
  }
  switch (types[0]) {
    case "integer":
      return "integer";
    case "number":
      return "number";
    case "boolean":
      return "boolean";
    case "string":
      if (schema.format === "date-time") return "timestamp";
      if (schema.format === "date") return "date";
      if (schema.format === "decimal") return "decimal";
      return "string";
    case "array": {
      const items = schema.items;
      if (!items) return "json";
      const itemTypes = schemaTypes(items);
      if (itemTypes.length === 1 && !["object", "array"].includes(itemTypes[0])) return { list: columnTypeOf(items) };
      return "json";
    }
    default:
      return "json";
  }
}

/** The column type a value would get if its column were unknown. */
export function inferColumnType(value: unknown): ColumnType {
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "string") return "string";
  if (Array.isArray(value)) {
    const scalars = value.filter((x) => x !== null);
    if (scalars.length > 0 && scalars.every((x) => typeof x === "string")) return { list: "string" };
    if (scalars.length > 0 && scalars.every((x) => typeof x === "number")) {
      return { list: scalars.every((x) => Number.isInteger(x)) ? "integer" : "number" };
    }
    return "json";
  }
  return "json";
}

/** A stable text form of a column type, for comparison and messages. */
export function typeName(type: ColumnType): string {
  return typeof type === "string" ? type : `${typeName(type.list)}[]`;
}

/** The narrowest type that holds values of both; types only ever widen. */
export function widenType(a: ColumnType, b: ColumnType): ColumnType {
  if (typeName(a) === typeName(b)) return a;
  if (typeof a === "object" && typeof b === "object") return { list: widenType(a.list, b.list) };
  const numeric = ["integer", "decimal", "number"];
  if (typeof a === "string" && typeof b === "string" && numeric.includes(a) && numeric.includes(b)) {
    if (a === "decimal" || b === "decimal") return a === "number" || b === "number" ? "number" : "decimal";
    return "number";
  }
  if (a === "json" || b === "json" || typeof a === "object" || typeof b === "object") return "json";
  return "string";
}

/** Marker returned by `coerce` when a value does not fit its column type. */
export const DOES_NOT_FIT: unique symbol = Symbol("does-not-fit");

const NUMERIC = /^\s*-?\d+(\.\d+)?([eE][-+]?\d+)?\s*$/;
/** Decimals are DECIMAL(18,4) downstream: at most 14 digits before the point. */
const DECIMAL_FITS = /^\s*-?\d{1,14}(\.\d+)?\s*$/;
/** Integers are 64-bit downstream. */
const INT64_LIMIT = 2 ** 63;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** Parses an RFC 2822 or ISO 8601 timestamp into an ISO 8601 UTC string; undefined when it is neither. */
export function toIsoTimestamp(value: string): string | undefined {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return undefined;
  return new Date(ms).toISOString();
}

/**
 * Coerces a value to its column type: null stays null, v2's empty strings become null for
 * non-string columns, numeric strings become numbers, RFC 2822 and ISO 8601 timestamps
 * become ISO 8601 UTC. Returns DOES_NOT_FIT when the value cannot be represented.
 */
export function coerce(value: unknown, type: ColumnType): unknown {
  if (value === null || value === undefined) return null;
  if (typeof type === "object") {
    if (!Array.isArray(value)) return DOES_NOT_FIT;
    const out = value.map((item) => coerce(item, type.list));
    return out.includes(DOES_NOT_FIT) ? DOES_NOT_FIT : out;
  }
  if (value === "" && type !== "string" && type !== "json") return null;
  switch (type) {
    case "integer":
      if (typeof value === "number") return Number.isInteger(value) && Math.abs(value) < INT64_LIMIT ? value : DOES_NOT_FIT;
      if (typeof value === "string" && /^\s*-?\d+\s*$/.test(value)) {
        const n = Number(value);
        return Number.isSafeInteger(n) ? n : DOES_NOT_FIT;
      }
      return DOES_NOT_FIT;
    case "number":
      if (typeof value === "number") return value;
      if (typeof value === "string" && NUMERIC.test(value)) return Number(value);
      return DOES_NOT_FIT;
    case "decimal":
      if (typeof value === "number") return Number.isFinite(value) && Math.abs(value) < 1e14 ? String(value) : DOES_NOT_FIT;
      if (typeof value === "string" && DECIMAL_FITS.test(value)) return value.trim();
      return DOES_NOT_FIT;
    case "boolean":
      if (typeof value === "boolean") return value;
      if (value === "true" || value === 1) return true;
      if (value === "false" || value === 0) return false;
      return DOES_NOT_FIT;
    case "timestamp":
      if (typeof value !== "string") return DOES_NOT_FIT;
      return toIsoTimestamp(value) ?? DOES_NOT_FIT;
    case "date":
      if (typeof value !== "string") return DOES_NOT_FIT;
      if (DATE_ONLY.test(value)) return value;
      return toIsoTimestamp(value)?.slice(0, 10) ?? DOES_NOT_FIT;
    case "string":
      if (typeof value === "string") return value;
      if (typeof value === "number" || typeof value === "boolean") return String(value);
      return DOES_NOT_FIT;
    case "json":
      return value;
  }
}
