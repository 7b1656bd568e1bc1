/** Inline SVG and HTML charts of the report: a bar chart with labelled axes, a retention heatmap. No scripts, no remote assets. */

/** HTML-escaped text. */
export function escapeHtml(value: unknown): string {
  return String(value ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** Round tick values from 0 to at least `max`: 1, 2 or 5 times a power of ten apart. */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let v = 0; v < max + step; v += step) ticks.push(v);
  return ticks;
}

/** One bar. */
export interface Bar {
  label: string;
  value: number;
  /** Hover text. */
  title: string;
}

/** Options of a vertical bar chart. */
export interface BarChartOptions {
  /** What the chart shows, for screen readers. */
  description: string;
  xTitle: string;
  yTitle: string;
  /** Formats a y-axis tick. */
  tick: (value: number) => string;
}

/** A vertical bar chart with a y axis (ticks, grid lines, title) and an x axis (thinned labels, title). */
export function barChart(bars: Bar[], options: BarChartOptions): string {
  const width = 900, height = 320;
  const left = 84, right = 16, top = 16, bottom = 64;
  const plotW = width - left - right, plotH = height - top - bottom;
  const ticks = niceTicks(Math.max(0, ...bars.map((b) => b.value)));
  const top_ = ticks.at(-1)!;
  const y = (v: number) => top + plotH - (Math.max(0, v) / top_) * plotH;
  const slot = plotW / Math.max(1, bars.length);
  const barW = Math.max(1, slot * 0.78);
  const every = Math.max(1, Math.ceil(bars.length / 12));
  const parts: string[] = [];
  for (const t of ticks) {
    parts.push(`<line x1="${left}" x2="${width - right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" class="grid"/>`);
    parts.push(`<text x="${left - 8}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end" class="tick">${escapeHtml(options.tick(t))}</text>`);
  }
  bars.forEach((b, i) => {
    const x = left + i * slot + (slot - barW) / 2;
    const h = top + plotH - y(b.value);
    parts.push(`<rect x="${x.toFixed(1)}" y="${y(b.value).toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}" class="bar"><title>${escapeHtml(b.title)}</title></rect>`);
    if (i % every === 0) {
      const cx = (x + barW / 2).toFixed(1);
      parts.push(`<text x="${cx}" y="${top + plotH + 18}" text-anchor="middle" class="tick">${escapeHtml(b.label)}</text>`);
    }
  });
  parts.push(`<line x1="${left}" x2="${width - right}" y1="${top + plotH}" y2="${top + plotH}" class="axis"/>`);
  parts.push(`<line x1="${left}" x2="${left}" y1="${top}" y2="${top + plotH}" class="axis"/>`);
  parts.push(`<text x="${left + plotW / 2}" y="${height - 14}" text-anchor="middle" class="axis-title">${escapeHtml(options.xTitle)}</text>`);
  parts.push(`<text transform="translate(16 ${top + plotH / 2}) rotate(-90)" text-anchor="middle" class="axis-title">${escapeHtml(options.yTitle)}</text>`);
  return `<svg viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${escapeHtml(options.description)}">${parts.join("")}</svg>`;
}

/** A cell of the heatmap. */
export interface HeatCell {
  row: string;
  column: number;
  /** 0..1. */
  value: number;
}

/** A heatmap as an HTML table: one row per `rows` entry, columns 0..`columns`-1, shade by value. */
export function heatmap(rows: Array<{ key: string; label: string; note: string }>, columns: number, cells: HeatCell[], columnLabel: (c: number) => string): string {
  const at = new Map(cells.map((c) => [`${c.row}|${c.column}`, c.value]));
  const head = `<tr><th>first order</th><th class="num">customers</th>${Array.from({ length: columns }, (_, c) => `<th class="num">${escapeHtml(columnLabel(c))}</th>`).join("")}</tr>`;
  const body = rows.map((r) => {
    const tds = Array.from({ length: columns }, (_, c) => {
      const v = at.get(`${r.key}|${c}`);
      if (v === undefined) return `<td class="heat empty"></td>`;
      const alpha = (0.08 + 0.92 * Math.min(1, v)).toFixed(2);
      const dark = v > 0.55;
      return `<td class="heat" style="background:rgba(37,99,163,${alpha});${dark ? "color:#fff" : ""}">${(v * 100).toFixed(0)}%</td>`;
    }).join("");
    return `<tr><th>${escapeHtml(r.label)}</th><td class="num">${escapeHtml(r.note)}</td>${tds}</tr>`;
  }).join("");
  return `<table class="heatmap">${head}${body}</table>`;
}
