/**
 * The report as one self-contained HTML page (inline CSS and SVG, no scripts, no remote
 * assets) for a merchant's analyst: KPIs with their period, revenue over store-local weeks or
 * months, orders by status, top products and customers, a cohort heatmap and the load history.
 * Money is formatted one way throughout, in the store's currency.
 */
import { VERSION } from "../config/about.ts";
import { counted } from "../plural.ts";
import { type Bar, barChart, escapeHtml, heatmap } from "./report-charts.ts";
import type { LoadEntry, ReportData } from "./report-data.ts";

/** Formatting in the store's conventions. */
interface Format {
  money(value: number): string;
  moneyShort(value: number): string;
  int(value: number): string;
  pct(value: number): string;
  day(date: string): string;
  period(date: string): string;
  instant(timestamp: string): string;
}

function formats(data: ReportData): Format {
  const digits = Math.max(0, Math.min(4, data.store.decimals));
  let money: Intl.NumberFormat;
  let short: Intl.NumberFormat;
  const code = data.store.currency ?? "";
  try {
    money = new Intl.NumberFormat("en-US", { style: "currency", currency: code, minimumFractionDigits: digits, maximumFractionDigits: digits });
    short = new Intl.NumberFormat("en-US", { style: "currency", currency: code, notation: "compact", minimumFractionDigits: 0, maximumFractionDigits: 1 });
  } catch {
    money = new Intl.NumberFormat("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
    short = new Intl.NumberFormat("en-US", { notation: "compact", minimumFractionDigits: 0, maximumFractionDigits: 1 });
  }
  const day = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
  const month = new Intl.DateTimeFormat("en-GB", { month: "short", year: "numeric", timeZone: "UTC" });
  const week = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
  let instant: Intl.DateTimeFormat;
  try {
    instant = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: data.store.timezone });
  } catch {
    instant = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
  }
  const asDate = (d: string) => new Date(`${d.slice(0, 10)}T00:00:00Z`);
  return {
    money: (v) => money.format(v),
    moneyShort: (v) => short.format(v),
    int: (v) => Math.round(v).toLocaleString("en-US"),
    pct: (v) => `${(v * 100).toFixed(1)}%`,
    day: (d) => day.format(asDate(d)),
    period: (d) => (data.granularity === "month" ? month : week).format(asDate(d)),
    instant: (t) => {
      const parsed = new Date(t.replace(" ", "T").replace(/([+-]\d\d)$/, "$1:00"));
      return Number.isNaN(parsed.getTime()) ? t : instant.format(parsed);
    },
  };
}

/** The periods from the first to the last (inclusive), so that a week or month without sales shows as a zero bar. */
function filled(data: ReportData): ReportData["revenue"] {
  if (data.revenue.length === 0) return [];
  const by = new Map(data.revenue.map((p) => [p.start.slice(0, 10), p]));
  const out: ReportData["revenue"] = [];
  const end = new Date(`${data.revenue.at(-1)!.start.slice(0, 10)}T00:00:00Z`);
  for (let d = new Date(`${data.revenue[0].start.slice(0, 10)}T00:00:00Z`); d <= end && out.length < 2000;) {
    const key = d.toISOString().slice(0, 10);
    out.push(by.get(key) ?? { start: key, netRevenue: 0, orders: 0 });
    if (data.granularity === "month") d = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
    else d = new Date(d.getTime() + 7 * 86_400_000);
  }
  return out;
}

const GROUP_LABELS: Record<string, string> = {
  revenue: "revenue", pending_payment: "pending payment", cancelled_declined: "cancelled / declined", refunded: "refunded",
  incomplete: "incomplete", other: "other",
};

function missing(stream: string, what: string): string {
  return `<p class="missing">The <code>${escapeHtml(stream)}</code> stream was not loaded, so ${escapeHtml(what)}. ` +
    `Load it (<code>tap-bigcommerce load --streams …,${escapeHtml(stream)}</code>, or the default selection) and run the report again.</p>`;
}

