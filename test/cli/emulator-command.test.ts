/**
 * The `emulator` command through the real command line, as CONTRACT.md promises it: when ready,
 * exactly one JSON line `{"api_url", "store_hash", "access_token"}` on stdout and nothing else
 * there; that line plus a `start_date` is a working config; SIGTERM ends it with exit 0.
 */
import { spawn } from "node:child_process";
import process from "node:process";
import { describe, expect, it } from "vitest";
import { BIN, cleanEnv, NODE, ROOT, runCli, tempDir, writeFile } from "../support/cli.ts";

/** `tap-bigcommerce emulator` on a small store: its first stdout line, all of stdout, its stderr and its exit. */
function startEmulatorCommand() {
  const child = spawn(NODE, [BIN, "emulator", "--port", "0", "--orders", "5", "--customers", "3", "--products", "4", "--no-rate-limit"], {
    cwd: ROOT,
    env: cleanEnv(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output = { stdout: "", stderr: "" };
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output.stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      output.stdout += chunk;
      if (output.stdout.includes("\n")) resolve(output.stdout.slice(0, output.stdout.indexOf("\n")));
    });
    child.on("close", () => reject(new Error(`emulator ended before it was ready: ${output.stderr}`)));
  });
  // process.kill, not child.kill: Deno's child_process reports a child it killed as killed even when it exited 0.
  const terminate = () => process.kill(child.pid!, "SIGTERM");
  return { output, exited, firstLine, terminate };
}

describe("tap-bigcommerce emulator", () => {
  it("prints exactly one JSON line when ready; with a start_date it is a config `check` accepts; SIGTERM exits 0", async () => {
    const { output, exited, firstLine, terminate } = startEmulatorCommand();
    try {
      const ready = JSON.parse(await firstLine) as Record<string, string>;
      expect(Object.keys(ready).sort()).toEqual(["access_token", "api_url", "store_hash"]);
      expect(ready.api_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const config = writeFile(tempDir("emulator-command-"), "config.json", { ...ready, start_date: "2020-01-01T00:00:00Z" });
      const check = await runCli(["check", "--config", config]);
      expect(check.code, check.stderr).toBe(0);
      expect(check.stdout).toMatch(/orders\s+ok/);
    } finally {
      terminate();
    }
    expect(await exited, output.stderr).toBe(0);
    expect(output.stdout.split("\n")).toEqual([expect.any(String), ""]);
  });

  it("a SIGTERM sent the moment the line is read still stops it cleanly (exit 0)", async () => {
    const { output, exited, firstLine, terminate } = startEmulatorCommand();
    await firstLine;
    terminate();
    expect(await exited, output.stderr).toBe(0);
  });
});
