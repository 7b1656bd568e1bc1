/**
 * Argument handling shared by the commands: strict parsing from the command tables in
 * specs.ts (and help generated from the same tables), config, catalog/streams selection,
 * state, logging flags.
 */
import { existsSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { VERSION } from "../config/about.ts";
import { closest, type Config, configFromEnv, envName, loadConfig, parseJsonFile } from "../config/load.ts";
import { SETTINGS } from "../config/settings.ts";
import { defaultSelection, selectionFromCatalog, selectionOf } from "../engine/catalog.ts";
import { parseState } from "../engine/state.ts";
import type { Selection } from "../engine/sync.ts";
import type { State } from "../engine/types.ts";
import { InputError } from "../errors.ts";
import { configureLogging, log } from "../log.ts";
import { COMMAND_SPECS, type CommandSpec, type FlagSpec, LOG_FLAGS, SINGER } from "./specs.ts";

type FlagValue<F extends FlagSpec> = F["type"] extends "boolean" ? boolean : F["multiple"] extends true ? string[] : string;
/** The parsed flags of a command: each optional, typed by its table entry. */
export type FlagValues<F extends Record<string, FlagSpec>> = { [K in keyof F]?: FlagValue<F[K]> };
/** A parsed command line. */
export interface Parsed<F extends Record<string, FlagSpec>> {
  values: FlagValues<F>;
  positionals: string[];
}

/** The usage line of a command. */
function usageOf(spec: CommandSpec): string {
  return `tap-bigcommerce ${spec.usage}`;
}

function flagLabel(name: string, flag: FlagSpec): string {
  return `${flag.short ? `-${flag.short}, ` : "    "}--${name}${flag.value ? ` ${flag.value}` : ""}`;
}

/** A command's `--help`: usage, every flag, positionals, examples, notes. */
export function helpText(spec: CommandSpec): string {
  const flags = Object.entries(spec.flags);
  const width = Math.max(...flags.map(([name, f]) => flagLabel(name, f).length), ...(spec.positionals ?? []).map((p) => p.name.length + 4));
  const lines = [`tap-bigcommerce ${spec.name === "singer" ? "(Singer mode)" : spec.name}: ${spec.summary}`, "", `Usage: ${usageOf(spec)}`];
  if (spec.positionals?.length) {
    lines.push("", "Arguments:");
    for (const p of spec.positionals) lines.push(`  ${p.name.padEnd(width)}  ${p.help}`);
  }
  lines.push("", "Flags:");
  for (const [name, flag] of flags) lines.push(`  ${flagLabel(name, flag).padEnd(width)}  ${flag.help}${flag.multiple ? " (repeatable)" : ""}`);
  lines.push("", spec.examples.length > 1 ? "Examples:" : "Example:");
  for (const example of spec.examples) lines.push(`  tap-bigcommerce ${example}`);
  for (const note of spec.notes ?? []) lines.push("", note);
  return lines.join("\n") + "\n";
}

/** The overview: every command, then Singer mode's flags. */
export function overviewText(): string {
  const width = Math.max(...COMMAND_SPECS.map((s) => s.name.length));
  return [
    `tap-bigcommerce ${VERSION}: BigCommerce data as a Singer tap, straight into DuckDB, or from the bundled API emulator`,
    "",
    "Usage: tap-bigcommerce COMMAND [flags]     (or Singer mode: tap-bigcommerce [Singer flags], below)",
    "",
    "Commands:",
    ...COMMAND_SPECS.map((s) => `  ${s.name.padEnd(width)}  ${s.summary}`),
    "",
    "`tap-bigcommerce help COMMAND` or `tap-bigcommerce COMMAND --help` shows a command's flags and examples.",
    "Settings come from --config files and TAP_BIGCOMMERCE_<SETTING> variables (`tap-bigcommerce --about`).",
    "Exit codes: 0 success, 1 runtime failure, 2 bad input, 130/143 interrupted (SIGINT/SIGTERM).",
    "",
    helpText(SINGER),
  ].join("\n");
}

/** The command a mistyped name was probably meant to be. */
export function suggestCommand(word: string): string | undefined {
  return closest(word, COMMAND_SPECS.map((s) => s.name));
}

/** Where to read more about a command. */
function seeHelp(spec: CommandSpec): string {
  return spec.name === "singer" ? "see `tap-bigcommerce --help`" : `see \`tap-bigcommerce ${spec.name} --help\``;
}

/** Thrown by `parseCommand` when the arguments ask for help: the command line prints it and exits 0. */
export class HelpRequested extends Error {
  constructor(readonly spec: CommandSpec) {
    super(`help for ${spec.name}`);
    this.name = "HelpRequested";
  }
}

/** Whether the arguments ask for help (`--help` or `-h` anywhere). */
export function wantsHelp(args: string[]): boolean {
  return args.includes("--help") || args.includes("-h");
}

/** The DuckDB file a reader (`sql`, `export`, `report`) opens: `--duckdb` given and present, else bad input naming how to write one. */
export function loadedFile(command: string, path: string | undefined): string {
  if (!path) throw new InputError(`${command} needs --duckdb PATH (a DuckDB file written by \`tap-bigcommerce load\` or \`demo\`)`);
  if (!existsSync(path)) throw new InputError(`--duckdb ${path}: no such file (write one with \`tap-bigcommerce load\` or \`tap-bigcommerce demo\`)`);
  return path;
}

/**
 * Parses a command's arguments strictly from its table; unknown flags are bad input with a
 * suggestion. `--help`/`-h` anywhere throws `HelpRequested`.
 */
export function parseCommand<F extends Record<string, FlagSpec>>(spec: CommandSpec<F>, args: string[]): Parsed<F> {
  if (wantsHelp(args)) throw new HelpRequested(spec);
  const options: Record<string, { type: "string" | "boolean"; multiple?: boolean; short?: string }> = {};
  for (const [name, flag] of Object.entries(spec.flags)) {
    options[name] = { type: flag.type };
    if (flag.multiple) options[name].multiple = true;
    if (flag.short) options[name].short = flag.short;
  }
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: !!spec.positionals?.length, strict: true });
    const allowed = spec.positionals ?? [];
    if (positionals.length > allowed.length) {
      const takes = allowed.length > 0 ? `${spec.name} takes ${allowed.map((p) => p.name).join(" ")} only (quote it); ` : "";
      throw new InputError(`Unexpected argument '${positionals.at(-1)}' (${takes}${seeHelp(spec)})`);
    }
    return { values: values as FlagValues<F>, positionals };
  } catch (error) {
    if (error instanceof InputError) throw error;
    const message = (error as Error).message;
    const unknown = /^Unknown option '--?([^']+)'/.exec(message)?.[1];
    let hint = "";
    if (unknown) {
      const near = closest(unknown, Object.keys(spec.flags));
      const owner = COMMAND_SPECS.find((s) => s !== spec && unknown in s.flags);
      if (near) hint = `; did you mean '--${near}'?`;
      else if (owner) hint = `; --${unknown} is a flag of \`tap-bigcommerce ${owner.name}\``;
    }
    throw new InputError(`${message.replace(/\. To specify a positional argument.*$/s, "")}${hint} (${seeHelp(spec)})`);
  }
}

