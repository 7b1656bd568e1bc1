/** `demo`: the bundled emulator store loaded into a DuckDB file, with a summary. Offline, no account needed. */
import { validateConfig } from "../config/load.ts";
import { startEmulator } from "../emulator/index.ts";
import { defaultSelection } from "../engine/catalog.ts";
import { log } from "../log.ts";
import { applyLogFlags, parseCommand } from "./args.ts";
import { DEMO } from "./specs.ts";
import { runLoadCommand } from "./load-run.ts";

/** Where the demo writes when not told. */
export const DEMO_FILE = "bigcommerce-demo.duckdb";

/** The demo store's rate limit: BigCommerce's Pro plan (450 requests per 30 s). */
const DEMO_QUOTA = { quota: 450, windowMs: 30_000 };

/** Runs `demo`. */
export async function run(args: string[]): Promise<number> {
  const { values } = parseCommand(DEMO, args);
  const progressSeconds = applyLogFlags(values);
  // Not bigcommerce.duckdb: DuckDB names a file's catalog after it, and a catalog and schema both
  // called `bigcommerce` make `bigcommerce.orders` ambiguous for a duckdb CLI user (our own `sql` attaches it under a fixed name).
  const path = values.duckdb ?? DEMO_FILE;
  const orders = values.orders === undefined ? undefined : Number(values.orders);
  const emulator = await startEmulator({ seed: values.seed ?? 1, rateLimit: DEMO_QUOTA, sizes: orders === undefined ? {} : { orders } });
  log(`demo: emulated store ${emulator.storeHash} at ${emulator.url} (Pro plan quota: ${DEMO_QUOTA.quota} requests per ${DEMO_QUOTA.windowMs / 1000} s)`);
  try {
    const config = validateConfig({
      store_hash: emulator.storeHash,
      access_token: emulator.accessToken,
      start_date: "2000-01-01T00:00:00Z",
      api_url: emulator.url,
    });
    return await runLoadCommand({ config, selection: defaultSelection(), path, schema: "bigcommerce", log }, progressSeconds);
  } finally {
    await emulator.close();
  }
}
