import { describe, expect, it } from "vitest";
import { collect, valueAt } from "../../src/engine/paths.ts";

describe("paths", () => {
  it("collect finds the objects under fan-outs in array order, marked when they or a container carry the marker", () => {
    const order = {
      consignments: {
        shipping: [
          { id: 1, line_items: [{ id: "a" }, { id: "b" }, 5, null, [{ id: "in an array" }]] },
          "not an object",
          { id: 2, __warning__: "cut", line_items: [{ id: "c" }] },
          { id: 3, line_items: { id: "not an array" } },
          { id: 4, line_items: [{ id: "d", __warning__: "own" }, { id: "e" }] },
        ],
        email: { gift_certificates: [{ id: "g" }] },
      },
    };
    const found = collect(order, "consignments.shipping[].line_items[]", "__warning__");
    expect(found.map((f) => [f.object.id, f.marked])).toEqual([["a", false], ["b", false], ["c", true], ["d", false], ["e", false]]);
    // The marker counts on the containers on the way, not on the objects found themselves.
    expect(collect(order, "consignments.shipping[]", "__warning__").map((f) => [f.object.id, f.marked])).toEqual([
      [1, false], [2, false], [3, false], [4, false],
    ]);
    expect(collect(order, "consignments.email.gift_certificates[]").map((f) => f.object.id)).toEqual(["g"]);
    expect(collect(order, "consignments.email")).toEqual([{ object: order.consignments.email, marked: false }]);
    expect(collect(order, "consignments.pickups[]")).toEqual([]);
    expect(collect({ consignments: null }, "consignments.shipping[].line_items[]")).toEqual([]);
  });

  it("valueAt reads dotted paths, undefined past a value that is not an object", () => {
    const record = { a: { b: { c: 3 }, n: null, s: "text" } };
    expect(valueAt(record, "a.b.c")).toBe(3);
    expect(valueAt(record, "a.b")).toEqual({ c: 3 });
    expect(valueAt(record, "a.n")).toBeNull();
    expect(valueAt(record, "a.n.x")).toBeUndefined();
    expect(valueAt(record, "a.s.length")).toBeUndefined();
    expect(valueAt(record, "missing.x")).toBeUndefined();
  });
});
