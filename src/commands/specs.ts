/**
 * Every command's flags, defined once: the same table drives argument parsing (node:util
 * parseArgs, strict) and the `--help` text. This file stays light (no DuckDB, no engine) so
 * that `help` and did-you-mean answer at once.
 */

/** One flag of a command. */
export interface FlagSpec {
  type: "string" | "boolean";
  /** May be given more than once. */
  multiple?: boolean;
  short?: string;
  /** Placeholder of the value in help, e.g. `FILE`. */
  value?: string;
  /** What the flag does (one line). */
  help: string;
}

/** One positional argument. */
export interface PositionalSpec {
  name: string;
  help: string;
}

/** One command: its flags, positionals, a summary and examples. */
export interface CommandSpec<F extends Record<string, FlagSpec> = Record<string, FlagSpec>> {
  /** The word after `tap-bigcommerce` (`singer` is the mode without a command word). */
  name: string;
  summary: string;
  /** The synopsis after the program name. */
  usage: string;
  flags: F;
  positionals?: PositionalSpec[];
  /** Command lines (after the program name) that show it in use. */
  examples: string[];
  /** Extra paragraphs printed after the flags. */
  notes?: string[];
}

/** The help flag, which every command has. */
const HELP = { help: { type: "boolean", short: "h", help: "show this help and exit" } } as const satisfies Record<string, FlagSpec>;

/** How a run reports on stderr: shared by `load`, `demo` and Singer mode. */
export const LOG_FLAGS = {
  quiet: { type: "boolean", short: "q", help: "only warnings and errors on stderr (no progress)" },
  verbose: { type: "boolean", short: "v", help: "also debug detail: every retry's endpoint, per-order fallbacks" },
  "log-format": { type: "string", value: "text|json", help: "json: one JSON object per line on stderr, for hosts (default text)" },
  "progress-interval": { type: "string", value: "SECONDS", help: "seconds between progress lines when stderr is not a terminal (default 5)" },
} as const satisfies Record<string, FlagSpec>;

const CONFIG = {
  config: {
    type: "string",
    multiple: true,
    value: "FILE",
    help: "JSON settings file, later files win; optional when TAP_BIGCOMMERCE_* variables give the required settings",
  },
} as const satisfies Record<string, FlagSpec>;

/** The loaded file a reader (`export`, `report`) reads, and its schema. */
const READ_FILE = {
  duckdb: { type: "string", value: "PATH", help: "the DuckDB file to read" },
  schema: { type: "string", value: "NAME", help: "schema of the tables (default bigcommerce)" },
} as const satisfies Record<string, FlagSpec>;

function define<const F extends Record<string, FlagSpec>>(spec: CommandSpec<F>): CommandSpec<F & typeof HELP> {
  return { ...spec, flags: { ...spec.flags, ...HELP } };
}

/** Singer mode: no command word. */
export const SINGER = define({
  name: "singer",
  summary: "Singer tap: --about, --discover, or a sync writing SCHEMA/RECORD/STATE on stdout",
  usage: "[--config FILE ...] [--discover | --catalog FILE] [--state FILE] | --about [--format json|markdown]",
  flags: {
    ...CONFIG,
    about: { type: "boolean", help: "describe the plugin: version, capabilities, settings" },
    format: { type: "string", value: "json|markdown", help: "format of --about (default json)" },
    discover: { type: "boolean", help: "write the Singer catalog of every stream on stdout" },
    catalog: { type: "string", value: "FILE", help: "the catalog whose selected streams to sync (default: the default selection)" },
    properties: { type: "string", value: "FILE", help: "legacy alias of --catalog" },
    state: { type: "string", value: "FILE", help: "resume from this Singer state; a file that does not exist yet is a first run (warned)" },
    version: { type: "boolean", help: "print the version" },
    ...LOG_FLAGS,
  },
  examples: [
    "--config config.json --discover > catalog.json",
    "--config config.json --catalog catalog.json --state state.json > out.jsonl",
    "--about --format markdown",
  ],
  notes: ["Logs and progress go to stderr; stdout carries only Singer messages. SIGINT/SIGTERM: the last STATE covers what was written; exit 130/143."],
});

