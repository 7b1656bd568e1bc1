/** `export`: one CSV or Parquet file per table of a loaded DuckDB file. */
import { exportTables } from "../destinations/duckdb/index.ts";
import { InputError } from "../errors.ts";
import { write } from "../log.ts";
import { counted } from "../plural.ts";
import { loadedFile, parseCommand } from "./args.ts";
import { EXPORT } from "./specs.ts";

/** Runs `export`. */
export async function run(args: string[]): Promise<number> {
  const { values } = parseCommand(EXPORT, args);
  const path = loadedFile("export", values.duckdb);
  if (values.format !== "csv" && values.format !== "parquet") {
    throw new InputError(`export needs --format csv or --format parquet (got ${JSON.stringify(values.format ?? null)})`);
  }
  if (!values.out) throw new InputError("export needs --out DIR");
  const files = await exportTables({
    path, schema: values.schema, format: values.format, outDir: values.out, waitForWriter: (message) => write("warn", message),
  });
  for (const file of files) process.stdout.write(file + "\n");
  process.stderr.write(`exported ${counted(files.length, "table")} to ${values.out}\n`);
  return 0;
}
