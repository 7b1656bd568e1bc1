/**
 * Deleted (archived) orders through the real CLI. The first load leaves out the orders archived before it (they
 * are not live); each incremental load then reads the orders archived since the bookmark (`is_deleted=true`) and
 * compares the live rows it holds with orders/count, sweeping ids where they disagree (which finds archives that
 * left date_modified as it was). Archived orders are marked `is_deleted` with `_deleted_at`, and their child rows
 * with them (Singer output: test/singer/archived-orders.test.ts). A list that rejects the parameter is a warning
 * and the sweep still finds them. `--reconcile-deletes` marks the swept table's children too.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/emulator/index.ts";
import { runCli, tempDir, writeFile } from "../support/cli.ts";
import { emulatorWithConfig, sweepRequests } from "../support/emulator.ts";
import { query } from "./fixtures.ts";

let emulator: Emulator;
let dir: string;
let config: string;
const ORDERS = 150;
/** Archived at seed time (spread over the ids). */
const SEEDED = 3;

beforeAll(async () => {
  let raw: Record<string, unknown>;
  ({ emulator, raw } = await emulatorWithConfig({ sizes: { orders: ORDERS, archivedOrders: SEEDED } }, { page_size: 50 }));
  dir = tempDir("tap-bc-deleted-");
  config = writeFile(dir, "config.json", raw);
});
afterAll(() => emulator.close());

const CHILDREN = ["order_products", "order_consignments"];
const STREAMS = ["orders", ...CHILDREN].join(",");

/** The archived orders held, and whether each child row carries its order's `_deleted_at` (and only those). */
async function marks(db: string): Promise<{ archived: number[]; unmarked: number; stray: number }> {
  const archived = (await query(db, "select id::int as id from bigcommerce.orders where is_deleted and _deleted_at is not null order by id"))
    .map((r) => r.id as number);
  let unmarked = 0;
  let stray = 0;
  for (const child of CHILDREN) {
    const [row] = await query(
      db,
      `select count(*) filter (where o.is_deleted and c._deleted_at is distinct from o._deleted_at)::int as unmarked,
              count(*) filter (where not o.is_deleted and c._deleted_at is not null)::int as stray
       from bigcommerce.${child} c join bigcommerce.orders o on o.id = c.order_id`,
    );
    unmarked += row!.unmarked as number;
    stray += row!.stray as number;
  }
  return { archived, unmarked, stray };
}

