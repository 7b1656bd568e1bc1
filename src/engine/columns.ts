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
/** `"."` followed by n zeros, for n up to the largest scale. */
const POINT_ZEROS = Array.from({ length: DECIMAL_DIGITS.rate.scale + 1 }, (_, n) => "." + "0".repeat(n));
const ZEROS = "0".repeat(DECIMAL_DIGITS.rate.scale);

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
    if (Number.isInteger(value) && Math.abs(value) < 10 ** Math.min(15, precision - scale)) {
      return String(value === 0 ? 0 : value) + (POINT_ZEROS[scale] ?? `.${"0".repeat(scale)}`);
    }
    text = String(value);
    const padded = paddedFraction(text, precision, scale);
    if (padded !== undefined) return padded;
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
 * A number's text with a fraction and no exponent (`15.16`: JavaScript writes no leading or
 * trailing zeros) padded to `scale` decimals, when it fits; else undefined (the general parse decides).
 */
function paddedFraction(text: string, precision: number, scale: number): string | undefined {
  const point = text.indexOf(".");
  if (point < 0 || scale > ZEROS.length || text.includes("e")) return undefined;
  const decimals = text.length - point - 1;
  const start = text.charCodeAt(0) === 45 ? 1 : 0; // "-"
  const whole = text.charCodeAt(start) === 48 ? 0 : point - start; // "0.5" has no whole digits
  if (decimals > scale || whole > precision - scale) return undefined;
  return text + ZEROS.slice(0, scale - decimals);
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

/** Three characters as one number (for the name tables below). */
function threeLetters(text: string, at: number): number {
  return text.charCodeAt(at) * 2 ** 32 + text.charCodeAt(at + 1) * 2 ** 16 + text.charCodeAt(at + 2);
}
const MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const MONTHS = new Map(MONTH_NAMES.map((name, i) => [threeLetters(name, 0), i]));
const DAYS = new Set(["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].map((name) => threeLetters(name, 0)));
const MONTH_DIGITS = ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12"];

/** The number `count` decimal digits at `at` spell, or -1 when one is not a digit. */
function digitsAt(text: string, at: number, count: number): number {
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

function daysInMonth(year: number, month: number): number {
  if (month !== 1) return month === 3 || month === 5 || month === 8 || month === 10 ? 30 : 31;
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
}

/**
 * The time of v2's RFC 2822 form `Tue, 01 Dec 2026 10:00:00 +0000` (any zone offset), read by
 * character codes to what `Date.parse` gives for it; NaN for any other text and for fields out
 * of range (a 4-digit year from 1000, a real calendar day, 23:59:59 at most), which are left to
 * `Date.parse`. Like `Date.parse`, the day name is not checked against the date.
 */
function v2TimeMs(text: string): number {
  if (
    text.length !== 31 || text.charCodeAt(3) !== 44 || text.charCodeAt(4) !== 32 || text.charCodeAt(7) !== 32 ||
    text.charCodeAt(11) !== 32 || text.charCodeAt(16) !== 32 || text.charCodeAt(19) !== 58 || text.charCodeAt(22) !== 58 ||
    text.charCodeAt(25) !== 32 || !DAYS.has(threeLetters(text, 0))
  ) return NaN;
  const month = MONTHS.get(threeLetters(text, 8));
  const year = digitsAt(text, 12, 4);
  const day = digitsAt(text, 5, 2);
  const hour = digitsAt(text, 17, 2);
  const minute = digitsAt(text, 20, 2);
  const second = digitsAt(text, 23, 2);
  const sign = text.charCodeAt(26);
  const zoneHours = digitsAt(text, 27, 2);
  const zoneMinutes = digitsAt(text, 29, 2);
  if (month === undefined || year < 1000 || day < 1 || day > daysInMonth(year, month)) return NaN;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return NaN;
  if ((sign !== 43 && sign !== 45) || zoneHours < 0 || zoneHours > 23 || zoneMinutes < 0 || zoneMinutes > 59) return NaN;
  const zone = (zoneHours * 60 + zoneMinutes) * 60_000;
  return Date.UTC(year, month, day, hour, minute, second) - (sign === 45 ? -zone : zone);
}

/** The last text `timestampMs` read (a record's cursor is read by every stream that follows it, one after another). */
let lastMsText = "";
let lastMsValue = NaN;

/** A timestamp text's milliseconds, exactly what `Date.parse` gives (v2's RFC 2822 form read by hand). */
export function timestampMs(text: string): number {
  if (text === lastMsText) return lastMsValue;
  const fast = v2TimeMs(text);
  lastMsText = text;
  return (lastMsValue = fast === fast ? fast : Date.parse(text));
}

/**
 * The ISO 8601 UTC text of a timestamp text, as `new Date(…).toISOString()` writes it (undefined
 * when it is none). v2's form with a `+0000` zone is rewritten from its own characters: no
 * `Date`, and `toISOString` is most of what a timestamp costs.
 */
function isoOfText(value: string): string | undefined {
  let ms = v2TimeMs(value);
  if (ms === ms) {
    if (value.endsWith("+0000")) {
      return `${value.slice(12, 16)}-${MONTH_DIGITS[MONTHS.get(threeLetters(value, 8))!]}-${value.slice(5, 7)}T${value.slice(17, 25)}.000Z`;
    }
  } else {
    const text = value.trim();
    const local = SQL_DATE_TIME.exec(text);
    if (UNIX_SECONDS.test(text)) ms = Number(text) * 1000;
    else if (local) ms = Date.parse(`${local[1]}T${local[2]}Z`);
    else ms = Date.parse(text);
  }
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** The last text `toIsoTimestamp` read and its answer (a record often has the same time twice: created and modified). */
let lastIsoText = "";
let lastIsoValue: string | undefined;

/**
 * An RFC 2822 or ISO 8601 timestamp, Unix seconds (a number or digits in a string), or a
 * date and time without a zone (read as UTC), as ISO 8601 UTC; undefined when it is none.
 */
export function toIsoTimestamp(value: unknown): string | undefined {
  if (typeof value === "string") {
    if (value === lastIsoText) return lastIsoValue;
    lastIsoText = value;
    return (lastIsoValue = isoOfText(value));
  }
  if (typeof value !== "number" || !Number.isFinite(value)) return undefined;
  const date = new Date(value * 1000);
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
  if (type === "string" && typeof value === "string") return value; // the most common pair: nothing to do
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
