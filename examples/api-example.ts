/**
 * tap-bigcommerce as a TypeScript library, the way a dlt-style pipeline uses it: the streams
 * with their hints, then async iteration over record batches with the state passed in and
 * taken out — run twice, so the second run is incremental.
 *
 *   deno run -A examples/api-example.ts                           # Deno, straight from the sources
 *   npm run build && node dist/examples/api-example.js             # Node, the built JS
 *
 * With BIGCOMMERCE_STORE_HASH and BIGCOMMERCE_ACCESS_TOKEN set it reads that store (from
 * BIGCOMMERCE_START_DATE, default 30 days ago); otherwise the bundled emulator serves a small
 * demo store, and one order is changed between the runs. The last line of output is a JSON summary.
 */
import process from "node:process";
// In your own code: `from "tap-bigcommerce"`.
import { createSource, type Emulator, startEmulator, type State } from "../src/index.ts";

const STREAMS = ["orders", "order_products"];

let emulator: Emulator | undefined;
let config: Record<string, unknown>;
if (process.env.BIGCOMMERCE_STORE_HASH && process.env.BIGCOMMERCE_ACCESS_TOKEN) {
  config = {
    store_hash: process.env.BIGCOMMERCE_STORE_HASH,
    access_token: process.env.BIGCOMMERCE_ACCESS_TOKEN,
    start_date: process.env.BIGCOMMERCE_START_DATE ?? new Date(Date.now() - 30 * 86_400_000).toISOString(),
  };
} else {
  emulator = await startEmulator({ rateLimit: false, sizes: { orders: 25, customers: 10, products: 8 } });
  config = { store_hash: emulator.storeHash, access_token: emulator.accessToken, start_date: "2000-01-01T00:00:00Z", api_url: emulator.url };
}

const source = createSource(config);

// The hints a loader needs: primary key, incremental cursor, write disposition, parent, tables.
for (const stream of source.streams.filter((s) => STREAMS.includes(s.name))) {
  const tables = stream.tables.map((t) => t.name).join(", ");
  console.log(
    `${stream.name}: primary key [${stream.primaryKey}], cursor ${stream.cursor ?? "none"}, ${stream.writeDisposition}` +
      `${stream.parent ? `, read with ${stream.parent}` : ""}; tables ${tables}`,
  );
}

let state: State | undefined; // a real pipeline loads this from where it keeps it
const runs: { rows: Record<string, number>; batches: number }[] = [];
for (const run of [1, 2]) {
  const rows: Record<string, number> = {};
  let batches = 0;
  for await (const batch of source.batches({ streams: STREAMS, state })) {
    for (const [table, list] of batch.tables) rows[table] = (rows[table] ?? 0) + list.length; // store the rows here…
    state = batch.state; // …then keep the state: it is true once those rows are stored
    batches++;
  }
  runs.push({ rows, batches });
  console.log(`run ${run}: ${Object.entries(rows).map(([t, n]) => `${t} ${n}`).join(", ") || "no rows"} in ${batches} batches`);
  if (run === 1 && emulator) emulator.store.touchOrder(emulator.store.orders[0].id); // a change for the second run to pick up
}

console.log(JSON.stringify({ runs, state }));
await emulator?.close();
