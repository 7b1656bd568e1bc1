/** Opening a DuckDB file: one instance and one connection, its session in UTC. */
import { existsSync } from "node:fs";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { RuntimeFailure } from "../../errors.ts";

/** An open DuckDB file. */
export interface Database {
  instance: DuckDBInstance;
  connection: DuckDBConnection;
  /** Closes the connection and the instance (checkpointing the file). */
  close(): void;
}

/** Opens (or creates) a DuckDB file; `readOnly` refuses to create it and takes no write lock. */
export async function openDatabase(path: string, options: { readOnly?: boolean } = {}): Promise<Database> {
  if (options.readOnly && path !== ":memory:" && !existsSync(path)) throw new RuntimeFailure(`DuckDB file ${path} does not exist`);
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(path, options.readOnly ? { access_mode: "READ_ONLY" } : {});
  } catch (error) {
    throw new RuntimeFailure(`cannot open DuckDB file ${path}: ${(error as Error).message}`, { cause: error });
  }
  const connection = await instance.connect();
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
