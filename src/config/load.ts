/** Loading and validating config: JSON files (later files win), then TAP_BIGCOMMERCE_<SETTING> environment variables. */
import { readFileSync } from "node:fs";
import * as v from "valibot";
import { InputError } from "../errors.ts";
import { registerSecret } from "../log.ts";
import { type Config, type Setting, SETTINGS } from "./settings.ts";

export type { Config };

/** Keys that Meltano-style hosts may pass for their own mappers; accepted and ignored. */
const HOST_KEYS = new Set(["stream_maps", "stream_map_config", "flattening_enabled", "flattening_max_depth", "batch_config"]);

const ENV_PREFIX = "TAP_BIGCOMMERCE_";

/** The environment variable of a setting: `TAP_BIGCOMMERCE_<SETTING>`. */
export function envName(setting: string): string {
  return ENV_PREFIX + setting.toUpperCase();
}

/** Reads one config file as a JSON object, with an error that names the file. */
export function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new InputError(`config file ${path} cannot be read: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
  const parsed = parseJsonFile(text, `config file ${path}`);
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new InputError(`config file ${path} must hold a JSON object of settings`);
  }
  return parsed as Record<string, unknown>;
}

/**
 * Parses a file's JSON text. The error names the file and where the text breaks (line and
 * column), never the text itself: a config file holds the access token.
 */
export function parseJsonFile(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /at position (\d+)/.exec(message);
    let where = "";
    if (text.trim() === "") where = ": it is empty";
    else if (position) {
      const before = text.slice(0, Number(position[1]));
      const line = before.split("\n").length;
      where = ` at line ${line}, column ${before.length - before.lastIndexOf("\n")}`;
    } else if (/Unexpected end of JSON input/.test(message)) where = ": it ends too early";
    throw new InputError(`${what} is not valid JSON${where}`);
  }
}

/** The settings found in environment variables named TAP_BIGCOMMERCE_<SETTING>. */
export function configFromEnv(env: Record<string, string | undefined>): Record<string, unknown> {
  const found: Record<string, unknown> = {};
  for (const setting of SETTINGS) {
    const raw = env[envName(setting.name)];
    if (raw !== undefined && raw !== "") found[setting.name] = fromEnvString(setting, raw);
  }
  return found;
}

function fromEnvString(setting: Setting, raw: string): unknown {
  if (setting.kind === "integer" || setting.kind === "number") {
    const n = Number(raw);
    return Number.isNaN(n) ? raw : n;
  }
  if (setting.kind === "boolean") return raw === "true" ? true : raw === "false" ? false : raw;
  return raw;
}

/** Merges config files (later win) and the environment (wins over files), then validates. */
export function loadConfig(paths: string[], env: Record<string, string | undefined> = process.env): Config {
  const merged: Record<string, unknown> = {};
  const sources: Record<string, string> = {};
  for (const path of paths) {
    const file = readConfigFile(path);
    Object.assign(merged, file);
    for (const key of Object.keys(file)) sources[key] = `config file ${path}`;
  }
  const fromEnv = configFromEnv(env);
  Object.assign(merged, fromEnv);
  for (const key of Object.keys(fromEnv)) sources[key] = `environment variable ${envName(key)}`;
  return validateConfig(merged, sources);
}

/**
 * Validates a config object; throws InputError naming the setting at fault (never its secret
 * value) and, when `sources` says, where it was set.
 */
export function validateConfig(input: Record<string, unknown>, sources: Record<string, string> = {}): Config {
  const from = (name: string) => (sources[name] ? ` (from ${sources[name]})` : "");
  const known = new Set(SETTINGS.map((s) => s.name));
  for (const key of Object.keys(input)) {
    if (!known.has(key) && !HOST_KEYS.has(key)) {
      const hint = closest(key, [...known]);
      throw new InputError(`unknown setting '${key}'${from(key)}${hint ? `; did you mean '${hint}'?` : ""}`);
    }
  }
  const out: Record<string, unknown> = {};
  for (const setting of SETTINGS) {
    const value = input[setting.name] ?? setting.value;
    // A secret is never shown again, from here on: not even in this function's own errors.
    if (setting.sensitive && typeof value === "string") registerSecret(value);
    if (value === undefined || value === null) {
      if (setting.required) {
        throw new InputError(`setting '${setting.name}' is required: ${setting.description} Give it in a --config file or as ${envName(setting.name)}.`);
      }
      continue;
    }
    const result = v.safeParse(settingSchema(setting), value);
    if (!result.success) {
      const shown = setting.sensitive ? "" : ` (got ${JSON.stringify(value)})`;
      throw new InputError(`setting '${setting.name}'${from(setting.name)} ${result.issues[0].message}${shown}`);
    }
    out[setting.name] = result.output;
  }
  const config = out as unknown as Config;
  checkApiUrl(config.api_url);
  if (config.end_date && Date.parse(config.end_date) < Date.parse(config.start_date)) {
    throw new InputError(`setting 'end_date' (${config.end_date}) is before 'start_date' (${config.start_date})`);
  }
  return config;
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

function settingSchema(setting: Setting): v.GenericSchema {
  switch (setting.kind) {
    case "integer": {
      const checks: v.PipeItem<number, number, v.BaseIssue<unknown>>[] = [v.integer("must be a whole number")];
      if (setting.min !== undefined) checks.push(v.minValue(setting.min, `must be at least ${setting.min}`));
      if (setting.max !== undefined) checks.push(v.maxValue(setting.max, `must be at most ${setting.max}`));
      return v.pipe(v.number("must be a number"), ...checks);
    }
    case "number":
      return v.number("must be a number");
    case "boolean":
      return v.boolean("must be true or false");
    case "date_iso8601":
      return v.pipe(
        v.string("must be an ISO 8601 date string"),
        v.regex(ISO_8601, "must be an ISO 8601 date or date-time, e.g. 2024-01-01T00:00:00Z"),
        v.check((s) => !Number.isNaN(Date.parse(s)), "is not a real date"),
        v.transform((s) => new Date(Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(s) || s.length === 10 ? s : s + "Z")).toISOString()),
      );
    default: {
      const base = v.pipe(v.string("must be a string"), v.nonEmpty("must not be empty"));
      return setting.pattern ? v.pipe(base, v.regex(new RegExp(setting.pattern), `must match ${setting.pattern}`)) : base;
    }
  }
}

function checkApiUrl(apiUrl: string): void {
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    throw new InputError(`setting 'api_url' is not a URL (got ${JSON.stringify(apiUrl)})`);
  }
  const loopback = ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname) || url.hostname.startsWith("127.");
  if (url.protocol === "https:") return;
  if (url.protocol === "http:" && loopback) return;
  throw new InputError(
    `setting 'api_url' must use https (http is allowed on loopback only, for the emulator or a local proxy); got ${url.protocol}//${url.hostname}`,
  );
}

/** The known name nearest to a misspelt one, when it is near enough to suggest. */
export function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const d = editDistance(word, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const temp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = temp;
    }
  }
  return row[b.length];
}
