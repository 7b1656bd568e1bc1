/**
 * The file a load writes keeps row groups of `ROW_GROUP_SIZE` rows (a batch's checkpoint writes
 * again at most that much of a table), in a new file and after it is opened again: DuckDB does
 * not keep the size in the file, so an attach without it would write and merge 122 880-row groups.
 */
import { afterAll, describe, expect, it } from "vitest";
import { type Database, openDatabase, ROW_GROUP_SIZE } from "../../src/destinations/duckdb/connection.ts";
import { tempDir } from "./fixtures.ts";

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** Rows in each row group of table `t`, in order. */
async function rowGroups(db: Database): Promise<number[]> {
  const reader = await db.connection.runAndReadAll(
    "SELECT row_group_id, max(start + count) - min(start) FROM pragma_storage_info('t') WHERE column_id = 0 AND segment_type <> 'VALIDITY' GROUP BY 1 ORDER BY 1",
  );
  return reader.getRows().map(([, rows]) => Number(rows));
}

describe("row groups of a file the tap writes", () => {
  it(`hold at most ${ROW_GROUP_SIZE} rows, in a new file and after reopening it`, async () => {
    const path = tmp.file("groups.duckdb");
    const rows = 2.5 * ROW_GROUP_SIZE;
    const created = await openDatabase(path);
    await created.connection.run(`CREATE TABLE t AS SELECT range AS i, 'order ' || range AS s FROM range(${rows})`);
    await created.connection.run("CHECKPOINT");
    expect(await rowGroups(created)).toEqual([ROW_GROUP_SIZE, ROW_GROUP_SIZE, rows - 2 * ROW_GROUP_SIZE]);
    created.close();

    const reopened = await openDatabase(path);
    await reopened.connection.run(`INSERT INTO t SELECT range AS i, 'order ' || range AS s FROM range(${rows}, ${2 * rows})`);
    await reopened.connection.run("CHECKPOINT");
    const groups = await rowGroups(reopened);
    expect(groups.reduce((a, b) => a + b, 0)).toBe(2 * rows);
    expect(Math.max(...groups)).toBe(ROW_GROUP_SIZE);
    expect(groups.length).toBe(5);
    reopened.close();
  });
});
