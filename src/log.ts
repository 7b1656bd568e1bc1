/**
 * The one logger: every line on stderr goes through here, with every registered secret
 * redacted. Text lines (`<time> <LEVEL> <message>`) or, with `--log-format json`, one JSON
 * object per line (`{"time","level","message", …fields}`) for hosts. `--quiet` keeps
 * warnings and errors only; `--verbose` adds debug lines.
 */

const secrets = new Set<string>();

/** Registers a value (an access token) that must never appear in output. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 4) secrets.add(value);
}

/**
 * Values that follow a credential's name (`X-Auth-Token: …`, `"access_token":"…"`), caught
 * even where the secret was never registered (a report of a file an older release wrote).
 */
const CREDENTIAL = /((?:x-auth-token|access[_-]?token|client[_-]?secret)["']?\s*[:=]\s*["']?)([^"'\s,;}\]]{4,})/gi;

/**
 * Text with every registered secret, and any value labelled as a credential, replaced by
 * `***`. The one redaction: everything stored or printed (logs, errors, `_loads`, Singer
 * messages, check output, reports, exports) passes through it.
 */
export function redact(text: string): string {
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join("***");
  return out.replace(CREDENTIAL, "$1***");
}

/** A line's level. */
export type Level = "debug" | "info" | "warn" | "error";
/** How much is logged: `quiet` warnings and errors, `normal` also info and progress, `verbose` also debug. */
export type Verbosity = "quiet" | "normal" | "verbose";
/** Text lines for people, JSON lines for hosts. */
export type LogFormat = "text" | "json";

/** The process's logging settings (set once by the command line). */
export interface LogSettings {
  verbosity: Verbosity;
  format: LogFormat;
}

const settings: LogSettings = { verbosity: "normal", format: "text" };
/** Where lines go (stderr; a progress display may wrap it to keep its lines below the log). */
let sink: (line: string) => void = (line) => process.stderr.write(line);

/** Sets the process's logging settings. */
export function configureLogging(next: Partial<LogSettings>): void {
  Object.assign(settings, next);
}

/** The current logging settings. */
export function logSettings(): Readonly<LogSettings> {
  return settings;
}

/** Replaces where log lines are written (returns a function restoring the previous one). */
export function setLogSink(next: (line: string) => void): () => void {
  const previous = sink;
  sink = next;
  return () => (sink = previous);
}

/** Whether lines of `level` are written under the current verbosity. */
export function enabled(level: Level): boolean {
  switch (level) {
    case "error":
    case "warn":
      return true;
    case "info":
      return settings.verbosity !== "quiet";
    case "debug":
      return settings.verbosity === "verbose";
  }
}

/** Extra fields of a JSON log line (`event`, `stream`, counts…). */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

/** Writes one line at `level`, if enabled. */
export function write(level: Level, message: string, fields: LogFields = {}): void {
  if (!enabled(level)) return;
  sink(format(level, message, fields) + "\n");
}

/** A line as the current format writes it (no newline). */
export function format(level: Level, message: string, fields: LogFields = {}): string {
  const time = new Date().toISOString();
  if (settings.format === "json") {
    const text = level === "warn" ? message.replace(/^warning: /, "") : message;
    const extra = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
    return redact(JSON.stringify({ time, level, message: text, ...extra }));
  }
  return redact(`${time} ${level.toUpperCase()} ${message}`);
}

/**
 * A logger. Called as a function it logs at info, or at warn when the message starts with
 * `warning: ` (the engine's convention); the methods choose the level.
 */
export interface Logger {
  (message: string): void;
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** The logger writing to stderr under the process's settings. */
export function stderrLogger(): Logger {
  const logger = ((message: string) => write(message.startsWith("warning: ") ? "warn" : "info", message)) as Logger;
  logger.debug = (message, fields) => write("debug", message, fields);
  logger.info = (message, fields) => write("info", message, fields);
  logger.warn = (message, fields) => write("warn", message.startsWith("warning: ") ? message : `warning: ${message}`, fields);
  logger.error = (message, fields) => write("error", message, fields);
  return logger;
}

/** The process's logger. */
export const log: Logger = stderrLogger();

/** The last line of a run that failed: `tap-bigcommerce: <message>` as text, or a JSON error line with its fields. */
export function writeFailure(message: string, fields: LogFields = {}): void {
  sink((settings.format === "json" ? format("error", message, fields) : redact(`tap-bigcommerce: ${message}`)) + "\n");
}
