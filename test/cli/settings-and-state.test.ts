/**
 * Friendly inputs through the real command line: settings from TAP_BIGCOMMERCE_* alone (no
 * --config), a start_date in the future (a warning, not an error), and a --state path that
 * does not exist yet (a first run, warned).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/emulator/index.ts";
import { emulatorWithConfig } from "../support/emulator.ts";
import { lastState, parseSinger, recordsByStream, runCli, tempDir, writeFile } from "../support/cli.ts";
import { selectStreams } from "../support/singer.ts";

let emulator: Emulator;
let raw: Record<string, unknown>;
let env: Record<string, string>;
let catalog: string;
const dir = tempDir("settings-state-");

beforeAll(async () => {
  ({ emulator, raw } = await emulatorWithConfig({ sizes: { orders: 3, customers: 2, products: 2, brands: 7 } }));
  env = Object.fromEntries(Object.entries(raw).map(([k, v]) => [`TAP_BIGCOMMERCE_${k.toUpperCase()}`, String(v)]));
  const discovery = await runCli(["--discover"], { env });
  expect(discovery.code, discovery.stderr).toBe(0);
  catalog = writeFile(dir, "catalog.json", selectStreams(JSON.parse(discovery.stdout), (id) => id === "brands"));
});
afterAll(() => emulator.close());

describe("settings and state", () => {
  it("--config is optional when TAP_BIGCOMMERCE_* give the required settings (discovery above, and a sync)", async () => {
    const result = await runCli(["--catalog", catalog], { env });
    expect(result.code, result.stderr).toBe(0);
    expect(recordsByStream(parseSinger(result.stdout)).get("brands")).toHaveLength(7);
  });

  it("without --config and without the variables, the error names both ways", async () => {
    const { TAP_BIGCOMMERCE_ACCESS_TOKEN: _, ...partial } = env;
    const result = await runCli(["--catalog", catalog], { env: partial });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--config FILE is required \(or the environment variables TAP_BIGCOMMERCE_ACCESS_TOKEN\)/);
    const config = writeFile(dir, "no-token.json", { ...raw, access_token: undefined });
    const withFile = await runCli(["--config", config, "--catalog", catalog], { env: partial });
    expect(withFile.code).toBe(2);
    expect(withFile.stderr).toMatch(/setting 'access_token' is required: .*--config file or as TAP_BIGCOMMERCE_ACCESS_TOKEN/);
  });

  it("a start_date in the future is a warning: the run goes on (and finds nothing modified since)", async () => {
    const config = writeFile(dir, "future.json", { ...raw, start_date: "2999-01-01T00:00:00Z" });
    const result = await runCli(["--config", config, "--catalog", catalog]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/WARN warning: start_date 2999-01-01T00:00:00.000Z is in the future/);
    expect(parseSinger(result.stdout).some((m) => m.type === "STATE")).toBe(true);
  });

  it("a --state path that does not exist yet is a first run, with a warning naming it; its last STATE resumes the next run", async () => {
    const path = `${dir}/state-not-yet.json`;
    const first = await runCli(["--catalog", catalog, "--state", path], { env });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain(`warning: state file ${path} does not exist: treating this as a first run`);
    const messages = parseSinger(first.stdout);
    expect(recordsByStream(messages).get("brands")).toHaveLength(7);
    writeFile(dir, "state-not-yet.json", lastState(messages)!);
    const second = await runCli(["--catalog", catalog, "--state", path], { env });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).not.toContain("does not exist");
  });
});