describe("archived orders in DuckDB", () => {
  const db = () => join(dir, "orders.duckdb");
  const load = () => runCli(["load", "--config", config, "--duckdb", db(), "--streams", STREAMS]);
  const seeded = () => emulator.store.orders.filter((o) => o.deleted).map((o) => o.id);

  it("the first load holds only live orders: those archived before it are left out, with no extra request", async () => {
    expect(seeded()).toHaveLength(SEEDED);
    const first = await load();
    expect(first.code, first.stderr).toBe(0);
    const ids = (await query(db(), "select id::int as id from bigcommerce.orders")).map((r) => r.id as number);
    expect(ids).toHaveLength(ORDERS - SEEDED);
    for (const id of seeded()) expect(ids).not.toContain(id);
    expect(emulator.log.filter({ endpoint: "GET /v2/orders" }).filter((e) => e.query.is_deleted === "true")).toHaveLength(0);
    expect(sweepRequests(emulator)).toEqual({ counts: 0, pages: 0 });
  });

  it("an archive that left date_modified as it was is found by the id sweep; the order and its child rows are marked", async () => {
    const gone = [emulator.store.orders[20]!.id, emulator.store.orders[21]!.id];
    for (const id of gone) emulator.store.deleteOrder(id, "unchanged");
    emulator.log.clear();
    const second = await load();
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/archived orders: \d+ live ids held, \d+ counted by the API; 2 no longer listed/);
    const found = await marks(db());
    expect(found.archived).toEqual(gone);
    expect(found.unmarked).toBe(0);
    expect(found.stray).toBe(0);
    const children = await query(db(), `select count(*)::int as n from bigcommerce.order_products where order_id in (${gone.join(",")}) and _deleted_at is not null`);
    expect(children[0]!.n).toBeGreaterThan(0);
    // Halving 147 held ids down to a page of 50: a few counts and one page per neighbouring pair, not every id.
    const cost = sweepRequests(emulator);
    expect(cost.pages).toBeGreaterThanOrEqual(1);
    expect(cost.pages).toBeLessThanOrEqual(2);
    expect(cost.counts).toBeLessThanOrEqual(4);
  });

  it("nothing archived since: one count request, no id page", async () => {
    emulator.log.clear();
    const third = await load();
    expect(third.code, third.stderr).toBe(0);
    expect(sweepRequests(emulator)).toEqual({ counts: 1, pages: 0 });
    expect((await marks(db())).archived).toHaveLength(2);
  });

  it("an archive that moved date_modified comes with the is_deleted=true read, children marked in the same batch", async () => {
    const id = emulator.store.orders[60]!.id;
    emulator.store.deleteOrder(id);
    emulator.log.clear();
    const next = await load();
    expect(next.code, next.stderr).toBe(0);
    expect(emulator.log.filter({ endpoint: "GET /v2/orders" }).filter((e) => e.query.is_deleted === "true")).toHaveLength(1);
    const found = await marks(db());
    expect(found.archived).toContain(id);
    expect(found.archived).toHaveLength(3);
    expect(found.unmarked).toBe(0);
    // The read marked it already: the held rows agree with the count, so no id page.
    expect(sweepRequests(emulator)).toEqual({ counts: 1, pages: 0 });
  });

  it("an archived order read again is rewritten and keeps the time it was first stored as archived", async () => {
    const id = emulator.store.orders[60]!.id;
    const stored = async () => (await query(db(), `select _deleted_at::varchar as at, _load_id as load from bigcommerce.orders where id = ${id}`))[0]!;
    const before = await stored();
    expect(before.at).not.toBeNull();
    emulator.store.touchOrder(id);
    const next = await load();
    expect(next.code, next.stderr).toBe(0);
    const after = await stored();
    // Written again by this load (a new version of the row), with the first archive time.
    expect(after.load).not.toBe(before.load);
    expect(after.at).toBe(before.at);
    const [{ n }] = await query(db(), `select count(*)::int as n from bigcommerce.orders where id = ${id}`);
    expect(n).toBe(1);
    expect((await marks(db())).unmarked).toBe(0);
  });

  it("a list that rejects is_deleted=true is a warning, and the id sweep still marks the archived order", async () => {
    const id = emulator.store.orders[100]!.id;
    emulator.setFaults([{ kind: "status", status: 400, match: "is_deleted=true", times: 5 }]);
    try {
      emulator.store.deleteOrder(id);
      const next = await load();
      expect(next.code, next.stderr).toBe(0);
      expect(next.stderr).toMatch(/warning: orders: the list rejected is_deleted=true/);
      expect(next.stderr).toMatch(/1 no longer listed/);
    } finally {
      emulator.setFaults([]);
    }
    const found = await marks(db());
    expect(found.archived).toContain(id);
    expect(found.unmarked).toBe(0);
  });

  it("archived rows a previous version stored without _deleted_at (nor their children's) are marked by the next load", async () => {
    const before = await marks(db());
    // As the previous main left them: flagged is_deleted, but no _deleted_at anywhere.
    await query(db(), "update bigcommerce.orders set _deleted_at = null where is_deleted");
    for (const child of CHILDREN) await query(db(), `update bigcommerce.${child} set _deleted_at = null`);
    expect((await marks(db())).archived).toEqual([]);
    const next = await load();
    expect(next.code, next.stderr).toBe(0);
    const after = await marks(db());
    expect(after.archived).toEqual(before.archived);
    expect(after.unmarked).toBe(0);
    expect(after.stray).toBe(0);
  });
});

