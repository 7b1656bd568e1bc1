/**
 * `sql` through the real CLI on a file written by `load` (named bigcommerce.duckdb, so
 * `bigcommerce.orders` only resolves because the file is attached under a fixed catalog name):
 * each format against the same figures read straight from the file, statements from stdin and
 * from the interactive prompt on a real terminal, the load summary's hint, and bad input.
 */
import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, NODE, runCli, tempDir, writeFile } from "../support/cli.ts";
import { emulatorWithConfig } from "../support/emulator.ts";
import { queryAttached as query } from "./fixtures.ts";
import type { Emulator } from "../../src/emulator/index.ts";


describe("sql", () => {
  const dir = tempDir("tap-bc-sql-");
  const db = join(dir, "bigcommerce.duckdb");
  let emulator: Emulator;
  let loadOut = "";

  beforeAll(async () => {
    const started = await emulatorWithConfig({ sizes: { orders: 40, customers: 15 } }, { page_size: 10 });
    emulator = started.emulator;
    const config = writeFile(dir, "config.json", started.raw);
    const load = await runCli(["load", "--config", config, "--duckdb", db, "--streams", "orders,customers"]);
    expect(load.code, load.stderr).toBe(0);
    loadOut = load.stdout;
  });
  afterAll(async () => await emulator?.close());

  const sql = (...args: string[]) => runCli(["sql", "--duckdb", db, ...args]);

  it("prints an aligned table with a row count", async () => {
    const expected = await query(db, "select status, count(*)::int as n from bigcommerce.orders group by 1 order by 2 desc, 1");
    const result = await sql("select status, count(*) as n from bigcommerce.orders group by 1 order by 2 desc, 1");
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^status\s+│\s+n$/);
    expect(lines[1]).toMatch(/^─+┼─+$/);
    const body = lines.slice(2, -1).map((line) => line.split("│").map((c) => c.trim()));
    expect(body).toEqual(expected.map((r) => [String(r.status), String(r.n)]));
    expect(lines.at(-1)).toBe(`(${expected.length} rows)`);
  });

  it("writes CSV with a header and quoted fields, every statement's result in turn", async () => {
    const expected = await query(db, "select id, billing_address_first_name || ', ' || billing_address_last_name as name from bigcommerce.orders order by id");
    const result = await sql("--format", "csv", "select id, billing_address_first_name || ', ' || billing_address_last_name as name from bigcommerce.orders order by id; select 42 as answer");
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("id,name");
    expect(lines.slice(1, expected.length + 1)).toEqual(expected.map((r) => `${r.id},"${r.name}"`));
    expect(lines.slice(expected.length + 1)).toEqual(["answer", "42"]);
  });

  it("writes JSON: an array of objects, exact decimals as strings", async () => {
    const expected = await query(db, "select id::varchar as id, total_inc_tax::varchar as total, date_created is not null as dated from bigcommerce.orders order by id");
    const result = await sql("--format", "json", "select id, total_inc_tax as total, date_created is not null as dated from bigcommerce.orders order by id");
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(expected);
    const empty = await sql("--format", "json", "select 1 as x where false");
    expect(JSON.parse(empty.stdout)).toEqual([]);
  });

  it("hands over all its output to a reader that reads slowly (nothing still queued is dropped at exit)", async () => {
    // ~480 KB of JSON read 4 KB at a time: at exit the process often still holds a queued tail.
    for (let run = 0; run < 4; run++) {
      const child = spawn(NODE, [BIN, "sql", "--duckdb", db, "--format", "json", "select range as n, repeat('x', 100) as s from range(4000)"], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      let closed = false;
      child.once("close", () => (closed = true));
      child.stdout.on("readable", () => {});
      const parts: Buffer[] = [];
      for (;;) {
        const chunk = (child.stdout.read(4096) ?? child.stdout.read()) as Buffer | null;
        if (chunk) parts.push(chunk);
        else if (closed) break;
        await new Promise((resolve) => setTimeout(resolve, 4));
      }
      expect((JSON.parse(Buffer.concat(parts).toString("utf8")) as unknown[]).length, `run ${run}`).toBe(4000);
    }
  });

  it("reads the statements from stdin when no query is given", async () => {
    const [{ n }] = await query(db, "select count(*)::int as n from bigcommerce.customers");
    const result = await runCli(["sql", "--duckdb", db, "--format", "csv"], { input: "select count(*) as n\nfrom bigcommerce.customers;\n" });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(`n\n${n}\n`);
  });

  it.skipIf(process.platform !== "linux")("offers a prompt on a terminal: multi-line statements, .tables, errors that do not end it, .quit", () => {
    // util-linux `script` gives the command a real pseudo-terminal (stdin.isTTY) and feeds it our input.
    const input = "select 6 *\n 7 as answer;\nselect * from no_such_table;\n.tables\n.format csv\nselect 'a,b' as v;\n.quit\n";
    const command = [NODE, BIN, "sql", "--duckdb", db].map((w) => `'${w}'`).join(" ");
    const result = spawnSync("script", ["-qec", command, "/dev/null"], { input, encoding: "utf8", timeout: 30_000 });
    expect(result.status, result.stderr).toBe(0);
    const out = result.stdout.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "");
    expect(out).toContain("read-only");
    expect(out).toMatch(/answer\r?\n─+\r?\n\s*42\r?\n\(1 row\)/);
    expect(out).toContain("Catalog Error: Table with name no_such_table does not exist");
    expect(out).toMatch(/bigcommerce\s+│ orders\s+│ base table/);
    expect(out).toMatch(/v\r?\n"a,b"/);
  });

  it("the load summary's hint runs as printed", async () => {
    const hint = /Query it: npx tap-bigcommerce sql --duckdb (\S+) "([^"]+)"/.exec(loadOut);
    expect(hint, loadOut).not.toBeNull();
    expect(hint![1]).toBe(db);
    const result = await sql(hint![2]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^day\s+│\s+orders\s+│/m);
  });

  it("bad input is exit 2 with a clear message; a failure while running is exit 1", async () => {
    const [missing, syntax, unknown, format, noQuery, runtime, write] = await Promise.all([
      runCli(["sql", "--duckdb", join(dir, "nope.duckdb"), "select 1"]),
      sql("selec 1"),
      sql("select * from orders"),
      sql("--format", "xml", "select 1"),
      sql(),
      sql("select 'x'::int"),
      sql("delete from bigcommerce.orders"),
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--duckdb .*nope\.duckdb: no such file/);
    expect(syntax.code).toBe(2);
    expect(syntax.stderr).toMatch(/query rejected: Parser Error: syntax error at or near "selec"/);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/schemas in this file: .*bigcommerce/);
    expect(format.code).toBe(2);
    expect(format.stderr).toMatch(/--format must be table, csv or json/);
    expect(noQuery.code).toBe(2);
    expect(noQuery.stderr).toMatch(/sql needs a QUERY/);
    expect(runtime.code).toBe(1);
    expect(runtime.stderr).toMatch(/query failed: Conversion Error/);
    expect(write.code).not.toBe(0);
    expect(write.stderr).toMatch(/read-only/);
    const [{ n }] = await query(db, "select count(*)::int as n from bigcommerce.orders");
    expect(n).toBe(40);
  });

  it("answers --help with its flags and an example", async () => {
    const result = await runCli(["sql", "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/--duckdb PATH/);
    expect(result.stdout).toMatch(/--format/);
    expect(result.stdout).toMatch(/tap-bigcommerce sql --duckdb \S+ "select/);
  });
});
