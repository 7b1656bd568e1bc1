/**
 * The one place a column's logical type is decided: from what the spec says of the
 * field (its `SpecKind`) and the reviewed override table (`streams/column-types.ts`),
 * never from data. Singer schemas and DuckDB columns both read the result.
 */
import { columnTypeRules } from "../../streams/column-types.ts";
import { schemaTypes } from "./columns.ts";
import type { ColumnException, ColumnType, ColumnTypeRules, JsonSchema, SpecKind } from "./types.ts";

/** What a spec says of a field's type; `undefined` for a field the spec does not list. */
export function specKind(schema: JsonSchema | undefined): SpecKind {
  if (schema === undefined) return "undeclared";
  const types = schemaTypes(schema);
  if (types.length === 0) return "missing";
  if (types.length > 1) return [...types].sort().join("|");
  const [type] = types;
  if (type === "array") return `list:${schema.items ? specKind(schema.items) : "missing"}`;
  if (type === "string" && schema.format === "decimal") return "decimal-string";
  if (type === "string" && (schema.format === "date-time" || schema.format === "date")) return schema.format;
  return type;
}

/** The type a spec kind gets when no rule decides. */
function kindType(kind: SpecKind): ColumnType {
  switch (kind) {
    case "integer":
    case "number":
    case "boolean":
    case "string":
      return kind;
    case "decimal-string":
      return "decimal";
    case "date-time":
      return "timestamp";
    case "date":
      return "date";
    case "missing":
      return "string"; // declared with no type: text (objects and lists of untyped items are JSON)
  }
  // A list of scalars of one known type; items of no stated type (or objects) stay JSON.
  if (kind.startsWith("list:") && kind !== "list:missing") {
    const item = kindType(kind.slice(5));
    return typeof item === "string" && item !== "json" ? { list: item } : "json";
  }
  // Objects, several types, and fields the spec does not list: JSON holds any value exactly.
  return "json";
}

/** Where a column is: its table, its flat name and the field's own key. */
export interface ColumnPlace {
  table: string;
  column: string;
  key: string;
}

/** The exception for one column, if the override table has one. */
export function columnException(place: Pick<ColumnPlace, "table" | "column">, rules: ColumnTypeRules = columnTypeRules): ColumnException | undefined {
  return rules.exceptions.find((e) => e.table === place.table && e.column === place.column);
}

/** The logical type of a column: its exception, else the first matching name rule, else the spec's type. */
export function decideColumnType(place: ColumnPlace, schema: JsonSchema | undefined, rules: ColumnTypeRules = columnTypeRules): ColumnType {
  const exception = columnException(place, rules);
  if (exception) return exception.type;
  const kind = specKind(schema);
  const rule = rules.names.find((r) => r.name.test(place.key) && r.kinds.includes(kind));
  return rule ? rule.type : kindType(kind);
}

/** The columns the override table adds to a table up front (fields the spec does not list). */
export function addedColumns(table: string, rules: ColumnTypeRules = columnTypeRules): ColumnException[] {
  return rules.exceptions.filter((e) => e.table === table && e.added === true);
}