function meter(value: number, max: number): string {
  const width = max > 0 ? Math.max(0.5, (value / max) * 100) : 0;
  return `<span class="meter"><span style="width:${width.toFixed(1)}%"></span></span>`;
}

function kpiTiles(data: ReportData, f: Format): string {
  const k = data.kpis;
  const tile = (label: string, value: string, note: string) =>
    `<div class="kpi"><div class="kpi-label">${escapeHtml(label)}</div><div class="kpi-value">${escapeHtml(value)}</div><div class="kpi-note">${escapeHtml(note)}</div></div>`;
  return `<div class="kpis">${[
    tile("Net revenue", f.money(k.netRevenue), "revenue orders, after refunds"),
    tile("Orders", f.int(k.orders), "orders in a revenue status"),
    tile("Average order value", k.averageOrderValue === null ? "–" : f.money(k.averageOrderValue), "net revenue per order"),
    tile("Customers", f.int(k.customers), "buyers with a revenue order (guests by e-mail)"),
    tile("Repeat rate", k.customers ? f.pct(k.repeatCustomers / k.customers) : "–", `${f.int(k.repeatCustomers)} customers ordered more than once`),
    tile("Refund rate", k.gross ? f.pct(k.refunds / k.gross) : "–", `${f.money(k.refunds)} refunded of ${f.money(k.gross)} sold, fully refunded orders included`),
  ].join("")}</div>`;
}

function revenueSection(data: ReportData, f: Format): string {
  const unit = data.granularity;
  const title = `Net revenue by ${unit}`;
  const periods = filled(data);
  if (periods.length === 0) return `<h2>${title}</h2><p>No revenue orders yet.</p>`;
  const bars: Bar[] = periods.map((p) => ({
    label: f.period(p.start),
    value: p.netRevenue,
    title: `${unit === "week" ? "Week of " + f.day(p.start) : f.period(p.start)}: ${f.money(p.netRevenue)} from ${f.int(p.orders)} orders`,
  }));
  const best = periods.reduce((a, b) => (b.netRevenue > a.netRevenue ? b : a));
  return `<h2>${title}</h2>` + barChart(bars, {
    description: `${title}, ${bars.length} ${unit}s`,
    xTitle: `${unit === "week" ? "Week (starting Monday)" : "Month"}, store time (${data.store.timezone})`,
    yTitle: `Net revenue (${data.store.currency ?? "store currency"})`,
    tick: f.moneyShort,
  }) + `<p class="caption">Best ${unit}: ${escapeHtml(unit === "week" ? "week of " + f.day(best.start) : f.period(best.start))}, ${escapeHtml(f.money(best.netRevenue))}. ` +
    `Revenue orders only, after refunds; each bar is one store-local ${unit}.</p>`;
}

function statusSection(data: ReportData, f: Format): string {
  const max = Math.max(0, ...data.statuses.map((s) => s.orders));
  const rows = data.statuses.map((s) =>
    `<tr><td>${escapeHtml(s.status)}</td><td><span class="badge ${escapeHtml(s.group)}">${escapeHtml(GROUP_LABELS[s.group] ?? s.group)}</span></td>` +
    `<td class="num">${f.int(s.orders)}</td><td class="bar-cell">${meter(s.orders, max)}</td><td class="num">${escapeHtml(f.money(s.gross))}</td></tr>`
  ).join("");
  return `<h2>Orders by status</h2><table><tr><th>status</th><th>counts as</th><th class="num">orders</th><th></th><th class="num">order value</th></tr>${rows}</table>` +
    `<p class="caption">Only the <em>revenue</em> statuses count as sales (docs/analytics.md lists all 15).</p>`;
}

