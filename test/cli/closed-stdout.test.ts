/**
 * A reader that closes stdout early (`tap-bigcommerce sql … | head`, a Singer target that dies):
 * no stack trace; `sql` ends quietly with exit 0, a Singer sync fails with one line, exit 1.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../src/emulator/index.ts";
import { BIN, cleanEnv, NODE, ROOT, tempDir, writeFile } from "../support/cli.ts";
import { emulatorSettings, SMALL_STORE } from "../support/singer.ts";

/** Runs the CLI, closes its stdout after the first chunk, and waits for its end. */
function closedAfterFirstChunk(args: string[]): Promise<{ code: number | null; firstChunk: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, [BIN, ...args], { cwd: ROOT, env: cleanEnv(), stdio: ["ignore", "pipe", "pipe"] });
    let firstChunk = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").once("data", (chunk: string) => {
      firstChunk = chunk;
      child.stdout.destroy();
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, firstChunk, stderr }));
  });
}

let emulator: Emulator;
let dir: string;

beforeAll(async () => {
  emulator = await startEmulator({ rateLimit: false, sizes: SMALL_STORE });
  dir = tempDir("closed-stdout-");
  const instance = await DuckDBInstance.create(join(dir, "empty.duckdb"));
  instance.closeSync();
});
afterAll(() => emulator?.close());

describe("stdout closed by its reader", () => {
  it("sql: stops quietly, exit 0", async () => {
    const result = await closedAfterFirstChunk(["sql", "--duckdb", join(dir, "empty.duckdb"), "select range from range(2000000)", "--format", "csv"]);
    expect(result.firstChunk).toMatch(/^range\n/);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
  });

  it("a Singer sync: one line naming the closed stdout, no stack trace, exit 1", async () => {
    const config = writeFile(dir, "config.json", emulatorSettings(emulator, { page_size: 5 }));
    const result = await closedAfterFirstChunk(["--config", config, "--quiet"]);
    expect(result.firstChunk).toMatch(/^\{"type":"SCHEMA"/);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/stdout was closed by its reader before the output was complete \(EPIPE\)/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
