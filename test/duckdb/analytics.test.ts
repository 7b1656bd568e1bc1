/**
 * The analytics views after a real `load` through the CLI, against figures computed here, in
 * JavaScript, from the emulator's own seeded store (its order records and the emulator's
 * total arithmetic) — not from our tables. The store is put in a half-hour time zone, a few
 * orders are in another currency, some lack the exchange rate and some are archived, so the
 * store-local dates, currency conversion and archive filter are all exercised. A second load
 * of orders alone shows the views still answer (empty stand-ins for what was not loaded).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, tempDir, writeFile } from "../support/cli.ts";
import { emulatorWithConfig } from "../support/emulator.ts";
import { queryAttached as query } from "./fixtures.ts";
import type { Emulator } from "../../src/emulator/index.ts";
import { lineTotals, orderTotals } from "../../src/emulator/data/totals.ts";
import type { OrderRec } from "../../src/emulator/data/types.ts";

const TIMEZONE = "Australia/Adelaide";
const REVENUE = new Set([2, 3, 8, 9, 10, 11, 14]);
const EUR_RATE = 0.92;


const localDate = new Intl.DateTimeFormat("en-CA", { timeZone: TIMEZONE, year: "numeric", month: "2-digit", day: "2-digit" });
/** The store-local calendar day of an epoch-seconds instant, YYYY-MM-DD. */
const dayOf = (seconds: number) => localDate.format(new Date(seconds * 1000));
/** Cents of the order's currency in the store's currency, as a number of units rounded to 4 decimals. */
const money = (cents: number, rate: number) => Math.round((cents / 100 / rate) * 10_000) / 10_000;

interface Expected {
  id: number;
  key: string;
  day: string;
  statusId: number;
  rate: number;
  items: number;
  gross: number;
  discounts: number;
  refunds: number;
  net: number;
  order: OrderRec;
}

