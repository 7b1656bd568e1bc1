/**
 * The stage's column writers (src/destinations/duckdb/vectors.ts) write DuckDB's vector layouts
 * directly: these rows go through a real stage into a DuckDB file and are read back from the
 * file in a fresh instance, value by value, as exact text. The values sit on each write path's
 * edges: 12- vs 13-byte strings (inline vs pointed into the heap), multibyte UTF-8 at that
 * boundary, empty string vs NULL, integers and decimals around 2^53, DECIMAL(18,4)'s and
 * DECIMAL(20,10)'s limits, microsecond and pre-1970 timestamps, dates before 1970, and more
 * rows than one chunk (2048) in pages that straddle chunks.
 */
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, describe, expect, it } from "vitest";
import { sqlType } from "../../src/destinations/duckdb/column-types.ts";
import { literal } from "../../src/destinations/duckdb/sql.ts";
import { ORDER_COLUMN, Stage } from "../../src/destinations/duckdb/stage.ts";
import { TableRows } from "../../src/engine/table-rows.ts";
import type { ColumnType, Row } from "../../src/engine/types.ts";
import { query, tempDir } from "./fixtures.ts";

const COLUMNS: [string, ColumnType][] = [
  ["label", "string"],
  ["n", "integer"],
  ["price", "decimal"],
  ["rate", "rate"],
  ["stamp", "timestamp"],
  ["day", "date"],
  ["ratio", "number"],
  ["flag", "boolean"],
  ["meta", "json"],
  ["tags", { list: "string" }],
];

/** Per column: values given to the stage, and the text DuckDB must give back (null: NULL). */
const CASES: Record<string, [unknown, string | null][]> = {
  label: [
    ["", ""],
    [null, null],
    ["a", "a"],
    ["abcdefghijkl", "abcdefghijkl"], // 12 bytes: inline
    ["abcdefghijklm", "abcdefghijklm"], // 13 bytes: heap
    ["ééééé" + "ab", "éééééab"], // 7 units, 12 bytes: inline
    ["éééééé" + "a", "ééééééa"], // 7 units, 13 bytes: heap
    ["😀😀😀", "😀😀😀"], // 12 bytes
    ["😀😀😀a", "😀😀😀a"], // 13 bytes
    ["€€€€", "€€€€"], // 12 bytes
    ["Ünïcødé 'quoted' \"text\" ✓ and more", "Ünïcødé 'quoted' \"text\" ✓ and more"],
    ["plain ascii text longer than twelve", "plain ascii text longer than twelve"],
    ["a\u0000b", "a\u0000b"],
    ["\ud800x", "\ufffdx"], // a lone surrogate becomes U+FFFD, as DuckDB's own string assignment does
    [42, "42"],
  ],
  n: [
    [0, "0"],
    [-1, "-1"],
    [2 ** 31, "2147483648"],
    [-(2 ** 31) - 1, "-2147483649"],
    [2 ** 32, "4294967296"],
    [-(2 ** 32), "-4294967296"],
    [2 ** 53 - 1, "9007199254740991"],
    [-(2 ** 53 - 1), "-9007199254740991"],
    [2n ** 53n + 1n, "9007199254740993"],
    [-(2n ** 53n) - 1n, "-9007199254740993"],
    [2n ** 63n - 1n, "9223372036854775807"],
    [-(2n ** 63n), "-9223372036854775808"],
    ["123", "123"],
    [null, null],
  ],
  price: [
    ["0.0000", "0.0000"],
    ["-0.0000", "0.0000"],
    ["0.0001", "0.0001"],
    ["-0.0001", "-0.0001"],
    ["-12.5000", "-12.5000"],
    ["12.5000", "12.5000"],
    ["99999999999999.9999", "99999999999999.9999"], // DECIMAL(18,4)'s largest
    ["-99999999999999.9999", "-99999999999999.9999"],
    ["9007199254740.9931", "9007199254740.9931"], // 16 digits: past a double's exact digits
    ["-9007199254740.9933", "-9007199254740.9933"],
    ["12345678901.2345", "12345678901.2345"],
    [12.5, "12.5000"],
    ["012.5000", "12.5000"],
    [null, null],
  ],
  rate: [
    ["0.0825000000", "0.0825000000"],
    ["-1.0000000001", "-1.0000000001"],
    ["9999999999.9999999999", "9999999999.9999999999"], // DECIMAL(20,10)'s largest
    ["-9999999999.9999999999", "-9999999999.9999999999"],
    ["12345.1234567890", "12345.1234567890"],
    ["-123456.1234567890", "-123456.1234567890"],
    ["0.0000000001", "0.0000000001"],
    ["-0.0000000001", "-0.0000000001"],
    [null, null],
  ],
  stamp: [
    ["2024-03-01T10:20:30.123Z", "2024-03-01T10:20:30.123000Z"],
    ["2024-03-01T10:20:30.123456Z", "2024-03-01T10:20:30.123456Z"],
    ["1969-12-31T23:59:59.999Z", "1969-12-31T23:59:59.999000Z"],
    ["1969-12-31T23:59:59.999999Z", "1969-12-31T23:59:59.999999Z"],
    ["1900-01-01T00:00:00.000Z", "1900-01-01T00:00:00.000000Z"],
    ["2300-01-01T00:00:00.000Z", "2300-01-01T00:00:00.000000Z"], // microseconds beyond 2^53
    [new Date(Date.UTC(2020, 0, 1, 0, 0, 0, 1)), "2020-01-01T00:00:00.001000Z"],
    [null, null],
  ],
  day: [
    ["1970-01-01", "1970-01-01"],
    ["1969-12-31", "1969-12-31"],
    ["1900-03-01", "1900-03-01"],
    ["2024-02-29", "2024-02-29"],
    [null, null],
  ],
  ratio: [
    [1.0825, "1.0825"],
    [-2.5, "-2.5"],
    [1e300, "1e+300"],
    [0, "0.0"],
    ["3.25", "3.25"],
    [null, null],
  ],
  flag: [
    [true, "true"],
    [false, "false"],
    [null, null],
  ],
  meta: [
    [{ a: 1, huge: 12345678901234567890n }, '{"a":1,"huge":12345678901234567890}'],
    ["text", '"text"'],
    [[1, "x"], '[1,"x"]'],
    [null, null],
  ],
  tags: [
    [["a", "b"], "[a, b]"],
    [[], "[]"],
    [null, null],
    [["an element longer than twelve bytes", ""], "[an element longer than twelve bytes, '']"],
  ],
};

