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
  let out = values.length === 0 ? "" : encodePart(values[0]);
  for (let i = 1; i < values.length; i++) out += SEPARATOR + encodePart(values[i]);
  return out;
}

function encodePart(value: unknown): string {
  if (value === null || value === undefined) return NULL_PART;
  if (typeof value === "number") return String(value); // never holds `|` or `\`
  const text = String(value);
  return text.includes(SEPARATOR) || text.includes("\\") ? text.replace(/[\\|]/g, (c) => "\\" + c) : text;
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
  if (primaryKey.length === 1) {
    const [field] = primaryKey as [string];
    return (record) => encodePart(record[field]);
  }
  return (record) => {
    let out = encodePart(record[primaryKey[0]!]);
    for (let i = 1; i < primaryKey.length; i++) out += SEPARATOR + encodePart(record[primaryKey[i]!]);
    return out;
  };
}
