/**
 * Records → rows: nested objects become `_`-joined columns, arrays of objects become rows
 * of child tables, values are coerced to their column types (what does not fit is kept
 * in `_rescued`), fields the schema did not know add columns (typed by the override
 * rules, never by their values), and store-specific
 * `{name, value}` arrays are pivoted into one column per name.
 */
import { decideColumnType } from "./column-rules.ts";
import { coerce, DOES_NOT_FIT } from "./columns.ts";
import { addColumn, INDEX_COLUMN, RESCUED_COLUMN, SEPARATOR, type Shape, type TablePlan } from "./schema.ts";
import { DEFAULT_MAX_STORE_COLUMNS, groupByName, type Pivot, pivotText, rescuedKey, storeFieldColumn, withoutPath } from "./store-fields.ts";
import { valueAt } from "./paths.ts";
import type { Column, Row } from "./types.ts";

/** Where flattened rows go, and what changed on the way. */
export interface FlattenSink {
  /** Rows per table name. */
  rows: Map<string, Row[]>;
  /** Plans whose columns grew or widened (their schema must be announced again). */
  evolved: Set<TablePlan>;
  /** Rows that kept at least one value in `_rescued`. */
  rescued: number;
}

/** A fresh, empty sink. */
export function newSink(): FlattenSink {
  return { rows: new Map(), evolved: new Set(), rescued: 0 };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * Flattens one record into a row of `plan`'s table (and rows of its split child tables).
 * `preset` holds columns set from outside the record (a child's keys from its parent);
 * `skip` names record keys to leave out.
 */
export function flattenRecord(
  plan: TablePlan,
  record: Record<string, unknown>,
  sink: FlattenSink,
  preset: Row = {},
  skip?: ReadonlySet<string>,
): Row {
  const row: Row = {};
  const rescued: Rescued = { values: undefined };
  for (const name in preset) setValue(plan, row, rescued, name, preset[name]);
  let rest = record;
  const pivots = plan.pivots;
  if (pivots) for (const pivot of pivots) rest = withoutPath(rest, pivot.rule.path);
  walk(plan, plan.shape, rest, [], "", row, rescued, sink, skip);
  if (pivots) for (const pivot of pivots) pivotInto(plan, pivot, valueAt(record, pivot.rule.path), row, rescued, sink);
  row[RESCUED_COLUMN] = rescued.values ?? null;
  if (rescued.values) sink.rescued++;
  push(sink, plan.table.name, row);
  return row;
}

/** A row's values that did not fit, created with the first of them. */
interface Rescued {
  values: Record<string, unknown> | undefined;
}

function keep(rescued: Rescued, name: string, value: unknown): void {
  (rescued.values ??= {})[name] = value;
}

function push(sink: FlattenSink, table: string, row: Row): void {
  let list = sink.rows.get(table);
  if (!list) sink.rows.set(table, (list = []));
  list.push(row);
}

/**
 * The record's fields into the row. `path` holds the keys leading to `object` (none at the
 * top) and `prefix` their flat name (`""` at the top, else ending in `_`).
 */
function walk(
  plan: TablePlan,
  shape: Shape,
  object: Record<string, unknown>,
  path: readonly string[],
  prefix: string,
  row: Row,
  rescued: Rescued,
  sink: FlattenSink,
  skip?: ReadonlySet<string>,
): void {
  const props = shape.props;
  const top = prefix === "";
  for (const key in object) {
    if (!Object.hasOwn(object, key)) continue;
    if (top && skip?.has(key)) continue;
    const value = object[key];
    const sub = props?.get(key);
    if (sub === undefined) {
      if (top && key in row) continue; // a preset key column the record repeats
      flattenUnknown(plan, [...path, key], value, row, rescued, sink);
    } else if (sub.kind === "column") {
      setColumn(row, rescued, sub.target ??= columnOf(plan, sub.column!), value);
    } else if (sub.kind === "object") {
      if (isPlainObject(value)) walk(plan, sub, value, [...path, key], prefix + key + SEPARATOR, row, rescued, sink);
      else if (value !== null && value !== undefined) keep(rescued, prefix + key, value);
    } else if (Array.isArray(value)) {
      splitArray(sub.child!, row, value, sink);
    } else if (value !== null && value !== undefined) {
      keep(rescued, prefix + key, value);
    }
  }
}

/**
 * A store-specific `{name, value}` array into the row: one string column per name (created,
 * and announced, the first time a name appears). Entries without a name, or beyond the
 * rule's column limit, are kept in `_rescued` under the array's flat path.
 */
function pivotInto(plan: TablePlan, pivot: Pivot, value: unknown, row: Row, rescued: Rescued, sink: FlattenSink): void {
  if (value === null || value === undefined) return;
  if (!Array.isArray(value)) {
    keep(rescued, rescuedKey(pivot.rule), value);
    return;
  }
  const { byName, unnamed } = groupByName(value);
  const kept = [...unnamed];
  for (const [name, values] of byName) {
    let column = pivot.columns.get(name);
    if (column === undefined) {
      if (pivot.columns.size >= (pivot.rule.maxColumns ?? DEFAULT_MAX_STORE_COLUMNS)) {
        kept.push(...values.map((v) => ({ name, value: v })));
        continue;
      }
      column = addColumn(plan, { name: storeFieldColumn(pivot.rule, name), type: "string" });
      pivot.columns.set(name, column);
      sink.evolved.add(plan);
    }
    setValue(plan, row, rescued, column, pivotText(values));
  }
  if (kept.length > 0) keep(rescued, rescuedKey(pivot.rule), kept);
}

/** Rows of a split child table, one per array element, keyed by the parent row's key and `_index`. */
function splitArray(child: TablePlan, parentRow: Row, items: unknown[], sink: FlattenSink): void {
  const keys = child.table.parent!.keys;
  for (let index = 0; index < items.length; index++) {
    const item = items[index];
    const preset: Row = { [INDEX_COLUMN]: index };
    for (const childColumn in keys) preset[childColumn] = parentRow[keys[childColumn]!];
    const record = isPlainObject(item) ? item : { value: item };
    flattenRecord(child, record, sink, preset);
  }
}

/**
 * A field the schema does not know: objects flatten, everything else goes to a column
 * typed by the override rules (JSON when no rule names it), created on its first value.
 */
function flattenUnknown(
  plan: TablePlan,
  path: string[],
  value: unknown,
  row: Row,
  rescued: Rescued,
  sink: FlattenSink,
): void {
  if (isPlainObject(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) flattenUnknown(plan, [...path, k], v, row, rescued, sink);
    return;
  }
  const name = path.join(SEPARATOR);
  if (!plan.byName.has(name)) {
    if (value === null || value === undefined) return; // no column for a field never seen with a value
    addColumn(plan, { name, type: decideColumnType({ table: plan.table.name, column: name, key: path[path.length - 1] }, undefined) });
    sink.evolved.add(plan);
  }
  setValue(plan, row, rescued, name, value);
}

/** Sets a column's value (by name), coerced to its type; a value that does not fit is kept in `_rescued`. */
function setValue(plan: TablePlan, row: Row, rescued: Rescued, name: string, value: unknown): void {
  setColumn(row, rescued, columnOf(plan, name), value);
}

function columnOf(plan: TablePlan, name: string): Column {
  const column = plan.byName.get(name);
  if (!column) throw new Error(`flatten: table ${plan.table.name} has no column ${name}`);
  return column;
}

/** Sets a column's value, coerced to its type; a value that does not fit is kept in `_rescued`. */
function setColumn(row: Row, rescued: Rescued, column: Column, value: unknown): void {
  const coerced = coerce(value, column.type);
  if (coerced === DOES_NOT_FIT) {
    keep(rescued, column.name, value);
    row[column.name] = null;
  } else {
    row[column.name] = coerced;
  }
}