function productsSection(data: ReportData, f: Format): string {
  if (!data.tables.has("order_products")) return `<h2>Top products</h2>${missing("order_products", "there are no line items to rank products by")}`;
  if (data.topProducts.length === 0) return "<h2>Top products</h2><p>No products sold yet.</p>";
  const max = Math.max(0, ...data.topProducts.map((p) => p.netRevenue));
  const rows = data.topProducts.map((p, i) =>
    `<tr><td class="num">${i + 1}</td><td>${escapeHtml(p.name)}</td><td>${escapeHtml(p.brand ?? "–")}</td><td class="num">${f.int(p.units)}</td>` +
    `<td class="num">${f.int(p.orders)}</td><td class="num">${escapeHtml(f.money(p.netRevenue))}</td><td class="bar-cell">${meter(p.netRevenue, max)}</td></tr>`
  ).join("");
  return `<h2>Top products</h2><table><tr><th class="num">#</th><th>product</th><th>brand</th><th class="num">units</th><th class="num">orders</th><th class="num">net revenue</th><th></th></tr>${rows}</table>`;
}

function customersSection(data: ReportData, f: Format): string {
  if (data.topCustomers.length === 0) return "<h2>Top customers</h2><p>No customers with a revenue order yet.</p>";
  const rows = data.topCustomers.map((c, i) =>
    `<tr><td class="num">${i + 1}</td><td>${escapeHtml(c.name ?? "(no name)")}${c.guest ? ' <span class="badge other">guest</span>' : ""}</td>` +
    `<td class="num">${f.int(c.orders)}</td><td>${escapeHtml(f.day(c.first))}</td><td>${escapeHtml(f.day(c.last))}</td><td class="num">${escapeHtml(f.money(c.netRevenue))}</td></tr>`
  ).join("");
  const note = data.tables.has("customers") ? "" : `<p class="caption">Names come from billing addresses: the <code>customers</code> stream was not loaded.</p>`;
  return `<h2>Top customers</h2><table><tr><th class="num">#</th><th>customer</th><th class="num">orders</th><th>first order</th><th>last order</th><th class="num">lifetime net revenue</th></tr>${rows}</table>${note}`;
}

function cohortSection(data: ReportData, f: Format): string {
  if (data.cohorts.length === 0) return "<h2>Customer retention by first-order month</h2><p>No customers yet.</p>";
  const cohorts = [...new Map(data.cohorts.map((c) => [c.cohort, c.customers])).entries()].sort(([a], [b]) => a.localeCompare(b));
  const month = new Intl.DateTimeFormat("en-GB", { month: "short", year: "numeric", timeZone: "UTC" });
  const columns = Math.min(12, Math.max(...data.cohorts.map((c) => c.offset)) + 1);
  return `<h2>Customer retention by first-order month</h2>` +
    heatmap(
      cohorts.map(([cohort, customers]) => ({ key: cohort, label: month.format(new Date(`${cohort.slice(0, 10)}T00:00:00Z`)), note: f.int(customers) })),
      columns,
      data.cohorts.map((c) => ({ row: c.cohort, column: c.offset, value: c.retention })),
      (c) => (c === 0 ? "month 0" : `+${c}`),
    ) +
    `<p class="caption">Each row is the customers whose first revenue order fell in that month (the last 12 such months); each cell the share of them who ordered in the month that many months later.</p>`;
}

function streamsCell(load: LoadEntry): string {
  const entries = Object.entries(load.streams);
  const ok = entries.filter(([, s]) => s.status === "success");
  const other = entries.filter(([, s]) => s.status !== "success");
  const parts = [`${ok.length} of ${counted(entries.length, "stream")} complete`];
  for (const [name, s] of other) parts.push(`${name}: ${s.status ?? "?"}${s.reason ? ` (${s.reason})` : ""}`);
  return escapeHtml(parts.join("; "));
}

