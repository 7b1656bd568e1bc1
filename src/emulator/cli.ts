/**
 * `tap-bigcommerce emulator` (flags in src/commands/specs.ts): serves the emulator until
 * SIGINT/SIGTERM, after printing one JSON line `{"api_url","store_hash","access_token"}` on stdout.
 */
import process from "node:process";
import { parseCommand } from "../commands/args.ts";
import { EMULATOR } from "../commands/specs.ts";
import { InputError } from "../errors.ts";
import { FIRST_ORDER_ID } from "./data/gen-orders.ts";
import type { EmulatorStore } from "./data/store.ts";
import { misbehaviourRule } from "./http/misbehave.ts";
import { startEmulator } from "./index.ts";

const COUNT_FLAGS = ["orders", "customers", "products", "brands", "categories", "coupons"] as const;
/** Size flags whose size has another name. */
const SIZE_FLAGS = { "archived-orders": "archivedOrders" } as const;

function integer(name: string, value: string | undefined, min = 0): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min) throw new InputError(`--${name} must be an integer >= ${min} (got ${JSON.stringify(value)})`);
  return Number(value);
}

/** `--latency-ms BASE[,PER_ROW]`: ms before every answer, and ms per record it lists. */
function latency(value: string | undefined): { latencyMs?: number; latencyPerRowMs?: number } {
  if (value === undefined) return {};
  const [base, perRow, ...rest] = value.split(",");
  if (rest.length > 0) throw new InputError(`--latency-ms takes BASE or BASE,PER_ROW (got ${JSON.stringify(value)})`);
  return { latencyMs: integer("latency-ms", base), latencyPerRowMs: perRow === undefined ? undefined : nonNegative("latency-ms", perRow) };
}

/** A non-negative number, fractions allowed (per-row latencies below a millisecond). */
function nonNegative(name: string, value: string): number {
  if (!/^\d+(\.\d+)?$/.test(value)) throw new InputError(`--${name} must be a number >= 0 (got ${JSON.stringify(value)})`);
  return Number(value);
}

/** Modifies `count` orders spread evenly over the ids, one clock second apart after the generated history. */
function changeOrders(store: EmulatorStore, count: number): void {
  const total = store.orderTable.length;
  if (count > total) throw new InputError(`--changed-orders ${count} is more than the store's ${total} orders`);
  for (let k = 0; k < count; k++) store.touchOrder(FIRST_ORDER_ID + Math.floor((k * total) / count));
}

/** Runs the emulator command; resolves to the exit code once a signal stops it. */
export async function runEmulatorCommand(argv: string[]): Promise<number> {
  const { values } = parseCommand(EMULATOR, argv);
  const str = (k: keyof typeof values) => values[k] as string | undefined;
  const storeHash = str("store-hash");
  if (storeHash !== undefined && !/^[a-z0-9]+$/.test(storeHash)) throw new InputError("--store-hash must be lowercase letters and digits");
  const sizes: Record<string, number> = {};
  for (const flag of COUNT_FLAGS) {
    const n = integer(flag, str(flag));
    if (n !== undefined) sizes[flag] = n;
  }
  for (const [flag, size] of Object.entries(SIZE_FLAGS)) {
    const n = integer(flag, str(flag as keyof typeof values));
    if (n !== undefined) sizes[size] = n;
  }
  const faults = ((values.misbehave ?? []) as string[]).map((spec) => {
    try {
      return misbehaviourRule(spec);
    } catch (error) {
      throw new InputError(`--misbehave: ${(error as Error).message}`);
    }
  });
  const seedText = str("seed");
  const emulator = await startEmulator({
    port: integer("port", str("port")) ?? 0,
    host: str("host"),
    storeHash,
    accessToken: str("token"),
    seed: seedText === undefined ? undefined : /^\d+$/.test(seedText) ? Number(seedText) : seedText,
    sizes,
    rateLimit: values["no-rate-limit"] ? false : { quota: integer("quota", str("quota"), 1), windowMs: integer("window-ms", str("window-ms"), 1) },
    ...latency(str("latency-ms")),
    faults,
  });
  const changed = integer("changed-orders", str("changed-orders"));
  if (changed !== undefined) {
    try {
      changeOrders(emulator.store, changed);
    } catch (error) {
      await emulator.close();
      throw error;
    }
  }
  return await new Promise<number>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      void emulator.close().then(() => resolve(0));
    };
    // Handlers first: a host may send SIGTERM as soon as it reads the line.
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
    process.stdout.write(JSON.stringify({ api_url: emulator.url, store_hash: emulator.storeHash, access_token: emulator.accessToken }) + "\n");
  });
}
