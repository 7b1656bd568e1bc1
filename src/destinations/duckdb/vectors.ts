/**
 * Column writers: a stage's data chunk filled column by column straight from engine values,
 * with no DuckDB value object, bigint or N-API call per value.
 *
 * - Fixed-width columns (BIGINT, DOUBLE, BOOLEAN, DATE, TIMESTAMPTZ, DECIMAL stored as int64 or
 *   int128) are written into a JS buffer kept for the stage's life and copied into the chunk's
 *   vector in one call; an int64 from a safe integer is written as two 32-bit halves, a bigint
 *   only beyond 2^53.
 * - VARCHAR (and JSON) slots are DuckDB's 16-byte `duckdb_string_t`: a uint32 length, then a
 *   string of up to 12 UTF-8 bytes inline (zero-padded), or its first 4 bytes and a pointer.
 *   Short strings are written inline; the longer ones of a chunk are encoded back to back,
 *   copied into the vector's string heap in one call (as one string), and their slots point
 *   into that copy, which lives as long as the vector's data.
 * - NULLs are a validity bit per row (DuckDB's 64-bit words), copied once per chunk when the
 *   chunk has any.
 * - Lists, and column types this destination does not create, go through @duckdb/node-api's
 *   vectors (`converterFor`).
 *
 * The layouts are DuckDB's in memory on little-endian machines (every platform DuckDB ships
 * for); elsewhere every column takes the node-api path.
 *
 * Measured on the stage calls of a 20 000-order load (141 242 rows in 12 stage tables, up to 88
 * columns; Node 20, one cold pass as in a load, median of 5): node-api vectors (`setItem` of
 * DuckDB value objects and bigints, a string assignment per string) 1 375 ms of CPU to append
 * and 453 ms to close the appenders; these writers 452 ms and 331 ms, with the same rows stored.
 * Flushing the appender every chunk or every 4 chunks instead of at close cost more (600 and
 * 515 ms against 425 ms warm): DuckDB's own table append (string statistics, string storage)
 * is most of what is left.
 */
import { type DuckDBDataChunk, type DuckDBType, DuckDBTypeId, type DuckDBValue } from "@duckdb/node-api";
import duckdb from "@duckdb/node-bindings";
import type { ColumnType } from "../../engine/types.ts";
import { type Converter, converterFor, dateDays, decimalValue, integerValue, timestampMicros, toBoolean, toDouble, toJsonText, toText, ValueError } from "./values.ts";

/** Rows of one chunk (DuckDB's vector size). */
export const CHUNK_ROWS = 2048;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const TWO_32 = 2 ** 32;
/** Values that stand in for a column a page does not have: NULLs. */
const ABSENT: readonly unknown[] = Array.from({ length: CHUNK_ROWS }, () => null);

/** Writes one column of a stage's chunks: `write` the rows of a chunk, then `flush` them into its vector. */
export abstract class ColumnWriter {
  /** Validity of the chunk's rows, a bit each (cleared: NULL), laid out as DuckDB's 64-bit words. */
  readonly #valid = new Uint32Array(CHUNK_ROWS / 32).fill(~0);
  #nulls = false;

  constructor(protected readonly convert: (value: unknown) => unknown) {}

  /** Writes `count` values of `values` from `from` on (`undefined`: the page lacks the column, NULLs) to the chunk's rows from `at` on. */
  write(values: readonly unknown[] | undefined, from: number, count: number, at: number): void {
    if (values === undefined) this.fill(ABSENT, 0, count, at);
    else this.fill(values, from, count, at);
  }

  /** Where `write` stopped with a `ValueError`: the position (from `from`) of the first of `count` values that does not convert. */
  failedAt(values: readonly unknown[], from: number, count: number): number {
    for (let i = 0; i < count; i++) {
      const value = values[from + i];
      if (value === null || value === undefined) continue;
      try {
        this.convert(value);
      } catch (error) {
        if (error instanceof ValueError) return i;
        throw error;
      }
    }
    return 0;
  }

  /** Copies the chunk's `rows` written rows into column `column` of `chunk`, ready for the next chunk. */
  abstract flush(chunk: DuckDBDataChunk, column: number, rows: number): void;

  protected abstract fill(values: readonly unknown[], from: number, count: number, at: number): void;

