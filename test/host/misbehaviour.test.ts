/**
 * A store that answers unlike the emulator usually does (the emulator's misbehaviour flags),
 * through the real CLI in both Singer and DuckDB modes: each run either delivers every row
 * the store holds, or exits non-zero naming the stream and reason, with `_loads.status` not
 * `success`. Never exit 0 with rows missing.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateConfig } from "../../src/config/load.ts";
import { type Emulator, type FaultRule, misbehaviourRule, startEmulator } from "../../src/emulator/index.ts";
import { discover } from "../../src/engine/catalog.ts";
import { query } from "../duckdb/fixtures.ts";
import { parseSinger, recordsByStream, runCli, tempDir, writeFile } from "../support/cli.ts";
import { emulatorSettings, selectStreams } from "../support/singer.ts";

let emulator: Emulator;
let dir: string;
let runs = 0;
beforeAll(async () => {
  emulator = await startEmulator({ rateLimit: false, sizes: { orders: 60, customers: 23, products: 3, brands: 12, coupons: 2, giftCertificates: 1 } });
  dir = tempDir("misbehaviour-");
});
afterAll(() => emulator?.close());

/** Rows the store holds, per stream. */
function expected(stream: string): number {
  const orders = emulator.store.orders.filter((o) => !o.deleted);
  switch (stream) {
    case "orders":
      return orders.length;
    case "order_products":
      return orders.reduce((n, o) => n + o.lines.length, 0);
    case "order_shipping_addresses":
      return orders.reduce((n, o) => n + o.shipping.length, 0);
    case "customers":
      return emulator.store.customers.length;
    case "brands":
      return emulator.store.brands.length;
    default:
      throw new Error(`no expectation for ${stream}`);
  }
}

/** What one run (Singer or DuckDB) left behind. */
interface Outcome {
  code: number | null;
  stderr: string;
  rows: Record<string, number>;
  /** DuckDB: the last `_loads` row's status and streams, when the file exists. */
  load?: { status: string; streams: Record<string, { differences?: string[] }> };
}

async function singer(settings: Record<string, unknown>, streams: string[]): Promise<Outcome> {
  const raw = emulatorSettings(emulator, settings);
  const id = ++runs;
  const config = writeFile(dir, `singer-${id}.json`, raw);
  const catalog = writeFile(dir, `catalog-${id}.json`, selectStreams(discover(validateConfig(raw)), (s) => streams.includes(s)));
  const result = await runCli(["--config", config, "--catalog", catalog]);
  const records = recordsByStream(parseSinger(result.stdout));
  return { code: result.code, stderr: result.stderr, rows: Object.fromEntries(streams.map((s) => [s, records.get(s)?.length ?? 0])) };
}

async function duckdb(settings: Record<string, unknown>, streams: string[]): Promise<Outcome> {
  const id = ++runs;
  const config = writeFile(dir, `duckdb-${id}.json`, emulatorSettings(emulator, settings));
  const db = join(dir, `load-${id}.duckdb`);
  const result = await runCli(["load", "--config", config, "--duckdb", db, "--streams", streams.join(",")]);
  if (!existsSync(db)) return { code: result.code, stderr: result.stderr, rows: {} };
  const rows: Record<string, number> = {};
  const tables = new Set((await query(db, "select table_name from information_schema.tables where table_schema = 'bigcommerce'")).map((r) => r.table_name));
  for (const s of streams) rows[s] = tables.has(s) ? Number((await query(db, `select count(*)::int as n from bigcommerce."${s}"`))[0].n) : 0;
  const [load] = await query(db, "select status, streams::varchar as streams from bigcommerce._loads order by started_at desc limit 1");
  return { code: result.code, stderr: result.stderr, rows, load: load && { status: String(load.status), streams: JSON.parse(String(load.streams)) } };
}

interface Case {
  name: string;
  faults: () => FaultRule[];
  streams: string[];
  settings?: Record<string, unknown>;
  /** `complete`: exit 0 with every row; else the exit code and what stderr must say. */
  outcome: "complete" | { code: number; says: RegExp };
}

const named = (name: string) => () => [misbehaviourRule(name)];