function loadsSection(data: ReportData, f: Format): string {
  if (data.loads.length === 0) return "<h2>Load history</h2><p>No loads recorded.</p>";
  const rows = data.loads.map((l) => {
    const seconds = l.endedAt ? (Date.parse(l.endedAt.replace(" ", "T").replace(/([+-]\d\d)$/, "$1:00")) - Date.parse(l.startedAt.replace(" ", "T").replace(/([+-]\d\d)$/, "$1:00"))) / 1000 : NaN;
    const tables = Object.entries(l.tables).filter(([, n]) => n > 0).sort(([, a], [, b]) => b - a);
    const detail = tables.length === 0 ? "" : `<details><summary>${counted(tables.length, "table", f.int)}</summary><table class="inner">${
      tables.map(([t, n]) => `<tr><td>${escapeHtml(t)}</td><td class="num">${f.int(n)}</td></tr>`).join("")
    }</table></details>`;
    const error = l.error ? `<div class="error">${escapeHtml(l.error.length > 240 ? l.error.slice(0, 240) + "…" : l.error)}</div>` : "";
    return `<tr><td>${escapeHtml(f.instant(l.startedAt))}</td><td class="num">${Number.isFinite(seconds) ? escapeHtml(duration(seconds)) : "–"}</td>` +
      `<td><span class="badge ${l.status === "success" ? "revenue" : l.status === "running" ? "pending_payment" : "cancelled_declined"}">${escapeHtml(l.status)}</span></td>` +
      `<td class="num">${f.int(l.rows)}</td><td class="num">${f.int(l.requests)}</td><td>${streamsCell(l)}${error}${detail}</td></tr>`;
  }).join("");
  return `<h2>Load history</h2><table class="loads"><tr><th>started (store time)</th><th class="num">took</th><th>status</th><th class="num">rows written</th><th class="num">API requests</th><th>streams</th></tr>${rows}</table>`;
}

