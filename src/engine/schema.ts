/**
 * Tables from the registry: each stream's JSON Schema compiled into a table plan (flat
 * columns joined by `_`, arrays of objects split into child tables `{table}_{field}`
 * down to `max_nesting_depth`), the table-count limit, and the table list a selection
 * creates.
 */
import { InputError } from "../errors.ts";
import { addedColumns, decideColumnType, specKind } from "./column-rules.ts";
import { schemaTypes } from "./columns.ts";
import { DEFAULT_MAX_STORE_COLUMNS, type Pivot, type StoreFieldNames, storeFieldColumn, withoutSchemaPath } from "./store-fields.ts";
import type { Column, JsonSchema, SpecKind, StreamDefinition, TableSchema } from "./types.ts";

/** Separator between the keys of a flattened path. */
export const SEPARATOR = "_";
/** Column holding values that did not fit their column's type. */
export const RESCUED_COLUMN = "_rescued";
/** Column holding a split child row's position in its array. */
export const INDEX_COLUMN = "_index";

/** How a record's fields map onto a table: a tree that mirrors the record's nesting. */
export interface Shape {
  /** `pivoted`: a store-specific `{name, value}` array, left to its pivot (see `Pivot`) when the record is walked. */
  kind: "object" | "column" | "split" | "pivoted";
  /** For objects: the shape of each known key. */
  props?: Map<string, Shape>;
  /** For columns: the column name. */
  column?: string;
  /** For columns: the column itself, found by name on first use (flattening). */
  target?: Column;
  /** For columns: the column's position in the table, found with `target`. */
  position?: number;
  /** For splits: the child table's plan. */
  child?: TablePlan;
  /**
   * For objects, filled while flattening: the keys of the last object walked, in its order, and
   * what each led to (its shape, `SKIPPED` or undefined for a field the shape lacks). Records
   * of one list share their key order, so the walk finds a key's shape by its position and
   * an identity check instead of a map lookup; a key elsewhere is looked up and remembered.
   */
  seen?: { keys: string[]; subs: (Shape | typeof SKIPPED | undefined)[]; skip: ReadonlySet<string> | undefined };
}

/** A record key the walk was told to leave out (see `Shape.seen`). */
export const SKIPPED: unique symbol = Symbol("skipped");

/** A table with the shape that fills it. */
export interface TablePlan {
  table: TableSchema;
  shape: Shape;
  /** Columns by name, for quick lookups while flattening. */
  byName: Map<string, Column>;
  /** Column positions (in `table.columns`) by name: where flattening writes a column's values. */
  positions: Map<string, number>;
  /** What the spec says of each column taken from it (`specKind`), for review of the loose ones. */
  specKinds: Map<string, SpecKind>;
  /** The stream's store-specific field arrays, pivoted into columns (registry tables only). */
  pivots?: Pivot[];
  /** The position of `_rescued`, found on first use (flattening). */
  rescuedPosition?: number;
}

/** Options that shape tables. */
export interface PlanOptions {
  maxNestingDepth: number;
  /** Store-specific field names known in advance (from discovery): they get their columns up front. */
  storeFields?: StoreFieldNames;
}

