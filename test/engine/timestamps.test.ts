import { describe, expect, it } from "vitest";
import { coerce, timestampMs, toIsoTimestamp } from "../../src/engine/columns.ts";

/** What the hand-read v2 form must equal: `Date.parse`, and its ISO text. */
function slowIso(text: string): string | undefined {
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n: number, width = 2) => String(n).padStart(width, "0");
/** v2's RFC 2822 form of fields as given (out-of-range fields kept as they are). */
function v2(day: number, month: number, year: number, h: number, m: number, s: number, zone = "+0000", weekday = "Tue"): string {
  return `${weekday}, ${pad(day)} ${MONTHS[month]} ${pad(year, 4)} ${pad(h)}:${pad(m)}:${pad(s)} ${zone}`;
}

describe("v2 timestamps read by hand", () => {
  it("equal Date.parse and toISOString on random dates, zones and day names", () => {
    let seed = 7;
    const next = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    for (let i = 0; i < 20_000; i++) {
      const zone = `${next(2) ? "+" : "-"}${pad(next(24))}${pad(next(60))}`;
      const text = v2(1 + next(31), next(12), 1000 + next(9000), next(24), next(60), next(60), i % 3 === 0 ? "+0000" : zone, DAYS[next(7)]);
      expect(timestampMs(text)).toBe(Date.parse(text));
      expect(toIsoTimestamp(text)).toBe(slowIso(text));
      expect(coerce(text, "timestamp")).toBe(slowIso(text) ?? expect.anything());
    }
  });

  it("equal Date.parse on edge inputs (the ones out of the hand-read form go to Date.parse)", () => {
    const edges = [
      v2(29, 1, 2024, 0, 0, 0), v2(29, 1, 2000, 0, 0, 0), v2(29, 1, 2100, 0, 0, 0), v2(29, 1, 2023, 0, 0, 0), v2(31, 3, 2026, 1, 2, 3),
      v2(31, 11, 9999, 23, 59, 59), v2(1, 0, 1000, 0, 0, 0), v2(1, 0, 999, 0, 0, 0), v2(1, 0, 99, 0, 0, 0), v2(0, 0, 2026, 0, 0, 0),
      v2(1, 0, 2026, 24, 0, 0), v2(1, 0, 2026, 10, 60, 0), v2(1, 0, 2026, 10, 0, 60), v2(1, 0, 2026, 10, 0, 0, "+2400"),
      v2(1, 0, 2026, 10, 0, 0, "+0060"), v2(1, 0, 2026, 10, 0, 0, "-0000"), v2(1, 0, 2026, 10, 0, 0, "+0000", "Xyz"),
      v2(1, 0, 2026, 10, 0, 0, "+0000", "Mon"), v2(1, 0, 2026, 10, 0, 0, "GMT0"), v2(1, 0, 1969, 23, 59, 59),
      "Tue, 01 dec 2026 10:00:00 +0000", "Tue, 01 DEC 2026 10:00:00 +0000", "Tue, 1 Dec 2026 10:00:00 +0000",
      "Tue, 01 Dec 2026 10:00:00 GMT", "Tue,  01 Dec 2026 10:00:00 +000", " Tue, 01 Dec 2026 10:00:00 +0000",
      "Tue, 01 Dec 2026 10:00:00 +0000 ", "Tue, 0a Dec 2026 10:00:00 +0000", "Tue, 01 Dec 2026 1a:00:00 +0000",
      "Tue, 01 Dec 2026 10:00:00 *0000", "Tue, 01 Dec 2026 10:00:00 +00a0", "Tue; 01 Dec 2026 10:00:00 +0000",
      "2026-12-01T10:00:00Z", "2026-12-01T10:00:00+05:30", "2026-12-01", "", "not a date", "Tue, 01 Dec 2026 10:00:00 +0000x",
    ];
    for (const text of edges) {
      expect(timestampMs(text), text).toBe(Date.parse(text));
      expect(timestampMs(text), text).toBe(Date.parse(text)); // remembered: the same answer
      if (/^\w{3}, /.test(text)) expect(toIsoTimestamp(text), text).toBe(slowIso(text.trim()));
    }
  });

  it("remember only the last text: alternating texts each get their own answer", () => {
    const a = v2(1, 0, 2026, 10, 0, 0);
    const b = v2(2, 0, 2026, 10, 0, 0);
    for (let i = 0; i < 3; i++) {
      expect(toIsoTimestamp(a)).toBe("2026-01-01T10:00:00.000Z");
      expect(toIsoTimestamp(b)).toBe("2026-01-02T10:00:00.000Z");
      expect(toIsoTimestamp("")).toBeUndefined();
      expect(timestampMs(a)).toBe(Date.UTC(2026, 0, 1, 10));
      expect(timestampMs(b)).toBe(Date.UTC(2026, 0, 2, 10));
    }
    // The other forms still read as before.
    expect(toIsoTimestamp("1700000000")).toBe("2023-11-14T22:13:20.000Z");
    expect(toIsoTimestamp(1700000000)).toBe("2023-11-14T22:13:20.000Z");
    expect(toIsoTimestamp("2023-07-17 06:30:41")).toBe("2023-07-17T06:30:41.000Z");
    expect(toIsoTimestamp(" 2023-07-17T06:30:41+02:00 ")).toBe("2023-07-17T04:30:41.000Z");
  });
});