function duration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const m = Math.floor(seconds / 60);
  return m < 60 ? `${m} min ${Math.round(seconds % 60)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** A note when the order history may still be incomplete: the last load of orders did not finish, or a load is running. */
function historyNote(data: ReportData, f: Format): string {
  const notes: string[] = [];
  if (data.loads[0]?.status === "running") notes.push(`A load started ${f.instant(data.loads[0].startedAt)} is still running (or was cut off); figures may change.`);
  const last = data.loads.find((l) => l.streams.orders);
  const orders = last?.streams.orders;
  if (orders && orders.status !== "success") {
    const range = data.loadedRange.from && data.loadedRange.to ? `orders from ${f.day(data.loadedRange.from)} to ${f.day(data.loadedRange.to)}` : "no orders yet";
    notes.push(`The order history is still loading: this report covers ${range} (${f.int(data.loadedRange.orders)} orders); ` +
      `the last load of orders (${f.instant(last.startedAt)}) did not finish (${orders.status ?? "unknown"}${orders.reason ? `: ${orders.reason}` : ""}). Run the load again to continue.`);
  }
  return notes.map((n) => `<p class="notice">${escapeHtml(n)}</p>`).join("");
}

const STYLE = `
:root{color-scheme:light}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f5f6f8;color:#1d2733}
main{max-width:1100px;margin:0 auto;padding:24px 28px 40px;background:#fff;min-height:100vh;box-sizing:border-box}
h1{font-size:26px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 10px;padding-top:8px;border-top:1px solid #e3e7ec}
.sub{color:#5b6775;margin:0 0 16px}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(280px,1fr));gap:12px;margin:16px 0}
.kpi{border:1px solid #dfe4ea;border-radius:8px;padding:12px 14px;background:#fbfcfd}
.kpi-label{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:#5b6775}
.kpi-value{font-size:24px;font-weight:600;margin:4px 0;font-variant-numeric:tabular-nums}
.kpi-note{font-size:12px;color:#6b7785}
table{border-collapse:collapse;width:100%;margin:6px 0;table-layout:auto}
th,td{border-bottom:1px solid #e6e9ee;padding:5px 8px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{font-size:12px;color:#5b6775;font-weight:600}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.bar-cell{width:22%}
.meter{display:block;height:10px;background:#eef1f5;border-radius:5px;overflow:hidden}
.meter span{display:block;height:100%;background:#2563a3}
.badge{display:inline-block;padding:1px 7px;border-radius:10px;font-size:12px;background:#eef1f5;white-space:nowrap}
.badge.revenue{background:#dcefe1;color:#1d5b2c}.badge.pending_payment{background:#fdf1d6;color:#7a5200}
.badge.cancelled_declined{background:#f8dcdc;color:#8a1f1f}.badge.refunded{background:#e7e0f6;color:#4b2c86}
.badge.incomplete,.badge.other{background:#e9ecf0;color:#46515e}
svg{display:block;max-width:100%;height:auto}
svg .bar{fill:#2563a3}svg .grid{stroke:#e6e9ee}svg .axis{stroke:#8793a0}
svg .tick{font-size:11px;fill:#4a5563}svg .axis-title{font-size:12px;fill:#2b3643;font-weight:600}
.caption{color:#5b6775;font-size:12px;margin:4px 0 0}
.heatmap td.heat{text-align:center;font-size:12px;font-variant-numeric:tabular-nums;min-width:34px}
.heatmap td.empty{background:#fafbfc}
.notice{background:#fff6e0;border:1px solid #f0d9a0;padding:8px 12px;border-radius:6px}
.missing{background:#f3f5f8;border:1px dashed #c5ccd5;padding:8px 12px;border-radius:6px;color:#46515e}
.loads details{margin-top:4px}.loads summary{cursor:pointer;color:#2563a3}
table.inner{width:auto;margin:4px 0}table.inner td{border:0;padding:1px 8px}
.error{color:#8a1f1f;font-size:12px;margin-top:2px}
footer{margin-top:32px;color:#6b7785;font-size:12px}
code{font-size:12px;background:#f0f2f5;padding:0 3px;border-radius:3px}
`;

/** The whole page. */
export function renderReport(data: ReportData, file: string): string {
  const f = formats(data);
  const name = data.store.name ?? "BigCommerce store";
  const k = data.kpis;
  const period = k.from && k.to ? `${f.day(k.from)} – ${f.day(k.to)}` : "no revenue orders yet";
  const storeNote = data.tables.has("store") ? "" : `<p class="missing">The <code>store</code> stream was not loaded: dates are in UTC and the store's name is unknown.</p>`;
  const sales = data.tables.has("orders")
    ? [kpiTiles(data, f), revenueSection(data, f), statusSection(data, f), productsSection(data, f), customersSection(data, f), cohortSection(data, f)]
    : [`<h2>Sales</h2>${missing("orders", "there are no sales figures")}`];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(name)} — sales report</title><style>${STYLE}</style></head>
<body><main>
<h1>${escapeHtml(name)} — sales report</h1>
<p class="sub">${escapeHtml(period)} · store time (${escapeHtml(data.store.timezone)}) · amounts in ${escapeHtml(data.store.currency ?? "the store's currency")}</p>
${historyNote(data, f)}${storeNote}
${sales.join("\n")}
${loadsSection(data, f)}
<h2>Tables</h2><details><summary>${counted(data.tables.size, "table", f.int)} in schema ${escapeHtml(data.schema)}</summary><table class="inner">${
    [...data.tables].sort(([a], [b]) => a.localeCompare(b)).map(([t, n]) => `<tr><td>${escapeHtml(t)}</td><td class="num">${f.int(n)}</td></tr>`).join("")
  }</table></details>
<footer>Generated ${escapeHtml(f.instant(new Date().toISOString()))} (store time) from ${escapeHtml(file)} by tap-bigcommerce ${escapeHtml(VERSION)}. Figures come from the views in ${escapeHtml(data.schema)}_analytics (docs/analytics.md).</footer>
</main></body></html>
`;
}
