/**
 * A small JSON Schema (draft 2020-12) validator for the keywords docs/trace-format.schema.json uses,
 * so a spec can check the schema and parseTrace agree without a schema library. It throws on any
 * keyword it does not implement, so the schema cannot silently outgrow it.
 */
type Schema = { readonly [k: string]: unknown };

const ANNOTATIONS = new Set([
  '$schema',
  '$id',
  'title',
  'description',
  'format',
  '$comment',
  '$defs',
  'examples',
]);
const IMPLEMENTED = new Set(['type', 'const', 'enum', 'required', 'properties', 'items', 'minimum', '$ref']);

/** The JSON paths at which `value` breaks `schema` (empty when it is valid). */
export function validate(schema: Schema, value: unknown): string[] {
  const errors: string[] = [];
  check(schema, schema, value, '(root)', errors);
  return errors;
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function hasType(v: unknown, t: string): boolean {
  if (t === 'integer') return typeof v === 'number' && Number.isInteger(v);
  if (t === 'number') return typeof v === 'number' && Number.isFinite(v);
  return typeOf(v) === t;
}

function resolve(root: Schema, ref: string): Schema {
  if (!ref.startsWith('#/')) throw new Error(`unsupported $ref ${ref}`);
  let node: unknown = root;
  for (const part of ref.slice(2).split('/')) node = (node as Schema)[part];
  if (node === undefined) throw new Error(`unresolved $ref ${ref}`);
  return node as Schema;
}

function check(root: Schema, s: Schema, v: unknown, path: string, errors: string[]): void {
  for (const k of Object.keys(s))
    if (!ANNOTATIONS.has(k) && !IMPLEMENTED.has(k))
      throw new Error(`unsupported schema keyword ${k} at ${path}`);
  if (typeof s.$ref === 'string') check(root, resolve(root, s.$ref), v, path, errors);
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
    if (!types.some((t) => hasType(v, t))) {
      errors.push(path);
      return;
    }
  }
  if ('const' in s && v !== s.const) errors.push(path);
  if (Array.isArray(s.enum) && !s.enum.includes(v)) errors.push(path);
  if (typeof s.minimum === 'number' && typeof v === 'number' && v < s.minimum) errors.push(path);
  if (typeOf(v) === 'object') {
    const o = v as Record<string, unknown>;
    for (const r of (s.required as string[] | undefined) ?? []) if (!(r in o)) errors.push(join(path, r));
    const props = (s.properties as Record<string, Schema> | undefined) ?? {};
    for (const [k, sub] of Object.entries(props)) if (k in o) check(root, sub, o[k], join(path, k), errors);
  }
  if (Array.isArray(v) && s.items !== undefined)
    v.forEach((item, i) => {
      check(root, s.items as Schema, item, `${path}[${i}]`, errors);
    });
}

function join(path: string, key: string): string {
  return path === '(root)' ? key : `${path}.${key}`;
}
