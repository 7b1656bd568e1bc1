/**
 * The command line: Singer mode (`--about`, `--discover`, a sync with `--config/--catalog/--state`)
 * and the subcommands `load`, `check`, `export`, `report`, `emulator`, `demo`, `sql`, `help`.
 * Exit codes: 0 success, 1 runtime failure, 2 bad input, 130/143 interrupted.
 */
import { aboutJson, aboutMarkdown, VERSION } from "./config/about.ts";
import { discoverFromStore } from "./engine/catalog.ts";
import { exitCodeOf, InputError } from "./errors.ts";
import { log, redact, writeFailure } from "./log.ts";
import { counted } from "./plural.ts";
import { singerSync } from "./hosts/singer.ts";
import { InterruptGuard } from "./interrupt.ts";
import { canRedraw, Progress } from "./progress.ts";
import { clientFor } from "./engine/sync.ts";
import { applyLogFlags, configFrom, HelpRequested, helpText, overviewText, parseCommand, selectionFrom, stateFrom, suggestCommand, wantsHelp } from "./commands/args.ts";
import { COMMAND_SPECS, SINGER } from "./commands/specs.ts";

async function singer(args: string[]): Promise<number> {
  const { values } = parseCommand(SINGER, args);
  const progressSeconds = applyLogFlags(values);
  if (values.version) {
    process.stdout.write(`tap-bigcommerce ${VERSION}\n`);
    return 0;
  }
  if (values.about) {
    const format = values.format ?? "json";
    if (format === "json") process.stdout.write(JSON.stringify(aboutJson(), null, 2) + "\n");
    else if (format === "markdown") process.stdout.write(aboutMarkdown());
    else throw new InputError(`--format must be json or markdown (got ${JSON.stringify(format)})`);
    return 0;
  }
  const config = configFrom(values.config);
  if (values.discover) {
    const catalog = await discoverFromStore(config, { log });
    process.stdout.write(JSON.stringify(catalog, null, 2) + "\n");
    return 0;
  }
  if (values.catalog && values.properties) throw new InputError("give either --catalog or its legacy alias --properties, not both");
  const selection = selectionFrom(values.catalog ?? values.properties, undefined);
  const state = stateFrom(values.state);
  const guard = new InterruptGuard();
  const progress = new Progress({ intervalSeconds: progressSeconds, inPlace: canRedraw(), maxRetries: config.max_retries });
  const client = clientFor(config, { ...progress.clientHooks(), signal: guard.signal });
  progress.requests = () => client.requests;
  let summary;
  try {
    summary = await singerSync({ config, selection, state, out: process.stdout, log, client, progress });
  } finally {
    progress.stop();
    guard.dispose();
  }
  const total = [...summary.records.values()].reduce((a, b) => a + b, 0);
  if (summary.interrupted) {
    const code = summary.interrupted.exitCode;
    writeFailure(`interrupted: ${counted(total, "record")} written; the last STATE covers them: run again with it to resume`, { exit_code: code, records: total });
    return code;
  }
  log(`done: ${counted(total, "record")} in ${counted(summary.records.size, "table")}, ${counted(client.requests, "API request")}`);
  const missing = summary.skipped.filter((s) => s.fails);
  if (missing.length > 0) {
    writeFailure(`partial sync: ${missing.map((s) => s.reason).join("; ")}`, { exit_code: 1, records: total });
    return 1;
  }
  return 0;
}

const COMMANDS: Record<string, () => Promise<{ run: (args: string[]) => Promise<number> }>> = {
  load: () => import("./commands/load.ts"),
  check: () => import("./commands/check.ts"),
  export: () => import("./commands/export.ts"),
  report: () => import("./commands/report.ts"),
  emulator: () => import("./commands/emulator.ts"),
  demo: () => import("./commands/demo.ts"),
  sql: () => import("./commands/sql.ts"),
};

/** `help [COMMAND]`. */
function help(args: string[]): number {
  const [name, ...extra] = args;
  if (extra.length > 0) throw new InputError(`help takes one command name (got ${args.join(" ")})`);
  if (name === "--help" || name === "-h") return help(["help"]);
  if (name === undefined) {
    process.stdout.write(overviewText());
    return 0;
  }
  const spec = name === SINGER.name ? SINGER : COMMAND_SPECS.find((s) => s.name === name);
  if (!spec) throw new InputError(unknownCommand(name));
  process.stdout.write(helpText(spec));
  return 0;
}

function unknownCommand(name: string): string {
  const near = suggestCommand(name);
  return `unknown command '${name}'${near ? `; did you mean '${near}'?` : ""} (commands: ${COMMAND_SPECS.map((s) => s.name).join(", ")}; \`tap-bigcommerce help\` lists them)`;
}

/** Runs the command line; resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    const [first, ...rest] = argv;
    if (first === "help") return help(rest);
    if (first && !first.startsWith("-")) {
      const command = COMMANDS[first];
      if (!command) throw new InputError(unknownCommand(first));
      // Help without loading the command's module (and DuckDB).
      if (wantsHelp(rest)) return help([first]);
      return await (await command()).run(rest);
    }
    if (argv.length === 0) throw new InputError("nothing to do: give a command or Singer flags; `tap-bigcommerce help` lists them");
    return await singer(argv);
  } catch (error) {
    if (error instanceof HelpRequested) {
      process.stdout.write(error.spec === SINGER ? overviewText() : helpText(error.spec));
      return 0;
    }
    const code = exitCodeOf(error);
    const message = error instanceof Error ? error.message : String(error);
    writeFailure(`${code === 2 ? "bad input" : "error"}: ${message}`, { exit_code: code });
    if (code !== 2 && process.env.TAP_BIGCOMMERCE_DEBUG && error instanceof Error && error.stack) {
      process.stderr.write(redact(error.stack) + "\n");
    }
    return code;
  }
}

/**
 * A reader that closes stdout early (`… | head`) ends the run at once, without a stack trace:
 * quietly with exit 0 for `sql`, whose reader chose to stop; otherwise (a Singer target that
 * died, a cut-off catalog or summary) with one line and exit 1, since the output is incomplete.
 */
function stopOnClosedStdout(argv: string[]): void {
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    if (argv[0] === "sql") process.exit(0);
    writeFailure("error: stdout was closed by its reader before the output was complete (EPIPE)", { exit_code: 1 });
    process.exit(1);
  });
}

/** Runs `main` and exits with its code once everything written to stdout and stderr has been handed over. */
export async function runAndExit(argv: string[]): Promise<void> {
  stopOnClosedStdout(argv);
  const code = await main(argv);
  process.exitCode = code;
  // Everything written must reach the reader first: a slow pipe still holds queued output
  // (below the high-water mark, so no 'drain' is due) that process.exit would drop.
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
}

/** Resolves once everything written to `stream` so far has been handed to the OS (or the stream has failed). */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.writableLength === 0 || stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => stream.write("", () => resolve()));
}

if ((import.meta as ImportMeta & { main?: boolean }).main) await runAndExit(process.argv.slice(2));