describe("--reconcile-deletes", () => {
  it("marks the rows below a swept row too (a deleted product's images)", async () => {
    const db = join(dir, "products.duckdb");
    const load = (...extra: string[]) => runCli(["load", "--config", config, "--duckdb", db, "--streams", "products,product_images", ...extra]);
    expect((await load()).code).toBe(0);
    const [withImages] = await query(db, "select product_id::int as id from bigcommerce.product_images group by 1 order by 1 limit 1");
    const id = withImages!.id as number;
    expect(emulator.store.deleteProduct(id)).toBe(true);
    const swept = await load("--reconcile-deletes");
    expect(swept.code, swept.stderr).toBe(0);
    const [row] = await query(
      db,
      `select count(*)::int as images, count(*) filter (where i._deleted_at is not distinct from p._deleted_at)::int as marked,
              max(p._deleted_at is not null)::int as product
       from bigcommerce.product_images i join bigcommerce.products p on p.id = i.product_id where p.id = ${id}`,
    );
    expect(row).toEqual({ images: expect.any(Number), marked: row!.images, product: 1 });
    expect(row!.images).toBeGreaterThan(0);
    const [others] = await query(db, `select count(*)::int as n from bigcommerce.product_images where product_id <> ${id} and _deleted_at is not null`);
    expect(others!.n).toBe(0);
  });
});

describe("with channel_id set, the sweeps keep to the channel", () => {
  const CHANNEL = 2;
  let channelEmulator: Emulator;
  let channelConfig: string;
  beforeAll(async () => {
    let raw: Record<string, unknown>;
    ({ emulator: channelEmulator, raw } = await emulatorWithConfig({ sizes: { orders: ORDERS, products: 60 } }, { page_size: 50, channel_id: CHANNEL }));
    channelConfig = writeFile(dir, "channel.config.json", raw);
  });
  afterAll(() => channelEmulator.close());

  it("the archive sweep counts and lists the channel's orders only: an order of the channel archived in place is found", async () => {
    const db = join(dir, "channel-orders.duckdb");
    const load = () => runCli(["load", "--config", channelConfig, "--duckdb", db, "--streams", "orders"]);
    expect((await load()).code).toBe(0);
    const inChannel = channelEmulator.store.orders.filter((o) => o.channelId === CHANNEL).map((o) => o.id);
    const held = (await query(db, "select id::int as id from bigcommerce.orders order by id")).map((r) => r.id as number);
    expect(held).toEqual(inChannel);
    expect(held.length).toBeGreaterThan(3);
    // Archived with date_modified as it was: only the count of the channel's orders (one short of those held) finds it.
    const gone = held[2]!;
    channelEmulator.store.deleteOrder(gone, "unchanged");
    channelEmulator.log.clear();
    const second = await load();
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/archived orders: \d+ live ids held, \d+ counted by the API; 1 no longer listed/);
    const marked = await query(db, "select id::int as id from bigcommerce.orders where _deleted_at is not null");
    expect(marked).toEqual([{ id: gone }]);
    const sweep = [...channelEmulator.log.filter({ endpoint: "GET /v2/orders/count" }), ...channelEmulator.log.filter({ endpoint: "GET /v2/orders" })]
      .filter((e) => e.query.min_id !== undefined);
    expect(sweep.length).toBeGreaterThan(1);
    for (const e of sweep) expect(e.query.channel_id, JSON.stringify(e.query)).toBe(String(CHANNEL));
  });

  it("--reconcile-deletes lists the channel's products only", async () => {
    const db = join(dir, "channel-products.duckdb");
    const load = (...extra: string[]) => runCli(["load", "--config", channelConfig, "--duckdb", db, "--streams", "products", ...extra]);
    expect((await load()).code).toBe(0);
    const held = (await query(db, "select id::int as id from bigcommerce.products order by id")).map((r) => r.id as number);
    expect(held).toEqual(channelEmulator.store.products.filter((p) => p.channels.includes(CHANNEL)).map((p) => p.id));
    expect(held.length).toBeGreaterThan(2);
    expect(channelEmulator.store.deleteProduct(held[0]!)).toBe(true);
    channelEmulator.log.clear();
    const swept = await load("--reconcile-deletes");
    expect(swept.code, swept.stderr).toBe(0);
    expect(swept.stdout).toMatch(/products\s+1 row marked deleted/);
    const listing = channelEmulator.log.filter({ endpoint: "GET /v3/catalog/products" }).filter((e) => e.query.include_fields === "id");
    expect(listing.length).toBeGreaterThan(0);
    for (const e of listing) expect(e.query["channel_id:in"], JSON.stringify(e.query)).toBe(String(CHANNEL));
  });
});
