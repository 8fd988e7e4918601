/**
 * A small reader of the JSON Schema a deployment publishes for its parameters (made by
 * `z.toJSONSchema` from the flow's zod schema). The API validates run requests with it and the
 * dashboard builds its Run form from it, so both say the same thing about the same field.
 * It covers what a form can offer: string, number, integer, boolean, enum, arrays of those,
 * nullable (anyOf with null), required keys. Anything else is accepted as is (the engine's zod
 * schema has the last word when the run starts).
 */

export type JsonSchema = Record<string, unknown>;

export type FieldKind = 'string' | 'number' | 'integer' | 'boolean' | 'enum' | 'array' | 'json';

export interface ParameterField {
  key: string;
  kind: FieldKind;
  /** Item kind of an array field (a primitive or enum). */
  itemKind?: Exclude<FieldKind, 'array' | 'json'>;
  options?: readonly (string | number | boolean)[];
  required: boolean;
  nullable: boolean;
  title: string;
  description?: string;
  default?: unknown;
  schema: JsonSchema;
}

const isObj = (v: unknown): v is JsonSchema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Branches of an anyOf/oneOf without the null branch, and whether null was one of them. */
function unwrapNullable(s: JsonSchema): { schema: JsonSchema; nullable: boolean } {
  const union = (s['anyOf'] ?? s['oneOf']) as unknown;
  if (Array.isArray(union)) {
    const branches = union.filter(isObj);
    const nonNull = branches.filter((b) => b['type'] !== 'null');
    if (nonNull.length === 1 && nonNull.length < branches.length) return { schema: { ...s, ...nonNull[0] }, nullable: true };
  }
  if (Array.isArray(s['type'])) {
    const types = (s['type'] as unknown[]).filter((t) => t !== 'null');
    if (types.length === 1) return { schema: { ...s, type: types[0] }, nullable: types.length < (s['type'] as unknown[]).length };
  }
  return { schema: s, nullable: false };
}

function kindOf(s: JsonSchema): { kind: FieldKind; options?: (string | number | boolean)[] } {
  if (Array.isArray(s['enum'])) return { kind: 'enum', options: s['enum'] as (string | number | boolean)[] };
  if ('const' in s) return { kind: 'enum', options: [s['const'] as string | number | boolean] };
  const t = s['type'];
  if (t === 'string' || t === 'number' || t === 'integer' || t === 'boolean' || t === 'array') return { kind: t };
  return { kind: 'json' };
}

/** The fields of an object schema, in declaration order. A non-object schema has none. */
export function parameterFields(schema: JsonSchema | null | undefined): ParameterField[] {
  if (!schema || !isObj(schema['properties'])) return [];
  const required = new Set(Array.isArray(schema['required']) ? (schema['required'] as string[]) : []);
  return Object.entries(schema['properties'] as Record<string, unknown>).map(([key, raw]) => {
    const { schema: s, nullable } = unwrapNullable(isObj(raw) ? raw : {});
    const k = kindOf(s);
    const field: ParameterField = {
      key,
      kind: k.kind,
      required: required.has(key) && !('default' in s),
      nullable,
      title: typeof s['title'] === 'string' ? s['title'] : key,
      schema: s,
    };
    if (k.options) field.options = k.options;
    if (typeof s['description'] === 'string') field.description = s['description'];
    if ('default' in s) field.default = s['default'];
    if (k.kind === 'array') {
      const items = isObj(s['items']) ? kindOf(unwrapNullable(s['items']).schema) : { kind: 'json' as const };
      if (items.kind === 'array' || items.kind === 'json') field.kind = 'json';
      else {
        field.itemKind = items.kind;
        if (items.options) field.options = items.options;
      }
    }
    return field;
  });
}

const typeName = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Why `value` does not fit `schema`, or null when it does (the subset described above). */
export function checkValue(schema: JsonSchema, value: unknown): string | null {
  const { schema: s, nullable } = unwrapNullable(schema);
  if (value === null) return nullable || s['type'] === 'null' || Object.keys(s).length === 0 ? null : 'must not be empty';
  if (Array.isArray(s['enum'])) {
    const opts = s['enum'] as unknown[];
    return opts.includes(value) ? null : `must be one of ${opts.map((o) => JSON.stringify(o)).join(', ')}`;
  }
  switch (s['type']) {
    case 'string':
      if (typeof value !== 'string') return `expected a string, got ${typeName(value)}`;
      if (typeof s['minLength'] === 'number' && value.length < s['minLength']) return `must have at least ${s['minLength']} characters`;
      if (typeof s['maxLength'] === 'number' && value.length > s['maxLength']) return `must have at most ${s['maxLength']} characters`;
      return null;
    case 'number':
    case 'integer': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return `expected a number, got ${typeName(value)}`;
      if (s['type'] === 'integer' && !Number.isInteger(value)) return 'expected a whole number';
      if (typeof s['minimum'] === 'number' && value < s['minimum']) return `must be at least ${s['minimum']}`;
      if (typeof s['maximum'] === 'number' && value > s['maximum']) return `must be at most ${s['maximum']}`;
      if (typeof s['exclusiveMinimum'] === 'number' && value <= s['exclusiveMinimum']) return `must be more than ${s['exclusiveMinimum']}`;
      if (typeof s['exclusiveMaximum'] === 'number' && value >= s['exclusiveMaximum']) return `must be less than ${s['exclusiveMaximum']}`;
      return null;
    }
    case 'boolean':
      return typeof value === 'boolean' ? null : `expected true or false, got ${typeName(value)}`;
    case 'array': {
      if (!Array.isArray(value)) return `expected a list, got ${typeName(value)}`;
      if (!isObj(s['items'])) return null;
      for (let i = 0; i < value.length; i++) {
        const why = checkValue(s['items'], value[i]);
        if (why) return `item ${i + 1}: ${why}`;
      }
      return null;
    }
    case 'object':
      return isObj(value) ? null : `expected an object, got ${typeName(value)}`;
    default:
      return null;
  }
}

/** Issues of a parameters object against the deployment's schema, each naming `parameters.<key>`. */
export function validateParameters(
  schema: JsonSchema | null | undefined,
  params: Record<string, unknown>,
): { path: string; message: string }[] {
  if (!schema || !isObj(schema['properties'])) return [];
  const issues: { path: string; message: string }[] = [];
  const required = new Set(Array.isArray(schema['required']) ? (schema['required'] as string[]) : []);
  for (const [key, raw] of Object.entries(schema['properties'] as Record<string, unknown>)) {
    const s = isObj(raw) ? raw : {};
    const value = params[key];
    if (value === undefined) {
      if (required.has(key) && !('default' in s)) issues.push({ path: `parameters.${key}`, message: 'required' });
      continue;
    }
    const why = checkValue(s, value);
    if (why) issues.push({ path: `parameters.${key}`, message: why });
  }
  if (schema['additionalProperties'] === false) {
    const known = new Set(Object.keys(schema['properties'] as object));
    for (const key of Object.keys(params)) {
      if (!known.has(key)) issues.push({ path: `parameters.${key}`, message: 'unknown parameter' });
    }
  }
  return issues;
}
