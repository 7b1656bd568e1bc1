/**
 * Records → rows: nested objects become `_`-joined columns, arrays of objects become rows
 * of child tables, values are coerced to their column types (what does not fit is kept
 * in `_rescued`), fields the schema did not know add columns (typed by the override
 * rules, never by their values), and store-specific
 * `{name, value}` arrays are pivoted into one column per name.
 */
import { decideColumnType } from "./column-rules.ts";
import { coerce, DOES_NOT_FIT } from "./columns.ts";
import { addColumn, INDEX_COLUMN, RESCUED_COLUMN, SEPARATOR, type Shape, SKIPPED, type TablePlan } from "./schema.ts";
import { DEFAULT_MAX_STORE_COLUMNS, groupByName, type Pivot, pivotText, rescuedKey, storeFieldColumn, withoutPath } from "./store-fields.ts";
import { valueAt } from "./paths.ts";
import { TableRows } from "./table-rows.ts";
import type { Column, Row } from "./types.ts";

/** Where flattened rows go, and what changed on the way. */
export interface FlattenSink {
  /** Rows per table name, column by column. */
  tables: Map<string, TableRows>;
  /** Plans whose columns grew or widened (their schema must be announced again). */
  evolved: Set<TablePlan>;
  /** Rows that kept at least one value in `_rescued`. */
  rescued: number;
}

/** A fresh, empty sink. */
export function newSink(): FlattenSink {
  return { tables: new Map(), evolved: new Set(), rescued: 0 };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The row being written: its plan, its table's rows and its number there, and the values that did not fit. */
interface RowAt {
  plan: TablePlan;
  rows: TableRows;
  row: number;
  sink: FlattenSink;
  /** Values that did not fit, created with the first of them. */
  rescued: Record<string, unknown> | undefined;
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
): void {
  let rows = sink.tables.get(plan.table.name);
  if (!rows) sink.tables.set(plan.table.name, (rows = new TableRows(plan.table.columns)));
  const at: RowAt = { plan, rows, row: rows.length, sink, rescued: undefined };
  for (const name in preset) setValue(at, name, preset[name]);
  let rest = record;
  const pivots = plan.pivots;
  if (pivots) for (const pivot of pivots) if (!pivot.inShape) rest = withoutPath(rest, pivot.rule.path);
  walk(at, plan.shape, rest, "", skip);
  if (pivots) for (const pivot of pivots) pivotInto(at, pivot, valueAt(record, pivot.rule.path));
  rows.set(plan.rescuedPosition ??= positionOf(plan, RESCUED_COLUMN), at.row, at.rescued ?? null);
  if (at.rescued) sink.rescued++;
  rows.length = at.row + 1;
}

function keep(at: RowAt, name: string, value: unknown): void {
  (at.rescued ??= {})[name] = value;
}

/**
 * The record's fields into the row. `prefix` is the flat name of the keys leading to `object`
 * (`""` at the top, else ending in `_`); `skip` names top-level keys to leave out.
 */
function walk(at: RowAt, shape: Shape, object: Record<string, unknown>, prefix: string, skip?: ReadonlySet<string>): void {
  const props = shape.props;
  const top = prefix === "";
  let seen = shape.seen;
  if (seen === undefined || seen.skip !== skip) seen = shape.seen = { keys: [], subs: [], skip };
  const { keys, subs } = seen;
  let i = 0;
  // `for in` with `object[key]` read first is V8's fast path (the key's slot from the enum cache); records are
  // parsed JSON, which has no inherited enumerable keys.
  for (const key in object) {
    const value = object[key];
    let sub: Shape | typeof SKIPPED | undefined;
    // The key the last object had here (interned strings: an identity check), else a lookup remembered for the next.
    if (keys[i] === key) sub = subs[i];
    else {
      sub = top && skip?.has(key) ? SKIPPED : props?.get(key);
      keys[i] = key;
      subs[i] = sub;
    }
    i++;
    if (sub === undefined) {
      // A preset key column the record repeats.
      if (top && at.plan.positions.has(key) && at.rows.get(at.plan.positions.get(key)!, at.row) !== undefined) continue;
      flattenUnknown(at, prefix + key, key, value);
    } else if (sub === SKIPPED || sub.kind === "pivoted") {
      continue; // left out, or read by its pivot
    } else if (sub.kind === "column") {
      if (sub.position === undefined) {
        sub.target = columnOf(at.plan, sub.column!);
        sub.position = positionOf(at.plan, sub.column!);
      }
      setColumn(at, sub.target!, sub.position, value);
    } else if (sub.kind === "object") {
      if (isPlainObject(value)) walk(at, sub, value, prefix + key + SEPARATOR);
      else if (value !== null && value !== undefined) keep(at, prefix + key, value);
    } else if (Array.isArray(value)) {
      splitArray(sub.child!, at, value);
    } else if (value !== null && value !== undefined) {
      keep(at, prefix + key, value);
    }
  }
}

/**
 * A store-specific `{name, value}` array into the row: one string column per name (created,
 * and announced, the first time a name appears). Entries without a name, or beyond the
 * rule's column limit, are kept in `_rescued` under the array's flat path.
 */
function pivotInto(at: RowAt, pivot: Pivot, value: unknown): void {
  if (value === null || value === undefined) return;
  if (!Array.isArray(value)) {
    keep(at, rescuedKey(pivot.rule), value);
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
      column = addColumn(at.plan, { name: storeFieldColumn(pivot.rule, name), type: "string" });
      pivot.columns.set(name, column);
      at.sink.evolved.add(at.plan);
    }
    setValue(at, column, pivotText(values));
  }
  if (kept.length > 0) keep(at, rescuedKey(pivot.rule), kept);
}

