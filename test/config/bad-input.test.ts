/**
 * Bad input through the real command line: every case exits 2 before writing anything to
 * stdout, names what is at fault, and never prints the access token.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli, tempDir, writeFile } from "../support/cli.ts";

/** A distinctive token: it must never show up in any output. */
const TOKEN = "tok-SECRET-9d8c7b6a5f4e";
/** Valid settings; the API URL is a closed loopback port and retries are off, so a case that wrongly passed validation fails fast with exit 1. */
const GOOD = { store_hash: "abc123", access_token: TOKEN, start_date: "2024-01-01T00:00:00Z", api_url: "http://127.0.0.1:9", max_retries: 0 };

interface Case {
  name: string;
  /** Arguments; `@name` is replaced by the path of the file `name` written from `files`. */
  args: string[];
  files?: Record<string, unknown>;
  env?: Record<string, string>;
  /** What stderr must say (the setting, file, stream or flag at fault). */
  says: RegExp;
}

const without = (key: string) => Object.fromEntries(Object.entries(GOOD).filter(([k]) => k !== key));
const withSetting = (settings: Record<string, unknown>) => ({ ...GOOD, ...settings });
/** A case on one config setting, for discovery. */
const setting = (name: string, settings: Record<string, unknown>, says: RegExp): Case => ({
  name,
  args: ["--config", "@config.json", "--discover"],
  files: { "config.json": withSetting(settings) },
  says,
});
const catalogOf = (streams: unknown[]) => ({ streams });
const ORDERS_ENTRY = { tap_stream_id: "orders", stream: "orders", schema: {}, metadata: [{ breadcrumb: [], metadata: { selected: true } }] };

