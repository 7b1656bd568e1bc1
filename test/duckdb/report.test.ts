/**
 * `report` through the real CLI on files written by `load`: a full load of an emulator store,
 * and a load of orders alone cut off by a failing page (streams not selected, history still
 * loading). The page's figures are the views' figures; it is self-contained; and a real
 * headless Chromium renders both without console errors, requests, horizontal overflow or a
 * blank screenshot.
 */
import { copyFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, tempDir, writeFile } from "../support/cli.ts";
import { chromiumSkipReason, renderInChromium } from "../support/chromium.ts";
import { emulatorWithConfig } from "../support/emulator.ts";
import { queryAttached as query } from "./fixtures.ts";
import { openDatabase } from "../../src/destinations/duckdb/connection.ts";
import type { Emulator } from "../../src/emulator/index.ts";
import type { ReportData } from "../../src/commands/report-data.ts";
import { renderReport } from "../../src/commands/report-html.ts";

const skipChromium = chromiumSkipReason();
const usd = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });

describe("report", () => {
  const dir = tempDir("tap-bc-report-");
  const full = join(dir, "shop.duckdb");
  const partial = join(dir, "partial.duckdb");
  const noOrders = join(dir, "customers.duckdb");
  let emulator: Emulator;
  let fullHtml = "";
  let partialHtml = "";
  let noOrdersHtml = "";

  beforeAll(async () => {
    const started = await emulatorWithConfig({ seed: 7, sizes: { orders: 240, customers: 60, products: 30 } }, { page_size: 50 });
    emulator = started.emulator;
    const config = writeFile(dir, "config.json", started.raw);
    const load = await runCli(["load", "--config", config, "--duckdb", full]);
    expect(load.code, load.stderr).toBe(0);
    // Orders alone, and the third page of orders answers 404: the load fails after two committed pages.
    emulator.setFaults([{ kind: "status", status: 404, match: "/v2/orders?", skip: 2, times: 1 }]);
    const cut = await runCli(["load", "--config", config, "--duckdb", partial, "--streams", "orders"]);
    emulator.setFaults([]);
    expect(cut.code, cut.stderr).toBe(1);
    const customers = await runCli(["load", "--config", config, "--duckdb", noOrders, "--streams", "customers"]);
    expect(customers.code, customers.stderr).toBe(0);
    for (const [db, out] of [[full, "full.html"], [partial, "partial.html"], [noOrders, "customers.html"]]) {
      const report = await runCli(["report", "--duckdb", db, "--out", join(dir, out)]);
      expect(report.code, report.stderr).toBe(0);
    }
    fullHtml = readFileSync(join(dir, "full.html"), "utf8");
    partialHtml = readFileSync(join(dir, "partial.html"), "utf8");
    noOrdersHtml = readFileSync(join(dir, "customers.html"), "utf8");
  });
  afterAll(async () => await emulator?.close());

  it("is titled with the store's name and shows the views' KPIs with their period, in the store's currency", async () => {
    expect(fullHtml).toMatch(/<title>Demo Store — sales report<\/title>/);
    expect(fullHtml).toMatch(/<h1>Demo Store — sales report<\/h1>/);
    const [k] = await query(full, `select count(*) filter (where is_revenue) as orders, sum(net_revenue) filter (where is_revenue)::double as net,
      strftime(min(order_date) filter (where is_revenue), '%-d %b %Y') as first, (select count(*) from bigcommerce_analytics.customer_summary) as customers
      from bigcommerce_analytics.orders`);
    const kpi = (label: string) => new RegExp(`kpi-label">${label}</div><div class="kpi-value">([^<]+)<`).exec(fullHtml)?.[1];
    expect(kpi("Orders")).toBe(Number(k.orders).toLocaleString("en-US"));
    expect(kpi("Net revenue")).toBe(usd.format(k.net as number));
    expect(kpi("Average order value")).toBe(usd.format((k.net as number) / Number(k.orders)));
    expect(kpi("Customers")).toBe(Number(k.customers).toLocaleString("en-US"));
    expect(kpi("Repeat rate")).toMatch(/^\d+\.\d%$/);
    expect(kpi("Refund rate")).toMatch(/^\d+\.\d%$/);
    expect(fullHtml).toContain(`${String(k.first).replace("Sep ", "Sept ")} – `);
    expect(fullHtml).toContain("store time (America/Chicago) · amounts in USD");
  });

  it("charts revenue by store-local month with labelled axes, and has status, product, customer and cohort sections", async () => {
    expect(fullHtml).toContain("<h2>Net revenue by month</h2>");
    expect(fullHtml).toContain("Month, store time (America/Chicago)");
    expect(fullHtml).toContain("Net revenue (USD)");
    expect(fullHtml).toMatch(/class="tick">\$\d+(\.\d)?K</);
    const months = await query(full, "select count(distinct order_month) as n from bigcommerce_analytics.orders where is_revenue");
    expect((fullHtml.match(/<rect [^>]*class="bar"/g) ?? []).length).toBeGreaterThanOrEqual(Number(months[0].n));
    for (const heading of ["Orders by status", "Top products", "Top customers", "Customer retention by first-order month", "Load history"]) {
      expect(fullHtml).toContain(`<h2>${heading}</h2>`);
    }
    const [top] = await query(full, "select product_name from bigcommerce_analytics.product_performance order by net_revenue desc limit 1");
    expect(fullHtml).toContain(`<td class="num">1</td><td>${top.product_name}</td>`);
    expect(fullHtml).toMatch(/<td class="heat" style="background:rgba\(37,99,163,1\.00\);color:#fff">100%<\/td>/);
  });

  it("formats money one way and stays self-contained; the load history is one row per load without raw JSON", () => {
    const text = fullHtml.replace(/<svg[\s\S]*?<\/svg>/g, "");
    const amounts = text.match(/\$\d[\d,]*(?:\.\d+)?\w?/g) ?? [];
    expect(amounts.length).toBeGreaterThan(30);
    for (const amount of amounts) expect(amount).toMatch(/^\$\d{1,3}(,\d{3})*\.\d{2}$/);
    expect(fullHtml).not.toMatch(/<script|<link|<img|@import|url\(|https?:\/\//i);
    const history = fullHtml.slice(fullHtml.indexOf("<h2>Load history</h2>"), fullHtml.indexOf("<h2>Tables</h2>"));
    expect(history).not.toMatch(/[{}]"/);
    expect((history.match(/<tr><td>/g) ?? []).length).toBeGreaterThanOrEqual(1);
    expect(history).toMatch(/\d+ of \d+ streams complete/);
    expect(history).toMatch(/<details><summary>\d+ tables<\/summary>/);
  });

  it("says which streams were not loaded and that the order history is still loading", async () => {
    const [range] = await query(partial, "select count(*) as n from bigcommerce_analytics.orders");
    expect(Number(range.n)).toBeGreaterThan(0);
    expect(Number(range.n)).toBeLessThan(240);
    expect(partialHtml).toMatch(new RegExp(`The order history is still loading: this report covers orders from .* to .* \\(${range.n} orders\\); the last load of orders \\([^)]*\\) did not finish \\(failed`));
    expect(partialHtml).toContain("The <code>store</code> stream was not loaded");
    expect(partialHtml).toContain("The <code>order_products</code> stream was not loaded");
    expect(partialHtml).toContain("the <code>customers</code> stream was not loaded");
    expect(partialHtml).toContain("<title>BigCommerce store — sales report</title>");
    // Without orders at all: one section says so, the load history still shows.
    expect(noOrdersHtml).toContain("The <code>orders</code> stream was not loaded, so there are no sales figures");
    expect(noOrdersHtml).toContain("<h2>Load history</h2>");
    expect(noOrdersHtml).not.toContain(`class="kpi-value"`);
  });

  it("a file without the views (written by an earlier version) is bad input that says to run a load", async () => {
    const old = join(dir, "old.duckdb");
    copyFileSync(partial, old);
    const database = await openDatabase(old);
    await database.connection.run("DROP SCHEMA bigcommerce_analytics CASCADE");
    database.close();
    const result = await runCli(["report", "--duckdb", old, "--out", join(dir, "old.html")]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no analytics views \(bigcommerce_analytics\) in this file: run `tap-bigcommerce load` once/);
    const schema = await runCli(["report", "--duckdb", partial, "--schema", "nope", "--out", join(dir, "nope.html")]);
    expect(schema.code).toBe(2);
    expect(schema.stderr).toMatch(/no schema nope in this file/);
  });

  it.skipIf(skipChromium !== undefined)(`renders in headless Chromium: no console errors, no requests, nothing sticks out, not blank${skipChromium ? ` — skipped: ${skipChromium}` : ""}`, async () => {
    for (const name of ["full", "partial", "customers"]) {
      const rendered = await renderInChromium(join(dir, `${name}.html`), join(dir, `${name}.png`));
      expect(rendered.errors, name).toEqual([]);
      expect(rendered.requests, name).toEqual([]);
      expect(rendered.overflowX, name).toBeLessThanOrEqual(0);
      expect(rendered.inked, name).toBeGreaterThan(0.01);
      expect(rendered.colours, name).toBeGreaterThan(8);
      expect(rendered.text).toContain("sales report");
    }
    process.stderr.write(`report screenshots: ${["full", "partial", "customers"].map((n) => join(dir, `${n}.png`)).join(" ")}\n`);
  }, 120_000);
});

describe("report page", () => {
  it("over a short history charts store-local weeks, a week without sales as a zero bar, money in the store's currency", () => {
    const weeks = ["2025-03-03", "2025-03-10", "2025-03-24"].map((start, i) => ({ start, netRevenue: 1000 * (i + 1), orders: i + 1 }));
    const data: ReportData = {
      schema: "shop", store: { name: "Café <Zürich>", timezone: "Europe/Zurich", currency: "EUR", decimals: 2 },
      tables: new Map([["orders", 6], ["order_products", 9], ["store", 1], ["customers", 3]]),
      kpis: { netRevenue: 6000, orders: 6, averageOrderValue: 1000, customers: 3, repeatCustomers: 1, gross: 6100, refunds: 100, from: "2025-03-04", to: "2025-03-27" },
      loadedRange: { from: "2025-03-04", to: "2025-03-27", orders: 6 }, granularity: "week", revenue: weeks,
      statuses: [], topProducts: [], topCustomers: [], cohorts: [], loads: [],
    };
    const html = renderReport(data, "shop.duckdb");
    expect(html).toContain("<h1>Café &lt;Zürich&gt; — sales report</h1>");
    expect(html).toContain("<h2>Net revenue by week</h2>");
    expect(html).toContain("Week (starting Monday), store time (Europe/Zurich)");
    expect((html.match(/<rect [^>]*class="bar"/g) ?? []).length).toBe(4);
    expect(html).toContain("<title>Week of 17 Mar 2025: €0.00 from 0 orders</title>");
    expect(html).toContain(`<div class="kpi-value">€6,000.00</div>`);
  });
});

if (skipChromium) process.stderr.write(`report.test.ts: the Chromium check is skipped: ${skipChromium}\n`);
