/**
 * Runs the real command line (`node bin/tap-bigcommerce.js`, the built JS in dist/) as a child
 * process, asynchronously so that an emulator in the test process keeps answering.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Emulator } from "../../src/emulator/index.ts";

/** The repository root. */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** The npm executable of the package. */
export const BIN = join(ROOT, "bin", "tap-bigcommerce.js");
/** The Node binary (the tests may themselves run under Deno: `deno task test`). */
export const NODE = (process.versions as Record<string, string | undefined>).deno ? "node" : process.execPath;

/** What a finished process left behind. */
export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** With `signal`: milliseconds from sending it to the process's end (undefined when it ended first). */
  signalToExitMs?: number;
}

/** Options of a run. */
export interface RunOptions {
  /** Extra environment variables (the TAP_BIGCOMMERCE_* ones of the test process are removed first). */
  env?: Record<string, string>;
  cwd?: string;
  /** Kill the process once stdout holds this many lines (to simulate an interrupted run). */
  killAfterLines?: number;
  /** Text piped to the process's stdin (otherwise stdin is closed). */
  input?: string;
  /** Send this signal once `when` holds (checked every few milliseconds), e.g. after some emulator requests. */
  signal?: { name: NodeJS.Signals; when: () => boolean };
}

/** The test process's environment without TAP_BIGCOMMERCE_* variables, plus `extra`. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith("TAP_BIGCOMMERCE_")) env[key] = value;
  }
  return { ...env, ...extra };
}

/** Runs a command (any executable) to its end. */
export function run(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const stdin = options.input === undefined ? "ignore" : "pipe";
    const child = spawn(command, args, { cwd: options.cwd ?? ROOT, env: cleanEnv(options.env), stdio: [stdin, "pipe", "pipe"] });
    child.stdin?.end(options.input);
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      if (options.killAfterLines !== undefined && stdout.split("\n").length > options.killAfterLines) child.kill("SIGKILL");
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    let signalledAt: number | undefined;
    const watch = options.signal && setInterval(() => {
      if (signalledAt !== undefined || !options.signal!.when()) return;
      signalledAt = performance.now();
      // process.kill, not child.kill: Deno's child_process reports a child it killed as killed even when it exited with its own code.
      process.kill(child.pid!, options.signal!.name);
    }, 3);
    child.on("error", reject);
    child.on("close", (code) => {
      if (watch) clearInterval(watch);
      resolve({ code, stdout, stderr, signalToExitMs: signalledAt === undefined ? undefined : performance.now() - signalledAt });
    });
  });
}

/** Runs `node bin/tap-bigcommerce.js …` (needs `npm run build`; `npm test` builds first). */
export function runCli(args: string[], options: RunOptions = {}): Promise<RunResult> {
  if (!existsSync(join(ROOT, "dist", "src", "cli.js"))) throw new Error("dist/ is missing: run `npm run build` first (npm test does)");
  return run(NODE, [BIN, ...args], options);
}

/** A fresh temporary directory. */
export function tempDir(prefix = "tap-bigcommerce-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes `value` as JSON (or a string as-is) into `dir/name`; returns the path. */
export function writeFile(dir: string, name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof value === "string" ? value : JSON.stringify(value, null, 2));
  return path;
}

/** A Singer message. */
export interface SingerMessage {
  type: "SCHEMA" | "RECORD" | "STATE";
  stream?: string;
  schema?: Record<string, unknown>;
  key_properties?: string[];
  bookmark_properties?: string[];
  record?: Record<string, unknown>;
  value?: Record<string, unknown>;
  time_extracted?: string;
}

/** Parses Singer output: one JSON object per line, every line a message. */
export function parseSinger(stdout: string): SingerMessage[] {
  return stdout.split("\n").filter((line) => line.length > 0).map((line) => JSON.parse(line) as SingerMessage);
}

/** RECORD messages grouped by stream. */
export function recordsByStream(messages: SingerMessage[]): Map<string, Record<string, unknown>[]> {
  const out = new Map<string, Record<string, unknown>[]>();
  for (const m of messages) {
    if (m.type !== "RECORD") continue;
    const list = out.get(m.stream!) ?? [];
    list.push(m.record!);
    out.set(m.stream!, list);
  }
  return out;
}

/** The value of the last STATE message. */
export function lastState(messages: SingerMessage[]): Record<string, unknown> | undefined {
  return messages.filter((m) => m.type === "STATE").at(-1)?.value;
}

/** Starts a CLI run and kills it with SIGKILL once `emulator` has answered `requests` more requests; resolves to the signal that ended it (null: it exited first). */
export function killedLoad(args: string[], emulator: Emulator, requests: number): Promise<NodeJS.Signals | null> {
  const before = emulator.log.count();
  return new Promise((resolve) => {
    const child: ChildProcess = spawn(NODE, [BIN, ...args], { stdio: "ignore" });
    const timer = setInterval(() => {
      if (emulator.log.count() - before >= requests) child.kill("SIGKILL");
    }, 2);
    child.on("close", (_code, signal) => {
      clearInterval(timer);
      resolve(signal);
    });
  });
}

/**
 * Starts a `load` with `--verbose` and kills it with SIGKILL right after its `commits`-th batch has committed (its
 * debug line), so the kill lands between commits whatever the machine's load; resolves to the signal that ended it
 * (null: it exited first, with fewer batches).
 */
export function killedAfterCommits(args: string[], commits: number): Promise<NodeJS.Signals | null> {
  return new Promise((resolve) => {
    const child: ChildProcess = spawn(NODE, [BIN, ...args, "--verbose"], { stdio: ["ignore", "ignore", "pipe"] });
    let seen = 0;
    let tail = "";
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
      const lines = (tail + chunk).split("\n");
      tail = lines.pop()!;
      for (const line of lines) if (line.includes("committed a batch of") && ++seen === commits) child.kill("SIGKILL");
    });
    child.on("close", (_code, signal) => resolve(signal));
  });
}