/** Builds the table plan of a registry stream (its own table and its split child tables). */
export function planStream(stream: StreamDefinition, options: PlanOptions): TablePlan {
  const table: TableSchema = {
    name: stream.name,
    stream: stream.name,
    primaryKey: [...stream.primaryKey],
    cursor: stream.cursor?.field,
    columns: [],
    writeMode: stream.writeMode,
    depth: 0,
  };
  if (stream.parent) table.parent = { table: stream.parent.stream, keys: { ...(stream.parent.tableKeys ?? stream.parent.keys) } };
  if (stream.archived) table.archived = stream.archived.field;
  const plan = newPlan(table);
  const exclude = new Set([...(stream.exclude ?? []), ...(stream.parent?.source.kind === "inline" ? stream.parent.source.omit ?? [] : [])]);
  let properties = { ...(stream.schema.properties ?? {}) };
  for (const key of exclude) delete properties[key];
  // Store-specific field arrays become columns of this table, not child tables.
  for (const rule of stream.storeFields ?? []) properties = withoutSchemaPath(properties, rule.path);
  const keyColumns = stream.parent ? stream.parent.keys : stream.rowsAt?.keys ?? {};
  for (const key of Object.keys(keyColumns)) {
    properties[key] ??= { type: ["integer", "null"] };
  }
  // Key columns first, in the order the primary key names them.
  const ordered: Record<string, JsonSchema> = {};
  for (const key of stream.primaryKey) if (properties[key]) ordered[key] = properties[key];
  Object.assign(ordered, properties);
  plan.shape = buildObjectShape(plan, ordered, [], options);
  if (stream.storeFields?.length) {
    plan.pivots = stream.storeFields.map((rule) => planPivot(plan, rule, options.storeFields?.[stream.name]?.[rule.path] ?? []));
    for (const pivot of plan.pivots) pivot.inShape = markPivoted(plan.shape, pivot.rule.path.split("."));
  }
  addColumn(plan, { name: RESCUED_COLUMN, type: "json" });
  for (const key of stream.primaryKey) {
    if (!plan.byName.has(key)) throw new Error(`registry: stream ${stream.name} has primary key ${key} that its schema lacks`);
  }
  return plan;
}

/** Marks a pivot's array in the shape (when every object on its path is in the shape): the walk then leaves it out. */
function markPivoted(shape: Shape, path: readonly string[]): boolean {
  const [head, ...rest] = path;
  if (shape.kind !== "object" || !shape.props || head === undefined) return false;
  if (rest.length === 0) {
    if (shape.props.has(head)) return false;
    shape.props.set(head, { kind: "pivoted" });
    return true;
  }
  const next = shape.props.get(head);
  return next !== undefined && markPivoted(next, rest);
}

/** A rule's pivot, with a string column for each name known in advance (up to the rule's column limit). */
function planPivot(plan: TablePlan, rule: Pivot["rule"], names: readonly string[]): Pivot {
  const pivot: Pivot = { rule, columns: new Map() };
  const max = rule.maxColumns ?? DEFAULT_MAX_STORE_COLUMNS;
  for (const name of names) {
    if (pivot.columns.has(name) || pivot.columns.size >= max) continue;
    pivot.columns.set(name, addColumn(plan, { name: storeFieldColumn(rule, name), type: "string" }));
  }
  return pivot;
}

function newPlan(table: TableSchema): TablePlan {
  return { table, shape: { kind: "object", props: new Map() }, byName: new Map(), positions: new Map(), specKinds: new Map() };
}

/** Adds a column to a plan, renaming it when the flat name is already taken by another path. */
export function addColumn(plan: TablePlan, column: Column): string {
  let name = column.name;
  for (let n = 2; plan.byName.has(name); n++) name = `${column.name}__${n}`;
  const added = { ...column, name };
  plan.positions.set(name, plan.table.columns.push(added) - 1);
  plan.byName.set(name, added);
  return name;
}

function buildObjectShape(plan: TablePlan, properties: Record<string, JsonSchema>, prefix: string[], options: PlanOptions): Shape {
  const props = new Map<string, Shape>();
  for (const [key, schema] of Object.entries(properties)) {
    props.set(key, buildShape(plan, key, schema, [...prefix, key], options));
  }
  // Fields BigCommerce sends that the spec leaves out, declared by the override table.
  if (prefix.length === 0) {
    for (const added of addedColumns(plan.table.name)) {
      if (!props.has(added.column)) props.set(added.column, { kind: "column", column: addColumn(plan, { name: added.column, type: added.type }) });
    }
  }
  return { kind: "object", props };
}

function buildShape(plan: TablePlan, key: string, schema: JsonSchema, path: string[], options: PlanOptions): Shape {
  const merged = mergeAlternatives(schema);
  const types = schemaTypes(merged);
  if (types.length === 1 && types[0] === "object" && merged.properties && Object.keys(merged.properties).length > 0) {
    return buildObjectShape(plan, merged.properties, path, options);
  }
  if (types.length === 1 && types[0] === "array" && merged.items) {
    const items = mergeAlternatives(merged.items);
    const itemTypes = schemaTypes(items);
    const objectItems = itemTypes.length === 1 && itemTypes[0] === "object" && items.properties &&
      Object.keys(items.properties).length > 0;
    if (objectItems && plan.table.depth < options.maxNestingDepth) {
      return { kind: "split", child: planChildTable(plan, path, items.properties!, options) };
    }
  }
  const name = path.join(SEPARATOR);
  const column = addColumn(plan, { name, type: decideColumnType({ table: plan.table.name, column: name, key }, merged) });
  plan.specKinds.set(column, specKind(merged));
  return { kind: "column", column };
}

