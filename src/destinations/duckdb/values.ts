/**
 * Engine values → DuckDB values. Conversions are exact: decimals are scaled integers of their
 * text (never rounded), timestamps keep microseconds, dates are day numbers. The `…Value`
 * functions give plain numbers where a double holds the value exactly (below 2^53) and bigints
 * beyond, for the vector writers (`vectors.ts`); `converterFor` gives @duckdb/node-api values
 * for the columns those do not write. A value the stored column cannot hold (e.g. a decimal
 * beyond DECIMAL(18,4)) throws a `ValueError` naming the problem; the batch's transaction then rolls back.
 */
import {
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBListValue,
  DuckDBTimestampTZValue,
  type DuckDBType,
  DuckDBTypeId,
  type DuckDBValue,
} from "@duckdb/node-api";
import { DECIMAL_DIGITS, decimalText } from "../../engine/columns.ts";
import type { ColumnType } from "../../engine/types.ts";

/** A value that cannot be stored in its column. */
export class ValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ValueError";
  }
}

/** Converts one engine value to the DuckDB value of a stored column (`type` logical, `duck` physical). */
export type Converter = (value: unknown) => DuckDBValue;

/** The converter for a column of logical type `type` whose DuckDB type is `duck`. */
export function converterFor(type: ColumnType, duck: DuckDBType): Converter {
  if (typeof type === "object") {
    const item = duck.typeId === DuckDBTypeId.LIST ? converterFor(type.list, duck.valueType) : undefined;
    if (!item) return () => fail(`list column has DuckDB type ${duck}`);
    return (value) => {
      if (value === null || value === undefined) return null;
      if (!Array.isArray(value)) fail(`expected a list, got ${describe(value)}`);
      return new DuckDBListValue(value.map(item));
    };
  }
  const convert = SCALARS[type];
  if (type === "decimal" || type === "rate") {
    const width = duck.typeId === DuckDBTypeId.DECIMAL ? duck.width : DECIMAL_DIGITS[type].precision;
    const scale = duck.typeId === DuckDBTypeId.DECIMAL ? duck.scale : DECIMAL_DIGITS[type].scale;
    return (value) => (value === null || value === undefined ? null : toDecimal(value, width, scale));
  }
  return (value) => (value === null || value === undefined ? null : convert(value));
}

const SCALARS: Record<Exclude<ColumnType, object>, (value: unknown) => DuckDBValue> = {
  integer: (value) => BigInt(integerValue(value)),
  number: toDouble,
  decimal: (value) => toDecimal(value, DECIMAL_DIGITS.decimal.precision, DECIMAL_DIGITS.decimal.scale),
  rate: (value) => toDecimal(value, DECIMAL_DIGITS.rate.precision, DECIMAL_DIGITS.rate.scale),
  boolean: toBoolean,
  timestamp: (value) => new DuckDBTimestampTZValue(BigInt(timestampMicros(value))),
  date: (value) => new DuckDBDateValue(dateDays(value)),
  string: toText,
  json: toJsonText,
};

function fail(message: string): never {
  throw new ValueError(message);
}

