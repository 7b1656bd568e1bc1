import { describe, expect, it } from "vitest";
import { coerce, DOES_NOT_FIT } from "../../src/engine/columns.ts";
import { flattenRecord, newSink } from "../../src/engine/flatten.ts";
import { planStream, tablesOf } from "../../src/engine/schema.ts";
import { defineStream, findStream } from "../../src/engine/registry.ts";
import { registry } from "../../streams/index.ts";

const widget = defineStream({
  name: "widgets",
  description: "test stream",
  api: "v3",
  path: "widgets",
  primaryKey: ["id"],
  scope: "none",
  writeMode: "merge",
  schema: {
    type: "object",
    properties: {
      id: { type: "integer" },
      total: { type: ["string", "null"], format: "decimal" },
      created: { type: "string", format: "date-time" },
      billing_address: { type: "object", properties: { city: { type: "string" }, geo: { type: "object", properties: { lat: { type: "number" } } } } },
      billing_address_city: { type: "string" },
      tags: { type: "array", items: { type: "string" } },
      options: { type: "array", items: { type: "object", properties: { name: { type: "string" }, values: { type: "array", items: { type: "object", properties: { label: { type: "string" } } } } } } },
    },
  },
});

describe("flattening", () => {
  it("joins nested keys with _ and detects the collision with a literal key", () => {
    const plan = planStream(widget, { maxNestingDepth: 3 });
    const names = plan.table.columns.map((c) => c.name);
    expect(names).toContain("billing_address_geo_lat");
    expect(names).toContain("billing_address_city");
    expect(names).toContain("billing_address_city__2");
    const sink = newSink();
    flattenRecord(plan, {
      id: 1,
      total: "361.9500",
      created: "Tue, 20 Nov 2012 00:00:00 +0000",
      billing_address: { city: "Austin", geo: { lat: 30.2 } },
      billing_address_city: "literal",
      tags: ["a", "b"],
    }, sink);
    const [row] = sink.tables.get("widgets")!.toRows();
    expect(row.billing_address_city).toBe("Austin");
    expect(row.billing_address_city__2).toBe("literal");
    expect(row.billing_address_geo_lat).toBe(30.2);
    expect(row.created).toBe("2012-11-20T00:00:00.000Z");
    expect(row.total).toBe("361.9500");
    expect(row.tags).toEqual(["a", "b"]);
    expect(row._rescued).toBeNull();
  });

  it("splits arrays of objects into child tables with the parent key and _index, bounded by max_nesting_depth", () => {
    const deep = tablesOf(planStream(widget, { maxNestingDepth: 3 })).map((t) => t.name);
    expect(deep).toEqual(["widgets", "widgets_options", "widgets_options_values"]);
    const shallow = planStream(widget, { maxNestingDepth: 1 });
    expect(tablesOf(shallow).map((t) => t.name)).toEqual(["widgets", "widgets_options"]);
    expect(tablesOf(shallow)[1].columns.find((c) => c.name === "values")?.type).toBe("json");
    expect(tablesOf(planStream(widget, { maxNestingDepth: 0 })).length).toBe(1);

    const plan = planStream(widget, { maxNestingDepth: 3 });
    const sink = newSink();
    flattenRecord(plan, { id: 7, options: [{ name: "size", values: [{ label: "S" }, { label: "M" }] }, { name: "color", values: [] }] }, sink);
    expect(sink.tables.get("widgets_options")!.toRows()).toStrictEqual([
      { _parent_id: 7, _index: 0, name: "size", _rescued: null },
      { _parent_id: 7, _index: 1, name: "color", _rescued: null },
    ]);
    expect(sink.tables.get("widgets_options_values")!.toRows()).toStrictEqual([
      { _parent_parent_id: 7, _parent_index: 0, _index: 0, label: "S", _rescued: null },
      { _parent_parent_id: 7, _parent_index: 0, _index: 1, label: "M", _rescued: null },
    ]);
  });

  it("keeps an explicit null apart from a field the record lacks", () => {
    const plan = planStream(widget, { maxNestingDepth: 3 });
    const sink = newSink();
    flattenRecord(plan, { id: 8, total: null, billing_address: { city: null } }, sink);
    flattenRecord(plan, { id: 9, created: "2024-03-01T10:20:30Z" }, sink);
    expect(sink.tables.get("widgets")!.toRows()).toStrictEqual([
      { id: 8, total: null, billing_address_city: null, _rescued: null },
      { id: 9, created: "2024-03-01T10:20:30.000Z", _rescued: null },
    ]);
  });

  it("keeps a value that does not fit its declared type in _rescued instead of dropping it", () => {
    const plan = planStream(widget, { maxNestingDepth: 3 });
    const sink = newSink();
    flattenRecord(plan, { id: 2, total: "n/a", created: "" }, sink);
    const [row] = sink.tables.get("widgets")!.toRows();
    expect(row.total).toBeNull();
    expect(row.created).toBeNull(); // v2's empty date is NULL, not a misfit
    expect(row._rescued).toEqual({ total: "n/a" });
    expect(sink.rescued).toBe(1);
  });

  it("adds a column for a field the schema did not know, typed by the override rules and never by its values", () => {
    const plan = planStream(widget, { maxNestingDepth: 3 });
    const sink = newSink();
    flattenRecord(plan, { id: 3, loyalty: { points: null } }, sink);
    expect(plan.byName.has("loyalty_points")).toBe(false); // no column before a value is seen
    flattenRecord(plan, { id: 4, loyalty: { points: 10 }, gift_wrap_price: 2.5, partner_id: "7" }, sink);
    expect(sink.evolved.has(plan)).toBe(true);
    // No rule names `points`: JSON holds whatever comes, exactly; a money name and an id name get theirs.
    expect(plan.byName.get("loyalty_points")?.type).toBe("json");
    expect(plan.byName.get("gift_wrap_price")?.type).toBe("decimal");
    expect(plan.byName.get("partner_id")?.type).toBe("integer");
    flattenRecord(plan, { id: 5, loyalty: { points: 10.5 }, gift_wrap_price: "lots", partner_id: 8 }, sink);
    flattenRecord(plan, { id: 6, loyalty: { points: "lots" } }, sink);
    expect(plan.byName.get("loyalty_points")?.type).toBe("json");
    const rows = sink.tables.get("widgets")!.toRows();
    expect(rows.map((r) => r.loyalty_points)).toEqual([undefined, 10, 10.5, "lots"]);
    expect(rows.map((r) => r.gift_wrap_price)).toEqual([undefined, "2.5000", null, undefined]);
    expect(rows[2]._rescued).toEqual({ gift_wrap_price: "lots" });
    expect(rows.map((r) => r.partner_id)).toEqual([undefined, 7, 8, undefined]);
  });

  it("reads each record as a fresh plan would, whatever order its keys come in (the walk remembers the last record's keys)", () => {
    const records: Record<string, unknown>[] = [
      { id: 1, total: "1.5000", created: "Tue, 20 Nov 2012 00:00:00 +0000", billing_address: { city: "A", geo: { lat: 1 } }, tags: ["a"] },
      { id: 2, total: "2.5000", created: "Tue, 20 Nov 2012 00:00:01 +0000", billing_address: { city: "B", geo: { lat: 2 } }, tags: ["b"] },
      { tags: ["c"], billing_address: { geo: { lat: 3 }, city: "C" }, created: "2012-11-20T00:00:02Z", total: 3, id: 3 },
      { id: 4, extra: { deep: 4 }, total: "4.0000", billing_address: { city: "D", zone: "z" }, secret: "left out" },
      { id: 5, secret: "left out", total: "x", created: "Tue, 20 Nov 2012 00:00:01 +0000", options: [{ name: "n", values: [{ label: "l" }] }] },
      { id: 6, total: "1.5000", created: "Tue, 20 Nov 2012 00:00:00 +0000", billing_address: { city: "A", geo: { lat: 1 } }, tags: ["a"] },
    ];
    const skip = new Set(["secret"]);
    const warm = planStream(widget, { maxNestingDepth: 3 });
    const sink = newSink();
    for (const record of records) flattenRecord(warm, record, sink, {}, skip);
    const warmRows = sink.tables.get("widgets")!.toRows();
    records.forEach((record, i) => {
      const fresh = planStream(widget, { maxNestingDepth: 3 });
      const one = newSink();
      flattenRecord(fresh, record, one, {}, skip); // a plan that has walked nothing before
      expect(warmRows[i]).toStrictEqual(one.tables.get("widgets")!.toRows()[0]);
    });
    expect(warmRows[3]).toMatchObject({ id: 4, extra_deep: 4, billing_address_zone: "z", total: "4.0000" });
    expect(warmRows.some((row) => "secret" in row)).toBe(false);
    // The same plan without the skip set reads the skipped key as an unknown field again.
    flattenRecord(warm, records[3], sink);
    expect(sink.tables.get("widgets")!.toRows()[6]).toMatchObject({ id: 4, secret: "left out" });
  });

  it("gives order_products the composite key (id, order_id) with order_id from the parent", () => {
    const stream = findStream(registry, "order_products")!;
    const plan = planStream(stream, { maxNestingDepth: 3 });
    expect(plan.table.primaryKey).toEqual(["id", "order_id"]);
    expect(plan.table.parent).toEqual({ table: "orders", keys: { order_id: "id" } });
    expect(plan.table.columns.slice(0, 2).map((c) => c.name)).toEqual(["id", "order_id"]);
  });
});

