/**
 * Values coerced to their column's logical type (decided in column-rules.ts). Both hosts and every
 * destination see the same typed values: decimals as exact text with their scale's
 * digits, timestamps as ISO 8601 UTC.
 */
import type { ColumnType, JsonSchema } from "./types.ts";

/** The non-null JSON Schema types of a property. */
export function schemaTypes(schema: JsonSchema): string[] {
  const t = schema.type;
  const list = Array.isArray(t) ? t : t ? [t] : [];
  return list.filter((x) => x !== "null");
}

/** A stable text form of a column type, for comparison and messages. */
export function typeName(type: ColumnType): string {
  return typeof type === "string" ? type : `${typeName(type.list)}[]`;
}

/** Marker returned by `coerce` when a value does not fit its column type. */
export const DOES_NOT_FIT: unique symbol = Symbol("does-not-fit");

const NUMERIC = /^\s*-?\d+(\.\d+)?([eE][-+]?\d+)?\s*$/;
/** Integers are 64-bit downstream. */
const INT64_LIMIT = 2 ** 63;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** Precision and scale of the exact decimal types: money DECIMAL(18,4), exchange rates DECIMAL(20,10). */
export const DECIMAL_DIGITS = { decimal: { precision: 18, scale: 4 }, rate: { precision: 20, scale: 10 } } as const;

const DECIMAL_TEXT = /^([-+]?)(\d*)(?:\.(\d*))?(?:[eE]([-+]?\d{1,3}))?$/;

/**
 * The exact text of a decimal with `scale` digits after the point (`12.5` → `"12.5000"`),
 * from a number or a numeric string; undefined when it has more significant decimals than
 * `scale` or more whole digits than `precision - scale`.
 */
export function decimalText(value: unknown, precision: number, scale: number): string | undefined {
  let text: string;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return undefined;
    // A whole number that fits needs no parsing (v3 sends money as JSON numbers, often whole).
    if (Number.isInteger(value) && Math.abs(value) < 10 ** Math.min(15, precision - scale)) return `${value === 0 ? 0 : value}.${"0".repeat(scale)}`;
    text = String(value);
  } else if (typeof value === "string") {
    // v2 sends money as text already in this form ("12.5000"): checked, not rebuilt.
    if (isDecimalText(value, precision, scale)) return value;
    text = value.trim();
  } else return undefined;
  const match = DECIMAL_TEXT.exec(text);
  if (!match || (match[2] === "" && (match[3] ?? "") === "")) return undefined;
  const [, sign, whole, fraction = "", exponent = "0"] = match;
  let digits = whole + fraction;
  let point = whole.length + Number(exponent);
  if (point < 0) {
    digits = "0".repeat(-point) + digits;
    point = 0;
  }
  digits = digits.padEnd(point, "0");
  const integer = digits.slice(0, point).replace(/^0+/, "");
  const decimals = digits.slice(point).replace(/0+$/, "");
  if (decimals.length > scale || integer.length > precision - scale) return undefined;
  const out = `${integer || "0"}.${decimals.padEnd(scale, "0")}`;
  return sign === "-" && /[1-9]/.test(out) ? `-${out}` : out;
}

/**
 * True when `text` is already what `decimalText` returns for it: an optional `-`, whole
 * digits without leading zeros (or one `0`) that fit `precision - scale`, a point and exactly
 * `scale` digits, and not a negative zero. A character loop: no regex, no allocation.
 */
export function isDecimalText(text: string, precision: number, scale: number): boolean {
  const length = text.length;
  const start = text.charCodeAt(0) === 45 ? 1 : 0; // "-"
  const point = length - scale - 1;
  const whole = point - start;
  if (whole < 1 || whole > precision - scale || text.charCodeAt(point) !== 46) return false; // "."
  if (whole > 1 && text.charCodeAt(start) === 48) return false; // a leading zero
  let nonZero = false;
  for (let i = start; i < length; i++) {
    if (i === point) continue;
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
    if (c !== 48) nonZero = true;
  }
  return start === 0 || nonZero;
}

const UNIX_SECONDS = /^-?\d{1,12}$/;
/** `2023-07-17 06:30:41`: a date and time with no zone (v2 customer groups), read as UTC. */
const SQL_DATE_TIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/;

/**
 * An RFC 2822 or ISO 8601 timestamp, Unix seconds (a number or digits in a string), or a
 * date and time without a zone (read as UTC), as ISO 8601 UTC; undefined when it is none.
 */
export function toIsoTimestamp(value: unknown): string | undefined {
  let ms: number;
  if (typeof value === "number") ms = Number.isFinite(value) ? value * 1000 : NaN;
  else if (typeof value !== "string") return undefined;
  else {
    const text = value.trim();
    const local = SQL_DATE_TIME.exec(text);
    if (UNIX_SECONDS.test(text)) ms = Number(text) * 1000;
    else if (local) ms = Date.parse(`${local[1]}T${local[2]}Z`);
    else ms = Date.parse(text);
  }
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * Coerces a value to its column type: null stays null, v2's empty strings become null for
 * non-string columns, numeric strings become numbers, decimals exact text with their
 * scale's digits (`"12.5000"` from v2 and `12.5` from v3 alike), dates ISO 8601 UTC.
 * Returns DOES_NOT_FIT when the value cannot be represented exactly.
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
    case "rate": {
      const { precision, scale } = DECIMAL_DIGITS[type];
      return decimalText(value, precision, scale) ?? DOES_NOT_FIT;
    }
    case "boolean":
      if (typeof value === "boolean") return value;
      if (value === "true" || value === 1) return true;
      if (value === "false" || value === 0) return false;
      return DOES_NOT_FIT;
    case "timestamp":
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