/** Read back as text: decimals and integers exactly, timestamps with their microseconds (UTC). */
const TEXT: Record<string, string> = {
  stamp: `strftime(stamp, '%Y-%m-%dT%H:%M:%S.%fZ')`,
  ratio: `CAST(ratio AS VARCHAR)`,
  tags: `CAST(tags AS VARCHAR)`,
};

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** Stages `rows` (`pageSize` a page) into a stored table `samples` of a new DuckDB file, in their order. */
async function stageRows(rows: Row[], pageSize: number): Promise<string> {
  const path = tmp.file(`stage-${Math.random().toString(36).slice(2)}.duckdb`);
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  try {
    await connection.run(`CREATE TABLE samples (${COLUMNS.map(([name, type]) => `${name} ${sqlType(type)}`).join(", ")}, ord BIGINT)`);
    const stage = await Stage.create(connection, "stage", "samples", "samples", COLUMNS);
    try {
      for (let start = 0; start < rows.length; start += pageSize) stage.append(TableRows.of(rows.slice(start, start + pageSize)));
      stage.close();
      await connection.run(`INSERT INTO samples SELECT * FROM temp.main.stage ORDER BY ${ORDER_COLUMN}`);
    } finally {
      await stage.drop();
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return path;
}

/** Row `i`: each column's case `i` (cycling through its cases), keyed by column. */
function caseRow(i: number): { row: Row; expected: Record<string, string | null> } {
  const row: Row = {};
  const expected: Record<string, string | null> = {};
  for (const [name] of COLUMNS) {
    const cases = CASES[name]!;
    const [value, text] = cases[i % cases.length]!;
    row[name] = value;
    expected[name] = text;
  }
  return { row, expected };
}

/** Every row of `samples` as text, in stage order. */
async function readBack(path: string): Promise<Record<string, string | null>[]> {
  const columns = COLUMNS.map(([name]) => `${TEXT[name] ?? `CAST(${name} AS VARCHAR)`} AS ${name}`);
  return (await query(path, `SELECT ${columns.join(", ")} FROM samples ORDER BY ord`)) as Record<string, string | null>[];
}

describe("stage column writers", () => {
  it("round-trips every case exactly, over more rows than a chunk, in pages that straddle chunks", async () => {
    const count = 5000;
    const cases = Array.from({ length: count }, (_, i) => caseRow(i));
    const path = await stageRows(cases.map((c) => c.row), 700);
    const back = await readBack(path);
    expect(back).toHaveLength(count);
    for (let i = 0; i < count; i++) expect(back[i], `row ${i}`).toEqual(cases[i]!.expected);
  });

  it("stores strings that equal (and group with) the same text written by SQL, in slots a chunk of long strings used before", async () => {
    // (SQL text cannot hold the NUL or the lone surrogate.)
    const labels = CASES.label!.flatMap(([value, text]) => (typeof value === "string" && value === text && !value.includes("\u0000") ? [text] : []));
    // A first chunk of long strings leaves length, prefix and pointer bytes in every slot the second chunk reuses.
    const rows: Row[] = Array.from({ length: 2048 }, (_, i) => ({ label: `a label long enough for the heap, row ${i}` }));
    for (let i = 0; i < 2048; i++) rows.push({ label: labels[i % labels.length]! });
    const path = await stageRows(rows, 1000);
    const values = labels.map((l) => `(${literal(l)})`).join(", ");
    const [row] = await query(
      path,
      `SELECT (SELECT count(*) FROM samples s JOIN (VALUES ${values}) v(l) ON s.label = v.l)::INTEGER AS joined,
              (SELECT count(DISTINCT label) FROM (SELECT label FROM samples WHERE ord >= 2048 UNION ALL SELECT l FROM (VALUES ${values}) v(l)))::INTEGER AS distinct_labels`,
    );
    expect(row).toEqual({ joined: 2048, distinct_labels: new Set(labels).size });
  });

  it("keeps a chunk's NULLs out of the next chunk, and a column missing from a page is NULL", async () => {
    // First chunk: every other label and integer NULL; second chunk: none; a page without the columns at the end.
    const rows: Row[] = Array.from({ length: 4096 }, (_, i) => ({
      label: i < 2048 && i % 2 === 0 ? null : `label number ${i}`,
      n: i < 2048 && i % 2 === 0 ? null : i,
      price: "1.0000",
    }));
    rows.push(...Array.from({ length: 10 }, () => ({ price: "2.0000" })));
    const path = await stageRows(rows, 4096);
    const [counts] = await query(
      path,
      `SELECT count(*) FILTER (WHERE label IS NULL AND ord < 2048)::INTEGER AS first,
              count(*) FILTER (WHERE label IS NULL AND ord >= 2048 AND ord < 4096)::INTEGER AS second,
              count(*) FILTER (WHERE n IS NULL AND ord >= 2048 AND ord < 4096)::INTEGER AS second_n,
              count(*) FILTER (WHERE label IS NULL AND n IS NULL AND ord >= 4096)::INTEGER AS missing,
              count(*) FILTER (WHERE label = 'label number ' || ord AND n = ord)::INTEGER AS intact
       FROM samples`,
    );
    expect(counts).toEqual({ first: 1024, second: 0, second_n: 0, missing: 10, intact: 3072 });
  });

  it("writes strings of megabytes (multibyte, ASCII) beside short ones, and the chunks after them", async () => {
    const huge = "é".repeat(1_500_000) + "end"; // 3 MB of UTF-8
    const wide = "x".repeat(5_000_000);
    // More than one copy's worth (8M UTF-16 units) of long strings in a chunk: copied in groups.
    const rows: Row[] = [{ label: huge }, { label: "short" }, { label: wide }, ...Array.from({ length: 3 }, () => ({ label: "y".repeat(2_000_000) }))];
    for (let i = 0; i < 3000; i++) rows.push({ label: `after the big ones, row ${i}` });
    const path = await stageRows(rows, 1000);
    const [row] = await query(
      path,
      `SELECT (SELECT label = ${literal(huge)} FROM samples WHERE ord = 0) AS huge, (SELECT strlen(label) FROM samples WHERE ord = 0)::INTEGER AS huge_bytes,
              (SELECT label FROM samples WHERE ord = 1) AS short, (SELECT label = repeat('x', 5000000) FROM samples WHERE ord = 2) AS wide,
              (SELECT count(*) FROM samples WHERE ord BETWEEN 3 AND 5 AND label = repeat('y', 2000000))::INTEGER AS ys,
              (SELECT count(*) FROM samples WHERE ord >= 6 AND label = 'after the big ones, row ' || (ord - 6))::INTEGER AS after`,
    );
    expect(row).toEqual({ huge: true, huge_bytes: 3_000_003, short: "short", wide: true, ys: 3, after: 3000 });
  });

  it("names the table, the row of the batch and the column of a value that does not fit", async () => {
    const rows: Row[] = Array.from({ length: 3000 }, (_, i) => ({ price: i === 2500 ? "123456789012345678.5000" : "1.0000" }));
    await expect(stageRows(rows, 700)).rejects.toThrow(
      'DuckDB: table samples, row 2501 of the batch, column price: decimal 123456789012345678.5000 does not fit DECIMAL(18,4)',
    );
    const integers: Row[] = [{ n: 1 }, { n: 2n ** 63n }];
    await expect(stageRows(integers, 1)).rejects.toThrow("row 2 of the batch, column n: integer 9223372036854775808 is out of BIGINT range");
    await expect(stageRows([{ flag: true }, { flag: "yes" }], 2)).rejects.toThrow('row 2 of the batch, column flag: expected a boolean, got "yes"');
  });
});
