/** Argument helpers shared by the commands: strict parsing, config, catalog/streams selection, state. */
import { parseArgs, type ParseArgsConfig } from "node:util";

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig["options"]>;
type Parsed<T extends ParseArgsOptionsConfig> = ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: false; strict: true }>>;
import { readFileSync } from "node:fs";
import { VERSION } from "../config/about.ts";
import { closest, type Config, loadConfig, parseJsonFile } from "../config/load.ts";
import { defaultSelection, selectionFromCatalog, selectionOf } from "../engine/catalog.ts";
import { parseState } from "../engine/state.ts";
import type { Selection } from "../engine/sync.ts";
import type { State } from "../engine/types.ts";
import { InputError } from "../errors.ts";
import { registerSecret } from "../log.ts";

/** Usage text. */
export const USAGE = `tap-bigcommerce ${VERSION}

Singer:
  tap-bigcommerce --about [--format json|markdown]
  tap-bigcommerce --config FILE [--config FILE2 ...] --discover
  tap-bigcommerce --config FILE [--catalog FILE] [--state FILE]

Commands:
  load      --config FILE --duckdb PATH [--catalog FILE | --streams a,b] [--full-refresh] [--schema NAME]
  check     --config FILE
  export    --duckdb PATH --format csv|parquet --out DIR
  report    --duckdb PATH --out FILE.html
  emulator  --port N [--store-hash H] [--token T] [--seed S --orders N ...]
  demo      [--duckdb PATH]
  sql       --duckdb PATH ["QUERY"] [--format table|csv|json]

Exit codes: 0 success, 1 runtime failure, 2 bad input.`;

/** Reads a JSON file for an argument, with errors that name the argument and the file. */
export function readJsonArg(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new InputError(`${what} file ${path} cannot be read: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
  return parseJsonFile(text, `${what} file ${path}`);
}

/** Parses arguments strictly; unknown flags are bad input. */
export function parse<const T extends ParseArgsOptionsConfig>(args: string[], options: T): Parsed<T> {
  return strictParse(args, options, false) as Parsed<T>;
}

/** Like `parse`, and also takes positional arguments (e.g. the query of `sql`). */
export function parseWithPositionals<const T extends ParseArgsOptionsConfig>(args: string[], options: T): Parsed<T> & { positionals: string[] } {
  return strictParse(args, options, true) as Parsed<T> & { positionals: string[] };
}

function strictParse<const T extends ParseArgsOptionsConfig>(args: string[], options: T, allowPositionals: boolean) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (error) {
    const unknown = /^Unknown option '--?([^']+)'/.exec((error as Error).message)?.[1];
    const hint = unknown ? closest(unknown, Object.keys(options)) : undefined;
    throw new InputError(`${(error as Error).message}${hint ? `; did you mean '--${hint}'?` : ""}\n\n${USAGE}`);
  }
}

/** Loads config from the repeated --config flags (and the environment). */
export function configFrom(paths: string[] | undefined): Config {
  if (!paths || paths.length === 0) throw new InputError("--config FILE is required");
  const config = loadConfig(paths);
  registerSecret(config.access_token);
  return config;
}

/** The selection from --catalog, --streams, or the defaults. */
export function selectionFrom(catalogPath: string | undefined, streams: string | undefined): Selection {
  if (catalogPath && streams) throw new InputError("give either --catalog or --streams, not both");
  if (catalogPath) return selectionFromCatalog(readJsonArg(catalogPath, "catalog"), catalogPath);
  if (streams) return selectionOf(streams.split(",").map((s) => s.trim()).filter(Boolean));
  return defaultSelection();
}

/** Reads --state, if given. */
export function stateFrom(path: string | undefined): State | undefined {
  return path ? parseState(readJsonArg(path, "state"), path) : undefined;
}

