/**
 * A file written by the first release (test/duckdb/first-release.ts writes one with that
 * release's DDL, rows, `_state` and `_loads`) upgrades in place on the next load: every
 * column to its current type in one transaction, every row and value kept (converted
 * exactly, or moved to `_rescued`), the migration recorded in `_loads`.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/emulator/index.ts";
import { runCli, tempDir, writeFile } from "../support/cli.ts";
import { emulatorWithConfig } from "../support/emulator.ts";
import { expectedTypes } from "./expected-types.ts";
import { query } from "./fixtures.ts";
import { FIRST_RELEASE_LOAD, writeFirstReleaseFile } from "./first-release.ts";

let emulator: Emulator;
let dir: string;
let config: string;
beforeAll(async () => {
  let raw: Record<string, unknown>;
  ({ emulator, raw } = await emulatorWithConfig({ sizes: { orders: 30, customers: 10, products: 8, giftCertificates: 2 } }));
  dir = tempDir("tap-bc-upgrade-");
  config = writeFile(dir, "config.json", raw);
});
afterAll(() => emulator?.close());

/** Fixture rows (ids the emulator does not have), selected columns as text, `_rescued` parsed. */
async function fixtureRows(path: string, table: string, columns: string): Promise<Record<string, unknown>[]> {
  const rows = await query(path, `select ${columns}, CAST(_rescued AS VARCHAR) AS _rescued from bigcommerce.${table} where _load_id = '${FIRST_RELEASE_LOAD}' order by 1`);
  return rows.map((r) => ({ ...r, _rescued: r._rescued === null ? null : JSON.parse(String(r._rescued)) }));
}

