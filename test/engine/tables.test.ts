import { describe, expect, it } from "vitest";
import { validateConfig } from "../../src/config/load.ts";
import { discover } from "../../src/engine/catalog.ts";
import { plannedTables } from "../../src/engine/sync.ts";
import { InputError } from "../../src/errors.ts";
import { registry } from "../../streams/index.ts";

const base = { store_hash: "abc123", access_token: "t0ken-abc", start_date: "2024-01-01T00:00:00Z" };
const everything = { streams: registry.map((s) => s.name) };

describe("table-count limit", () => {
  it("counts child tables and refuses a selection over max_tables with what to narrow", () => {
    const all = plannedTables(validateConfig(base), everything);
    expect(all.length).toBeGreaterThan(registry.length); // split child tables count too
    const config = validateConfig({ ...base, max_tables: all.length - 1 });
    let error: unknown;
    try {
      plannedTables(config, everything);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    const message = (error as Error).message;
    expect(message).toContain(`would create ${all.length} tables, over max_tables=${all.length - 1}`);
    expect(message).toMatch(/max_nesting_depth/);
    expect(message).toMatch(/Deselect streams/);
    expect(message).toMatch(/Largest streams: [a-z_]+ \(\d+\)/);
  });

  it("max_nesting_depth bounds the child tables (0: arrays stay JSON columns)", () => {
    const flat = plannedTables(validateConfig({ ...base, max_nesting_depth: 0 }), everything);
    expect(flat.length).toBe(registry.length);
    const one = plannedTables(validateConfig({ ...base, max_nesting_depth: 1 }), everything);
    const three = plannedTables(validateConfig({ ...base, max_nesting_depth: 3 }), everything);
    expect(one.length).toBeGreaterThan(flat.length);
    expect(three.length).toBeGreaterThanOrEqual(one.length);
    expect(one.every((t) => t.depth <= 1)).toBe(true);
  });

  it("discovery applies the limit to the default selection, and lists every table with Singer metadata", () => {
    const catalog = discover(validateConfig(base));
    const names = catalog.streams.map((s) => s.tap_stream_id);
    for (const stream of registry) expect(names).toContain(stream.name);
    const products = catalog.streams.find((s) => s.tap_stream_id === "order_products")!;
    const top = products.metadata.find((m) => m.breadcrumb.length === 0)!.metadata;
    expect(top["table-key-properties"]).toEqual(["id", "order_id"]);
    expect(top["parent-tap-stream-id"]).toBe("orders");
    const orders = catalog.streams.find((s) => s.tap_stream_id === "orders")!;
    const ordersTop = orders.metadata.find((m) => m.breadcrumb.length === 0)!.metadata;
    expect(ordersTop["valid-replication-keys"]).toEqual(["date_modified"]);
    expect(ordersTop["replication-method"]).toBe("INCREMENTAL");
    expect(orders.metadata.find((m) => m.breadcrumb[1] === "id")!.metadata.inclusion).toBe("automatic");
    expect(() => discover(validateConfig({ ...base, max_tables: 10 }))).toThrow(/over max_tables=10/);
  });
});
