/**
 * The one codec for primary-key strings: a record's key values as one string, for sets of
 * keys in the engine (seek, bookmarks' boundary keys), delete reconciliation and the DuckDB
 * destination. Parts are joined by `|`; a `|` or `\` inside a value is escaped with `\`, and
 * a missing value is `\N`, so distinct keys never encode alike. Keys without `|` and `\`
 * read as before (`12|34`), so bookmarks written by earlier versions still match.
 */

const SEPARATOR = "|";
const NULL_PART = "\\N";

/** Encodes key values (numbers and strings as their text; null/undefined as a marker). */
export function encodeKey(values: readonly unknown[]): string {
  return values.map(encodePart).join(SEPARATOR);
}

function encodePart(value: unknown): string {
  if (value === null || value === undefined) return NULL_PART;
  return String(value).replace(/[\\|]/g, (c) => "\\" + c);
}

/** Decodes an encoded key into its parts as text (null for a missing value). */
export function decodeKey(encoded: string): (string | null)[] {
  const parts: (string | null)[] = [];
  let current = "";
  let nullPart = false;
  for (let i = 0; i < encoded.length; i++) {
    const c = encoded[i];
    if (c === "\\" && i + 1 < encoded.length) {
      const next = encoded[++i];
      if (next === "N") nullPart = true;
      else current += next;
    } else if (c === SEPARATOR) {
      parts.push(nullPart ? null : current);
      current = "";
      nullPart = false;
    } else current += c;
  }
  parts.push(nullPart ? null : current);
  return parts;
}

/** A function giving a record's primary key (the values of `primaryKey`'s fields) as one string. */
export function keyOf(primaryKey: readonly string[]): (record: Record<string, unknown>) => string {
  return (record) => encodeKey(primaryKey.map((k) => record[k]));
}
