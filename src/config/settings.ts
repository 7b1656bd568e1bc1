/**
 * The one definition of tap-bigcommerce's settings. `--about`, `plugin.yml`, config
 * validation and the docs are all generated from this list.
 */
import { MEMORY_SIZE_PATTERN } from "../memory-size.ts";

/** A setting's kind, as Meltano names them. */
export type SettingKind = "string" | "password" | "integer" | "number" | "boolean" | "date_iso8601" | "object";

/** One setting. */
export interface Setting {
  name: string;
  kind: SettingKind;
  label: string;
  description: string;
  required?: boolean;
  sensitive?: boolean;
  /** Default value, when the setting has one. */
  value?: string | number | boolean;
  /** Inclusive bounds for numbers. */
  min?: number;
  max?: number;
  /** A regular expression the value must match (strings). */
  pattern?: string;
}

/** Every setting, required ones first (literal types kept, for `Config`). */
const DEFINED = [
  {
    name: "store_hash",
    kind: "string",
    label: "Store hash",
    description: "The store's hash, the part after /stores/ in the API path (lowercase letters and digits).",
    required: true,
    pattern: "^[a-z0-9]+$",
  },
  {
    name: "access_token",
    kind: "password",
    label: "Access token",
    description: "API account access token (X-Auth-Token). Read-only scopes suffice.",
    required: true,
    sensitive: true,
  },
  {
    name: "start_date",
    kind: "date_iso8601",
    label: "Start date",
    description: "Incremental streams read records modified at or after this instant (ISO 8601) on their first run.",
    required: true,
  },
  {
    name: "end_date",
    kind: "date_iso8601",
    label: "End date",
    description: "Read records modified at or before this instant (ISO 8601). Default: no upper bound.",
  },
  {
    name: "client_id",
    kind: "string",
    label: "Client ID",
    description: "API account client ID (informational; sent as X-Auth-Client).",
  },
  {
    name: "api_url",
    kind: "string",
    label: "API URL",
    description: "Base URL of the API: https, or http on loopback only (the emulator, a local proxy).",
    value: "https://api.bigcommerce.com",
  },
  {
    name: "page_size",
    kind: "integer",
    label: "Page size",
    description: "Records per list request (BigCommerce allows at most 250).",
    value: 250,
    min: 1,
    max: 250,
  },
  {
    name: "max_tables",
    kind: "integer",
    label: "Maximum tables",
    description: "Refuse a selection that would create more tables than this, child tables included.",
    value: 6000,
    min: 1,
  },
  {
    name: "max_nesting_depth",
    kind: "integer",
    label: "Maximum nesting depth",
    description: "How deep arrays of objects are split into child tables; deeper arrays stay JSON columns.",
    value: 3,
    min: 0,
    max: 10,
  },
  {
    name: "channel_id",
    kind: "integer",
    label: "Channel ID",
    description: "Restrict every stream that has a channel to this channel.",
    min: 1,
  },
  {
    name: "max_concurrency",
    kind: "integer",
    label: "Maximum concurrency",
    description: "At most this many requests in flight at once; within it the number adapts to the rate-limit headers and the latency.",
    // Enough to spend a Standard plan's quota at a few hundred ms a request; below the 40 concurrent requests some endpoints document.
    value: 32,
    min: 1,
    max: 128,
  },
  {
    name: "recent_first",
    kind: "boolean",
    label: "Recent data first",
    description: "On a first load, read a large stream's newest cursor windows first, so recent data is queryable while history loads (the bookmark still only covers what is complete).",
    value: true,
  },
  {
    name: "rate_limit_reserve",
    kind: "integer",
    label: "Rate-limit reserve",
    description: "Requests per window left unused for other apps on the store (the quota is shared).",
    value: 0,
    min: 0,
  },
  {
    name: "request_timeout",
    kind: "integer",
    label: "Request timeout (s)",
    description: "Seconds before a request is abandoned and retried.",
    value: 60,
    min: 1,
    max: 600,
  },
  {
    name: "max_retries",
    kind: "integer",
    label: "Maximum retries",
    description: "Retries of a failed request (5xx, network errors, truncated bodies, 429) before the run fails.",
    value: 8,
    min: 0,
    max: 50,
  },
  {
    name: "skip_streams_without_scope",
    kind: "boolean",
    label: "Skip streams without scope",
    description: "A stream you named (catalog or --streams) that the token lacks the OAuth scope for is skipped with a warning instead of failing the run (exit 1) after the other streams.",
    value: false,
  },
  {
    name: "reconcile_max_fraction",
    kind: "number",
    label: "Most of a table a destructive run may remove",
    description: "`--reconcile-deletes` refuses (exit 1, nothing marked) to mark more than this fraction of a table's rows deleted, or any row when the store lists none, unless `--force`. A `replace` (`--write-mode STREAM=replace`, or `--full-refresh` of a full-table stream) whose read the API did not affirm by a count refuses the same way to remove more than this fraction of a table's rows, or to empty it (exit 1, the old table kept).",
    value: 0.5,
    min: 0,
    max: 1,
  },
  {
    name: "batch_rows",
    kind: "integer",
    label: "Batch rows (DuckDB)",
    description: "`load`: rows of a top-level stream gathered into one transaction (with the state after them) before they are written.",
    value: 10000,
    min: 1,
  },
  {
    name: "batch_seconds",
    kind: "number",
    label: "Batch seconds (DuckDB)",
    description: "`load`: a batch is written once it is this many seconds old, even when it holds fewer than batch_rows rows.",
    value: 10,
    min: 0,
  },
  {
    name: "duckdb_memory_limit",
    kind: "string",
    label: "DuckDB memory limit",
    description: "`load`: DuckDB's memory_limit; past it DuckDB spills to a temp directory beside the file (<file>.tmp). The default fits an incremental load into a million stored orders with 100 000 of them changed (a merge batch holds memory for every row group its deletes touch, so what it needs grows with the stored tables: about 100 MB more per million orders whose changes are spread over the table; docs/duckdb.md#memory); a load that outgrows it fails (exit 1) keeping its committed batches. A load into tables that hold no rows runs DuckDB at 37.5% of it (appends spill what they cannot hold; docs/duckdb.md#memory).",
    value: "256MB",
    pattern: MEMORY_SIZE_PATTERN,
  },
  {
    name: "duckdb_threads",
    kind: "integer",
    label: "DuckDB threads",
    description: "`load`: threads DuckDB runs queries on. One by default: the load's own thread converts the next pages while DuckDB writes a batch, and a second DuckDB thread competed with it for the CPU (a first load of 20 000 orders took about 12% more CPU with 2, no less memory).",
    value: 1,
    min: 1,
    max: 64,
  },
] as const satisfies readonly Setting[];

/** Every setting, required ones first. */
export const SETTINGS: readonly Setting[] = DEFINED;

/** The value type of a setting kind. */
type ValueOf<K extends SettingKind> = K extends "integer" | "number" ? number
  : K extends "boolean" ? boolean
  : K extends "object" ? Record<string, unknown>
  : string;

type AnySetting = (typeof DEFINED)[number];
/** Settings that always have a value after validation: required ones and those with a default. */
type Present = Extract<AnySetting, { required: true } | { value: string | number | boolean }>;
type Optional = Exclude<AnySetting, Present>;

/** Validated configuration, defaults applied: derived from `SETTINGS`, so a new setting is typed where it is defined. */
export type Config =
  & { [S in Present as S["name"]]: ValueOf<S["kind"]> }
  & { [S in Optional as S["name"]]?: ValueOf<S["kind"]> };
