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
});