describe("column types", () => {
  it("coerces v2 and v3 values", () => {
    expect(coerce("12", "integer")).toBe(12);
    expect(coerce(1.5, "integer")).toBe(DOES_NOT_FIT);
    expect(coerce("2024-03-01T10:20:30+02:00", "timestamp")).toBe("2024-03-01T08:20:30.000Z");
    expect(coerce("not a date", "timestamp")).toBe(DOES_NOT_FIT);
    expect(coerce(12.5, "decimal")).toBe("12.5000");
    expect(coerce("12.5000", "decimal")).toBe("12.5000");
    expect(coerce(1e-4, "decimal")).toBe("0.0001");
    expect(coerce("-0.0000", "decimal")).toBe("0.0000");
    expect(coerce("1.2345678901", "rate")).toBe("1.2345678901");
    expect(coerce(1, "rate")).toBe("1.0000000000");
    expect(coerce("1700000000", "timestamp")).toBe("2023-11-14T22:13:20.000Z"); // Unix seconds
    expect(coerce("2023-07-17 06:30:41", "timestamp")).toBe("2023-07-17T06:30:41.000Z"); // no zone: UTC
    expect(coerce("", "decimal")).toBeNull();
    expect(coerce("", "string")).toBe("");
    expect(coerce([1, 2], { list: "integer" })).toEqual([1, 2]);
  });
});

describe("values a destination cannot hold", () => {
  it("are misfits (kept in _rescued), not load failures", () => {
    expect(coerce(1e300, "integer")).toBe(DOES_NOT_FIT);
    expect(coerce("123456789012345678.5000", "decimal")).toBe(DOES_NOT_FIT);
    expect(coerce("12345678901234.5000", "decimal")).toBe("12345678901234.5000");
    expect(coerce(1e15, "decimal")).toBe(DOES_NOT_FIT);
    expect(coerce("12.345678", "decimal")).toBe(DOES_NOT_FIT); // six decimals: money has four
    expect(coerce(0.1 + 0.2, "decimal")).toBe(DOES_NOT_FIT);
    expect(coerce("12.34560000", "decimal")).toBe("12.3456"); // trailing zeros are not digits lost
    expect(coerce("1.12345678901", "rate")).toBe(DOES_NOT_FIT);
    expect(coerce("9223372036854775808", "integer")).toBe(DOES_NOT_FIT); // beyond BIGINT
    expect(coerce("Tue, 31 Feb 2024 25:00:00 +0000", "timestamp")).toBe(DOES_NOT_FIT);
  });
});