/** `load`. */
export const LOAD = define({
  name: "load",
  summary: "sync straight into a DuckDB file (state kept in the file)",
  usage: "load [--config FILE ...] --duckdb PATH [--catalog FILE | --streams a,b] [flags]",
  flags: {
    ...CONFIG,
    duckdb: { type: "string", value: "PATH", help: "the DuckDB file to write (created if missing)" },
    catalog: { type: "string", value: "FILE", help: "a Singer catalog choosing the streams and fields" },
    streams: { type: "string", value: "a,b", help: "comma-separated stream names (default: the default selection)" },
    "full-refresh": { type: "boolean", help: "ignore stored bookmarks and read everything again" },
    schema: { type: "string", value: "NAME", help: "schema for the tables (default bigcommerce)" },
    "write-mode": { type: "string", multiple: true, value: "STREAM=MODE", help: "merge, append or replace for a stream" },
    "reconcile-deletes": { type: "boolean", help: "mark rows whose records vanished from the store (_deleted_at)" },
    force: { type: "boolean", help: "let --reconcile-deletes mark more than reconcile_max_fraction of a table (or everything), and a replace the API did not affirm by a count remove that much" },
    ...LOG_FLAGS,
  },
  examples: [
    "load --config config.json --duckdb shop.duckdb",
    "load --config config.json --duckdb shop.duckdb --streams orders,customers --write-mode orders=append",
  ],
  notes: ["Ctrl-C (SIGINT) or SIGTERM commits what was read, marks the load interrupted in _loads and exits 130/143; run again to resume."],
});

/** `check`. */
export const CHECK = define({
  name: "check",
  summary: "connection and per-stream OAuth scope check",
  usage: "check [--config FILE ...] [--format text|json]",
  flags: {
    ...CONFIG,
    format: { type: "string", value: "text|json", help: "output format (default text)" },
  },
  examples: ["check --config config.json", "check --config config.json --format json"],
});

/** `export`. */
export const EXPORT = define({
  name: "export",
  summary: "one CSV or Parquet file per table of a loaded DuckDB file",
  usage: "export --duckdb PATH --format csv|parquet --out DIR [--schema NAME]",
  flags: {
    ...READ_FILE,
    format: { type: "string", value: "csv|parquet", help: "file format" },
    out: { type: "string", value: "DIR", help: "directory for the files (created if missing)" },
  },
  examples: ["export --duckdb shop.duckdb --format parquet --out exports/"],
});

/** `report`. */
export const REPORT = define({
  name: "report",
  summary: "a self-contained HTML report of a loaded DuckDB file",
  usage: "report --duckdb PATH --out FILE.html [--schema NAME]",
  flags: {
    ...READ_FILE,
    out: { type: "string", value: "FILE.html", help: "the HTML file to write" },
  },
  examples: ["report --duckdb shop.duckdb --out report.html"],
  notes: [
    "Built on the analytics views every load refreshes (docs/analytics.md): KPIs, revenue by store-local week or month, orders by status, top products and customers, a retention heatmap, the load history. One HTML file, no scripts or remote assets.",
  ],
});