  protected setNull(row: number): void {
    this.#valid[row >>> 5]! &= ~(1 << (row & 31));
    this.#nulls = true;
  }

  /** Copies the rows' validity into `vector` when any is NULL (a vector starts, and is reset to, all valid). */
  protected flushValidity(vector: duckdb.Vector, rows: number): void {
    if (!this.#nulls) return;
    duckdb.vector_ensure_validity_writable(vector);
    duckdb.copy_data_to_vector_validity(vector, 0, this.#valid.buffer, 0, Math.ceil(rows / 64) * 8);
    this.#valid.fill(~0);
    this.#nulls = false;
  }
}

/** Fixed-width values in a buffer of the whole chunk, copied into the vector at once. */
abstract class FixedWriter extends ColumnWriter {
  protected readonly buffer: ArrayBuffer;

  constructor(
    convert: (value: unknown) => unknown,
    private readonly width: number,
  ) {
    super(convert);
    this.buffer = new ArrayBuffer(CHUNK_ROWS * width);
  }

  flush(chunk: DuckDBDataChunk, column: number, rows: number): void {
    const vector = duckdb.data_chunk_get_vector(chunk.chunk, column);
    duckdb.copy_data_to_vector(vector, 0, this.buffer, 0, rows * this.width);
    this.flushValidity(vector, rows);
  }
}

/**
 * BIGINT, TIMESTAMPTZ (microseconds) and DECIMAL(10..18, s) (scaled) as int64; DECIMAL(19..38, s)
 * as int128 (low 64 bits first): from a safe integer as 32-bit halves, else from a bigint.
 */
export class IntegerWriter extends FixedWriter {
  readonly #halves = new Int32Array(this.buffer);
  readonly #bigints = new BigInt64Array(this.buffer);

  /** `bits`: 64 or 128. */
  constructor(
    convert: (value: unknown) => number | bigint,
    private readonly bits: 64 | 128,
  ) {
    super(convert, bits / 8);
  }

  protected fill(values: readonly unknown[], from: number, count: number, at: number): void {
    const halves = this.#halves;
    const wide = this.bits === 128;
    for (let i = 0; i < count; i++) {
      const value = values[from + i];
      const row = at + i;
      if (value === null || value === undefined) {
        this.setNull(row);
        continue;
      }
      const n = this.convert(value) as number | bigint;
      if (!wide) {
        if (typeof n === "number") setInt64(halves, 2 * row, n);
        else this.#bigints[row] = n;
      } else if (typeof n === "number") {
        setInt64(halves, 4 * row, n);
        halves[4 * row + 2] = halves[4 * row + 3] = n < 0 ? -1 : 0;
      } else {
        this.#bigints[2 * row] = BigInt.asIntN(64, n);
        this.#bigints[2 * row + 1] = BigInt.asIntN(64, n >> 64n);
      }
    }
  }

  /** Writes `first`, `first + 1`, … (safe integers) to the chunk's rows 0 to `count - 1` of a 64-bit column. */
  sequence(first: number, count: number): void {
    for (let row = 0; row < count; row++) setInt64(this.#halves, 2 * row, first + row);
  }
}

/** Writes the safe integer `n` as a little-endian int64 at 32-bit index `index` of `words`. */
function setInt64(words: Int32Array | Uint32Array, index: number, n: number): void {
  const high = Math.floor(n / TWO_32);
  words[index] = n - high * TWO_32;
  words[index + 1] = high;
}

/** DOUBLE (float64), DATE (int32 days since the epoch) and BOOLEAN (a byte): each value as the number it converts to. */
class NumberWriter extends FixedWriter {
  readonly #values: Float64Array | Int32Array | Uint8Array;

  constructor(convert: (value: unknown) => number | boolean, array: typeof Float64Array | typeof Int32Array | typeof Uint8Array) {
    super(convert, array.BYTES_PER_ELEMENT);
    this.#values = new array(this.buffer);
  }

  protected fill(values: readonly unknown[], from: number, count: number, at: number): void {
    const out = this.#values;
    for (let i = 0; i < count; i++) {
      const value = values[from + i];
      if (value === null || value === undefined) this.setNull(at + i);
      else out[at + i] = +(this.convert(value) as number | boolean);
    }
  }
}

/** Longest string kept inline in its 16-byte slot. */
const INLINE_BYTES = 12;
const encoder = new TextEncoder();
/** UTF-8 of one short non-ASCII string (at most 3 bytes per UTF-16 unit). */
const scratch = new Uint8Array(INLINE_BYTES * 3);
/** UTF-8 of a chunk column's long strings, back to back (shared: chunks are written one at a time); grown as needed. */
let heap = new Uint8Array(64 * 1024);
/** Heap bytes kept between chunks; a larger heap (huge strings) is let go after its chunk. */
const HEAP_KEPT = 4 * 1024 * 1024;
/** UTF-16 units of long strings copied into a vector's string heap at once (well below V8's longest string). */
const GROUP_UNITS = 8 * 1024 * 1024;

/** VARCHAR and JSON: short strings inline, long ones pointed into one copy per chunk. */
class VarCharWriter extends ColumnWriter {
  readonly #slots = new ArrayBuffer(CHUNK_ROWS * 16);
  readonly #words = new Uint32Array(this.#slots);
  readonly #bytes = new Uint8Array(this.#slots);
  /** The chunk's strings longer than 12 bytes, and their rows. */
  #long: string[] = [];
  readonly #longRows = new Int32Array(CHUNK_ROWS);

  /** `plain`: strings are stored as they are (VARCHAR), not converted (JSON). */
  constructor(
    convert: (value: unknown) => string,
    private readonly plain: boolean,
  ) {
    super(convert);
  }

  protected fill(values: readonly unknown[], from: number, count: number, at: number): void {
    const words = this.#words;
    const bytes = this.#bytes;
    for (let i = 0; i < count; i++) {
      const value = values[from + i];
      const row = at + i;
      const slot = 4 * row;
      words[slot] = 0;
      words[slot + 1] = 0;
      words[slot + 2] = 0;
      words[slot + 3] = 0;
      if (value === null || value === undefined) {
        this.setNull(row);
        continue;
      }
      const text = typeof value === "string" && this.plain ? value : (this.convert(value) as string);
      const length = text.length;
      if (length > INLINE_BYTES) {
        this.#longRows[this.#long.push(text) - 1] = row;
        continue;
      }
      // ASCII (one byte a unit) inline as it is read; anything else through the encoder.
      const base = 16 * row + 4;
      let ascii = true;
      for (let k = 0; k < length; k++) {
        const unit = text.charCodeAt(k);
        if (unit >= 0x80) {
          ascii = false;
          break;
        }
        bytes[base + k] = unit;
      }
      if (ascii) {
        words[slot] = length;
        continue;
      }
      const { written } = encoder.encodeInto(text, scratch);
      if (written > INLINE_BYTES) {
        words[slot + 1] = 0;
        words[slot + 2] = 0;
        words[slot + 3] = 0;
        this.#longRows[this.#long.push(text) - 1] = row;
        continue;
      }
      bytes.set(scratch.subarray(0, written), base);
      words[slot] = written;
    }
  }

  flush(chunk: DuckDBDataChunk, column: number, rows: number): void {
    const vector = duckdb.data_chunk_get_vector(chunk.chunk, column);
    if (this.#long.length > 0) this.#flushLong(vector);
    duckdb.copy_data_to_vector(vector, 0, this.#slots, 0, rows * 16);
    this.flushValidity(vector, rows);
  }

  /** Copies the long strings into the vector's string heap, in groups of up to `GROUP_UNITS` UTF-16 units (a longer string alone). */
  #flushLong(vector: duckdb.Vector): void {
    const long = this.#long;
    for (let first = 0; first < long.length; ) {
      let end = first + 1;
      for (let units = long[first]!.length; end < long.length && units + long[end]!.length <= GROUP_UNITS; end++) units += long[end]!.length;
      this.#copyGroup(vector, first, end);
      first = end;
    }
    long.length = 0;
    if (heap.length > HEAP_KEPT) heap = new Uint8Array(64 * 1024);
  }

  /**
   * Encodes long strings `first` to `end - 1` back to back, copies them into the vector's
   * string heap as one string (in row 0's slot, which the slots' copy then overwrites) and
   * points their slots into that copy.
   */
  #copyGroup(vector: duckdb.Vector, first: number, end: number): void {
    const long = this.#long;
    const joined = first === 0 && end === long.length ? long.join("") : long.slice(first, end).join("");
    if (heap.length < joined.length * 3) heap = new Uint8Array(joined.length * 3);
    const { written: total } = encoder.encodeInto(joined, heap);
    const ascii = total === joined.length;
    const words = this.#words;
    const bytes = this.#bytes;
    // Each string's byte offset in the heap: its UTF-16 offset when all is ASCII, else encoded one by one.
    const offsets = new Float64Array(end - first);
    let offset = 0;
    for (let i = first; i < end; i++) {
      offsets[i - first] = offset;
      const text = long[i]!;
      const length = ascii ? text.length : encoder.encodeInto(text, heap.subarray(offset)).written;
      const slot = 4 * this.#longRows[i]!;
      words[slot] = length;
      const prefix = 4 * slot + 4;
      bytes[prefix] = heap[offset]!;
      bytes[prefix + 1] = heap[offset + 1]!;
      bytes[prefix + 2] = heap[offset + 2]!;
      bytes[prefix + 3] = heap[offset + 3]!;
      offset += length;
    }
    duckdb.vector_assign_string_element_len(vector, 0, heap.subarray(0, offset));
    const head = duckdb.vector_get_data(vector, 16);
    const at = new DataView(head.buffer, head.byteOffset, 16);
    const start = at.getUint32(8, true) + at.getUint32(12, true) * TWO_32;
    if (at.getUint32(0, true) !== offset || !Number.isSafeInteger(start + offset)) throw new Error("DuckDB: unexpected string layout in a VARCHAR vector");
    for (let i = first; i < end; i++) setInt64(words, 4 * this.#longRows[i]! + 2, start + offsets[i - first]!);
  }
}

/** Any other column: @duckdb/node-api values set on its vector. */
class ValueWriter extends ColumnWriter {
  readonly #values: DuckDBValue[] = [];

  constructor(converter: Converter) {
    super(converter);
  }

  protected fill(values: readonly unknown[], from: number, count: number, at: number): void {
    for (let i = 0; i < count; i++) this.#values[at + i] = (this.convert as Converter)(values[from + i]);
  }

  flush(chunk: DuckDBDataChunk, column: number, rows: number): void {
    const vector = chunk.getColumnVector(column);
    for (let row = 0; row < rows; row++) vector.setItem(row, this.#values[row]!);
    vector.flush();
    this.#values.length = 0;
  }
}

/** The writer of a column of logical type `type` stored as `duck`. */
export function writerFor(type: ColumnType, duck: DuckDBType): ColumnWriter {
  const fast = LITTLE_ENDIAN && typeof type !== "object" ? fastWriter(type, duck) : undefined;
  return fast ?? new ValueWriter(converterFor(type, duck));
}

function fastWriter(type: Exclude<ColumnType, object>, duck: DuckDBType): ColumnWriter | undefined {
  switch (duck.typeId) {
    case DuckDBTypeId.BIGINT:
      return type === "integer" ? new IntegerWriter(integerValue, 64) : undefined;
    case DuckDBTypeId.DOUBLE:
      return type === "number" ? new NumberWriter(toDouble, Float64Array) : undefined;
    case DuckDBTypeId.DECIMAL: {
      if (type !== "decimal" && type !== "rate") return undefined;
      const { width, scale } = duck;
      const convert = (value: unknown) => decimalValue(value, width, scale);
      return width > 18 ? new IntegerWriter(convert, 128) : width > 9 ? new IntegerWriter(convert, 64) : undefined;
    }
    case DuckDBTypeId.BOOLEAN:
      return type === "boolean" ? new NumberWriter(toBoolean, Uint8Array) : undefined;
    case DuckDBTypeId.TIMESTAMP_TZ:
      return type === "timestamp" ? new IntegerWriter(timestampMicros, 64) : undefined;
    case DuckDBTypeId.DATE:
      return type === "date" ? new NumberWriter(dateDays, Int32Array) : undefined;
    case DuckDBTypeId.VARCHAR:
      return type === "string" ? new VarCharWriter(toText, true) : type === "json" ? new VarCharWriter(toJsonText, false) : undefined;
    default:
      return undefined;
  }
}
