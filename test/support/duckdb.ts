/** Comparing DuckDB files written by loads: row counts per table, and rows that differ between two files. */
import { DuckDBInstance } from "@duckdb/node-api";

/** Rows per table of schema `bigcommerce` (bookkeeping tables `_…` left out); the file is opened once for all of them. */
export async function rowCounts(path: string): Promise<Record<string, number>> {
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  try {
    const tables = (await connection.runAndReadAll(
      "select table_name from information_schema.tables where table_schema = 'bigcommerce' and table_name not like '\\_%' escape '\\'",
    )).getRows().map(([t]) => String(t));
    const out: Record<string, number> = {};
    for (const t of tables) out[t] = Number((await connection.runAndReadAll(`select count(*)::int as n from bigcommerce."${t}"`)).getRows()[0][0]);
    return out;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Rows of every table in `a` that differ from `b` (either way), ignoring load bookkeeping columns. */
export async function differences(a: string, b: string): Promise<Record<string, number>> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    await connection.run(`attach '${a}' as a (read_only)`);
    await connection.run(`attach '${b}' as b (read_only)`);
    const tables = (await connection.runAndReadAll(
      "select table_name from information_schema.tables where table_catalog = 'a' and table_schema = 'bigcommerce' and table_name not like '\\_%' escape '\\'",
    )).getRows().map(([t]) => String(t));
    const out: Record<string, number> = {};
    for (const t of tables) {
      const cols = "* exclude (_extracted_at, _load_id, _deleted_at)";
      const sql = `select (select count(*) from (select ${cols} from a.bigcommerce."${t}" except all select ${cols} from b.bigcommerce."${t}")) +
        (select count(*) from (select ${cols} from b.bigcommerce."${t}" except all select ${cols} from a.bigcommerce."${t}")) as n`;
      out[t] = Number((await connection.runAndReadAll(sql)).getRows()[0][0]);
    }
    return out;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
