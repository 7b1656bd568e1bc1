/** Entry shapes several streams share: each such stream is one line of data in its registry file. */
import type { ChildStreamEntry, JsonSchema, RootStreamEntry } from "../src/engine/types.ts";

/** Metafield lists are incremental on date_modified; the `:min` filter may leave out the records at the bound. */
const METAFIELD_CURSOR = { field: "date_modified", filter: "date_modified:min", upperFilter: "date_modified:max", filterMayExclude: true };

/**
 * The entry of `<owner>_metafields`: one paged v3 list at `path` (not a request per record), keyed by id,
 * incremental on date_modified. `owner` is the record kind the name and description use ("product", "order", …).
 */
export function metafieldsStream(owner: string, path: string, scope: string, schema: JsonSchema): RootStreamEntry {
  return {
    name: `${owner}_metafields`,
    description: `Metafields of every ${owner} (one store-wide list).`,
    api: "v3",
    path,
    primaryKey: ["id"],
    cursor: METAFIELD_CURSOR,
    scope,
    schema,
  };
}

/** What an included child states itself: the rest follows from its parent and the include. */
export interface IncludedRows {
  name: string;
  description: string;
  scope: string;
  schema: JsonSchema;
}

/**
 * A child whose rows come inline with its parent's pages when they ask `include=<include>`, one row per
 * item of the parent's `<include>` array, keyed by (id, `parentKey`), `parentKey` being the parent's id.
 */
export function includedRows(parent: string, parentKey: string, include: string, rows: IncludedRows): ChildStreamEntry {
  return {
    ...rows,
    primaryKey: ["id", parentKey],
    parent: {
      stream: parent,
      keys: { [parentKey]: "id" },
      parentParams: { include },
      source: { kind: "inline", paths: [`${include}[]`] },
    },
  };
}
