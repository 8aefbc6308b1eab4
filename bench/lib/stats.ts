/**
 * Small statistics helpers for the report.
 * @module
 */

/** Median of a non-empty list (mean of the two middle values for an even count). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Nearest-rank quantile (q in (0, 1]); not-found searches count as +∞. */
export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}

/** A runs-to-first-failure figure: an integer, one decimal for a median, `> cap` for not found. */
export function runsText(x: number, cap: number): string {
  if (!Number.isFinite(x)) return `> ${cap}`;
  return Number.isInteger(x) ? String(x) : x.toFixed(1);
}

/** Smallest and largest value. */
export function range(xs: readonly number[]): [number, number] {
  return [Math.min(...xs), Math.max(...xs)];
}

/** A figure in engineering form: 1.23 M, 456 k, 78.9. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return '—';
  const a = Math.abs(x);
  if (a >= 1e9) return `${(x / 1e9).toFixed(2)} G`;
  if (a >= 1e6) return `${(x / 1e6).toFixed(2)} M`;
  if (a >= 1e4) return `${Math.round(x / 1e3)} k`;
  if (a >= 1e3) return `${(x / 1e3).toFixed(1)} k`;
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

/** A ratio such as `6.2×`. */
export function ratio(a: number, b: number): string {
  if (!(a > 0) || !(b > 0)) return '—';
  const r = a / b;
  return `${r >= 10 ? r.toFixed(0) : r.toFixed(2)}×`;
}

/** An N as written in the issue: 1k, 100k, 1M. */
export function fmtN(n: number): string {
  if (n >= 1e6 && n % 1e6 === 0) return `${n / 1e6}M`;
  if (n >= 1e3 && n % 1e3 === 0) return `${n / 1e3}k`;
  return String(n);
}
