import { describe, expect, it } from "vitest";
import { DECIMAL_DIGITS, decimalText, isDecimalText } from "../../src/engine/columns.ts";
import { toDecimal } from "../../src/destinations/duckdb/values.ts";

/** Inputs around the fast paths' edges: canonical text, near-canonical text, whole numbers, limits. */
const TEXTS = [
  "12.5000", "0.0000", "-0.0000", "-12.5000", "012.5000", "00.0000", "12.500", "12.50000", " 12.5000", "12.5000 ",
  "+12.5000", "1.2e3", ".5000", "12.", "1a.5000", "-", "", "99999999999999.9999", "100000000000000.0000",
  "-99999999999999.9999", "9007199254740.9931", "9007199254740.9933", "12345678901234.5678", "0.0001", "-0.0001",
  "1.2345678901", "12345678901.1234567890", "0.0000000000", "-0.0000000000", "123456789.0000000001",
];
const NUMBERS = [0, -0, 12, -12, 12.5, 1e-4, 99999999999999, 100000000000000, 1e15, -99999999999999, 2 ** 53, 0.1 + 0.2];

/** The general parse, kept as the reference: exponent-aware, trims, strips zeros. */
function reference(text: string, precision: number, scale: number): string | undefined {
  return decimalText(` ${text}`, precision, scale); // the leading space forces the general path
}

describe("decimal fast paths", () => {
  for (const type of ["decimal", "rate"] as const) {
    const { precision, scale } = DECIMAL_DIGITS[type];
    it(`text already in ${type}'s form is returned as the general parse would (${precision},${scale})`, () => {
      for (const text of TEXTS) {
        expect(decimalText(text, precision, scale), text).toBe(reference(text, precision, scale));
        if (isDecimalText(text, precision, scale)) expect(reference(text, precision, scale), text).toBe(text);
      }
    });
    it(`whole numbers are written without parsing, as the general parse would (${type})`, () => {
      for (const n of NUMBERS) expect(decimalText(n, precision, scale), String(n)).toBe(reference(String(n), precision, scale));
    });
    it(`scales exactly to DuckDB's integer, beyond a double's 15 digits too (${type})`, () => {
      for (const text of TEXTS) {
        const canonical = reference(text, precision, scale);
        if (canonical === undefined) {
          expect(() => toDecimal(text, precision, scale), text).toThrow(/does not fit/);
          continue;
        }
        const expected = BigInt(canonical.replace(".", ""));
        expect(toDecimal(text, precision, scale).value, text).toBe(expected);
        expect(toDecimal(canonical, precision, scale).value, canonical).toBe(expected);
      }
    });
  }
});
