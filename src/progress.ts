/**
 * Live progress of a run on stderr: per stream records, pages, rate and (where the API gives
 * a total) an ETA, with the run's requests; retries and rate-limit waits as log lines. On a
 * terminal (text format) one status line is redrawn in place below the log; otherwise (a
 * pipe, a file, JSON lines) a progress line per running stream every few seconds. Silent
 * under `--quiet`.
 */
import type { ClientOptions } from "./engine/http.ts";
import type { SyncEvent } from "./engine/types.ts";
import { enabled, log, logSettings, setLogSink } from "./log.ts";
import { counted } from "./plural.ts";
import { registry } from "../streams/index.ts";

/** One stream's counters. */
interface StreamProgress {
  stream: string;
  records: number;
  pages: number;
  started: number;
  done: boolean;
}

/** How a run's progress is shown. */
export interface ProgressOptions {
  /** Seconds between progress lines when not redrawing in place. */
  intervalSeconds: number;
  /** Redraw one status line in place (stderr is a terminal and the format is text). */
  inPlace?: boolean;
  /** Retries allowed per request (for "retry 3/8"). */
  maxRetries: number;
}

/** Seconds for people: tenths under 10 s, whole seconds, then minutes and seconds. */
export function duration(seconds: number): string {
  if (seconds < 9.95) return `${Math.max(0, seconds).toFixed(1)} s`;
  const s = Math.round(seconds);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

const number = (n: number) => n.toLocaleString("en-US");

/** Retry reasons that mean no connection could be made at all (error codes). */
const CONNECT_FAILURE = /^E[A-Z_]+$/;

/** The top-level streams reading each list endpoint (`v3/catalog/products`). */
const LIST_PATHS = new Map<string, string[]>();
for (const s of registry) {
  if (!("path" in s) || !s.path || !("api" in s) || !s.api || ("rowsAt" in s && s.rowsAt)) continue;
  const key = `${s.api}/${s.path}`;
  LIST_PATHS.set(key, [...LIST_PATHS.get(key) ?? [], s.name]);
}

/** The progress display of one run. Call `stop` when the run ends. */
export class Progress {
  readonly #streams = new Map<string, StreamProgress>();
  /** Per stream, the record count the API gave for its list (v3 `meta.pagination.total`), when it gives one. */
  readonly #totals = new Map<string, number>();
  readonly #timer: ReturnType<typeof setInterval> | undefined;
  readonly #restoreSink: (() => void) | undefined;
  #status = "";
  #waitLoggedUntil = 0;
  /** The run's requests so far (set once the run's client exists). */
  requests: () => number = () => 0;

  constructor(readonly options: ProgressOptions) {
    if (!enabled("info")) return;
    if (options.inPlace) {
      // Log lines go above the status line: clear it, write the line, draw it again.
      this.#restoreSink = setLogSink((line) => process.stderr.write(`\r\x1b[K${line}${this.#status}`));
      this.#timer = setInterval(() => this.#redraw(), 250);
    } else {
      this.#timer = setInterval(() => this.#report(), options.intervalSeconds * 1000);
    }
    this.#timer.unref?.();
  }

  /** Hooks for the API client: retries, rate-limit waits and list totals. */
  clientHooks(): Pick<ClientOptions, "onRetry" | "onWait" | "onResponse"> {
    return {
      onRetry: ({ path, attempt, reason, delayMs }) => {
        if (reason.startsWith("429 rate limited")) this.#waiting(delayMs, `rate limited (429 on ${path})`);
        // Nothing listening (ECONNREFUSED…): a couple of quick tries, then one failure line says it all.
        else if (CONNECT_FAILURE.test(reason)) log.debug(`retry ${attempt} in ${duration(delayMs / 1000)}: ${reason} (${path})`);
        else log.info(`retry ${attempt}/${this.options.maxRetries} in ${duration(delayMs / 1000)}: ${reason} (${path})`, { event: "retry", path, attempt, max_retries: this.options.maxRetries, delay_seconds: delayMs / 1000, reason });
      },
      onWait: (ms) => this.#waiting(ms, "the quota is spent"),
      onResponse: ({ path, body }) => {
        // The first page's total (streams read ahead answer before their stream starts; later seek pages count only what is left).
        const total = (body as { meta?: { pagination?: { total?: unknown } } } | null)?.meta?.pagination?.total;
        if (typeof total !== "number") return;
        for (const stream of LIST_PATHS.get(path) ?? []) if (!this.#totals.has(stream)) this.#totals.set(stream, total);
      },
    };
  }

  /** Passes the events through, counting records and pages per stream. */
  async *track(events: AsyncIterable<SyncEvent>): AsyncGenerator<SyncEvent> {
    for await (const event of events) {
      switch (event.type) {
        case "stream-start":
          this.#streams.set(event.stream, { stream: event.stream, records: 0, pages: 0, started: performance.now(), done: false });
          break;
        case "batch": {
          const progress = this.#streams.get(event.stream);
          const rows = event.tables.get(event.stream)?.length ?? 0;
          if (progress && rows > 0) {
            progress.records += rows;
            progress.pages++;
          }
          break;
        }
        case "stream-end":
        case "stream-skipped": {
          const progress = this.#streams.get(event.stream);
          if (progress) progress.done = true;
          break;
        }
        case "schema":
          break;
      }
      yield event;
    }
  }

  /** Stops the display (clears the status line). */
  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    if (this.options.inPlace && this.#status) process.stderr.write("\r\x1b[K");
    this.#status = "";
    this.#restoreSink?.();
  }

  #waiting(ms: number, why: string): void {
    const until = Date.now() + ms;
    // Concurrent requests wait for the same window: one line per window.
    if (ms < 500 || until <= this.#waitLoggedUntil + 500) return;
    this.#waitLoggedUntil = until;
    log.info(`waiting ${duration(ms / 1000)} for the rate-limit window (${why})`, { event: "rate-limit-wait", wait_seconds: ms / 1000 });
  }

  /** The figures of a running stream. */
  #figures(p: StreamProgress) {
    const seconds = (performance.now() - p.started) / 1000;
    const rate = seconds > 0 ? p.records / seconds : 0;
    const listed = this.#totals.get(p.stream);
    // A total below what was read (records added meanwhile) is no total.
    const total = listed !== undefined && listed >= p.records ? listed : undefined;
    const eta = total !== undefined && rate > 0 ? (total - p.records) / rate : undefined;
    return { rate, eta, total };
  }

  #running(): StreamProgress[] {
    return [...this.#streams.values()].filter((p) => !p.done);
  }

  /** A progress line per running stream. */
  #report(): void {
    for (const p of this.#running()) {
      const { rate, eta, total } = this.#figures(p);
      const of = total === undefined ? "" : ` of ${number(total)} (${total > 0 ? Math.floor((100 * p.records) / total) : 100}%)`;
      const requests = this.requests();
      log.info(
        `progress ${p.stream}: ${counted(p.records, "record", number)}${of}, ${counted(p.pages, "page", number)}, ${number(Math.round(rate))} records/s` +
          `${eta === undefined ? "" : `, ETA ${duration(eta)}`}; ${counted(requests, "request", number)}`,
        { event: "progress", stream: p.stream, records: p.records, total, pages: p.pages, rate: Math.round(rate * 10) / 10, eta_seconds: eta === undefined ? undefined : Math.round(eta), requests },
      );
    }
  }

  /** Redraws the status line in place. */
  #redraw(): void {
    const parts = this.#running().map((p) => {
      const { rate, eta, total } = this.#figures(p);
      const of = total === undefined ? "" : `/${number(total)}`;
      return `${p.stream} ${number(p.records)}${of} (${number(Math.round(rate))}/s${eta === undefined ? "" : `, ETA ${duration(eta)}`})`;
    });
    if (parts.length === 0) {
      if (this.#status) process.stderr.write("\r\x1b[K");
      this.#status = "";
      return;
    }
    this.#status = `${parts.join(" · ")} · ${counted(this.requests(), "request", number)}`.slice(0, (process.stderr.columns || 120) - 1);
    process.stderr.write(`\r\x1b[K${this.#status}`);
  }
}

/** Whether progress can be redrawn in place: a terminal on stderr and text lines. */
export function canRedraw(): boolean {
  return process.stderr.isTTY === true && logSettings().format === "text";
}
