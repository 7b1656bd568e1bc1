/**
 * Store-specific fields (`StoreFieldsRule`): the column a field name gets, the `{name, value}`
 * array taken out of a record (and out of its JSON Schema) before flattening, the text a
 * value is stored as, and the names a discovery read finds.
 */
import { collect } from "./paths.ts";
import type { JsonSchema, StoreFieldsRule } from "./types.ts";

/** Pivoted columns per rule when the rule does not say. */
export const DEFAULT_MAX_STORE_COLUMNS = 100;

/** Field names known before a sync (from discovery): stream → rule path → names. */
export type StoreFieldNames = Record<string, Record<string, string[]>>;

/** A rule as planned for one table: the columns its names have so far (name → column). */
export interface Pivot {
  rule: StoreFieldsRule;
  columns: Map<string, string>;
  /** True when the table's shape marks the array as pivoted (the walk skips it; no copy of the record without it is needed). */
  inShape?: boolean;
}

/** A field name as a column name part: accents dropped, lower case, runs of other characters as `_`. */
export function snakeCase(name: string): string {
  const plain = name.normalize("NFKD").replace(/\p{M}+/gu, "").toLowerCase();
  return plain.replace(/[^\p{L}\p{N}]+/gu, "_").replace(/^_+|_+$/g, "") || "field";
}

/** The column a store field name asks for (before the `__2` rule of `addColumn`). */
export function storeFieldColumn(rule: StoreFieldsRule, name: string): string {
  return rule.prefix + snakeCase(name);
}

/** The flat name of a rule's path, where values that cannot be pivoted are kept in `_rescued`. */
export function rescuedKey(rule: StoreFieldsRule): string {
  return rule.path.split(".").join("_");
}

/** A copy of an object without the value at a dotted path (objects on the way are copied, not changed). */
export function withoutPath(object: Record<string, unknown>, path: string): Record<string, unknown> {
  const [head, ...rest] = path.split(".");
  if (!(head in object)) return object;
  const copy = { ...object };
  if (rest.length === 0) delete copy[head];
  else {
    const inner = object[head];
    if (inner === null || typeof inner !== "object" || Array.isArray(inner)) return object;
    copy[head] = withoutPath(inner as Record<string, unknown>, rest.join("."));
  }
  return copy;
}

/** JSON Schema properties without the property at a dotted path (nested through `properties`), copied on the way. */
export function withoutSchemaPath(properties: Record<string, JsonSchema>, path: string): Record<string, JsonSchema> {
  const [head, ...rest] = path.split(".");
  const schema = properties[head];
  if (!schema) return properties;
  const copy = { ...properties };
  if (rest.length === 0) delete copy[head];
  else if (schema.properties) copy[head] = { ...schema, properties: withoutSchemaPath(schema.properties, rest.join(".")) };
  return copy;
}

/** One value as text: strings as they are, numbers and booleans printed, arrays and objects as JSON. */
function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/** The column value of a name's values in one record: the one value as text, several as a JSON array. */
export function pivotText(values: unknown[]): string | null {
  return values.length === 1 ? text(values[0]) : JSON.stringify(values);
}

/** The `{name, value}` entries of an array grouped by name (in first-seen order), and the entries without a name. */
export function groupByName(entries: unknown[]): { byName: Map<string, unknown[]>; unnamed: unknown[] } {
  const byName = new Map<string, unknown[]>();
  const unnamed: unknown[] = [];
  for (const entry of entries) {
    const name = entry !== null && typeof entry === "object" ? (entry as { name?: unknown }).name : undefined;
    if (typeof name !== "string" || name === "") {
      unnamed.push(entry);
      continue;
    }
    const value = (entry as { value?: unknown }).value;
    const list = byName.get(name);
    if (list) list.push(value);
    else byName.set(name, [value]);
  }
  return { byName, unnamed };
}

/** The field names in one listed item, at a path like `billing_address.form_fields[].name`. */
export function namesIn(item: Record<string, unknown>, path: string, where?: string): string[] {
  if (where !== undefined && (item[where] === undefined || item[where] === null)) return [];
  const cut = path.lastIndexOf(".");
  const field = path.slice(cut + 1);
  const holders = cut < 0 ? [item] : collect(item, path.slice(0, cut)).map((c) => c.object);
  return holders.map((h) => h[field]).filter((n): n is string => typeof n === "string" && n !== "");
}
