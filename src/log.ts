/** Logging to stderr, with every registered secret redacted from every line. */

const secrets = new Set<string>();

/** Registers a value (an access token) that must never appear in output. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 4) secrets.add(value);
}

/** Text with every registered secret replaced by `***`. */
export function redact(text: string): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join("***");
  return out;
}

/** A logger: one line per message on stderr. */
export type Logger = (message: string) => void;

/** A logger that writes `<time> <level> <message>` lines to stderr. */
export function stderrLogger(level = "INFO"): Logger {
  return (message: string) => {
    process.stderr.write(redact(`${new Date().toISOString()} ${level} ${message}`) + "\n");
  };
}
