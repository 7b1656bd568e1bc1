/**
 * Timestamps: the store keeps whole epoch seconds; v2 renders RFC 2822, v3 ISO 8601.
 * Query filters accept RFC 2822, ISO 8601 (date, date-time, with or without offset) and Unix seconds.
 */

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** Epoch seconds → `Tue, 20 Nov 2012 00:00:00 +0000` (v2). */
export function rfc2822(seconds: number): string {
  const d = new Date(seconds * 1000);
  return `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

/** Epoch seconds → `2024-03-01T10:20:30+00:00` (v3 catalog, channels, price lists…). */
export function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 19) + "+00:00";
}

/** Epoch seconds → `2024-03-01T10:20:30Z` (v3 customers, subscribers, transactions). */
export function isoZ(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 19) + "Z";
}

/** Epoch seconds → `2024-03-01 10:20:30` (v2 customer groups, as their spec shows it). */
export function sqlDateTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 19).replace("T", " ");
}

const RFC2822 =
  /^(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+(\d{2}):(\d{2})(?::(\d{2}))?\s*([+-]\d{4}|GMT|UTC|UT|Z)?$/;
const ISO8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

function offsetMinutes(tz: string | undefined): number {
  if (!tz || tz === "Z" || tz === "GMT" || tz === "UTC" || tz === "UT") return 0;
  const sign = tz[0] === "-" ? -1 : 1;
  const digits = tz.slice(1).replace(":", "");
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || "0"));
}

/**
 * Parses a date filter value to epoch milliseconds, or `undefined` when it is not a date.
 * A value without an offset is UTC; a bare date is its midnight.
 */
export function parseDateParam(value: string): number | undefined {
  const text = value.trim();
  if (/^\d{9,11}$/.test(text)) return Number(text) * 1000;
  let m = ISO8601.exec(text);
  if (m) {
    const [, y, mo, d, h = "0", mi = "0", s = "0", frac = "", tz] = m;
    const month = Number(mo) - 1;
    const utc = Date.UTC(Number(y), month, Number(d), Number(h), Number(mi), Number(s), Number(frac.slice(0, 3).padEnd(3, "0")));
    if (!validParts(Number(y), month, Number(d), Number(h), Number(mi), Number(s))) return undefined;
    return utc - offsetMinutes(tz) * 60_000;
  }
  m = RFC2822.exec(text);
  if (m) {
    const [, d, mon, y, h, mi, s = "0", tz] = m;
    const month = MONTHS.findIndex((name) => name.toLowerCase() === mon!.toLowerCase());
    if (month < 0 || !validParts(Number(y), month, Number(d), Number(h), Number(mi), Number(s))) return undefined;
    return Date.UTC(Number(y), month, Number(d), Number(h), Number(mi), Number(s)) - offsetMinutes(tz) * 60_000;
  }
  return undefined;
}

function validParts(y: number, month: number, d: number, h: number, mi: number, s: number): boolean {
  const probe = new Date(Date.UTC(y, month, d));
  return probe.getUTCMonth() === month && probe.getUTCDate() === d && h < 24 && mi < 60 && s < 61;
}

/** A `Date` or date string (any format `parseDateParam` accepts) → epoch seconds. */
export function toSeconds(at: Date | string): number {
  if (at instanceof Date) return Math.floor(at.getTime() / 1000);
  const ms = parseDateParam(at);
  if (ms === undefined) throw new Error(`not a date: ${JSON.stringify(at)}`);
  return Math.floor(ms / 1000);
}
