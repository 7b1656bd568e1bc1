/**
 * Counts with their noun in operator output: `counted(1, "request")` is "1 request",
 * `counted(2, "request")` "2 requests". Every count printed with a noun goes through it.
 */

/**
 * `n` and `noun`, the noun plural (an `s` added) unless `n` is 1: "1 record", "0 records",
 * "3 child tables". `format` writes the number (plain digits unless given, e.g. grouped with
 * `toLocaleString` where the output groups its numbers).
 */
export function counted(n: number, noun: string, format: (n: number) => string = String): string {
  return `${format(n)} ${n === 1 ? noun : `${noun}s`}`;
}