/** Rows of a split child table, one per array element, keyed by the parent row's key and `_index`. */
function splitArray(child: TablePlan, parent: RowAt, items: unknown[]): void {
  // The parent row's key values, the same for every element: read once.
  const parentKeys = Object.entries(child.table.parent!.keys).map(([childColumn, parentColumn]) =>
    [childColumn, parent.rows.get(positionOf(parent.plan, parentColumn), parent.row)] as const
  );
  for (let index = 0; index < items.length; index++) {
    const item = items[index];
    const preset: Row = { [INDEX_COLUMN]: index };
    for (const [childColumn, value] of parentKeys) preset[childColumn] = value;
    const record = isPlainObject(item) ? item : { value: item };
    flattenRecord(child, record, parent.sink, preset);
  }
}

/**
 * A field the schema does not know (`name` its flat name, `key` its own): objects flatten, everything
 * else goes to a column typed by the override rules (JSON when no rule names it), created on its first value.
 */
function flattenUnknown(at: RowAt, name: string, key: string, value: unknown): void {
  if (isPlainObject(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) flattenUnknown(at, name + SEPARATOR + k, k, v);
    return;
  }
  const plan = at.plan;
  if (!plan.byName.has(name)) {
    if (value === null || value === undefined) return; // no column for a field never seen with a value
    addColumn(plan, { name, type: decideColumnType({ table: plan.table.name, column: name, key }, undefined) });
    at.sink.evolved.add(plan);
  }
  setValue(at, name, value);
}

/** Sets a column's value (by name), coerced to its type; a value that does not fit is kept in `_rescued`. */
function setValue(at: RowAt, name: string, value: unknown): void {
  setColumn(at, columnOf(at.plan, name), positionOf(at.plan, name), value);
}

function columnOf(plan: TablePlan, name: string): Column {
  const column = plan.byName.get(name);
  if (!column) throw new Error(`flatten: table ${plan.table.name} has no column ${name}`);
  return column;
}

function positionOf(plan: TablePlan, name: string): number {
  const position = plan.positions.get(name);
  if (position === undefined) throw new Error(`flatten: table ${plan.table.name} has no column ${name}`);
  return position;
}

/** Sets a column's value, coerced to its type; a value that does not fit is kept in `_rescued`. */
function setColumn(at: RowAt, column: Column, position: number, value: unknown): void {
  const coerced = coerce(value, column.type);
  if (coerced === DOES_NOT_FIT) {
    keep(at, column.name, value);
    at.rows.set(position, at.row, null);
  } else {
    at.rows.set(position, at.row, coerced);
  }
}
