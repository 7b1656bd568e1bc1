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
const NUMBERS = [
  0, -0, 12, -12, 12.5, 1e-4, 99999999999999, 100000000000000, 1e15, -99999999999999, 2 ** 53, 0.1 + 0.2,
  15.16, -0.41, 0.5, -0.5, 1e-7, 1.5e-10, 1.23456789e-5, 99999999999999.99, 99999999999999.9, 9999999999.123, 12345678901.5,
  123.45678, 1.2345678901, 1.23456789012, 1e21, 1.5e21, -1e-4, 0.0001, 0.00001, Number.MIN_VALUE, Number.MAX_VALUE,
];

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
    it(`numbers are written without parsing, as the general parse would (${type})`, () => {
      for (const n of NUMBERS) expect(decimalText(n, precision, scale), String(n)).toBe(reference(String(n), precision, scale));
      let seed = 11;
      const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      for (let i = 0; i < 20_000; i++) {
        const digits = Math.floor(next() * 12);
        const n = Math.round((next() - 0.5) * 10 ** (1 + Math.floor(next() * 16))) / 10 ** digits;
        expect(decimalText(n, precision, scale), String(n)).toBe(reference(String(n), precision, scale));
      }
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
