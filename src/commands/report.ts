/**
 * `report`: a self-contained HTML page for a merchant's analyst about a loaded DuckDB file,
 * built on the analytics views (see report-data.ts for what it reads, report-html.ts for the
 * page). Sections whose stream was not loaded say so instead of failing.
 */
import { writeFileSync } from "node:fs";
import { basename } from "node:path";
import { openDatabase } from "../destinations/duckdb/connection.ts";
import { DEFAULT_SCHEMA } from "../destinations/duckdb/types.ts";
import { write } from "../log.ts";
import { InputError } from "../errors.ts";
import { redact } from "../log.ts";
import { loadedFile, parseCommand } from "./args.ts";
import { readReportData } from "./report-data.ts";
import { renderReport } from "./report-html.ts";
import { REPORT } from "./specs.ts";

/** Runs `report`. */
export async function run(args: string[]): Promise<number> {
  const { values } = parseCommand(REPORT, args);
  const path = loadedFile("report", values.duckdb);
  if (!values.out) throw new InputError("report needs --out FILE.html");
  const database = await openDatabase(path, { readOnly: true, waitForWriter: (message) => write("warn", message) });
  let html: string;
  try {
    html = renderReport(await readReportData(database.connection, values.schema ?? DEFAULT_SCHEMA), basename(path));
  } finally {
    database.close();
  }
  writeFileSync(values.out, redact(html));
  process.stderr.write(`wrote ${values.out}\n`);
  return 0;
}
