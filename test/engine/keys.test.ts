import { describe, expect, it } from "vitest";
import { decodeKey, encodeKey, keyOf } from "../../src/engine/keys.ts";

describe("primary-key codec", () => {
  it("keeps simple keys readable as before (`|`-joined), so older bookmarks' boundary keys still match", () => {
    expect(encodeKey([12, 34])).toBe("12|34");
    expect(keyOf(["id", "order_id"])({ id: 7, order_id: 9, other: 1 })).toBe("7|9");
  });

  it("never encodes two distinct keys alike, a `|` or `\\` inside a value included", () => {
    const keys = [["a|b", "c"], ["a", "b|c"], ["a\\", "|c"], ["a\\|", "c"], ["a", null], ["a", "\\N"], ["a", ""], ["", "a"], [null, "a"]];
    const encoded = keys.map(encodeKey);
    expect(new Set(encoded).size).toBe(keys.length);
    for (const [i, key] of keys.entries()) expect(decodeKey(encoded[i])).toEqual(key);
  });

  it("decodes numbers as their text", () => {
    expect(decodeKey(encodeKey([1, 2n, "x"]))).toEqual(["1", "2", "x"]);
  });

  it("gives, record by record, what encodeKey gives of the key fields' values (one field or several), as the codec's rule says", () => {
    // The codec's rule, written the plain way: each part escaped, `\\N` for a missing one, `|`-joined.
    const rule = (parts: unknown[]) => parts.map((v) => (v === null || v === undefined ? "\\N" : String(v).replace(/[\\|]/g, (c) => "\\" + c))).join("|");
    const values = [7, -1.5, "12", "a|b", "a\\b", "\\N", "", null, undefined, true, 3n, "x|\\|y"];
    for (const a of values) {
      expect(keyOf(["a"])({ a })).toBe(rule([a]));
      expect(encodeKey([a])).toBe(rule([a]));
      for (const b of values) {
        expect(keyOf(["a", "b"])({ b, a })).toBe(rule([a, b]));
        expect(encodeKey([a, b, a])).toBe(rule([a, b, a]));
      }
    }
    expect(keyOf(["a"])({})).toBe("\\N");
    expect(encodeKey([])).toBe("");
  });
});
