/**
 * The proof a `replace` needs. Swapping a stream's tables for what one read brought deletes
 * every stored row the read did not bring again; that is safe only when the read is known to
 * be complete. A read the API affirmed (its `stream-end` carries a `proof`: the list's own
 * total, a count endpoint, the one object asked for) is swapped in whatever it holds, an empty
 * store's empty read included. A read nothing affirmed (a v2 list without a count endpoint, a
 * page without totals, a best-effort list that answered 404) may still be short, and the old
 * table is the only evidence left: such a read may not empty a table that holds rows, nor
 * remove more than `maxFraction` of them (the `reconcile_max_fraction` setting), unless forced.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { ident, qualified } from "./sql.ts";
import { DELETED_AT } from "./tables.ts";
import { counted } from "../../plural.ts";

/** What a swap would do to one table: rows stored now, rows the read staged, stored rows it would remove. */
export interface ReplaceLoss {
  table: string;
  stored: number;
  staged: number;
  removed: number;
}

/**
 * Counts what swapping `staging` in for `table` would remove: stored rows whose primary key
 * the staged rows do not have (without a key: the shortfall in rows). Rows already marked
 * deleted (`_deleted_at`, when the table has it) are not counted: the store lost them before.
 * `staging` undefined: the read brought no row for the table.
 */
export async function replaceLoss(
  connection: DuckDBConnection,
  schema: string,
  table: string,
  staging: string | undefined,
  primaryKey: readonly string[],
  markedDeleted: boolean,
): Promise<ReplaceLoss> {
  const count = async (sql: string) => Number((await (await connection.runAndReadAll(sql)).getRowObjects())[0].n);
  const live = markedDeleted ? `t.${ident(DELETED_AT)} IS NULL` : "true";
  const stored = await count(`SELECT count(*) AS n FROM ${qualified(schema, table)} t WHERE ${live}`);
  const staged = staging === undefined ? 0 : await count(`SELECT count(*) AS n FROM ${qualified(schema, staging)}`);
  if (stored === 0 || staging === undefined || primaryKey.length === 0) return { table, stored, staged, removed: Math.max(0, stored - staged) };
  const match = primaryKey.map((k) => `s.${ident(k)} IS NOT DISTINCT FROM t.${ident(k)}`).join(" AND ");
  const removed = await count(
    `SELECT count(*) AS n FROM ${qualified(schema, table)} t WHERE ${live} AND NOT EXISTS (SELECT 1 FROM ${qualified(schema, staging)} s WHERE ${match})`,
  );
  return { table, stored, staged, removed };
}

/** Why an unaffirmed read may not replace the table, or undefined when it may. */
export function replaceRefusal(stream: string, loss: ReplaceLoss, maxFraction: number): string | undefined {
  if (loss.stored === 0 || loss.removed === 0) return undefined;
  const unproven = `the API did not affirm the read of ${stream} by a count`;
  const keep = `table ${loss.table} and the state of ${stream} are kept as they were. If the store really lost those rows, run again with --force`;
  if (loss.staged === 0) return `replace of ${stream} refused: the read brought no ${loss.table} rows where ${loss.stored} are stored, and ${unproven}; ${keep}`;
  const share = loss.removed / loss.stored;
  if (share <= maxFraction) return undefined;
  return `replace of ${stream} refused: it would remove ${loss.removed} of the ${counted(loss.stored, "row")} of ${loss.table} (${Math.round(share * 100)}%), ` +
    `more than reconcile_max_fraction ${maxFraction}, and ${unproven}; ${keep}`;
}
