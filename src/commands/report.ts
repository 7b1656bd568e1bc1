/**
 * `report`: a self-contained HTML page about a loaded DuckDB file — tables and row counts,
 * the load history, and charts of revenue by day, orders by status and top products
 * (inline SVG, no scripts, no network).
 */
import { existsSync, writeFileSync } from "node:fs";
import { openDatabase } from "../destinations/duckdb/connection.ts";
import { parseCommand } from "./args.ts";
import { REPORT } from "./specs.ts";
import { InputError } from "../errors.ts";

type Rows = Record<string, unknown>[];

function escapeHtml(value: unknown): string {
  return String(value ?? "").replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
}

/** A bar chart as inline SVG: one bar per row, labels on the left. */
export function barChart(title: string, rows: { label: string; value: number }[]): string {
  if (rows.length === 0) return `<h2>${escapeHtml(title)}</h2><p>No data.</p>`;
  const max = Math.max(...rows.map((r) => r.value), 1);
  const barHeight = 18;
  const height = rows.length * (barHeight + 4) + 4;
  const bars = rows.map((r, i) => {
    const y = 4 + i * (barHeight + 4);
    const width = Math.max(1, (r.value / max) * 420);
    return `<text x="0" y="${y + 13}" font-size="12">${escapeHtml(r.label.slice(0, 28))}</text>` +
      `<rect x="200" y="${y}" width="${width.toFixed(1)}" height="${barHeight}" fill="#3b6ea8"/>` +
      `<text x="${(205 + width).toFixed(1)}" y="${y + 13}" font-size="12">${r.value.toLocaleString("en-US", { maximumFractionDigits: 2 })}</text>`;
  }).join("");
  return `<h2>${escapeHtml(title)}</h2><svg role="img" aria-label="${escapeHtml(title)}" width="720" height="${height}">${bars}</svg>`;
}

/** A line chart as inline SVG over ordered points. */
export function lineChart(title: string, points: { label: string; value: number }[]): string {
  if (points.length === 0) return `<h2>${escapeHtml(title)}</h2><p>No data.</p>`;
  const max = Math.max(...points.map((p) => p.value), 1);
  const w = 700, h = 200;
  const step = points.length > 1 ? w / (points.length - 1) : 0;
  const path = points.map((p, i) => `${i === 0 ? "M" : "L"}${(i * step).toFixed(1)},${(h - (p.value / max) * h).toFixed(1)}`).join(" ");
  const first = points[0].label, last = points[points.length - 1].label;
  return `<h2>${escapeHtml(title)}</h2><svg role="img" aria-label="${escapeHtml(title)}" width="${w + 20}" height="${h + 30}">` +
    `<path d="${path}" fill="none" stroke="#3b6ea8" stroke-width="1.5"/>` +
    `<text x="0" y="${h + 20}" font-size="12">${escapeHtml(first)}</text>` +
    `<text x="${w - 80}" y="${h + 20}" font-size="12">${escapeHtml(last)}</text>` +
    `<text x="0" y="12" font-size="12">max ${max.toLocaleString("en-US", { maximumFractionDigits: 2 })}</text></svg>`;
}

function table(rows: Rows): string {
  if (rows.length === 0) return "<p>None.</p>";
  const columns = Object.keys(rows[0]);
  return `<table><tr>${columns.map((c) => `<th>${escapeHtml(c)}</th>`).join("")}</tr>` +
    rows.map((r) => `<tr>${columns.map((c) => `<td>${escapeHtml(r[c])}</td>`).join("")}</tr>`).join("") + "</table>";
}

/** Runs `report`. */
export async function run(args: string[]): Promise<number> {
  const { values } = parseCommand(REPORT, args);
  if (!values.duckdb) throw new InputError("report needs --duckdb PATH");
  if (!values.out) throw new InputError("report needs --out FILE.html");
  if (!existsSync(values.duckdb)) throw new InputError(`--duckdb ${values.duckdb}: no such file`);
  const schema = values.schema ?? "bigcommerce";
  const database = await openDatabase(values.duckdb, { readOnly: true });
  const connection = database.connection;
  const query = async (sql: string): Promise<Rows> => (await connection.runAndReadAll(sql)).getRowObjectsJson() as Rows;
  const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
  const tables = await query(
    `select table_name from information_schema.tables where table_schema = '${schema.replaceAll("'", "''")}' order by table_name`,
  );
  const names = new Set(tables.map((t) => String(t.table_name)));
  const counts: Rows = [];
  for (const name of names) {
    const [row] = await query(`select count(*)::bigint as n from ${ident(schema)}.${ident(name)}`);
    counts.push({ table: name, rows: Number(row.n) });
  }
  const sections: string[] = [];
  if (names.has("orders")) {
    const revenue = await query(
      `select strftime(date_created, '%Y-%m-%d') as day, sum(total_inc_tax)::double as revenue from ${ident(schema)}.orders group by 1 order by 1`,
    );
    sections.push(lineChart("Revenue by day (total_inc_tax)", revenue.map((r) => ({ label: String(r.day), value: Number(r.revenue) }))));
    const status = await query(`select status as label, count(*)::bigint as n from ${ident(schema)}.orders group by 1 order by 2 desc`);
    sections.push(barChart("Orders by status", status.map((r) => ({ label: String(r.label), value: Number(r.n) }))));
  }
  if (names.has("order_products")) {
    const top = await query(
      `select name as label, sum(total_inc_tax)::double as revenue from ${ident(schema)}.order_products group by 1 order by 2 desc limit 10`,
    );
    sections.push(barChart("Top products by revenue", top.map((r) => ({ label: String(r.label), value: Number(r.revenue) }))));
  }
  const loads = names.has("_loads")
    ? await query(`select * exclude (streams) from ${ident(schema)}._loads order by started_at desc limit 20`)
    : [];
  database.close();
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>tap-bigcommerce report</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:60em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}</style>
</head><body><h1>BigCommerce data in ${escapeHtml(values.duckdb)} (schema ${escapeHtml(schema)})</h1>
${sections.join("\n")}
<h2>Tables</h2>${table(counts.filter((c) => !String(c.table).startsWith("_")))}
<h2>Loads</h2>${table(loads)}
<p>Generated ${new Date().toISOString()} by tap-bigcommerce.</p></body></html>\n`;
  writeFileSync(values.out, html);
  process.stderr.write(`wrote ${values.out}\n`);
  return 0;
}