/** Applies `--quiet`, `--verbose`, `--log-format` to the process's logging; returns the progress interval in seconds. */
export function applyLogFlags(values: FlagValues<typeof LOG_FLAGS>): number {
  if (values.quiet && values.verbose) throw new InputError("give either --quiet or --verbose, not both");
  const format = values["log-format"] ?? "text";
  if (format !== "text" && format !== "json") throw new InputError(`--log-format must be text or json (got ${JSON.stringify(format)})`);
  configureLogging({ format, verbosity: values.quiet ? "quiet" : values.verbose ? "verbose" : "normal" });
  const interval = values["progress-interval"] === undefined ? 5 : Number(values["progress-interval"]);
  if (!Number.isFinite(interval) || interval <= 0) {
    throw new InputError(`--progress-interval must be a positive number of seconds (got ${JSON.stringify(values["progress-interval"])})`);
  }
  return interval;
}

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

/**
 * Loads config from the repeated --config flags and the TAP_BIGCOMMERCE_* environment
 * (--config may be left out when the environment gives the required settings). Warns
 * about a start_date in the future.
 */
export function configFrom(paths: string[] | undefined): Config {
  if (!paths?.length) {
    const fromEnv = configFromEnv(process.env);
    const missing = SETTINGS.filter((s) => s.required && fromEnv[s.name] === undefined).map((s) => envName(s.name));
    if (missing.length > 0) throw new InputError(`--config FILE is required (or the environment variables ${missing.join(", ")})`);
  }
  const config = loadConfig(paths ?? []);
  if (Date.parse(config.start_date) > Date.now()) {
    log.warn(`start_date ${config.start_date} is in the future: incremental streams will read nothing until then`);
  }
  return config;
}

/** The selection from --catalog, --streams, or the defaults. */
export function selectionFrom(catalogPath: string | undefined, streams: string | undefined): Selection {
  if (catalogPath && streams) throw new InputError("give either --catalog or --streams, not both");
  if (catalogPath) return selectionFromCatalog(readJsonArg(catalogPath, "catalog"), catalogPath);
  if (streams) return selectionOf(streams.split(",").map((s) => s.trim()).filter(Boolean));
  return defaultSelection();
}

/**
 * Reads --state, if given. A path that does not exist yet is a first run (a warning, an
 * empty state): scripts pass the path the previous run's STATE will be kept in. A file
 * that exists but cannot be read or parsed is bad input.
 */
export function stateFrom(path: string | undefined): State | undefined {
  if (!path) return undefined;
  if (!existsSync(path)) {
    log.warn(`state file ${path} does not exist: treating this as a first run (every stream from start_date)`);
    return undefined;
  }
  return parseState(readJsonArg(path, "state"), path);
}
