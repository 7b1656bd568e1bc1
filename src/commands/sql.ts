/**
 * `sql`: query a DuckDB file with the bundled DuckDB — no DuckDB CLI needed. The file is
 * opened read-only under the project's fixed catalog name (see `openDatabase`), so
 * `bigcommerce.orders` and `bigcommerce_analytics.daily_sales` resolve. The query comes from
 * the argument, else from piped stdin, else (on a terminal) from an interactive prompt.
 *
 * A query DuckDB rejects before running it (syntax, unknown table or column) is bad input
 * (exit 2); a failure while it runs is exit 1.
 */
import { createInterface } from "node:readline";
import type { DuckDBConnection } from "@duckdb/node-api";
import { type Database, openDatabase } from "../destinations/duckdb/connection.ts";
import { write } from "../log.ts";
import { InputError, RuntimeFailure } from "../errors.ts";
import { loadedFile, parseCommand } from "./args.ts";
import { SQL } from "./specs.ts";
import { type Format, FORMATS, type Output, writeResult } from "./sql-output.ts";

/** DuckDB error kinds that mean the query itself is wrong for this file (bad input). */
const REJECTED = /^(Parser|Binder|Catalog|Parameter Not Allowed|Not implemented) Error/;

/** A DuckDB error as ours: bad input when DuckDB rejected the query, a runtime failure otherwise. */
async function queryError(error: unknown, connection: DuckDBConnection): Promise<Error> {
  const message = (error instanceof Error ? error.message : String(error)).replace(/^Failed to extract statements: /, "");
  if (!REJECTED.test(message)) return new RuntimeFailure(`query failed: ${message}`, { cause: error });
  let hint = "";
  if (message.startsWith("Catalog Error")) {
    const schemas = (await connection.runAndReadAll(
      "SELECT DISTINCT table_schema FROM information_schema.tables WHERE table_catalog = current_database() ORDER BY 1",
    ).catch(() => undefined))?.getRows().map(([s]) => String(s)) ?? [];
    if (schemas.length > 0) hint = `\n(schemas in this file: ${schemas.join(", ")}; qualify names, e.g. ${schemas[0]}.<table>; \`.tables\` at the prompt lists them)`;
  }
  return new InputError(`query rejected: ${message}${hint}`);
}

/** Runs every statement of `sql`, printing each one's result. */
export async function runStatements(connection: DuckDBConnection, sql: string, format: Format, out: Output): Promise<void> {
  let statements;
  try {
    statements = await connection.extractStatements(sql);
  } catch (error) {
    throw await queryError(error, connection);
  }
  if (statements.count === 0) throw new InputError("the query is empty");
  for (let i = 0; i < statements.count; i++) {
    let result;
    try {
      result = await (await statements.prepare(i)).stream();
    } catch (error) {
      throw await queryError(error, connection);
    }
    try {
      await writeResult(result, format, out);
    } catch (error) {
      throw await queryError(error, connection);
    }
  }
}

async function readStdin(): Promise<string> {
  let text = "";
  process.stdin.setEncoding("utf8");
  for await (const chunk of process.stdin) text += chunk;
  return text;
}

const TABLES_SQL = `SELECT table_schema AS schema, table_name AS name, lower(table_type) AS type
  FROM information_schema.tables WHERE table_catalog = current_database() ORDER BY 1, 2`;

/** The interactive prompt: statements end with `;`; errors are printed and the prompt goes on. */
async function prompt(connection: DuckDBConnection, initial: Format, path: string): Promise<number> {
  let format = initial;
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: "sql> ", historySize: 500 });
  process.stdout.write(`Connected to ${path} (read-only). End statements with ';'. .tables lists tables and views, .help for more, .quit or Ctrl-D to leave.\n`);
  let buffer = "";
  const report = (error: unknown) => process.stdout.write(`${error instanceof Error ? error.message : String(error)}\n`);
  rl.on("SIGINT", () => {
    if (buffer === "") return rl.close();
    buffer = "";
    process.stdout.write("\n");
    rl.setPrompt("sql> ");
    rl.prompt();
  });
  rl.prompt();
  for await (const line of rl) {
    const trimmed = line.trim();
    if (buffer === "" && trimmed.startsWith(".")) {
      const [command, argument] = trimmed.split(/\s+/);
      if (command === ".quit" || command === ".exit") break;
      if (command === ".tables") await runStatements(connection, TABLES_SQL, "table", process.stdout).catch(report);
      else if (command === ".format" && (FORMATS as readonly string[]).includes(argument)) format = argument as Format;
      else if (command === ".help") process.stdout.write(".tables          list tables and views\n.format FORMAT   table, csv or json\n.quit            leave\n");
      else process.stdout.write(`unknown command ${trimmed} (.tables, .format table|csv|json, .help, .quit)\n`);
      rl.prompt();
      continue;
    }
    buffer += (buffer ? "\n" : "") + line;
    if (trimmed.endsWith(";")) {
      const sql = buffer;
      buffer = "";
      await runStatements(connection, sql, format, process.stdout).catch(report);
    }
    rl.setPrompt(buffer === "" ? "sql> " : "  -> ");
    rl.prompt();
  }
  rl.close();
  return 0;
}

/** Runs `sql`. */
export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseCommand(SQL, args);
  const path = loadedFile("sql", values.duckdb);
  const format = values.format ?? "table";
  if (!(FORMATS as readonly string[]).includes(format)) throw new InputError(`--format must be table, csv or json (got ${JSON.stringify(format)})`);
  const interactive = positionals.length === 0 && process.stdin.isTTY === true;
  const sql: string | undefined = positionals.length > 0 ? positionals[0] : interactive ? undefined : await readStdin();
  if (sql !== undefined && sql.trim() === "") throw new InputError("sql needs a QUERY (as an argument, on stdin, or typed at the prompt in a terminal)");
  const database: Database = await openDatabase(path, { readOnly: true, waitForWriter: (message) => write("warn", message) });
  try {
    if (sql === undefined) return await prompt(database.connection, format as Format, path);
    await runStatements(database.connection, sql, format as Format, process.stdout);
    return 0;
  } finally {
    database.close();
  }
}