const CASES: Case[] = [
  { name: "no-cursor-meta: customers' first cursor page lacks cursor_pagination", faults: named("no-cursor-meta"), streams: ["customers"], settings: { page_size: 5 }, outcome: "complete" },
  { name: "list-404: a top-level list answers 404", faults: named("list-404"), streams: ["brands"], outcome: { code: 1, says: /stream 'brands'.*not found \(404/ } },
  {
    name: "list-404 on a sub-resource the API does not document as 'none' (an order's coupons): the stream fails",
    faults: named("list-404@/coupons"),
    streams: ["orders", "order_coupons"],
    outcome: { code: 1, says: /stream 'order_coupons'.*not found \(404/ },
  },
  { name: "empty-body: a list answers 200 with no body", faults: named("empty-body"), streams: ["brands"], settings: { max_retries: 1 }, outcome: { code: 1, says: /stream 'brands'.*HTTP 200 with an empty body; gave up after 2 attempts/ } },
  { name: "not-json: a list answers 200 with a body that is not JSON", faults: named("not-json"), streams: ["brands"], settings: { max_retries: 1 }, outcome: { code: 1, says: /stream 'brands'.*truncated or non-JSON body.*gave up after 2 attempts/ } },
  { name: "single-204: v2/store answers 204", faults: named("single-204"), streams: ["store"], outcome: { code: 1, says: /v2\/store answered without a store record/ } },
  { name: "single-404: v2/store answers 404", faults: named("single-404"), streams: ["store"], outcome: { code: 2, says: /store 's0demo' not found at/ } },
  { name: "no-consignments: order rows without the consignments block", faults: named("no-consignments"), streams: ["orders", "order_products", "order_shipping_addresses"], outcome: "complete" },
  {
    name: "short-line-items: inline line items whose quantities add up to less than items_total",
    faults: named("short-line-items"),
    streams: ["orders", "order_products"],
    outcome: "complete",
  },
  { name: "cap-50: v2 pages capped at 50 whatever limit asks", faults: named("cap-50"), streams: ["orders"], settings: { page_size: 100 }, outcome: "complete" },
  { name: "ignore-page: every page is the first", faults: named("ignore-page"), streams: ["brands"], settings: { page_size: 5 }, outcome: { code: 1, says: /stream 'brands', page 2: the page is identical to the page before it: the API ignores paging/ } },
  { name: "no-key: rows without their primary key", faults: named("no-key"), streams: ["brands"], outcome: { code: 1, says: /stream 'brands', page 1: row 1 has no primary key \(id\)/ } },
  { name: "short-pages: pages hold fewer rows than meta.pagination.total counts", faults: named("short-pages"), streams: ["brands"], settings: { page_size: 5 }, outcome: { code: 1, says: /stream 'brands': read 9 rows; meta.pagination.total was 12 before the read and 12 after it: 3 rows are missing/ } },
  {
    name: "empty-list: the orders list answers 204 on page 1 while orders/count counts orders",
    faults: named("empty-list@/v2/orders?"),
    streams: ["orders"],
    outcome: { code: 1, says: /stream 'orders': the list returned 0 rows in status_id \d+ .*but v2\/orders\/count counts \d+; read again, it returned 0 of \d+: rows are missing/ },
  },
  {
    name: "orders/count counts more in a status the list returned: re-read once, then an error",
    faults: () => [{ kind: "extra-count", status: presentStatus(), count: 2, match: "/v2/orders/count", times: Infinity }],
    streams: ["orders"],
    outcome: { code: 1, says: /stream 'orders': the list returned \d+ rows in status_id \d+ .* but v2\/orders\/count counts \d+; read again, it returned \d+ of \d+: rows are missing/ },
  },
];

/** A status some order of the store has, and one none has. */
const presentStatus = () => emulator.store.orders[0].statusId;
const absentStatus = () => [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14].find((s) => !emulator.store.orders.some((o) => o.statusId === s))!;

describe("misbehaving store: every row, or a non-zero exit naming the stream", () => {
  for (const c of CASES) {
    it(c.name, async () => {
      emulator.setFaults(c.faults());
      try {
        for (const [mode, outcome] of [["singer", await singer(c.settings ?? {}, c.streams)], ["duckdb", await duckdb(c.settings ?? {}, c.streams)]] as const) {
          if (c.outcome === "complete") {
            expect(outcome.code, `${mode}: ${outcome.stderr}`).toBe(0);
            for (const s of c.streams) expect(outcome.rows[s], `${mode}: ${s}`).toBe(expected(s));
            if (outcome.load) expect(outcome.load.status).toBe("success");
          } else {
            expect(outcome.code, `${mode}: ${outcome.stderr}`).toBe(c.outcome.code);
            expect(outcome.stderr, mode).toMatch(c.outcome.says);
            if (outcome.load) expect(outcome.load.status, mode).not.toBe("success");
          }
        }
      } finally {
        emulator.setFaults([]);
      }
    });
  }

  it("count-incomplete: a status orders/count counts and the list never returns is a named difference (exit 0, in the log and _loads)", async () => {
    const status = absentStatus();
    emulator.setFaults([{ kind: "extra-count", status, count: 5, match: "/v2/orders/count", times: Infinity }]);
    try {
      const difference = new RegExp(`v2/orders/count counts 5 rows in status_id ${status} \\(.*\\) that the list never returned`);
      const s = await singer({}, ["orders"]);
      expect(s.code, s.stderr).toBe(0);
      expect(s.rows.orders).toBe(expected("orders"));
      expect(s.stderr).toMatch(new RegExp(`warning: stream 'orders': ${difference.source}`));
      const d = await duckdb({}, ["orders"]);
      expect(d.code, d.stderr).toBe(0);
      expect(d.rows.orders).toBe(expected("orders"));
      expect(d.load!.status).toBe("success");
      expect(d.load!.streams.orders.differences).toEqual([expect.stringMatching(difference)]);
    } finally {
      emulator.setFaults([]);
    }
  });

  it("orders read in cursor windows (a first load) with rows dropped from the windows' pages: checked against orders/count, exit 1", async () => {
    // page_size 1: 60 orders are 60 pages, cut into 3 windows. The two one-record pages that find where to cut are let through.
    try {
      const says = /stream 'orders': the list returned 0 rows in status_id \d+ .*but v2\/orders\/count counts \d+; read again, it returned 0 of \d+: rows are missing/;
      for (const run of [singer, duckdb]) {
        emulator.setFaults([{ kind: "drop-rows", count: 1, match: "/v2/orders?", skip: 2, times: Infinity }]);
        emulator.log.clear();
        const outcome = await run({ page_size: 1 }, ["orders"]);
        const windows = new Set(emulator.log.filter((e) => e.path === "/v2/orders" && e.query.max_date_modified !== undefined).map((e) => e.query.max_date_modified));
        expect(windows.size, "read in windows").toBeGreaterThanOrEqual(2);
        expect(outcome.code, outcome.stderr).toBe(1);
        expect(outcome.stderr).toMatch(says);
        if (outcome.load) expect(outcome.load.status).toBe("failed");
      }
      emulator.setFaults([]);
      // Without the fault the same windowed first load passes its count check.
      const whole = await duckdb({ page_size: 1 }, ["orders"]);
      expect(whole.code, whole.stderr).toBe(0);
      expect(whole.rows.orders).toBe(expected("orders"));
    } finally {
      emulator.setFaults([]);
    }
  });

  it("empty-list on a list without any count (gift_certificates, 204 on page 1): Singer reads it as none and warns that an overwriting target would empty its table", async () => {
    emulator.setFaults([misbehaviourRule("empty-list")]);
    try {
      const s = await singer({}, ["gift_certificates"]);
      expect(s.code, s.stderr).toBe(0);
      expect(s.rows.gift_certificates).toBe(0);
      expect(s.stderr).toMatch(/warning: gift_certificates: the API answered no records, and gives no count to affirm that .*a target that overwrites tables would empty its table/);
    } finally {
      emulator.setFaults([]);
    }
    // A real read of the same list does not warn.
    const whole = await singer({}, ["gift_certificates"]);
    expect(whole.rows.gift_certificates).toBe(emulator.store.giftCertificates.length);
    expect(whole.stderr).not.toMatch(/gives no count to affirm/);
  });

  it("quote-token: check prints the API's error with the token redacted", async () => {
    emulator.setFaults([misbehaviourRule("quote-token")]);
    try {
      const config = writeFile(dir, "check.json", emulatorSettings(emulator));
      const result = await runCli(["check", "--config", config]);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/brands\s+error — .*credentials \*\*\*/);
      expect(result.stdout + result.stderr).not.toContain(emulator.accessToken);
    } finally {
      emulator.setFaults([]);
    }
  });
});
