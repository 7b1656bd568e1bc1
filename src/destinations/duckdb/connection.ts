/** Opening a DuckDB file: one instance and one connection, its session in UTC. */
import { closeSync, existsSync, openSync, readSync, statSync } from "node:fs";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { InputError, RuntimeFailure } from "../../errors.ts";
import { literal } from "./sql.ts";

/** An open DuckDB file. */
export interface Database {
  instance: DuckDBInstance;
  connection: DuckDBConnection;
  /** The `memory_limit` it was opened with (undefined: DuckDB's own). */
  memoryLimit?: string;
  /** Closes the connection and the instance (checkpointing the file). */
  close(): void;
}

/**
 * The name the file is attached under. DuckDB otherwise names a file's catalog after the file,
 * and a file called `bigcommerce.duckdb` holding schema `bigcommerce` makes every
 * `bigcommerce.<table>` ambiguous.
 */
export const CATALOG = "tap_bigcommerce_file";

/** DuckDB's file header: the magic bytes `DUCK` at offset 8. */
const MAGIC = { offset: 8, bytes: "DUCK" };

/**
 * An existing file that is not a DuckDB database (a JSON file given by mistake, an empty
 * file) is bad input: DuckDB would refuse it, or attach it as something else and let rows
 * go nowhere.
 */