/** Collapses anyOf/oneOf of compatible alternatives into one schema where possible. */
function mergeAlternatives(schema: JsonSchema): JsonSchema {
  const alternatives = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (!alternatives || alternatives.length === 0) return schema;
  const nonNull = alternatives.filter((a) => !(schemaTypes(a).length === 0 && a.type === "null"));
  if (nonNull.length === 1) return { ...nonNull[0], type: [...schemaTypes(nonNull[0]), "null"] };
  return { type: [] };
}

/** The key columns a split child table takes from its parent. */
export function parentKeyColumn(parentColumn: string): string {
  return "_parent" + (parentColumn.startsWith("_") ? parentColumn : SEPARATOR + parentColumn);
}

function planChildTable(parent: TablePlan, path: string[], properties: Record<string, JsonSchema>, options: PlanOptions): TablePlan {
  const name = [parent.table.name, ...path].join(SEPARATOR);
  const keys: Record<string, string> = {};
  for (const key of parent.table.primaryKey) keys[parentKeyColumn(key)] = key;
  const table: TableSchema = {
    name,
    stream: parent.table.stream,
    parent: { table: parent.table.name, keys },
    primaryKey: [...Object.keys(keys), INDEX_COLUMN],
    columns: [],
    writeMode: parent.table.writeMode,
    depth: parent.table.depth + 1,
  };
  const plan = newPlan(table);
  const parentColumns = new Map(parent.table.columns.map((c) => [c.name, c]));
  for (const [childColumn, parentColumn] of Object.entries(keys)) {
    addColumn(plan, { name: childColumn, type: parentColumns.get(parentColumn)?.type ?? "integer" });
  }
  addColumn(plan, { name: INDEX_COLUMN, type: "integer" });
  const reserved = new Set(plan.byName.keys());
  const props = Object.fromEntries(Object.entries(properties).filter(([k]) => !reserved.has(k)));
  plan.shape = buildObjectShape(plan, props, [], options);
  addColumn(plan, { name: RESCUED_COLUMN, type: "json" });
  return plan;
}

/** Every plan of a plan: the plan itself, then its split child tables' plans, depth first. */
export function plansOf(plan: TablePlan): TablePlan[] {
  const out: TablePlan[] = [plan];
  const visit = (shape: Shape) => {
    if (shape.kind === "split" && shape.child) out.push(...plansOf(shape.child));
    for (const sub of shape.props?.values() ?? []) visit(sub);
  };
  visit(plan.shape);
  return out;
}

/** Every table of a plan: the table itself, then its split child tables, depth first. */
export function tablesOf(plan: TablePlan): TableSchema[] {
  return plansOf(plan).map((p) => p.table);
}

/**
 * Refuses a selection whose tables exceed `max_tables`, with a message that says how
 * many, the limit, and what to narrow.
 */
export function enforceTableLimit(tables: TableSchema[], maxTables: number, maxNestingDepth: number): void {
  if (tables.length <= maxTables) return;
  const perStream = new Map<string, number>();
  for (const t of tables) perStream.set(t.stream, (perStream.get(t.stream) ?? 0) + 1);
  const heaviest = [...perStream.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5)
    .map(([s, n]) => `${s} (${n})`).join(", ");
  const split = tables.filter((t) => t.depth > 0).length;
  throw new InputError(
    `the selection would create ${tables.length} tables, over max_tables=${maxTables}. ` +
      `Largest streams: ${heaviest}; ${split} of the tables are split from nested arrays. ` +
      `Deselect streams (catalog 'selected' or --streams), lower max_nesting_depth (now ${maxNestingDepth}; 0 keeps nested arrays as JSON columns), or raise max_tables.`,
  );
}