function describe(value: unknown): string {
  const text = typeof value === "string" ? JSON.stringify(value) : typeof value === "bigint" ? `${value}n` : safeJson(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** An integer in BIGINT's range: a number when it is a safe integer, else a bigint. */
export function integerValue(value: unknown): number | bigint {
  if (Number.isSafeInteger(value)) return value as number;
  let n: bigint;
  if (typeof value === "bigint") n = value;
  else if (typeof value === "number" && Number.isInteger(value)) n = BigInt(value);
  else if (typeof value === "string" && /^\s*-?\d+\s*$/.test(value)) n = BigInt(value.trim());
  else return fail(`expected an integer, got ${describe(value)}`);
  if (n < INT64_MIN || n > INT64_MAX) fail(`integer ${n} is out of BIGINT range`);
  return n;
}

/** A BOOLEAN's value. */
export function toBoolean(value: unknown): boolean {
  return typeof value === "boolean" ? value : fail(`expected a boolean, got ${describe(value)}`);
}

/** A DOUBLE's value. */
export function toDouble(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
  return fail(`expected a number, got ${describe(value)}`);
}

/** A decimal's exact value in a DECIMAL(width, scale) column; fails when it needs more digits. */
export function toDecimal(value: unknown, width: number, scale: number): DuckDBDecimalValue {
  return new DuckDBDecimalValue(BigInt(decimalValue(value, width, scale)), width, scale);
}

/**
 * A decimal's scaled integer in a DECIMAL(width, scale) column (`"-12.5000"` at scale 4 →
 * -125000): a number when it has at most 15 digits (exact as a double), else a bigint. Fails
 * when the value needs more digits than the column has.
 */
export function decimalValue(value: unknown, width: number, scale: number): number | bigint {
  // The engine's coerced text ("12.5000") is the common case: checked and scaled in one pass.
  if (typeof value === "string") {
    const scaled = scaledText(value, width, scale);
    if (scaled === scaled) return scaled; // not NaN
  }
  const text = decimalText(typeof value === "bigint" ? String(value) : value, width, scale);
  if (text === undefined) fail(`decimal ${typeof value === "string" ? value.trim() : describe(value)} does not fit DECIMAL(${width},${scale})`);
  return scaledDecimal(text, scale);
}

/** Digits a double holds exactly (below 2^53). */
const EXACT_DIGITS = 15;

/**
 * The scaled integer of `text` when it is `decimalText`'s form (an optional "-", whole digits
 * that fit, ".", exactly `scale` digits) with at most 15 digits; NaN for anything else.
 */
function scaledText(text: string, width: number, scale: number): number {
  const length = text.length;
  const point = length - scale - 1;
  const start = text.charCodeAt(0) === 45 ? 1 : 0; // "-"
  if (point <= start || point - start > width - scale || length - start - 1 > EXACT_DIGITS || text.charCodeAt(point) !== 46) return NaN;
  let n = 0;
  for (let i = start; i < length; i++) {
    if (i === point) continue;
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return NaN;
    n = n * 10 + digit;
  }
  return start === 1 ? -n : n;
}

/** The scaled integer of text in `decimalText`'s form (`"-12.5000"` → -125000): a number up to 15 digits, a bigint beyond. */
function scaledDecimal(text: string, scale: number): number | bigint {
  const n = scaledText(text, Infinity, scale);
  if (n === n) return n; // not NaN
  const point = text.length - scale - 1;
  return BigInt(text.slice(0, point) + text.slice(point + 1));
}

const FRACTION = /T[^.]*\.(\d+)/;

/** Microseconds since the epoch of an ISO 8601 timestamp (or a Date): a number when it is a safe integer, else a bigint. */
export function timestampMicros(value: unknown): number | bigint {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) fail("invalid Date");
    return micros(value.getTime(), 0);
  }
  if (typeof value !== "string") return fail(`expected an ISO 8601 timestamp, got ${describe(value)}`);
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) fail(`expected an ISO 8601 timestamp, got ${describe(value)}`);
  // The engine's form (`toISOString`: milliseconds, then Z) has no digits past the milliseconds.
  if (value.length === 24 && value.charCodeAt(23) === 90 && value.charCodeAt(19) === 46) return micros(ms, 0);
  // Date.parse keeps milliseconds; digits 4–6 of the fraction are the remaining microseconds.
  return micros(ms, Number((FRACTION.exec(value)?.[1] ?? "").slice(3, 6).padEnd(3, "0")));
}

/** `ms` milliseconds and `extra` microseconds, in microseconds. */
function micros(ms: number, extra: number): number | bigint {
  const us = ms * 1000 + extra;
  return Number.isSafeInteger(us) ? us : BigInt(ms) * 1000n + BigInt(extra);
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})/;

/** Days since the epoch of `YYYY-MM-DD` (a timestamp's date part also works). */
export function dateDays(value: unknown): number {
  if (value instanceof Date) return Math.floor(value.getTime() / 86_400_000);
  const match = typeof value === "string" ? DATE_ONLY.exec(value) : null;
  if (!match) return fail(`expected a date YYYY-MM-DD, got ${describe(value)}`);
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / 86_400_000;
}

/** A VARCHAR's text: strings as they are, other scalars as text, anything else as JSON. */
export function toText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (value instanceof Date) return value.toISOString();
  return toJsonText(value);
}

const BIGINT_MARK = "\u0000bigint:";

/** JSON text of any engine value; bigints are written as JSON numbers. */
export function toJsonText(value: unknown): string {
  let marked = false;
  const text = JSON.stringify(value, (_key, v) => {
    if (typeof v !== "bigint") return v;
    marked = true;
    return BIGINT_MARK + v.toString();
  });
  if (text === undefined) return fail(`cannot be written as JSON: ${describe(value)}`);
  return marked ? text.replace(/"\\u0000bigint:(-?\d+)"/g, "$1") : text;
}