const CASES: Case[] = [
  // Required settings.
  { name: "missing store_hash", args: ["--config", "@c.json", "--discover"], files: { "c.json": without("store_hash") }, says: /setting 'store_hash' is required/ },
  { name: "missing access_token", args: ["--config", "@c.json", "--discover"], files: { "c.json": without("access_token") }, says: /setting 'access_token' is required/ },
  { name: "missing start_date", args: ["--config", "@c.json", "--discover"], files: { "c.json": without("start_date") }, says: /setting 'start_date' is required/ },
  setting("null store_hash", { store_hash: null }, /setting 'store_hash' is required/),
  // Wrong types and patterns.
  setting("store_hash with capitals", { store_hash: "ABC123" }, /setting 'store_hash'.*must match/),
  setting("store_hash with a slash", { store_hash: "abc/123" }, /setting 'store_hash'.*must match/),
  setting("store_hash empty", { store_hash: "" }, /setting 'store_hash'.*must not be empty/),
  setting("duckdb_memory_limit without a unit", { duckdb_memory_limit: "256" }, /setting 'duckdb_memory_limit'.*must match/),
  setting("duckdb_memory_limit in an unknown unit", { duckdb_memory_limit: "2 XB" }, /setting 'duckdb_memory_limit'.*must match/),
  setting("store_hash a number", { store_hash: 123 }, /setting 'store_hash'.*must be a string/),
  setting("access_token a number", { access_token: 12345678 }, /setting 'access_token'.*must be a string/),
  setting("access_token empty", { access_token: "" }, /setting 'access_token'.*must not be empty/),
  setting("start_date not a date", { start_date: "yesterday" }, /setting 'start_date'.*ISO 8601/),
  setting("start_date impossible", { start_date: "2024-13-45T00:00:00Z" }, /setting 'start_date'.*not a real date/),
  setting("start_date a number", { start_date: 20240101 }, /setting 'start_date'.*must be an ISO 8601 date string/),
  setting("end_date not a date", { end_date: "soon" }, /setting 'end_date'/),
  setting("end_date before start_date", { end_date: "2023-06-01T00:00:00Z" }, /setting 'end_date'.*before 'start_date'/),
  // Ranges.
  setting("page_size 0", { page_size: 0 }, /setting 'page_size'.*at least 1/),
  setting("page_size 251", { page_size: 251 }, /setting 'page_size'.*at most 250/),
  setting("page_size a string", { page_size: "many" }, /setting 'page_size'.*must be a number/),
  setting("page_size fractional", { page_size: 2.5 }, /setting 'page_size'.*whole number/),
  setting("max_tables 0", { max_tables: 0 }, /setting 'max_tables'.*at least 1/),
  setting("max_nesting_depth 11", { max_nesting_depth: 11 }, /setting 'max_nesting_depth'.*at most 10/),
  setting("max_nesting_depth -1", { max_nesting_depth: -1 }, /setting 'max_nesting_depth'.*at least 0/),
  setting("channel_id 0", { channel_id: 0 }, /setting 'channel_id'.*at least 1/),
  setting("max_concurrency 129", { max_concurrency: 129 }, /setting 'max_concurrency'.*at most 128/),
  setting("request_timeout 0", { request_timeout: 0 }, /setting 'request_timeout'.*at least 1/),
  setting("max_retries 51", { max_retries: 51 }, /setting 'max_retries'.*at most 50/),
  setting("rate_limit_reserve -1", { rate_limit_reserve: -1 }, /setting 'rate_limit_reserve'.*at least 0/),
  // API URL.
  setting("http api_url on a non-loopback host", { api_url: "http://api.example.com" }, /setting 'api_url' must use https.*api\.example\.com/),
  setting("api_url not a URL", { api_url: "api.bigcommerce.com" }, /setting 'api_url' is not a URL/),
  setting("ftp api_url on loopback", { api_url: "ftp://127.0.0.1" }, /setting 'api_url' must use https/),
  // Unknown settings, with a suggestion.
  setting("misspelt store_hash", { store_hsh: "abc" }, /unknown setting 'store_hsh'.*config\.json.*did you mean 'store_hash'/),
  setting("misspelt access_token", { acces_token: TOKEN }, /unknown setting 'acces_token'.*did you mean 'access_token'/),
  // Config files.
  { name: "malformed config JSON (the token unquoted)", args: ["--config", "@c.json", "--discover"], files: { "c.json": `{"store_hash": "abc123", "access_token": ${TOKEN}}` }, says: /config file .*c\.json is not valid JSON/ },
  { name: "config JSON with a trailing comma", args: ["--config", "@c.json", "--discover"], files: { "c.json": `{"access_token": "${TOKEN}",\n}` }, says: /config file .*c\.json is not valid JSON at line 2, column 1/ },
  { name: "empty config file", args: ["--config", "@c.json", "--discover"], files: { "c.json": "" }, says: /config file .*c\.json is not valid JSON: it is empty/ },
  { name: "config file that is an array", args: ["--config", "@c.json", "--discover"], files: { "c.json": [GOOD] }, says: /config file .*c\.json must hold a JSON object/ },
  { name: "missing config file", args: ["--config", "@absent.json", "--discover"], says: /config file .*absent\.json cannot be read: ENOENT/ },
  { name: "config path is a directory", args: ["--config", "@dir", "--discover"], says: /config file .*dir cannot be read: EISDIR/ },
  { name: "second --config file malformed", args: ["--config", "@good.json", "--config", "@second.json", "--discover"], files: { "good.json": GOOD, "second.json": "{" }, says: /config file .*second\.json is not valid JSON/ },
  { name: "a later --config file brings a bad value", args: ["--config", "@good.json", "--config", "@later.json", "--discover"], files: { "good.json": GOOD, "later.json": { page_size: 0 } }, says: /setting 'page_size' \(from config file .*later\.json\)/ },
  { name: "no --config", args: ["--discover"], says: /--config FILE is required/ },
  { name: "--config without a value", args: ["--discover", "--config"], says: /--config/ },
  // Environment variables.
  { name: "env page_size not a number", args: ["--config", "@good.json", "--discover"], files: { "good.json": GOOD }, env: { TAP_BIGCOMMERCE_PAGE_SIZE: "lots" }, says: /setting 'page_size' \(from environment variable TAP_BIGCOMMERCE_PAGE_SIZE\) must be a number/ },
  { name: "env start_date garbage", args: ["--config", "@good.json", "--discover"], files: { "good.json": GOOD }, env: { TAP_BIGCOMMERCE_START_DATE: "last tuesday" }, says: /setting 'start_date' \(from environment variable TAP_BIGCOMMERCE_START_DATE\)/ },
  { name: "env api_url over http to a remote host", args: ["--config", "@good.json", "--discover"], files: { "good.json": GOOD }, env: { TAP_BIGCOMMERCE_API_URL: "http://10.1.2.3" }, says: /setting 'api_url' must use https/ },
  // Arguments and commands.
  { name: "unknown flag, with a suggestion", args: ["--config", "@good.json", "--catalgo", "@good.json"], files: { "good.json": GOOD }, says: /Unknown option '--catalgo'.*did you mean '--catalog'/ },
  { name: "unknown command", args: ["frobnicate"], says: /unknown command 'frobnicate'/ },
  { name: "misspelt command, with a suggestion", args: ["lod", "--config", "@good.json"], files: { "good.json": GOOD }, says: /unknown command 'lod'; did you mean 'load'\?/ },
  { name: "help for an unknown command", args: ["help", "exprot"], says: /unknown command 'exprot'; did you mean 'export'\?/ },
  { name: "a load flag in Singer mode", args: ["--config", "@good.json", "--duckdb", "@out.duckdb"], files: { "good.json": GOOD }, says: /--duckdb is a flag of `tap-bigcommerce load`/ },
  { name: "misspelt load flag", args: ["load", "--config", "@good.json", "--duckbd", "@out.duckdb"], files: { "good.json": GOOD }, says: /Unknown option '--duckbd'; did you mean '--duckdb'\? \(see `tap-bigcommerce load --help`\)/ },
  { name: "--quiet with --verbose", args: ["load", "--config", "@good.json", "--duckdb", "@out.duckdb", "--quiet", "--verbose"], files: { "good.json": GOOD }, says: /either --quiet or --verbose/ },
  { name: "unknown --log-format", args: ["--config", "@good.json", "--log-format", "xml"], files: { "good.json": GOOD }, says: /--log-format must be text or json/ },
  { name: "stray positional argument", args: ["--config", "@good.json", "extra"], files: { "good.json": GOOD }, says: /Unexpected argument 'extra'/ },
  { name: "no arguments", args: [], says: /nothing to do/ },
  { name: "unknown --about format", args: ["--about", "--format", "yaml"], says: /--format must be json or markdown/ },
  { name: "check without --config", args: ["check"], says: /--config FILE is required/ },
  // Catalogs.
  { name: "catalog with an unknown stream", args: ["--config", "@good.json", "--catalog", "@cat.json"], files: { "good.json": GOOD, "cat.json": catalogOf([{ ...ORDERS_ENTRY, tap_stream_id: "order" }]) }, says: /catalog .*cat\.json: unknown stream 'order' \(did you mean 'orders'\?\)/ },
  { name: "catalog without streams", args: ["--config", "@good.json", "--catalog", "@cat.json"], files: { "good.json": GOOD, "cat.json": { stream: [] } }, says: /catalog .*cat\.json is not a valid Singer catalog at 'streams'/ },
  { name: "catalog entry without tap_stream_id", args: ["--config", "@good.json", "--catalog", "@cat.json"], files: { "good.json": GOOD, "cat.json": catalogOf([{ stream: "orders", metadata: [] }]) }, says: /catalog .*cat\.json is not a valid Singer catalog at 'streams\.0\.tap_stream_id'/ },
  { name: "catalog that is not JSON", args: ["--config", "@good.json", "--catalog", "@cat.json"], files: { "good.json": GOOD, "cat.json": "streams: []" }, says: /catalog file .*cat\.json is not valid JSON/ },
  { name: "missing catalog file", args: ["--config", "@good.json", "--catalog", "@nocat.json"], files: { "good.json": GOOD }, says: /catalog file .*nocat\.json cannot be read/ },
  { name: "both --catalog and --properties", args: ["--config", "@good.json", "--catalog", "@cat.json", "--properties", "@cat.json"], files: { "good.json": GOOD, "cat.json": catalogOf([ORDERS_ENTRY]) }, says: /either --catalog or its legacy alias --properties/ },
  { name: "legacy --properties with an unknown stream", args: ["--config", "@good.json", "--properties", "@cat.json"], files: { "good.json": GOOD, "cat.json": catalogOf([{ ...ORDERS_ENTRY, tap_stream_id: "ordres" }]) }, says: /unknown stream 'ordres'/ },
  {
    name: "catalog with an unsupported replication-method",
    args: ["--config", "@good.json", "--catalog", "@cat.json"],
    files: { "good.json": GOOD, "cat.json": catalogOf([{ ...ORDERS_ENTRY, metadata: [{ breadcrumb: [], metadata: { selected: true, "replication-method": "LOG_BASED" } }] }]) },
    says: /stream 'orders' has replication-method "LOG_BASED"/,
  },
  {
    name: "catalog with a replication-key the stream does not have",
    args: ["--config", "@good.json", "--catalog", "@cat.json"],
    files: { "good.json": GOOD, "cat.json": catalogOf([{ ...ORDERS_ENTRY, metadata: [{ breadcrumb: [], metadata: { selected: true, "replication-key": "id" } }] }]) },
    says: /stream 'orders' has replication-key "id"; the only valid replication key is 'date_modified'/,
  },
  // States.
  { name: "state that is not JSON", args: ["--config", "@good.json", "--state", "@state.json"], files: { "good.json": GOOD, "state.json": "{bookmarks}" }, says: /state file .*state\.json is not valid JSON/ },
  { name: "state with bookmarks of the wrong type", args: ["--config", "@good.json", "--state", "@state.json"], files: { "good.json": GOOD, "state.json": { bookmarks: "orders" } }, says: /state .*state\.json is not a valid Singer state at 'bookmarks'/ },
  { name: "state with an object as replication_key_value", args: ["--config", "@good.json", "--state", "@state.json"], files: { "good.json": GOOD, "state.json": { bookmarks: { orders: { replication_key_value: { at: 1 } } } } }, says: /state .*state\.json is not a valid Singer state at 'bookmarks\.orders\.replication_key_value'/ },
  { name: "state with a bookmark that is not a date-time", args: ["--config", "@good.json", "--state", "@state.json"], files: { "good.json": GOOD, "state.json": { bookmarks: { orders: { replication_key: "date_modified", replication_key_value: "yesterday" } } } }, says: /state .*state\.json: the bookmark of stream 'orders' has replication_key_value "yesterday"/ },
  { name: "state path is a directory", args: ["--config", "@good.json", "--state", "@dir"], files: { "good.json": GOOD }, says: /state file .*dir cannot be read: EISDIR/ },
  // The DuckDB loader's arguments (checked before the file is created).
  { name: "load --streams with an unknown stream", args: ["load", "--config", "@good.json", "--duckdb", "@out.duckdb", "--streams", "orders,ordres"], files: { "good.json": GOOD }, says: /unknown stream 'ordres' in --streams \(did you mean 'orders'\?\)/ },
  { name: "load without --duckdb", args: ["load", "--config", "@good.json", "--streams", "orders"], files: { "good.json": GOOD }, says: /load needs --duckdb PATH/ },
  { name: "load with both --catalog and --streams", args: ["load", "--config", "@good.json", "--duckdb", "@out.duckdb", "--streams", "orders", "--catalog", "@good.json"], files: { "good.json": GOOD }, says: /either --catalog or --streams/ },
  { name: "load with max_tables too low for --streams", args: ["load", "--config", "@c.json", "--duckdb", "@out.duckdb", "--streams", "orders,order_products,promotions"], files: { "c.json": withSetting({ max_tables: 5 }) }, says: /selection would create \d+ tables, over max_tables=5/ },
  // The readers of a loaded file.
  ...Object.entries({ sql: ["select 1"], export: ["--format", "csv", "--out", "@x"], report: ["--out", "@x.html"] }).flatMap(([command, rest]) => [
    { name: `${command} without --duckdb`, args: [command, ...rest], says: new RegExp(`${command} needs --duckdb PATH.*tap-bigcommerce load`) },
    { name: `${command} of a file that does not exist`, args: [command, "--duckdb", "@absent.duckdb", ...rest], says: /--duckdb .*absent\.duckdb: no such file \(write one with `tap-bigcommerce load` or `tap-bigcommerce demo`\)/ },
  ]),
  // Limits.
  setting("max_tables too low for discovery", { max_tables: 3 }, /selection would create \d+ tables, over max_tables=3/),
  { name: "max_tables too low for the default selection of a sync", args: ["--config", "@c.json"], files: { "c.json": withSetting({ max_tables: 10 }) }, says: /selection would create \d+ tables, over max_tables=10/ },
  {
    name: "max_tables too low for a catalog's selection",
    args: ["--config", "@c.json", "--catalog", "@cat.json"],
    files: { "c.json": withSetting({ max_tables: 2 }), "cat.json": catalogOf([ORDERS_ENTRY, { ...ORDERS_ENTRY, tap_stream_id: "order_products_applied_discounts" }, { ...ORDERS_ENTRY, tap_stream_id: "order_products" }]) },
    says: /selection would create \d+ tables, over max_tables=2.*orders/,
  },
];

describe("bad input through the real CLI", () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir("bad-input-");
    mkdirSync(join(dir, "dir"));
  });

  it("covers at least 40 distinct cases", () => {
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
    expect(CASES.length).toBeGreaterThanOrEqual(40);
  });

  for (const c of CASES) {
    it.concurrent(`${c.name}: exit 2, says what is at fault, nothing on stdout, no token`, async () => {
      const caseDir = join(dir, c.name.replace(/[^a-z0-9]+/gi, "-"));
      mkdirSync(caseDir, { recursive: true });
      for (const [name, value] of Object.entries(c.files ?? {})) writeFile(caseDir, name, value);
      const args = c.args.map((a) => (a.startsWith("@") ? join(a === "@dir" ? dir : caseDir, a.slice(1)) : a));
      const result = await runCli(args, { env: c.env });
      expect(result.stderr).toMatch(c.says);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toMatch(/^tap-bigcommerce: bad input: /);
      expect(result.stderr).not.toContain(TOKEN);
      expect(result.stderr).not.toContain(TOKEN.slice(0, 8));
      expect(existsSync(join(caseDir, "out.duckdb")), "a DuckDB file was created").toBe(false);
    });
  }
});