describe("analytics views", () => {
  const dir = tempDir("tap-bc-analytics-");
  const db = join(dir, "shop.duckdb");
  let emulator: Emulator;
  let config = "";
  let loadOut = "";
  const eur = new Set<number>();
  const noRate = new Set<number>();
  const archived = new Set<number>();
  let expected: Expected[] = [];

  beforeAll(async () => {
    const started = await emulatorWithConfig({ seed: 13, sizes: { orders: 260, customers: 60, products: 30 } }, { page_size: 50 });
    emulator = started.emulator;
    const store = emulator.store;
    store.addField("store", "timezone", {
      name: TIMEZONE, raw_offset: 34200, dst_offset: 37800, dst_correction: true,
      date_format: { display: "M jS Y", export: "M jS Y", extended_display: "M jS Y @ g:i A" },
    });
    const ids = store.orders.map((o) => o.id);
    for (const id of ids.filter((_, i) => i % 23 === 5)) {
      eur.add(id);
      store.updateOrder(id, { currency_code: "EUR", default_currency_code: "EUR", store_default_to_transactional_exchange_rate: EUR_RATE.toFixed(10) });
    }
    for (const id of ids.filter((_, i) => i % 37 === 3)) {
      noRate.add(id);
      store.updateOrder(id, { store_default_to_transactional_exchange_rate: null });
    }
    for (const id of ids.filter((_, i) => i % 41 === 7 && !eur.has(ids[i]!))) {
      archived.add(id);
      store.updateOrder(id, { is_deleted: true });
    }
    expected = store.orders.filter((o) => !archived.has(o.id)).map((order) => {
      const totals = orderTotals(order);
      const rate = eur.has(order.id) ? EUR_RATE : 1;
      const gross = money(totals.totalInc, rate);
      const refunds = money(order.refundedCents, rate);
      return {
        id: order.id, order, statusId: order.statusId, rate, items: totals.itemsTotal, gross, refunds, net: gross - refunds,
        discounts: money(totals.discount, rate), day: dayOf(order.created),
        key: order.customerId ? `customer:${order.customerId}` : `guest:${order.billing.email.toLowerCase()}`,
      };
    });
    config = writeFile(dir, "config.json", started.raw);
    const load = await runCli(["load", "--config", config, "--duckdb", db]);
    expect(load.code, load.stderr).toBe(0);
    loadOut = load.stdout;
  });
  afterAll(async () => await emulator?.close());

  const revenue = () => expected.filter((e) => REVENUE.has(e.statusId));

  it("orders: one row per order that is not archived, with its status group and store-local date", async () => {
    const rows = await query(db, `select order_id, order_date::varchar as day, status_group, is_revenue, exchange_rate::double as rate,
      gross_revenue::double as gross, refunds::double as refunds, net_revenue::double as net from bigcommerce_analytics.orders order by order_id`);
    expect(rows.map((r) => Number(r.order_id))).toEqual(expected.map((e) => e.id).sort((a, b) => a - b));
    const byId = new Map(expected.map((e) => [e.id, e]));
    const groups: Record<number, string> = { 0: "incomplete", 1: "pending_payment", 4: "refunded", 5: "cancelled_declined", 6: "cancelled_declined", 7: "pending_payment", 12: "pending_payment", 13: "pending_payment" };
    for (const row of rows) {
      const e = byId.get(Number(row.order_id))!;
      expect(row.day, `order ${e.id}`).toBe(e.day);
      expect(row.status_group, `order ${e.id}`).toBe(REVENUE.has(e.statusId) ? "revenue" : groups[e.statusId]);
      expect(row.is_revenue).toBe(REVENUE.has(e.statusId));
      expect(row.rate).toBe(e.rate);
      expect(row.gross as number).toBeCloseTo(e.gross, 4);
      expect(row.refunds as number).toBeCloseTo(e.refunds, 4);
      expect(row.net as number).toBeCloseTo(e.net, 4);
    }
    // The time zone matters: some orders fall on another calendar day than in UTC.
    expect(expected.some((e) => e.day !== new Date(e.order.created * 1000).toISOString().slice(0, 10))).toBe(true);
    expect(archived.size).toBeGreaterThan(0);
    expect(noRate.size).toBeGreaterThan(0);
  });

  it("daily_sales: per store-local day, revenue statuses only, each order once", async () => {
    const days = new Map<string, { orders: number; items: number; gross: number; discounts: number; refunds: number; net: number }>();
    for (const e of revenue()) {
      const d = days.get(e.day) ?? { orders: 0, items: 0, gross: 0, discounts: 0, refunds: 0, net: 0 };
      d.orders++;
      d.items += e.items;
      d.gross += e.gross;
      d.discounts += e.discounts;
      d.refunds += e.refunds;
      d.net += e.net;
      days.set(e.day, d);
    }
    const rows = await query(db, `select day::varchar as day, orders, items, gross_revenue::double as gross, discounts::double as discounts,
      refunds::double as refunds, net_revenue::double as net, average_order_value::double as aov from bigcommerce_analytics.daily_sales order by day`);
    expect(rows.map((r) => r.day)).toEqual([...days.keys()].sort());
    for (const row of rows) {
      const d = days.get(String(row.day))!;
      expect(Number(row.orders), String(row.day)).toBe(d.orders);
      expect(Number(row.items), String(row.day)).toBe(d.items);
      expect(row.gross as number).toBeCloseTo(d.gross, 3);
      expect(row.discounts as number).toBeCloseTo(d.discounts, 3);
      expect(row.refunds as number).toBeCloseTo(d.refunds, 3);
      expect(row.net as number).toBeCloseTo(d.net, 3);
      expect(row.aov as number).toBeCloseTo(d.net / d.orders, 3);
    }
    const [total] = await query(db, "select sum(net_revenue)::double as net, sum(orders)::int as orders from bigcommerce_analytics.daily_sales");
    expect(total.orders).toBe(revenue().length);
    expect(total.net as number).toBeCloseTo(revenue().reduce((n, e) => n + e.net, 0), 2);
  });

  it("customer_summary and monthly_cohorts: first/last order, lifetime net revenue, repeat flag, retention by first-order month", async () => {
    const customers = new Map<string, { first: string; last: string; orders: number; net: number; months: Set<string> }>();
    for (const e of revenue()) {
      const c = customers.get(e.key) ?? { first: e.day, last: e.day, orders: 0, net: 0, months: new Set<string>() };
      c.first = e.day < c.first ? e.day : c.first;
      c.last = e.day > c.last ? e.day : c.last;
      c.orders++;
      c.net += e.net;
      c.months.add(e.day.slice(0, 7));
      customers.set(e.key, c);
    }
    const rows = await query(db, `select customer_key, first_order_date::varchar as first, last_order_date::varchar as last, orders,
      lifetime_net_revenue::double as net, is_repeat, is_guest from bigcommerce_analytics.customer_summary`);
    expect(rows.map((r) => r.customer_key).sort()).toEqual([...customers.keys()].sort());
    for (const row of rows) {
      const c = customers.get(String(row.customer_key))!;
      expect([row.first, row.last, Number(row.orders), row.is_repeat]).toEqual([c.first, c.last, c.orders, c.orders > 1]);
      expect(row.net as number).toBeCloseTo(c.net, 3);
      expect(row.is_guest).toBe(String(row.customer_key).startsWith("guest:"));
    }
    expect(rows.some((r) => r.is_guest)).toBe(true);
    expect(rows.some((r) => r.is_repeat)).toBe(true);

    const cohorts = new Map<string, { size: number; active: Map<string, number> }>();
    for (const c of customers.values()) {
      const cohort = c.first.slice(0, 7);
      const entry = cohorts.get(cohort) ?? { size: 0, active: new Map<string, number>() };
      entry.size++;
      for (const month of c.months) entry.active.set(month, (entry.active.get(month) ?? 0) + 1);
      cohorts.set(cohort, entry);
    }
    const cells = await query(db, `select strftime(cohort_month, '%Y-%m') as cohort, strftime(month, '%Y-%m') as month, months_since_first_order as k,
      cohort_customers, active_customers, retention from bigcommerce_analytics.monthly_cohorts`);
    const expectedCells = [...cohorts].flatMap(([cohort, e]) => [...e.active].map(([month, n]) => `${cohort} ${month} ${e.size} ${n}`));
    expect(cells.map((r) => `${r.cohort} ${r.month} ${r.cohort_customers} ${r.active_customers}`).sort()).toEqual(expectedCells.sort());
    for (const r of cells) {
      const [cy, cm] = String(r.cohort).split("-").map(Number);
      const [my, mm] = String(r.month).split("-").map(Number);
      expect(Number(r.k)).toBe((my - cy) * 12 + (mm - cm));
      expect(r.retention as number).toBeCloseTo(Number(r.active_customers) / Number(r.cohort_customers), 9);
    }
  });

  it("order_lines and product_performance: line items with product, variant, brand and category names; per-product sales", async () => {
    const store = emulator.store;
    const products = new Map(store.products.map((p) => [p.id, p]));
    const brands = new Map(store.brands.map((b) => [b.id, b.name]));
    const categories = new Map(store.categories.map((c) => [c.id, c.name]));
    const lines = await query(db, `select order_id, line_id, product_name, variant_name, brand_name, category_names, quantity
      from bigcommerce_analytics.order_lines order by order_id, line_id`);
    const expectedLines = expected.flatMap((e) => e.order.lines.map((l) => ({ e, l }))).sort((a, b) => a.e.id - b.e.id || a.l.id - b.l.id);
    expect(lines.map((r) => `${r.order_id}/${r.line_id}`)).toEqual(expectedLines.map(({ e, l }) => `${e.id}/${l.id}`));
    for (const [i, { l }] of expectedLines.entries()) {
      const row = lines[i];
      const product = l.productId ? products.get(l.productId) : undefined;
      expect(row.product_name).toBe(product?.name ?? l.name);
      expect(row.variant_name).toBe(l.options.length ? l.options.map((o) => `${o.name}: ${o.value}`).join(", ") : null);
      expect(row.brand_name).toBe(product ? brands.get(product.brandId) ?? null : null);
      const names = product ? [...new Set(product.categories.map((c) => categories.get(c)).filter((n): n is string => !!n))].sort() : [];
      expect(row.category_names).toBe(names.length ? names.join(", ") : null);
      expect(Number(row.quantity)).toBe(l.quantity);
    }

    const perProduct = new Map<string, { orders: Set<number>; units: number; gross: number; discounts: number; refunds: number }>();
    for (const e of revenue()) {
      for (const l of e.order.lines) {
        const key = `${l.productId || ""}|${l.productId ? products.get(l.productId)!.name : l.name}`;
        const p = perProduct.get(key) ?? { orders: new Set<number>(), units: 0, gross: 0, discounts: 0, refunds: 0 };
        const t = lineTotals(l, e.order.taxRate);
        p.orders.add(e.id);
        p.units += l.quantity;
        p.gross += money(t.totalInc, e.rate);
        p.discounts += money(l.discountCents, e.rate);
        p.refunds += money(l.quantityRefunded * (l.priceCents + t.unitTax), e.rate);
        perProduct.set(key, p);
      }
    }
    const rows = await query(db, `select coalesce(product_id::varchar, '') || '|' || product_name as key, orders, units,
      gross_revenue::double as gross, discounts::double as discounts, refunds::double as refunds, net_revenue::double as net
      from bigcommerce_analytics.product_performance`);
    expect(rows.map((r) => r.key).sort()).toEqual([...perProduct.keys()].sort());
    for (const row of rows) {
      const p = perProduct.get(String(row.key))!;
      expect([Number(row.orders), Number(row.units)], String(row.key)).toEqual([p.orders.size, p.units]);
      expect(row.gross as number).toBeCloseTo(p.gross, 3);
      expect(row.discounts as number).toBeCloseTo(p.discounts, 3);
      expect(row.refunds as number).toBeCloseTo(p.refunds, 3);
      expect(row.net as number).toBeCloseTo(p.gross - p.discounts - p.refunds, 3);
    }
  });

  it("order_status_groups covers statuses 0–14 exactly as docs/analytics.md documents them", async () => {
    const doc = readFileSync(new URL("../../docs/analytics.md", import.meta.url), "utf8");
    const documented = [...doc.matchAll(/^\| (\d+) \| ([^|]+?) \| `(\w+)` \|/gm)].map((m) => `${m[1]} ${m[2]} ${m[3]}`);
    const rows = await query(db, "select status_id, status, status_group from bigcommerce_analytics.order_status_groups order by status_id");
    expect(rows.map((r) => Number(r.status_id))).toEqual([...Array(15).keys()]);
    expect(rows.map((r) => `${r.status_id} ${r.status} ${r.status_group}`)).toEqual(documented);
    expect(rows.filter((r) => r.status_group === "revenue").map((r) => Number(r.status_id))).toEqual([...REVENUE]);
  });

  it("store_settings and the load summary: the store's name, time zone and currency; the hint queries a view", async () => {
    const [settings] = await query(db, "select * from bigcommerce_analytics.store_settings");
    expect(settings).toMatchObject({ store_name: "Demo Store", timezone: TIMEZONE, currency_code: "USD", decimal_places: "2" });
    expect(loadOut).toContain(`analytics views in bigcommerce_analytics (dates in the store's time zone, ${TIMEZONE})`);
    const hint = /Query it: npx tap-bigcommerce sql --duckdb (\S+) "([^"]+)"/.exec(loadOut);
    expect(hint![2]).toContain("bigcommerce_analytics.daily_sales");
    const result = await runCli(["sql", "--duckdb", db, "--format", "json", hint![2]]);
    expect(result.code, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as unknown[]).length).toBe(7);
  });

  it("with only orders loaded, every view still answers: empty stand-ins for the rest, dates in UTC, and the summary says so", async () => {
    const small = join(dir, "orders-only.duckdb");
    const load = await runCli(["load", "--config", config, "--duckdb", small, "--streams", "orders", "--schema", "shop"]);
    expect(load.code, load.stderr).toBe(0);
    expect(load.stdout).toMatch(/analytics views in shop_analytics \(the store stream was not loaded: dates are in UTC; read as empty, not in the file: store, .*products/);
    const [counts] = await query(small, `select
      (select count(*) from shop_analytics.orders)::int as orders,
      (select count(*) from shop_analytics.customer_summary)::int as customers,
      (select count(*) from shop_analytics.monthly_cohorts)::int as cohorts,
      (select count(*) from shop_analytics.order_lines)::int as lines,
      (select count(*) from shop_analytics.product_performance)::int as products,
      (select sum(orders) from shop_analytics.daily_sales)::int as sales,
      (select currency_code from shop_analytics.store_settings) as currency,
      (select timezone from shop_analytics.store_settings) as timezone`);
    expect(counts).toMatchObject({ orders: expected.length, customers: expect.any(Number), sales: revenue().length, currency: "USD", timezone: "UTC" });
    expect(counts.cohorts).toBeGreaterThan(0);
    // Line items are a stream of their own (order_products), not selected here.
    expect([counts.lines, counts.products]).toEqual([0, 0]);
  });
});
