/**
 * Secrets nowhere, through the real CLI: the emulator answers with an error body that quotes
 * the request's X-Auth-Token, and every output of load, check, report, export and a Singer
 * sync — stdout, stderr, the files written, the DuckDB file's bytes — is searched for it.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator, FaultRule } from "../../src/emulator/index.ts";
import { runCli, tempDir, writeFile } from "../support/cli.ts";
import { emulatorWithConfig } from "../support/emulator.ts";
import { query } from "../duckdb/fixtures.ts";

const TOKEN = "tok-4242-very-secret-value";
/** Every customers request fails with a 422 whose body (shown in the error) quotes the token. */
const ECHO: FaultRule = { kind: "echo-token", status: 422, match: "/v3/customers", times: 1e9 };

let emulator: Emulator;
let dir: string;
let config: string;
let db: string;

beforeAll(async () => {
  let raw: Record<string, unknown>;
  ({ emulator, raw } = await emulatorWithConfig({ accessToken: TOKEN, sizes: { orders: 10, customers: 5 } }, { max_retries: 0 }));
  dir = tempDir("tap-bc-secrets-");
  config = writeFile(dir, "config.json", raw);
  db = join(dir, "shop.duckdb");
});
afterAll(() => emulator?.close());

function expectNoToken(text: string, where: string): void {
  expect(text.includes(TOKEN), `${where} holds the token`).toBe(false);
}

describe("an API error body that quotes the token", () => {
  it("load: not on stdout or stderr, not in _loads, not in the file's bytes", async () => {
    emulator.setFaults([ECHO]);
    const result = await runCli(["load", "--config", config, "--duckdb", db, "--streams", "orders,customers"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("credentials ***");
    expectNoToken(result.stdout + result.stderr, "load output");
    const [load] = await query(db, "select status, error, cast(streams as varchar) as streams from bigcommerce._loads");
    expect(load.status).toBe("failed");
    expect(String(load.error)).toContain("credentials ***");
    expectNoToken(JSON.stringify(load), "_loads");
    for (const file of readdirSync(dir).filter((f) => f.startsWith("shop.duckdb"))) {
      expectNoToken(readFileSync(join(dir, file)).toString("latin1"), file);
    }
  });

  it("report and export: not in the HTML, not in any exported file", async () => {
    const html = join(dir, "report.html");
    const report = await runCli(["report", "--duckdb", db, "--out", html]);
    expect(report.code, report.stderr).toBe(0);
    expectNoToken(readFileSync(html, "utf8") + report.stdout + report.stderr, "report");
    const out = join(dir, "export");
    const exported = await runCli(["export", "--duckdb", db, "--format", "csv", "--out", out]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(existsSync(join(out, "_loads.csv"))).toBe(true);
    for (const file of readdirSync(out)) expectNoToken(readFileSync(join(out, file), "utf8"), file);
  });

  it("check: not on stdout or stderr", async () => {
    emulator.setFaults([ECHO]);
    const result = await runCli(["check", "--config", config]);
    expect(result.stdout + result.stderr).toMatch(/customers/);
    expectNoToken(result.stdout + result.stderr, "check output");
  });

  it("Singer sync: not in the messages or the log", async () => {
    emulator.setFaults([ECHO]);
    for (const format of ["text", "json"]) {
      const result = await runCli(["--config", config, "--log-format", format]);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain('"type":"RECORD"');
      expectNoToken(result.stdout + result.stderr, `Singer output (${format} logs)`);
    }
  });
});