function refuseForeignFile(path: string): void {
  if (!existsSync(path) || !statSync(path).isFile()) return;
  const header = Buffer.alloc(MAGIC.offset + MAGIC.bytes.length);
  const fd = openSync(path, "r");
  let read: number;
  try {
    read = readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  if (read === header.length && header.subarray(MAGIC.offset).toString("latin1") === MAGIC.bytes) return;
  throw new InputError(
    `${path} exists but is not a DuckDB database${read === 0 ? " (it is empty)" : ""}: give the path of a DuckDB file, or of a file that does not exist yet`,
  );
}

/** How DuckDB may use the machine while a file is open. */
export interface DatabaseOptions {
  /** DuckDB's `memory_limit` (e.g. `128MB`); past it, DuckDB spills to `<file>.tmp` beside the file. Default: DuckDB's own (80% of RAM). */
  memoryLimit?: string;
  /** Threads DuckDB runs queries on. Default: DuckDB's own (one per core). */
  threads?: number;
}

/** How a file is opened. */
export interface OpenOptions extends DatabaseOptions {
  /** Read only: refuses to create the file and takes no write lock. */
  readOnly?: boolean;
  /**
   * While another process (a load) holds the file's write lock, wait and retry instead of
   * failing; told once, with the line to show (`a load (PID n) is writing FILE; waiting…`).
   */
  waitForWriter?: (message: string) => void;
}

/** DuckDB's error when another process holds the file's lock. */
const LOCKED = /Could not set lock on file .*Conflicting lock is held in .*\(PID (\d+)\)/s;
/** How often a waiting reader tries again. */
const RETRY_MS = 500;

/**
 * DuckDB's allocator gives memory back instead of keeping it for reuse: freed memory past 8 MB
 * is returned after each task (default 128 MB), by a background thread, and bulk inserts
 * buffer one row group, not five. `memory_limit` bounds only the buffer pool; without these
 * the process's RSS grew through a load (20 000 orders: peak 465 MB → 400 MB with them, same
 * CPU; docs/performance.md).
 */
const ALLOCATOR_SETTINGS: Record<string, string> = {
  allocator_flush_threshold: "8MB",
  allocator_background_threads: "true",
  write_buffer_row_group_count: "1",
};

/**
 * The block size of a file this tap creates: 64 KiB, not DuckDB's 256 KiB. Until a transaction
 * commits, DuckDB keeps a block per column being written (and one for its nulls), so what a
 * batch needs grows with the columns of its tables (orders with its children: about 230) times
 * the block size. Measured against 1M stored orders (a batch of 10 000 changed orders and their
 * children, delete + insert): with 256 KiB blocks it ran out of memory at a 96MB limit, with 64
 * KiB blocks it did not; 4 tables × 60 columns × 3 000 rows in one transaction held 36 MB, then
 * 13 MB. The file is about 13% larger (1M orders: 377 MB against 332 MB; 16 KiB blocks made it
 * 2.5× larger). A file created earlier keeps its block size (DuckDB fixes it at creation).
 */
export const NEW_FILE_BLOCK_SIZE = 65536;

/**
 * Rows per row group of the file this tap writes: 16 384, not DuckDB's 122 880. A batch's commit
 * checkpoints the file now and then, and the checkpoint writes a table's last, partly filled row
 * group again with the rows appended to it, so the smaller the row group, the less a load writes
 * twice. Measured (12 batches of 30 000 rows × 60 columns, a commit each): 9.8 s of CPU and 12.2
 * s in the commits with DuckDB's size, 5.5 s and 0.2 s with this one; a first load of 100 000
 * orders, two interleaved pairs: 58.2 and 67.4 s of CPU against 54.0 and 54.4 s (20 000 orders:
 * medians 10.9 → 10.0 s), the same peak RSS. The cost: an incremental batch's deletes hold memory
 * per row group they touch until commit, and there are 7.5× more of them (10 000 random deletes
 * of 2M rows: 35 MB held against 17 MB; docs/duckdb.md#memory, why `duckdb_memory_limit` is
 * 256MB). DuckDB does not keep the size in the file (a file
 * attached without it is written, and at its next checkpoint merged, in row groups of 122 880),
 * so every attach that writes gives it.
 */
export const ROW_GROUP_SIZE = 16384;

/** Opens (or creates) a DuckDB file. */
export async function openDatabase(path: string, options: OpenOptions = {}): Promise<Database> {
  if (options.readOnly && path !== ":memory:" && !existsSync(path)) throw new RuntimeFailure(`DuckDB file ${path} does not exist`);
  if (path !== ":memory:") refuseForeignFile(path);
  const settings: Record<string, string> = {};
  if (options.memoryLimit !== undefined) settings.memory_limit = options.memoryLimit;
  if (options.threads !== undefined) settings.threads = String(options.threads);
  if (path !== ":memory:") settings.temp_directory = `${path}.tmp`;
  Object.assign(settings, ALLOCATOR_SETTINGS);
  const instance = await DuckDBInstance.create(":memory:", settings);
  const connection = await instance.connect();
  let told = false;
  while (path !== ":memory:") {
    try {
      const option = options.readOnly
        ? " (READ_ONLY)"
        : existsSync(path) ? ` (ROW_GROUP_SIZE ${ROW_GROUP_SIZE})` : ` (BLOCK_SIZE ${NEW_FILE_BLOCK_SIZE}, ROW_GROUP_SIZE ${ROW_GROUP_SIZE})`;
      await connection.run(`ATTACH ${literal(path)} AS ${CATALOG}${option}`);
      await connection.run(`USE ${CATALOG}`);
      break;
    } catch (error) {
      const message = (error as Error).message;
      const locked = LOCKED.exec(message);
      if (locked && options.waitForWriter) {
        if (!told) options.waitForWriter(`a load (PID ${locked[1]}) is writing ${path}; waiting…`);
        told = true;
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
        continue;
      }
      connection.closeSync();
      instance.closeSync();
      throw new RuntimeFailure(`cannot open DuckDB file ${path}: ${message}`, { cause: error });
    }
  }
  await connection.run("SET TimeZone = 'UTC'");
  return {
    instance,
    connection,
    memoryLimit: options.memoryLimit,
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** Finishes the transaction the caller opened with `work`: committed when it resolves, rolled back when it throws. */
export async function inOpenTransaction<T>(connection: DuckDBConnection, work: () => Promise<T>): Promise<T> {
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

/** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
export async function inTransaction<T>(connection: DuckDBConnection, work: () => Promise<T>): Promise<T> {
  await connection.run("BEGIN TRANSACTION");
  return await inOpenTransaction(connection, work);
}
