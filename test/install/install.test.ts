/**
 * Installation from a packed tarball, the way docs/hosts.md describes it: `npm pack`, then a
 * global install under a prefix, then the `tap-bigcommerce` executable found on PATH by name
 * (as Meltano runs a plugin without pip_url) and the package imported by name as a library.
 * Offline-safe: the dependencies come from the npm cache that `npm ci` filled (--prefer-offline).
 */
import { existsSync, mkdirSync, readdirSync, symlinkSync } from "node:fs";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../src/emulator/index.ts";
import { NODE, parseSinger, recordsByStream, run, tempDir, writeFile } from "../support/cli.ts";
import { emulatorSettings } from "../support/singer.ts";

const NPM = process.platform === "win32" ? "npm.cmd" : "npm";
let dir: string;
let prefix: string;
let tarball: string;
let installed: string;
let emulator: Emulator;

beforeAll(async () => {
  dir = tempDir("install-");
  // dist/ is already built (npm test builds first); --ignore-scripts keeps `prepare` from rebuilding it under running tests.
  const pack = await run(NPM, ["pack", "--ignore-scripts", "--pack-destination", dir, "--silent"]);
  expect(pack.code, pack.stderr).toBe(0);
  tarball = join(dir, readdirSync(dir).find((f) => f.endsWith(".tgz"))!);
  prefix = join(dir, "prefix");
  const install = await run(NPM, ["install", "-g", tarball, "--prefix", prefix, "--prefer-offline", "--no-audit", "--no-fund"]);
  expect(install.code, install.stderr).toBe(0);
  installed = process.platform === "win32" ? join(prefix, "node_modules", "tap-bigcommerce") : join(prefix, "lib", "node_modules", "tap-bigcommerce");
  emulator = await startEmulator({ rateLimit: false, sizes: { orders: 5, customers: 2, products: 2, brands: 7 } });
}, 120_000);
afterAll(() => emulator?.close());

describe("a global install from the packed tarball", () => {
  it("ships the built CLI, the sources, plugin.yml and the docs, and no tests", async () => {
    const list = await run("tar", ["-tzf", tarball]);
    const files = list.stdout.split("\n");
    for (const f of ["package/bin/tap-bigcommerce.js", "package/dist/src/cli.js", "package/dist/src/index.d.ts", "package/plugin.yml", "package/README.md", "package/docs/hosts.md", "package/src/cli.ts"]) {
      expect(files, f).toContain(f);
    }
    expect(files.some((f) => f.startsWith("package/test/"))).toBe(false);
    expect(files.some((f) => f.includes("node_modules"))).toBe(false);
  });

  it("runs <prefix>/bin/tap-bigcommerce --about", async () => {
    const result = await run(join(prefix, "bin", "tap-bigcommerce"), ["--about"]);
    expect(result.code, result.stderr).toBe(0);
    const about = JSON.parse(result.stdout);
    expect(about.name).toBe("tap-bigcommerce");
    expect(about.capabilities).toContain("discover");
  });

  it("is found on PATH by name, as Meltano runs `executable: tap-bigcommerce`, and syncs the emulator", async () => {
    const config = writeFile(dir, "config.json", emulatorSettings(emulator));
    const catalog = await run("tap-bigcommerce", ["--config", config, "--discover"], { env: { PATH: `${join(prefix, "bin")}${delimiter}${process.env.PATH}` } });
    expect(catalog.code, catalog.stderr).toBe(0);
    const parsed = JSON.parse(catalog.stdout);
    for (const entry of parsed.streams) entry.metadata[0].metadata.selected = entry.tap_stream_id === "brands";
    const selected = writeFile(dir, "catalog.json", parsed);
    const sync = await run("tap-bigcommerce", ["--config", config, "--catalog", selected], { env: { PATH: `${join(prefix, "bin")}${delimiter}${process.env.PATH}` } });
    expect(sync.code, sync.stderr).toBe(0);
    expect(recordsByStream(parseSinger(sync.stdout)).get("brands")).toHaveLength(7);
  });

  it("is importable by name as a library (package exports → dist)", async () => {
    const project = join(dir, "consumer");
    mkdirSync(join(project, "node_modules"), { recursive: true });
    if (!existsSync(join(project, "node_modules", "tap-bigcommerce"))) symlinkSync(installed, join(project, "node_modules", "tap-bigcommerce"), "dir");
    writeFile(project, "package.json", { type: "module" });
    writeFile(project, "main.js", [
      'import { createSource, registry } from "tap-bigcommerce";',
      `const source = createSource(${JSON.stringify(emulatorSettings(emulator))});`,
      "let n = 0;",
      'for await (const batch of source.batches({ streams: ["brands"] })) n += batch.tables.get("brands")?.length ?? 0;',
      "console.log(JSON.stringify({ streams: registry.length, brands: n }));",
    ].join("\n"));
    const result = await run(NODE, [join(project, "main.js")], { cwd: project });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ streams: expect.any(Number), brands: 7 });
  });
});
