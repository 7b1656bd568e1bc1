/**
 * Deno smoke test: the CLI run from the TypeScript sources under Deno (`deno run -A src/cli.ts`,
 * the deno binary from the `deno` devDependency) against the emulator — discovery, a Singer
 * sync, a DuckDB load and the API example — gives the same results as the Node build.
 */
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../src/emulator/index.ts";
import { NODE, parseSinger, recordsByStream, ROOT, run, runCli, type RunResult, tempDir, writeFile } from "../support/cli.ts";
import { emulatorSettings, SMALL_STORE } from "../support/singer.ts";

const DENO = join(ROOT, "node_modules", ".bin", "deno");
const QUIET = { DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" };

/** `deno run -A src/cli.ts …` */
function denoCli(args: string[]): Promise<RunResult> {
  return run(DENO, ["run", "-A", "src/cli.ts", ...args], { env: QUIET });
}

let emulator: Emulator;
let dir: string;
let config: string;

beforeAll(async () => {
  emulator = await startEmulator({ rateLimit: false, sizes: SMALL_STORE });
  dir = tempDir("deno-smoke-");
  config = writeFile(dir, "config.json", emulatorSettings(emulator, { page_size: 25 }));
});
afterAll(() => emulator?.close());

/** Rows per table of a DuckDB file's `bigcommerce` schema (bookkeeping tables left out). */
async function tableCounts(path: string): Promise<Record<string, number>> {
  const instance = await DuckDBInstance.create(path, { access_mode: "READ_ONLY" });
  const connection = await instance.connect();
  try {
    const tables = (await connection.runAndReadAll(
      "select table_name from information_schema.tables where table_schema = 'bigcommerce' and not starts_with(table_name, '_') order by 1",
    )).getRowObjectsJson();
    const out: Record<string, number> = {};
    for (const { table_name } of tables) {
      const [row] = (await connection.runAndReadAll(`select count(*)::int as n from bigcommerce."${table_name}"`)).getRowObjectsJson();
      out[String(table_name)] = Number(row.n);
    }
    return out;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Record counts per stream of Singer output. */
function counts(stdout: string): Record<string, number> {
  return Object.fromEntries([...recordsByStream(parseSinger(stdout))].map(([stream, rows]) => [stream, rows.length]).sort());
}

describe("under Deno", () => {
  it("`deno task tap` runs the CLI (deno.json tasks)", async () => {
    const result = await run(DENO, ["task", "tap", "--about", "--format", "json"], { env: QUIET });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).name).toBe("tap-bigcommerce");
  });

  it("discovers the same catalog as the Node build", async () => {
    const [deno, node] = await Promise.all([denoCli(["--config", config, "--discover"]), runCli(["--config", config, "--discover"])]);
    expect(deno.code, deno.stderr).toBe(0);
    expect(JSON.parse(deno.stdout)).toEqual(JSON.parse(node.stdout));
  });

  it("syncs the same records as the Node build (Singer)", async () => {
    const [deno, node] = await Promise.all([denoCli(["--config", config]), runCli(["--config", config])]);
    expect(deno.code, deno.stderr).toBe(0);
    expect(node.code, node.stderr).toBe(0);
    const denoCounts = counts(deno.stdout);
    expect(denoCounts).toEqual(counts(node.stdout));
    expect(denoCounts.orders).toBe(SMALL_STORE.orders);
    expect(Object.keys(denoCounts).length).toBeGreaterThan(20);
    const finalState = (stdout: string) => parseSinger(stdout).at(-1)!.value;
    expect(finalState(deno.stdout)).toEqual(finalState(node.stdout));
  });

  it("loads the same tables into DuckDB as the Node build, matching the Singer record counts", async () => {
    const streams = "orders,order_products,customers,brands,products,product_variants";
    const denoFile = join(dir, "deno.duckdb");
    const nodeFile = join(dir, "node.duckdb");
    const [deno, node] = await Promise.all([
      denoCli(["load", "--config", config, "--duckdb", denoFile, "--streams", streams]),
      runCli(["load", "--config", config, "--duckdb", nodeFile, "--streams", streams]),
    ]);
    expect(deno.code, deno.stderr).toBe(0);
    expect(node.code, node.stderr).toBe(0);
    const denoTables = await tableCounts(denoFile);
    expect(denoTables).toEqual(await tableCounts(nodeFile));
    const singer = await runCli(["--config", config, "--catalog", writeFile(dir, "selected.json", await selectedCatalog(streams.split(",")))]);
    for (const [stream, n] of Object.entries(counts(singer.stdout))) expect(denoTables[stream], stream).toBe(n);
    expect(denoTables.orders).toBe(SMALL_STORE.orders);
  });

  it("runs the API example from the sources like the built JS does", async () => {
    const [deno, node] = await Promise.all([
      run(DENO, ["run", "-A", "examples/api-example.ts"], { env: QUIET }),
      run(NODE, [join(ROOT, "dist", "examples", "api-example.js")]),
    ]);
    expect(deno.code, deno.stderr).toBe(0);
    const summary = (stdout: string) => JSON.parse(stdout.trim().split("\n").at(-1)!).runs;
    expect(summary(deno.stdout)).toEqual(summary(node.stdout));
    expect(summary(deno.stdout)[1].rows.orders).toBe(1);
  });
});

/** The discovered catalog with exactly these streams (and their split tables) selected. */
async function selectedCatalog(streams: string[]) {
  const discovery = await runCli(["--config", config, "--discover"]);
  const catalog = JSON.parse(discovery.stdout) as { streams: { tap_stream_id: string; metadata: { breadcrumb: string[]; metadata: Record<string, unknown> }[] }[] };
  for (const entry of catalog.streams) {
    const on = streams.some((s) => entry.tap_stream_id === s || entry.tap_stream_id.startsWith(`${s}_`));
    for (const m of entry.metadata) m.metadata.selected = on;
  }
  return catalog;
}
