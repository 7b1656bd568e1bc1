/**
 * Destructive modes need proof, through the real CLI: `--reconcile-deletes` refuses (exit 1,
 * nothing marked) when the store lists no key at all or more than `reconcile_max_fraction`
 * of a table would be marked deleted, unless `--force`; `replace` on an incremental stream
 * reads the whole stream, so the swapped-in table is never just the records changed lately;
 * `replace` (asked, or a full refresh's) swaps in an empty or much shorter read only when the
 * API affirmed its count — otherwise it is refused (exit 1, `_loads` partial, the old table kept).
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, misbehaviourRule } from "../../src/emulator/index.ts";
import { runCli, tempDir, writeFile } from "../support/cli.ts";
import { emulatorWithConfig } from "../support/emulator.ts";
import { query } from "./fixtures.ts";

let emulator: Emulator;
let dir: string;
let raw: Record<string, unknown>;
let config: string;

beforeAll(async () => {
  ({ emulator, raw } = await emulatorWithConfig({ sizes: { orders: 30, customers: 10, brands: 6, giftCertificates: 12 } }));
  dir = tempDir("tap-bc-destructive-");
  config = writeFile(dir, "config.json", raw);
});
afterAll(() => emulator?.close());

const marked = async (db: string, table = "customers") => (await query(db, `select count(*)::int as n from bigcommerce.${table} where _deleted_at is not null`))[0].n;

describe("--reconcile-deletes", () => {
  it("refuses to mark more than reconcile_max_fraction of a table, or anything when the store lists nothing, unless --force", async () => {
    const db = join(dir, "reconcile.duckdb");
    const load = (extra: string[] = [], cfg = config) => runCli(["load", "--config", cfg, "--duckdb", db, "--streams", "customers", "--reconcile-deletes", ...extra]);
    expect((await load()).code).toBe(0);
    expect(await marked(db)).toBe(0);

    const ids = emulator.store.customers.map((c) => c.id);
    for (const id of ids.slice(0, 6)) emulator.store.deleteCustomer(id);
    const refused = await load();
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/reconcile customers: 6 of 10 rows \(60%\) would be marked deleted, more than reconcile_max_fraction 0\.5; nothing was marked.*--force/);
    expect(await marked(db)).toBe(0);
    const forced = await load(["--force"]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(await marked(db)).toBe(6);

    // Every customer gone: refused even when any fraction is allowed.
    for (const id of ids.slice(6)) emulator.store.deleteCustomer(id);
    const anyFraction = writeFile(dir, "any-fraction.json", { ...raw, reconcile_max_fraction: 1 });
    const empty = await load([], anyFraction);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/the store listed no customers at all, so all 4 rows would be marked deleted/);
    expect(await marked(db)).toBe(6);
    expect((await load(["--force"], anyFraction)).code).toBe(0);
    expect(await marked(db)).toBe(10);
  });
});

describe("--write-mode STREAM=replace", () => {
  it("reads an incremental stream in full: the replaced table holds every order, not only the ones changed since the bookmark", async () => {
    const db = join(dir, "replace.duckdb");
    const all = emulator.store.orders.length;
    expect((await runCli(["load", "--config", config, "--duckdb", db, "--streams", "orders,order_products"])).code).toBe(0);
    emulator.store.touchOrder(emulator.store.orders[0].id);
    const replaced = await runCli(["load", "--config", config, "--duckdb", db, "--streams", "orders,order_products", "--write-mode", "order_products=replace"]);
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(await query(db, "select count(*)::int as n from bigcommerce.orders")).toEqual([{ n: all }]);
    const [products] = await query(db, "select count(distinct order_id)::int as n from bigcommerce.order_products");
    expect(products.n).toBe(all);
  });
});

describe("replace needs the API's proof", () => {
  const count = async (db: string, table: string) => (await query(db, `select count(*)::int as n from bigcommerce.${table}`))[0].n as number;
  const lastLoad = async (db: string) => {
    const [row] = await query(db, "select status, error, streams::varchar as streams from bigcommerce._loads order by started_at desc limit 1");
    return { status: row.status, error: String(row.error), streams: JSON.parse(String(row.streams)) as Record<string, { status: string; reason?: string }> };
  };
  const load = (db: string, streams: string, extra: string[] = []) => runCli(["load", "--config", config, "--duckdb", db, "--streams", streams, ...extra]);
  /** Runs `work` with the emulator misbehaving as named. */
  const misbehaving = async <T>(names: string[], work: () => Promise<T>): Promise<T> => {
    emulator.setFaults(names.map(misbehaviourRule));
    try {
      return await work();
    } finally {
      emulator.setFaults([]);
    }
  };

  it("a list without a count (v2 gift_certificates) that answers empty (204 on page 1) or short does not empty or shrink the table; --force does; a real deletion goes through", async () => {
    const db = join(dir, "replace-unproven.duckdb");
    const all = emulator.store.giftCertificates.length;
    expect(all).toBeGreaterThan(4);
    expect((await load(db, "gift_certificates")).code).toBe(0);
    expect(await count(db, "gift_certificates")).toBe(all);

    const replace = ["--write-mode", "gift_certificates=replace"];
    const empty = await misbehaving(["empty-list"], () => load(db, "gift_certificates", replace));
    expect(empty.code, empty.stderr).toBe(1);
    const says = new RegExp(`replace of gift_certificates refused: the read brought no gift_certificates rows where ${all} are stored, and the API did not affirm the read of gift_certificates by a count; table gift_certificates and the state of gift_certificates are kept.*--force`);
    expect(empty.stderr).toMatch(says);
    expect(await count(db, "gift_certificates")).toBe(all);
    const partial = await lastLoad(db);
    expect(partial.status).toBe("partial");
    expect(partial.error).toMatch(says);
    expect(partial.streams.gift_certificates).toMatchObject({ status: "failed", reason: expect.stringMatching(says) });

    // A full refresh replaces full-table streams: the same proof is asked.
    const refresh = await misbehaving(["empty-list"], () => load(db, "gift_certificates", ["--full-refresh"]));
    expect(refresh.code, refresh.stderr).toBe(1);
    expect(refresh.stderr).toMatch(says);
    expect(await count(db, "gift_certificates")).toBe(all);

    // A short read: pages lose rows, and the first short page ends a v2 list.
    emulator.setFaults([{ kind: "drop-rows", count: 4, match: "/v2/gift_certificates", times: Infinity }]);
    const short = await runCli(["load", "--config", writeFile(dir, "page5.json", { ...raw, page_size: 5 }), "--duckdb", db, "--streams", "gift_certificates", ...replace]);
    emulator.setFaults([]);
    expect(short.code, short.stderr).toBe(1);
    expect(short.stderr).toMatch(new RegExp(`replace of gift_certificates refused: it would remove ${all - 1} of the ${all} rows of gift_certificates \\(\\d+%\\), more than reconcile_max_fraction 0.5`));
    expect(await count(db, "gift_certificates")).toBe(all);

    // Forced, the empty read empties the table.
    const forced = await misbehaving(["empty-list"], () => load(db, "gift_certificates", [...replace, "--force"]));
    expect(forced.code, forced.stderr).toBe(0);
    expect(await count(db, "gift_certificates")).toBe(0);
    expect((await lastLoad(db)).status).toBe("success");

    // Without proof, a replace still removes what the store really deleted, within reconcile_max_fraction.
    expect((await load(db, "gift_certificates")).code).toBe(0);
    const gone = emulator.store.giftCertificates.splice(0, 1);
    try {
      const deleted = await load(db, "gift_certificates", replace);
      expect(deleted.code, deleted.stderr).toBe(0);
      expect(await count(db, "gift_certificates")).toBe(all - 1);
    } finally {
      emulator.store.giftCertificates.unshift(...gone);
    }
  });

  it("rows --reconcile-deletes already marked deleted are not counted as a replace's loss", async () => {
    const db = join(dir, "replace-after-reconcile.duckdb");
    const all = emulator.store.giftCertificates.length;
    expect((await load(db, "gift_certificates")).code).toBe(0);
    const gone = emulator.store.giftCertificates.splice(0, Math.ceil(all / 2) + 1);
    try {
      expect((await load(db, "gift_certificates", ["--reconcile-deletes", "--force"])).code).toBe(0);
      expect(await marked(db, "gift_certificates")).toBe(gone.length);
      // More than half of the stored rows are not in the read, but the store had lost them already.
      const replaced = await load(db, "gift_certificates", ["--write-mode", "gift_certificates=replace"]);
      expect(replaced.code, replaced.stderr).toBe(0);
      expect(await count(db, "gift_certificates")).toBe(all - gone.length);
    } finally {
      emulator.store.giftCertificates.unshift(...gone);
    }
  });

  it("a list that fails (404) or a best-effort list that ends at a 404 keeps the table", async () => {
    const db = join(dir, "replace-404.duckdb");
    expect((await load(db, "brands,payment_methods")).code).toBe(0);
    const brands = await count(db, "brands");
    const methods = await count(db, "payment_methods");
    expect(brands).toBeGreaterThan(0);
    expect(methods).toBeGreaterThan(0);
    const failed = await misbehaving(["list-404"], () => load(db, "brands", ["--write-mode", "brands=replace"]));
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/stream 'brands'.*not found \(404/);
    expect(await count(db, "brands")).toBe(brands);
    // payment_methods: a 404 is a warning and the stream ends with what was read (nothing): no proof.
    const bestEffort = await misbehaving(["list-404@/v2/payments/methods"], () => load(db, "payment_methods", ["--write-mode", "payment_methods=replace"]));
    expect(bestEffort.code, bestEffort.stderr).toBe(1);
    expect(bestEffort.stderr).toMatch(/replace of payment_methods refused: the read brought no payment_methods rows/);
    expect(await count(db, "payment_methods")).toBe(methods);
  });

  it("coupons/count and customer_groups/count affirm a full read: an empty list fails and keeps the table, a store without coupons empties it", async () => {
    const db = join(dir, "replace-counted.duckdb");
    emulator.log.clear();
    expect((await load(db, "coupons,customer_groups")).code).toBe(0);
    // customer_groups is incremental, and its count takes no filters: only a full-table read is checked.
    expect(emulator.log.count({ path: "/v2/coupons/count" })).toBe(2);
    expect(emulator.log.count({ path: "/v2/customer_groups/count" })).toBe(0);
    const coupons = await count(db, "coupons");
    const groups = await count(db, "customer_groups");
    expect(coupons).toBe(emulator.store.coupons.length);
    const replace = ["--write-mode", "coupons=replace", "--write-mode", "customer_groups=replace"];
    for (const [stream, stored] of [["coupons", coupons], ["customer_groups", groups]] as const) {
      const empty = await misbehaving([`empty-list@/v2/${stream}?`], () => load(db, "coupons,customer_groups", replace));
      expect(empty.code, empty.stderr).toBe(1);
      expect(empty.stderr).toMatch(new RegExp(`stream '${stream}': the list returned 0 rows in all but v2/${stream}/count counts ${stored}: rows are missing from the list`));
      expect(await count(db, stream)).toBe(stored);
    }
    const gone = emulator.store.coupons.splice(0);
    try {
      const affirmed = await load(db, "coupons", ["--write-mode", "coupons=replace"]);
      expect(affirmed.code, affirmed.stderr).toBe(0);
      expect(await count(db, "coupons")).toBe(0);
    } finally {
      emulator.store.coupons.push(...gone);
    }
  });

  it("orders/count affirms: an empty orders list against a count of 30 fails and keeps the table; a store whose orders are all gone empties it", async () => {
    const db = join(dir, "replace-affirmed.duckdb");
    const orders = emulator.store.orders.filter((o) => !o.deleted).length;
    expect((await load(db, "orders,order_products,brands")).code).toBe(0);
    const replace = ["--write-mode", "orders=replace", "--write-mode", "brands=replace"];
    const empty = await misbehaving(["empty-list@/v2/orders?", "empty-list@/v3/catalog/brands"], () => load(db, "orders,order_products,brands", replace));
    expect(empty.code, empty.stderr).toBe(1);
    expect(empty.stderr).toMatch(/stream 'orders': the list returned 0 rows in status_id \d+ .*but v2\/orders\/count counts \d+/);
    expect(await count(db, "orders")).toBe(orders);
    expect(await count(db, "brands")).toBeGreaterThan(0);

    // The store really is empty: the API's own counts (orders/count 0, meta.pagination.total 0) affirm it.
    const brands = emulator.store.brands.splice(0);
    for (const order of emulator.store.orders) if (!order.deleted) emulator.store.deleteOrder(order.id);
    try {
      const affirmed = await load(db, "orders,order_products,brands", replace);
      expect(affirmed.code, affirmed.stderr).toBe(0);
      expect(await count(db, "orders")).toBe(0);
      expect(await count(db, "order_products")).toBe(0);
      expect(await count(db, "brands")).toBe(0);
      expect((await lastLoad(db)).status).toBe("success");
    } finally {
      emulator.store.brands.push(...brands);
    }
  });
});
