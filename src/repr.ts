/**
 * Renders values for traces and messages, short and stable (fit for inline snapshots).
 * @module
 */

/** A short, stable rendering of any value: strings quoted, errors as `Name('message')`. */
export function repr(v: unknown, depth = 0): string {
  if (typeof v === 'string')
    return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
  if (v === null || v === undefined || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'symbol') return v.toString();
  if (typeof v === 'function') return `[Function ${v.name || 'anonymous'}]`;
  if (v instanceof Error) return `${v.name}(${v.message ? repr(v.message) : ''})`;
  if (depth > 2) return Array.isArray(v) ? '[…]' : '{…}';
  if (Array.isArray(v)) {
    const items = v.slice(0, 10).map((x) => repr(x, depth + 1));
    if (v.length > 10) items.push(`… ${v.length - 10} more`);
    return `[${items.join(', ')}]`;
  }
  const s = String(v);
  if (s !== '[object Object]') return s;
  const entries = Object.entries(v as Record<string, unknown>);
  const shown = entries.slice(0, 6).map(([k, x]) => `${k}: ${repr(x, depth + 1)}`);
  if (entries.length > 6) shown.push('…');
  return `{${shown.join(', ')}}`;
}