/** `emulator`. */
export const EMULATOR = define({
  name: "emulator",
  summary: "the bundled BigCommerce API emulator; prints {api_url, store_hash, access_token} when ready",
  usage: "emulator [--port N] [--store-hash H] [--token T] [--seed S] [--orders N ...] [flags]",
  flags: {
    port: { type: "string", value: "N", help: "port to listen on (default: a free one)" },
    host: { type: "string", value: "HOST", help: "interface to listen on (default 127.0.0.1)" },
    "store-hash": { type: "string", value: "H", help: "store hash served under /stores/H (default s0demo)" },
    token: { type: "string", value: "T", help: "access token expected in X-Auth-Token" },
    seed: { type: "string", value: "S", help: "seed of the generated store (default 1)" },
    orders: { type: "string", value: "N", help: "number of orders" },
    customers: { type: "string", value: "N", help: "number of customers" },
    products: { type: "string", value: "N", help: "number of products" },
    brands: { type: "string", value: "N", help: "number of brands" },
    categories: { type: "string", value: "N", help: "number of categories" },
    coupons: { type: "string", value: "N", help: "number of coupons" },
    quota: { type: "string", value: "N", help: "rate-limit quota per window (default 150)" },
    "window-ms": { type: "string", value: "MS", help: "rate-limit window (default 30000)" },
    "latency-ms": { type: "string", value: "BASE[,PER_ROW]", help: "delay before every answer, and per record it lists, in ms (default 0)" },
    "no-rate-limit": { type: "boolean", help: "no quota and no X-Rate-Limit-* headers" },
    "changed-orders": { type: "string", value: "N", help: "N orders (spread over the ids) modified after the generated history, as if changed since a load" },
    "archived-orders": { type: "string", value: "N", help: "N orders (spread over the ids) archived at seed time (deleted: is_deleted, left out of the list; default 0)" },
    misbehave: { type: "string", multiple: true, value: "NAME[@PATH]", help: "answer unlike BigCommerce usually does, e.g. cap-50, no-cursor-meta (docs/emulator.md lists them)" },
  },
  examples: ["emulator --port 8080 --orders 5000", "emulator --latency-ms 200,4 --quota 150 --window-ms 3000", "emulator --misbehave cap-50 --misbehave list-404@/v3/catalog/brands"],
  notes: ["Runs until SIGINT/SIGTERM."],
});

/** `demo`. */
export const DEMO = define({
  name: "demo",
  summary: "the bundled emulator store loaded into a DuckDB file, with a summary (offline)",
  usage: "demo [--duckdb PATH] [--seed S] [--orders N]",
  flags: {
    duckdb: { type: "string", value: "PATH", help: "the DuckDB file to write (default bigcommerce-demo.duckdb)" },
    seed: { type: "string", value: "S", help: "seed of the generated store (default 1)" },
    orders: { type: "string", value: "N", help: "number of orders (default 1200)" },
    ...LOG_FLAGS,
  },
  examples: ["demo", "demo --duckdb /tmp/demo.duckdb --orders 5000"],
});

/** `sql`. */
export const SQL = define({
  name: "sql",
  summary: "query a DuckDB file with the bundled DuckDB (no DuckDB CLI needed)",
  usage: 'sql --duckdb PATH ["QUERY"] [--format table|csv|json]',
  flags: {
    duckdb: { type: "string", value: "PATH", help: "the DuckDB file (required; opened read-only)" },
    format: {
      type: "string",
      value: "table|csv|json",
      help: "table (default: aligned text, first 1000 rows), csv (with a header) or json (an array of objects; BIGINT and DECIMAL as strings)",
    },
  },
  positionals: [{
    name: "QUERY",
    help: "one or more statements separated by ';' (each result is printed); without it, stdin, or on a terminal an interactive prompt (.tables, .format FORMAT, .help, .quit)",
  }],
  examples: [
    'sql --duckdb bigcommerce-demo.duckdb "select * from bigcommerce_analytics.daily_sales order by day desc limit 7"',
    'sql --duckdb shop.duckdb --format csv "select * from bigcommerce.orders" > orders.csv',
    "sql --duckdb shop.duckdb          # interactive prompt",
  ],
  notes: [
    "Tables are in schema `bigcommerce` (or the --schema of the load), analytics views in `bigcommerce_analytics`.",
    "Exit codes: 0 success, 1 the query failed while running, 2 bad input (missing file, unknown flag, a query DuckDB rejects: syntax, unknown table or column).",
  ],
});

/** `help`. */
export const HELP_COMMAND = define({
  name: "help",
  summary: "this overview, or one command's flags",
  usage: "help [COMMAND]",
  flags: {},
  positionals: [{ name: "COMMAND", help: "a command, or `singer` for Singer mode" }],
  examples: ["help", "help load"],
});

/** Every command with a command word, in the order help lists them. */
export const COMMAND_SPECS: readonly CommandSpec[] = [LOAD, CHECK, EXPORT, REPORT, EMULATOR, DEMO, SQL, HELP_COMMAND];
