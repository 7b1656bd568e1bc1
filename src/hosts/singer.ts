/**
 * The Singer host: a sync written as SCHEMA, RECORD and STATE messages, one JSON object a
 * line on stdout (logs go to stderr). STATE follows the records it covers.
 */
import type { Writable } from "node:stream";
import type { Config } from "../config/load.ts";
import { SINGER_DELETED_AT, singerTableSchema } from "../engine/catalog.ts";
import { childrenSummary, sync, type SyncOptions } from "../engine/sync.ts";
import type { State } from "../engine/types.ts";
import { registry as defaultRegistry } from "../../streams/index.ts";
import { Interrupted } from "../errors.ts";
import { redact } from "../log.ts";
import { counted } from "../plural.ts";
import type { Progress } from "../progress.ts";

/** What a Singer sync reports when it ends. */
export interface SingerSummary {
  records: Map<string, number>;
  /** Streams skipped for a missing scope; `fails`: the user named it, so the run fails (exit 1). */
  skipped: { stream: string; reason: string; fails: boolean }[];
  state: State | undefined;
  /** Set when SIGINT/SIGTERM stopped the sync (the last STATE written covers every record written). */
  interrupted?: Interrupted;
}

/** Writes text to a stream, waiting when its buffer is full (memory stays bounded by one page). */
export async function writeOut(out: Writable, text: string): Promise<void> {
  if (!out.write(redact(text))) await new Promise<void>((resolve) => out.once("drain", resolve));
}

/** Runs a sync and writes it to `out` as Singer messages. */
export async function singerSync(
  options: Omit<SyncOptions, "config"> & { config: Config; out: Writable; log: (message: string) => void; progress?: Progress },
): Promise<SingerSummary> {
  const summary: SingerSummary = { records: new Map(), skipped: [], state: undefined };
  let lastState = "";
  /** Top-level streams read in full this run. */
  const fullTable = new Set<string>();
  const events = options.progress ? options.progress.track(sync(options)) : sync(options);
  for await (const event of untilInterrupted(events, summary)) {
    switch (event.type) {
      case "schema": {
        const t = event.table;
        const message: Record<string, unknown> = {
          type: "SCHEMA",
          stream: t.name,
          schema: singerTableSchema(t, options.registry ?? defaultRegistry),
          key_properties: t.primaryKey,
        };
        if (t.cursor) message.bookmark_properties = [t.cursor];
        await writeOut(options.out, JSON.stringify(message) + "\n");
        break;
      }
      case "batch": {
        const timeExtracted = new Date().toISOString();
        let text = "";
        for (const [table, rows] of event.rows) {
          const prefix = `{"type":"RECORD","stream":${JSON.stringify(table)},"time_extracted":"${timeExtracted}","record":`;
          // Rows of archived records (and their children) say so; live ones leave the property out (null to a target).
          if (event.archived) for (const row of rows) text += prefix + JSON.stringify({ ...row, [SINGER_DELETED_AT]: timeExtracted }) + "}\n";
          else for (const row of rows) text += prefix + JSON.stringify(row) + "}\n";
          summary.records.set(table, (summary.records.get(table) ?? 0) + rows.length);
        }
        const state = JSON.stringify(event.state);
        if (state !== lastState) {
          text += `{"type":"STATE","value":${state}}\n`;
          lastState = state;
        }
        summary.state = event.state;
        if (text) await writeOut(options.out, text);
        break;
      }
      case "stream-start":
        if (!event.incremental) fullTable.add(event.stream);
        options.log(`sync ${event.stream}: ${event.incremental ? `incremental since ${event.since ?? "the beginning"}` : "full table"}`);
        break;
      case "stream-end":
        options.log(`sync ${event.stream}: done, ${counted(event.records, "record")}, ${counted(event.requests, "request")}${childrenSummary(event.children)}`);
        // A target that overwrites tables (load_method overwrite) would empty one on a full read's word alone.
        if (fullTable.has(event.stream) && options.selection.streams.includes(event.stream) && event.records === 0 && event.proof === undefined) {
          options.log(`warning: ${event.stream}: the API answered no records, and gives no count to affirm that (no total, no count endpoint); a target that overwrites tables would empty its table`);
        }
        break;
      case "stream-skipped":
        summary.skipped.push({ stream: event.stream, reason: event.reason, fails: event.fails });
        options.log(`warning: ${event.reason}`);
        break;
    }
  }
  if (summary.interrupted) {
    // The last STATE again, as the last line: it covers every RECORD written (a host keeps the last one it reads).
    const state = summary.state ?? options.state;
    if (state) await writeOut(options.out, `{"type":"STATE","value":${JSON.stringify(state)}}\n`);
  }
  return summary;
}

/** The events until the source is interrupted (SIGINT/SIGTERM), which the summary then records. */
async function* untilInterrupted<T>(events: AsyncIterable<T>, summary: SingerSummary): AsyncGenerator<T> {
  try {
    yield* events;
  } catch (error) {
    if (!(error instanceof Interrupted)) throw error;
    summary.interrupted = error;
  }
}
