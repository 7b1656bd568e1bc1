/**
 * The tap driven the way Meltano drives it: config in a run directory (the secret in an
 * environment variable), `--discover` into a catalog file, `select` rules applied, a sync with
 * `--catalog` and `--state`, the last STATE line kept as the next run's state — twice, with
 * orders and a customer changed in between.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../src/emulator/index.ts";
import { lastState, parseSinger, recordsByStream, runCli, type SingerMessage, tempDir, writeFile } from "../support/cli.ts";
import { applySelect } from "../support/meltano.ts";
import { type Catalog, emulatorSettings, SMALL_STORE } from "../support/singer.ts";

const SELECT = ["orders.*", "order_products.*", "customers.*", "!orders.customer_message"];

let emulator: Emulator;
let runDir: string;
const env = () => ({ TAP_BIGCOMMERCE_ACCESS_TOKEN: emulator.accessToken });

/** One `meltano run`-style invocation: sync with the catalog and (when there is one) the saved state; saves the last STATE. */
async function meltanoRun(): Promise<{ messages: SingerMessage[]; requests: ReturnType<Emulator["log"]["filter"]> }> {
  const statePath = join(runDir, "state.json");
  const hasState = (() => {
    try {
      return readFileSync(statePath, "utf8").length > 0;
    } catch {
      return false;
    }
  })();
  const args = ["--config", join(runDir, "tap.config.json"), "--catalog", join(runDir, "tap.properties.json")];
  if (hasState) args.push("--state", statePath);
  emulator.log.clear();
  const result = await runCli(args, { env: env(), cwd: runDir });
  expect(result.code, result.stderr).toBe(0);
  const messages = parseSinger(result.stdout);
  writeFile(runDir, "state.json", lastState(messages));
  return { messages, requests: emulator.log.filter() };
}

let first: Awaited<ReturnType<typeof meltanoRun>>;
let second: Awaited<ReturnType<typeof meltanoRun>>;
let changedOrders: number[];
let changedCustomer: number;
let bookmarksAfterFirst: Record<string, { replication_key_value: string }>;

beforeAll(async () => {
  emulator = await startEmulator({ rateLimit: false, sizes: SMALL_STORE });
  runDir = tempDir("meltano-run-");
  // Meltano writes the non-secret settings to the run directory's config and passes the rest in the environment.
  const { access_token: _, ...settings } = emulatorSettings(emulator);
  writeFile(runDir, "tap.config.json", settings);
  const discovery = await runCli(["--config", join(runDir, "tap.config.json"), "--discover"], { env: env(), cwd: runDir });
  expect(discovery.code, discovery.stderr).toBe(0);
  writeFile(runDir, "tap.properties.json", applySelect(JSON.parse(discovery.stdout) as Catalog, SELECT));

  first = await meltanoRun();
  bookmarksAfterFirst = JSON.parse(readFileSync(join(runDir, "state.json"), "utf8")).bookmarks;
  const orders = emulator.store.orders;
  changedOrders = [orders[3].id, orders[17].id, orders[29].id];
  emulator.store.updateOrder(changedOrders[0], { staff_notes: "call the customer" });
  emulator.store.touchOrder(changedOrders[1]);
  emulator.store.updateOrder(changedOrders[2], { status_id: 10 });
  changedCustomer = emulator.store.customers[4].id;
  emulator.store.touchCustomer(changedCustomer);
  second = await meltanoRun();
});
afterAll(() => emulator?.close());

describe("a Meltano-style first run", () => {
  it("syncs exactly the selected streams, without the excluded field", () => {
    const records = recordsByStream(first.messages);
    expect([...records.keys()].sort()).toEqual(["customers", "order_products", "orders"]);
    expect(records.get("orders")).toHaveLength(SMALL_STORE.orders);
    expect(records.get("customers")).toHaveLength(SMALL_STORE.customers);
    for (const order of records.get("orders")!) expect(order).not.toHaveProperty("customer_message");
    expect(first.messages.find((m) => m.type === "SCHEMA" && m.stream === "orders")!.schema!.properties).not.toHaveProperty("customer_message");
  });

  it("leaves a state with a bookmark per selected incremental stream, child streams included", () => {
    expect(Object.keys(bookmarksAfterFirst).sort()).toEqual(["customers", "order_products", "orders"]);
    expect(bookmarksAfterFirst.order_products.replication_key_value).toBe(bookmarksAfterFirst.orders.replication_key_value);
  });
});

describe("the second run, from the saved state", () => {
  it("emits only the changed orders, their line items and the changed customer", () => {
    const records = recordsByStream(second.messages);
    expect(records.get("orders")!.map((o) => o.id).sort()).toEqual([...changedOrders].sort());
    const lineItems = (run: SingerMessage[]) => recordsByStream(run).get("order_products")!.filter((p) => changedOrders.includes(p.order_id as number));
    expect(records.get("order_products")!.length).toBe(lineItems(first.messages).length);
    expect(records.get("order_products")!.every((p) => changedOrders.includes(p.order_id as number))).toBe(true);
    expect(records.get("customers")!.map((c) => c.id)).toEqual([changedCustomer]);
    const changed = records.get("orders")!.find((o) => o.id === changedOrders[0])!;
    expect(changed.staff_notes).toBe("call the customer");
    expect(changed).not.toHaveProperty("customer_message");
  });

  it("asks the API only for records modified since the bookmarks", () => {
    const orderLists = second.requests.filter((r) => r.endpoint === "GET /v2/orders" && r.query?.is_deleted !== "true");
    expect(orderLists).toHaveLength(1);
    expect(orderLists[0].query.min_date_modified).toBe(bookmarksAfterFirst.orders.replication_key_value.replace(".000Z", "Z"));
    const customerLists = second.requests.filter((r) => r.endpoint === "GET /v3/customers");
    expect(customerLists).toHaveLength(1);
    // Customers' filter is documented as "after this date": the read starts a second early.
    expect(Date.parse(customerLists[0].query["date_modified:min"])).toBe(Date.parse(bookmarksAfterFirst.customers.replication_key_value) - 1000);
    const endpoints = new Set(second.requests.map((r) => r.endpoint));
    for (const endpoint of endpoints) expect(["GET /v2/store", "GET /v2/orders", "GET /v2/orders/count", "GET /v2/orders/{id}/products", "GET /v3/customers"]).toContain(endpoint);
    // (the second run also asks once for the orders archived since the bookmark)
    expect(second.requests.filter((r) => r.query?.is_deleted !== "true").length).toBeLessThan(first.requests.length);
  });

  it("moves the bookmarks forward", () => {
    const bookmarks = JSON.parse(readFileSync(join(runDir, "state.json"), "utf8")).bookmarks;
    expect(Date.parse(bookmarks.orders.replication_key_value)).toBeGreaterThan(Date.parse(bookmarksAfterFirst.orders.replication_key_value));
    expect(Date.parse(bookmarks.customers.replication_key_value)).toBeGreaterThan(Date.parse(bookmarksAfterFirst.customers.replication_key_value));
  });
});
