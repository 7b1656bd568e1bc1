/** Money is kept in integer cents; v2 renders 4-decimal strings, v3 plain numbers. */

/** Cents → `"361.9500"` (v2). */
export function money4(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(Math.round(cents));
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}00`;
}

/** Cents → `361.95` (v3). */
export function amount(cents: number): number {
  return Math.round(cents) / 100;
}

/** Cents × rate, rounded to whole cents (half away from zero). */
export function percentOf(cents: number, rate: number): number {
  return Math.sign(cents) * Math.round(Math.abs(cents) * rate);
}
