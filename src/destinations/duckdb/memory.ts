/**
 * DuckDB's memory limit through a load. A load into tables that hold no rows only appends: a
 * batch's rows wait in its transaction, and DuckDB spills what the limit cannot hold. Deleting
 * stored rows is what needs room — DuckDB holds memory, until the batch commits, for every row
 * group its deletes touch (docs/duckdb.md#memory). So a load into a schema whose tables hold no
 * rows (in a file with the tap's 64 KiB blocks) runs DuckDB at `APPEND_SHARE` of
 * `duckdb_memory_limit`, and gives it all of it back for a staged batch (its temporary tables
 * keep 256 KiB blocks) and when the load ends. Measured (rate limit off, one run
 * each): a first load of 1M orders peaked at 772 MB at 96MB against 893 MB at 256MB, about the
 * same CPU; 100 000 orders 463–469 MB against 508–514 MB (docs/performance.md).
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { memoryBytes } from "../../memory-size.ts";
import { NEW_FILE_BLOCK_SIZE } from "./connection.ts";
import { literal } from "./sql.ts";

/** The share of `duckdb_memory_limit` DuckDB gets while a load only appends into tables that held no rows (256MB → 96MB). */
export const APPEND_SHARE = 3 / 8;

/**
 * True when a load into `schema` only appends cheaply: no data table of it holds a row (the
 * bookkeeping tables, `_`-prefixed, aside), and the file has the tap's small blocks (a file made
 * with DuckDB's 256 KiB blocks needs four times the memory per column a batch writes).
 */
async function appendsCheaply(connection: DuckDBConnection, schema: string): Promise<boolean> {
  const reader = await connection.runAndReadAll(
    `SELECT (SELECT block_size FROM pragma_database_size() WHERE database_name = current_database()) <= ${NEW_FILE_BLOCK_SIZE}
        AND NOT EXISTS (SELECT 1 FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = ${literal(schema)}
                          AND NOT starts_with(table_name, '_') AND estimated_size > 0)`,
  );
  return reader.getRows()[0]![0] === true;
}

/** DuckDB's memory limit through one load (see above). */
export class MemoryBudget {
  /** The whole limit, while DuckDB runs at its share (undefined once given back, or never lowered). */
  #restore: string | undefined;

  /** `appendLimit`: DuckDB's limit while the load appends, as DuckDB reads it (undefined: the whole limit throughout). */
  private constructor(readonly connection: DuckDBConnection, readonly limit: string | undefined, readonly appendLimit: string | undefined) {
    this.#restore = appendLimit === undefined ? undefined : limit;
  }

  /** Lowers DuckDB's limit to its append share when `limit` is given and a load into `schema` only appends cheaply (above). */
  static async start(connection: DuckDBConnection, schema: string, limit: string | undefined): Promise<MemoryBudget> {
    const bytes = limit === undefined ? undefined : memoryBytes(limit);
    if (bytes === undefined || !await appendsCheaply(connection, schema)) return new MemoryBudget(connection, limit, undefined);
    await connection.run(`SET memory_limit = ${literal(`${Math.floor(bytes * APPEND_SHARE)}B`)}`);
    const reader = await connection.runAndReadAll("SELECT current_setting('memory_limit')");
    return new MemoryBudget(connection, limit, String(reader.getRows()[0]![0]));
  }

  /** Gives DuckDB the whole limit back (once; a no-op after). */
  async whole(): Promise<void> {
    const limit = this.#restore;
    if (limit === undefined) return;
    this.#restore = undefined;
    await this.connection.run(`SET memory_limit = ${literal(limit)}`);
  }
}
