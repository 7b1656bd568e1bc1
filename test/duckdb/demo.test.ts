/** The demo through the real CLI, then what a user does with its file: the docs' example queries, a report, exports. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { beforeAll, describe, expect, it } from "vitest";

const CLI = new URL("../../bin/tap-bigcommerce.js", import.meta.url).pathname;
const cli = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });

describe("demo", () => {
  const dir = mkdtempSync(join(tmpdir(), "tap-bc-demo-"));
  const db = join(dir, "demo.duckdb");
  let demo: ReturnType<typeof cli>;
  beforeAll(() => {
    demo = cli(["demo", "--duckdb", db]);
  });

  it("loads the emulator store and prints a summary of tables, rows and requests", () => {
    expect(demo.status, demo.stderr).toBe(0);
    expect(demo.stdout).toMatch(/^orders\s+1200$/m);
    expect(demo.stdout).toMatch(/^order_products\s+\d{4}$/m);
    expect(demo.stdout).toMatch(/^customers\s+300$/m);
    expect(demo.stdout).toMatch(/\d+ rows in \d+ tables, \d+ API requests, [\d.]+ s/);
  });

  it("sums money exactly: sum(total_inc_tax) and sum(products.price) are DECIMAL, equal to the values added as integers", async () => {
    const instance = await DuckDBInstance.create(db, { access_mode: "READ_ONLY" });
    const connection = await instance.connect();
    try {
      for (const [table, column] of [["orders", "total_inc_tax"], ["products", "price"]]) {
        const [[type, sum]] = (await connection.runAndReadAll(`select typeof(sum(${column})), sum(${column})::varchar from bigcommerce.${table}`)).getRows();
        expect(type, column).toBe("DECIMAL(38,4)");
        const values = (await connection.runAndReadAll(`select ${column}::varchar from bigcommerce.${table} where ${column} is not null`)).getRows();
        const tenThousandths = values.reduce((total, [v]) => total + BigInt(String(v).replace(".", "")), 0n);
        expect(values.length).toBeGreaterThan(100);
        expect(sum).toBe(`${tenThousandths / 10000n}.${String(tenThousandths % 10000n).padStart(4, "0")}`);
      }
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it("runs every example query of docs/duckdb.md through `sql` against the demo file, and the demo's own hint", () => {
    const doc = readFileSync(new URL("../../docs/duckdb.md", import.meta.url), "utf8");
    const queries = [...doc.matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(queries.length).toBeGreaterThanOrEqual(3);
    const hint = /Query it: npx tap-bigcommerce sql --duckdb (\S+) "([^"]+)"/.exec(demo.stdout);
    expect(hint, demo.stdout).not.toBeNull();
    expect(hint![1]).toBe(db);
    for (const sql of [...queries, hint![2]]) {
      const result = cli(["sql", "--duckdb", db, "--format", "json", sql]);
      expect(result.status, `${sql}\n${result.stderr}`).toBe(0);
      expect((JSON.parse(result.stdout) as unknown[]).length, sql).toBeGreaterThan(0);
    }
  });

  it("writes a self-contained HTML report built on the analytics views", () => {
    const out = join(dir, "report.html");
    const result = cli(["report", "--duckdb", db, "--out", out]);
    expect(result.status, result.stderr).toBe(0);
    const html = readFileSync(out, "utf8");
    expect(html).toContain("<h1>Demo Store — sales report</h1>");
    expect(html).toContain("<h2>Net revenue by month</h2>");
    expect(html).toMatch(/<td>orders<\/td><td class="num">1,200<\/td>/);
    expect(html).not.toMatch(/<script|https?:\/\//);
  });

  it("exports every table as CSV that DuckDB reads back with the same row counts", async () => {
    const out = join(dir, "csv");
    const result = cli(["export", "--duckdb", db, "--format", "csv", "--out", out]);
    expect(result.status, result.stderr).toBe(0);
    const files = result.stdout.trim().split("\n");
    expect(files).toContain(join(out, "orders.csv"));
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    try {
      const count = async (sql: string) => Number((await connection.runAndReadAll(sql)).getRows()[0][0]);
      await connection.run(`attach '${db}' as d (read_only)`);
      for (const table of ["orders", "order_products", "customers"]) {
        expect(await count(`select count(*) from read_csv('${join(out, table + ".csv")}')`)).toBe(
          await count(`select count(*) from d.bigcommerce.${table}`),
        );
      }
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});
