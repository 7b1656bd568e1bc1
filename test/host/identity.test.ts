/**
 * The store identity check through the real CLI: every run (Singer sync, discovery, load,
 * check) begins with `v2/store`. A wrong store hash, an api_url holding the "API path", or a
 * rejected token is exit 2 before anything is written; a 403 there only means the scope is
 * missing; an unreachable API fails in seconds with one line.
 */
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALL_SCOPES, type Emulator, startEmulator } from "../../src/emulator/index.ts";
import { query } from "../duckdb/fixtures.ts";
import { runCli, tempDir, writeFile } from "../support/cli.ts";
import { emulatorSettings } from "../support/singer.ts";

let emulator: Emulator;
let dir: string;
beforeAll(async () => {
  emulator = await startEmulator({ rateLimit: false, sizes: { orders: 30, customers: 5, products: 4, brands: 3 } });
  dir = tempDir("identity-");
});
afterAll(() => emulator?.close());

const config = (name: string, extra: Record<string, unknown> = {}) => writeFile(dir, name, emulatorSettings(emulator, extra));

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("a store that is not there", () => {
  const notFound = /^tap-bigcommerce: bad input: store 'nosuchstore' not found at http:\/\/127\.0\.0\.1:\d+: check store_hash and api_url — the base URL, without \/stores\/…/;

  it("Singer sync, discovery and check: exit 2 with the message, nothing on stdout", async () => {
    const wrong = config("wrong-hash.json", { store_hash: "nosuchstore" });
    for (const args of [["--config", wrong], ["--config", wrong, "--discover"], ["check", "--config", wrong]]) {
      const result = await runCli(args);
      expect(result.code, `${args.join(" ")}: ${result.stderr}`).toBe(2);
      expect(result.stderr).toMatch(notFound);
      expect(result.stdout).toBe("");
      expect(result.stderr).not.toContain("reachable");
    }
  });

  it("load: exit 2 before the file is created", async () => {
    const db = join(dir, "never.duckdb");
    const result = await runCli(["load", "--config", config("wrong-hash2.json", { store_hash: "nosuchstore" }), "--duckdb", db, "--streams", "brands"]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(notFound);
    expect(existsSync(db)).toBe(false);
  });

  it("load --write-mode replace and --reconcile-deletes into a loaded file: exit 2, the tables keep their rows", async () => {
    const db = join(dir, "loaded.duckdb");
    const good = await runCli(["load", "--config", config("good.json"), "--duckdb", db, "--streams", "brands,products", "--reconcile-deletes"]);
    expect(good.code, good.stderr).toBe(0);
    const wrong = config("wrong-hash3.json", { store_hash: "nosuchstore" });
    for (const extra of [["--write-mode", "brands=replace"], ["--reconcile-deletes", "--full-refresh"]]) {
      const result = await runCli(["load", "--config", wrong, "--duckdb", db, "--streams", "brands,products", ...extra]);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(notFound);
    }
    const [brands] = await query(db, "select count(*)::int as n, count(*) filter (where _deleted_at is not null)::int as deleted from bigcommerce.brands");
    expect(brands).toEqual({ n: 3, deleted: 0 });
    const [products] = await query(db, "select count(*)::int as n from bigcommerce.products");
    expect(products.n).toBe(4);
  });

  it("api_url set to the API path (with /stores/<hash>/v3/): exit 2 with the same hint", async () => {
    const result = await runCli(["--config", config("api-path.json", { api_url: `${emulator.url}/stores/${emulator.storeHash}/v3/` }), "--discover"]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/store 's0demo' not found at http:\/\/127\.0\.0\.1:\d+\/stores\/s0demo\/v3\/: check store_hash and api_url — the base URL, without \/stores\//);
  });
});

describe("a rejected token", () => {
  it("is exit 2 for a sync, discovery, check and load, naming access_token and never printing the token", async () => {
    const bad = config("bad-token.json", { access_token: "tok-REJECTED-5e4d3c2b" });
    const db = join(dir, "rejected.duckdb");
    for (const args of [["--config", bad], ["--config", bad, "--discover"], ["check", "--config", bad], ["load", "--config", bad, "--duckdb", db]]) {
      const result = await runCli(args);
      expect(result.code, `${args.join(" ")}: ${result.stderr}`).toBe(2);
      expect(result.stderr).toMatch(/bad input: store 's0demo' at http:\/\/127\.0\.0\.1:\d+ rejected the access token \(.*401.*\); check access_token/);
      expect(result.stdout + result.stderr).not.toContain("tok-REJECTED-5e4d3c2b");
    }
    expect(existsSync(db)).toBe(false);
  });
});

describe("a token without store_v2_information_read_only", () => {
  beforeAll(() => emulator.setScopes(ALL_SCOPES.filter((s) => s !== "store_v2_information_read_only")));
  afterAll(() => emulator.setScopes(null));

  it("check says the store was found but its profile is unreadable, never 'reachable'", async () => {
    const result = await runCli(["check", "--config", config("no-info.json")]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^store 's0demo' at http:\/\/127\.0\.0\.1:\d+: found, but its profile is unreadable: the token lacks the OAuth scope store_v2_information_read_only/);
    expect(result.stdout).not.toContain("reachable");
    expect(result.stdout).toMatch(/orders\s+ok/);
  });

  it("a load goes on: the other streams load, the store stream is skipped naming the scope", async () => {
    const db = join(dir, "no-info.duckdb");
    const result = await runCli(["load", "--config", config("no-info2.json"), "--duckdb", db, "--streams", "store,brands"]);
    expect(result.stderr).toMatch(/stream 'store' skipped: the access token lacks the OAuth scope 'store_v2_information_read_only'/);
    const [brands] = await query(db, "select count(*)::int as n from bigcommerce.brands");
    expect(brands.n).toBe(3);
  });
});

describe("an unreachable API", () => {
  it("check, a Singer sync, discovery and load fail within seconds with one line naming the URL", async () => {
    const port = await closedPort();
    const offline = config("offline.json", { api_url: `http://127.0.0.1:${port}` });
    const db = join(dir, "offline.duckdb");
    for (const args of [["check", "--config", offline], ["--config", offline], ["--config", offline, "--discover"], ["load", "--config", offline, "--duckdb", db]]) {
      const started = Date.now();
      const result = await runCli(args);
      expect(Date.now() - started, args.join(" ")).toBeLessThan(5000);
      expect(result.code, `${args.join(" ")}: ${result.stderr}`).toBe(1);
      expect(result.stderr).toBe(`tap-bigcommerce: error: cannot connect to http://127.0.0.1:${port}: ECONNREFUSED\n`);
      expect(result.stdout).toBe("");
    }
    expect(existsSync(db)).toBe(false);
  });
});

describe("the store stream", () => {
  it("reuses the identity check's answer: one v2/store request for a run that loads it", async () => {
    emulator.log.clear();
    const db = join(dir, "store.duckdb");
    const result = await runCli(["load", "--config", config("store.json"), "--duckdb", db, "--streams", "store"]);
    expect(result.code, result.stderr).toBe(0);
    expect(emulator.log.countByEndpoint()).toEqual({ "GET /v2/store": 1 });
    const [row] = await query(db, "select count(*)::int as n from bigcommerce.store");
    expect(row.n).toBe(1);
  });
});
