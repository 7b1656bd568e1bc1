/** Opening a DuckDB file: one instance and one connection, its session in UTC. */
import { existsSync } from "node:fs";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { RuntimeFailure } from "../../errors.ts";
import { literal } from "./sql.ts";

/** An open DuckDB file. */
export interface Database {
  instance: DuckDBInstance;
  connection: DuckDBConnection;
  /** Closes the connection and the instance (checkpointing the file). */
  close(): void;
}

/**
 * The name the file is attached under. DuckDB otherwise names a file's catalog after the file,
 * and a file called `bigcommerce.duckdb` holding schema `bigcommerce` makes every
 * `bigcommerce.<table>` ambiguous.
 */
export const CATALOG = "tap_bigcommerce_file";

/** Opens (or creates) a DuckDB file; `readOnly` refuses to create it and takes no write lock. */
export async function openDatabase(path: string, options: { readOnly?: boolean } = {}): Promise<Database> {
  if (options.readOnly && path !== ":memory:" && !existsSync(path)) throw new RuntimeFailure(`DuckDB file ${path} does not exist`);
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  if (path !== ":memory:") {
    try {
      await connection.run(`ATTACH ${literal(path)} AS ${CATALOG}${options.readOnly ? " (READ_ONLY)" : ""}`);
      await connection.run(`USE ${CATALOG}`);
    } catch (error) {
      connection.closeSync();
      instance.closeSync();
      throw new RuntimeFailure(`cannot open DuckDB file ${path}: ${(error as Error).message}`, { cause: error });
    }
  }
  await connection.run("SET TimeZone = 'UTC'");
  return {
    instance,
    connection,
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
export async function inTransaction<T>(connection: DuckDBConnection, work: () => Promise<T>): Promise<T> {
  await connection.run("BEGIN TRANSACTION");
  let result: T;
  try {
    result = await work();
  } catch (error) {
    await connection.run("ROLLBACK").catch(() => {});
    throw error;
  }
  await connection.run("COMMIT");
  return result;
}
