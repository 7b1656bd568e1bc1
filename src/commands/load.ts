/** `load`: sync straight into a DuckDB file, with the state kept in the file. */
import { InputError } from "../errors.ts";
import type { WriteMode } from "../engine/types.ts";
import { log } from "../log.ts";
import { applyLogFlags, configFrom, parseCommand, selectionFrom } from "./args.ts";
import { LOAD } from "./specs.ts";
import { runLoadCommand } from "./load-run.ts";
import { registry } from "../../streams/index.ts";

const MODES = new Set(["merge", "append", "replace"]);
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Parses `--write-mode stream=mode` (repeatable, or comma-separated). */
export function parseWriteModes(values: string[] | undefined): Record<string, WriteMode> {
  const modes: Record<string, WriteMode> = {};
  for (const item of (values ?? []).flatMap((v) => v.split(","))) {
    const [stream, mode] = item.split("=").map((s) => s.trim());
    if (!stream || !mode) throw new InputError(`--write-mode takes stream=merge|append|replace (got ${JSON.stringify(item)})`);
    if (!MODES.has(mode)) throw new InputError(`--write-mode ${stream}: unknown mode '${mode}' (merge, append or replace)`);
    if (!registry.some((s) => s.name === stream)) throw new InputError(`--write-mode: unknown stream '${stream}'`);
    modes[stream] = mode as WriteMode;
  }
  return modes;
}

/** Runs `load`. */
export async function run(args: string[]): Promise<number> {
  const { values } = parseCommand(LOAD, args);
  const progressSeconds = applyLogFlags(values);
  const config = configFrom(values.config);
  if (!values.duckdb) throw new InputError("load needs --duckdb PATH (the DuckDB file to write)");
  const schema = values.schema ?? "bigcommerce";
  if (!SCHEMA_NAME.test(schema)) throw new InputError(`--schema must be a plain identifier (letters, digits, _), got ${JSON.stringify(schema)}`);
  return await runLoadCommand({
    config,
    selection: selectionFrom(values.catalog, values.streams),
    path: values.duckdb,
    schema,
    fullRefresh: values["full-refresh"],
    writeModes: parseWriteModes(values["write-mode"]),
    reconcileDeletes: values["reconcile-deletes"],
    force: values.force,
    log,
  }, progressSeconds);
}
