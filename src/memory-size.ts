/**
 * A memory size as DuckDB reads one (`256MB`, `1.5 GiB`): the one definition of the format that the
 * `duckdb_memory_limit` setting accepts and that the DuckDB destination converts to bytes.
 */

/** Bytes per unit, as DuckDB reads them: MB is 1000², MiB 1024². */
const UNITS: Readonly<Record<string, number>> = { B: 1, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30, TiB: 2 ** 40 };

/** The format as a regular expression's source: a number, optional spaces, a unit of `UNITS`. */
export const MEMORY_SIZE_PATTERN = `^(\\d+(?:\\.\\d+)?)\\s*(${Object.keys(UNITS).join("|")})$`;

const FORMAT = new RegExp(MEMORY_SIZE_PATTERN);

/** The bytes of a memory size such as `256MB` (surrounding spaces allowed); undefined for any other text. */
export function memoryBytes(size: string): number | undefined {
  const match = FORMAT.exec(size.trim());
  return match ? Number(match[1]) * UNITS[match[2]!]! : undefined;
}