describe("a file written by the first release", () => {
  const streams = "orders,order_coupons,products,product_variants,currencies,customers";

  it("is upgraded in place by the next load: current types, every row and value kept, misfits in _rescued, recorded in _loads", async () => {
    const path = join(dir, "first-release.duckdb");
    await writeFirstReleaseFile(path);
    const load = await runCli(["load", "--config", config, "--duckdb", path, "--streams", streams]);
    expect(load.code, load.stderr).toBe(0);
    expect(load.stdout).toMatch(/upgraded \d+ columns of 8 tables to their current types \(6 values that did not fit moved to _rescued/);

    // Every column of the first release's tables, selected in this load or not, has its current type.
    const expected = expectedTypes();
    const stored = await query(
      path,
      `select table_name, column_name, replace(data_type, 'TIMESTAMP WITH TIME ZONE', 'TIMESTAMPTZ') as type from information_schema.columns
       where table_schema = 'bigcommerce' and table_name in ('orders', 'order_coupons', 'customers', 'customer_groups', 'products',
         'product_variants', 'currencies', 'gift_certificates') and column_name not in ('_extracted_at', '_load_id', '_deleted_at')`,
    );
    expect(stored.length).toBeGreaterThan(250);
    for (const { table_name, column_name, type } of stored) {
      const want = expected[String(table_name)][String(column_name)] ?? (/^(form_field_|custom_field_|billing_address_form_field_)/.test(String(column_name)) ? "VARCHAR" : "?");
      expect(type, `${table_name}.${column_name}`).toBe(want);
    }

    expect(await fixtureRows(path, "orders", `id, customer_id, items_total, shipping_address_count, total_inc_tax, currency_exchange_rate::varchar as rate,
      store_default_to_transactional_exchange_rate::varchar as store_rate, payment_provider_id, strftime(date_modified, '%Y-%m-%dT%H:%M:%SZ') as modified`)).toEqual([
      {
        id: "900001", customer_id: "12", items_total: "3", shipping_address_count: "1", total_inc_tax: "123.4500", rate: "1.0000000000",
        store_rate: "0.9123456789", payment_provider_id: "braintree", modified: "2024-01-02T03:04:05Z", _rescued: null,
      },
      {
        id: "900002", customer_id: null, items_total: null, shipping_address_count: "1", total_inc_tax: "10.0000", rate: null,
        store_rate: "1.0000000000", payment_provider_id: "4", modified: "2024-01-03T00:00:00Z",
        _rescued: { note: "kept", customer_id: 1e20, items_total: 2.5, currency_exchange_rate: "1.12345678901" },
      },
    ]);
    expect(await fixtureRows(path, "order_coupons", "id, amount::varchar as amount, discount::varchar as discount")).toEqual([
      { id: "1", amount: "5.0000", discount: "5.0000", _rescued: null },
      { id: "2", amount: "10.5000", discount: null, _rescued: { discount: 2.123456 } },
    ]);
    expect(await fixtureRows(path, "products", `id, price::varchar as price, cost_price, calculated_price::varchar as calculated, tax_class_id, categories,
      strftime(date_last_imported, '%Y-%m-%dT%H:%M:%SZ') as imported`)).toEqual([
      { id: "900001", price: "19.9900", cost_price: null, calculated: "17.9910", tax_class_id: "0", categories: ["1", "2"], imported: "2012-11-20T00:00:00Z", _rescued: { cost_price: 1.23456 } },
    ]);
    expect(await fixtureRows(path, "product_variants", "id, price::varchar as price, map_price::varchar as map_price, calculated_weight")).toEqual([
      { id: "900001", price: "19.9900", map_price: "0.0000", calculated_weight: 1.5, _rescued: null },
    ]);
    expect(await fixtureRows(path, "currencies", "id, currency_exchange_rate::varchar as rate")).toEqual([{ id: "900001", rate: "1.2345678901", _rescued: null }]);
    expect(await fixtureRows(path, "gift_certificates", "id, strftime(purchase_date, '%Y-%m-%dT%H:%M:%SZ') as purchased, expiry_date, amount::varchar as amount")).toEqual([
      { id: "900001", purchased: "2023-11-14T22:13:20Z", expiry_date: null, amount: "25.0000", _rescued: null },
    ]);
    expect(await fixtureRows(path, "customer_groups", "id, strftime(date_created, '%Y-%m-%dT%H:%M:%SZ') as created, date_modified")).toEqual([
      { id: "900001", created: "2023-07-17T06:30:41Z", date_modified: null, _rescued: { date_modified: "not a date" } },
    ]);
    expect(await fixtureRows(path, "customers", "id, channel_ids")).toEqual([{ id: "900001", channel_ids: ["1", "2"], _rescued: null }]);

    // The emulator's rows are there too, and the first release's load record is kept beside the new one.
    const [orders] = await query(path, "select count(*)::int as n from bigcommerce.orders");
    expect(orders.n).toBe(32);
    const loads = await query(path, "select load_id, status, CAST(migrations AS VARCHAR) as migrations from bigcommerce._loads order by started_at");
    expect(loads.map((l) => [l.load_id === FIRST_RELEASE_LOAD, l.status])).toEqual([[true, "success"], [false, "success"]]);
    expect(loads[0].migrations).toBeNull();
    const migrations = JSON.parse(String(loads[1].migrations)) as { table: string; column: string; from: string; to: string; values: number; rescued: number }[];
    expect(migrations).toEqual(expect.arrayContaining([
      { table: "orders", column: "customer_id", from: "DOUBLE", to: "BIGINT", values: 2, rescued: 1 },
      { table: "orders", column: "currency_exchange_rate", from: "VARCHAR", to: "DECIMAL(20,10)", values: 2, rescued: 1 },
      { table: "products", column: "price", from: "DOUBLE", to: "DECIMAL(18,4)", values: 1, rescued: 0 },
      { table: "products", column: "categories", from: "DOUBLE[]", to: "BIGINT[]", values: 1, rescued: 0 },
      { table: "gift_certificates", column: "purchase_date", from: "VARCHAR", to: "TIMESTAMPTZ", values: 1, rescued: 0 },
      { table: "customers", column: "channel_ids", from: "JSON", to: "BIGINT[]", values: 1, rescued: 0 },
    ]));
    expect(migrations.reduce((n, m) => n + m.rescued, 0)).toBe(6);

    // A second load has nothing left to upgrade.
    const again = await runCli(["load", "--config", config, "--duckdb", path, "--streams", streams]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).not.toContain("upgraded");
    const [last] = await query(path, "select migrations from bigcommerce._loads order by started_at desc limit 1");
    expect(last.migrations).toBeNull();
  });
});
