/**
 * The Run form's logic, kept pure: the text a field starts with (the deployment's parameters, else
 * the schema default) and the parameters a filled form means, with a message per field when a
 * value does not fit. Fields and checks come from @flowlight/schema's parameterSchema reader, the
 * same one the API validates with.
 */
import { checkValue, type ParameterField } from '@flowlight/schema';

/** What an input holds: text for text-like fields, a boolean for a checkbox. */
export type FormValue = string | boolean;

const toText = (v: unknown, field: ParameterField): string => {
  if (v === undefined || v === null) return '';
  if (field.kind === 'array' && Array.isArray(v)) return v.map(String).join(', ');
  if (field.kind === 'json' || typeof v === 'object') return JSON.stringify(v, null, 2);
  return String(v);
};

export function initialValues(fields: readonly ParameterField[], defaults: Record<string, unknown>): Record<string, FormValue> {
  const out: Record<string, FormValue> = {};
  for (const f of fields) {
    const v = f.key in defaults ? defaults[f.key] : f.default;
    out[f.key] = f.kind === 'boolean' ? v === true : toText(v, f);
  }
  return out;
}

function parseScalar(text: string, kind: ParameterField['kind'] | undefined, options?: ParameterField['options']): unknown {
  if (kind === 'number' || kind === 'integer') {
    const n = Number(text);
    return text.trim() === '' || Number.isNaN(n) ? text : n;
  }
  if (kind === 'boolean') return text === 'true' ? true : text === 'false' ? false : text;
  if (kind === 'enum' && options) return options.find((o) => String(o) === text) ?? text;
  return text;
}

/** The parameters of a filled form, or the message of each field that does not fit. Empty optional fields are left out. */
export function toParameters(
  fields: readonly ParameterField[],
  values: Record<string, FormValue>,
): { parameters: Record<string, unknown>; errors: Record<string, string> } {
  const parameters: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const f of fields) {
    const raw = values[f.key];
    let value: unknown;
    if (f.kind === 'boolean') value = raw === true;
    else {
      const text = typeof raw === 'string' ? raw : '';
      if (text.trim() === '') {
        if (f.required) errors[f.key] = 'Required';
        continue;
      }
      if (f.kind === 'json') {
        try {
          value = JSON.parse(text);
        } catch {
          errors[f.key] = 'Not valid JSON';
          continue;
        }
      } else if (f.kind === 'array') {
        value = text
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '')
          .map((s) => parseScalar(s, f.itemKind, f.options));
      } else value = parseScalar(text, f.kind, f.options);
      if ((f.kind === 'number' || f.kind === 'integer') && typeof value !== 'number') {
        errors[f.key] = f.kind === 'integer' ? 'Enter a whole number' : 'Enter a number';
        continue;
      }
    }
    const why = checkValue(f.schema, value);
    if (why) errors[f.key] = why[0]!.toUpperCase() + why.slice(1);
    else parameters[f.key] = value;
  }
  return { parameters, errors };
}

/** The API's issues (`parameters.<key>`) by field; the rest as general messages. */
export function issuesByField(
  issues: readonly { path: string; message: string }[],
  fields: readonly ParameterField[],
): { byField: Record<string, string>; other: string[] } {
  const keys = new Set(fields.map((f) => f.key));
  const byField: Record<string, string> = {};
  const other: string[] = [];
  for (const i of issues) {
    const key = i.path.startsWith('parameters.') ? i.path.slice('parameters.'.length).split('.')[0]! : '';
    if (keys.has(key)) byField[key] ??= i.message;
    else other.push(i.path ? `${i.path}: ${i.message}` : i.message);
  }
  return { byField, other };
}
