/**
 * Parameters and results as bounded, readable data. Plain JSON is kept exactly (up to a size);
 * anything else — functions, cycles, BigInt, Maps, class instances, huge strings — becomes a
 * readable preview. Never throws: a value that cannot be rendered never crashes a run.
 */
import type { ErrorData, ValuePreview } from '@flowlight/schema';

/** Longest text kept for one value. */
export const MAX_PREVIEW_CHARS = 64 * 1024;
const MAX_DEPTH = 8;
const MAX_ITEMS = 200;
const MAX_STRING = 2000;

export function toPreview(value: unknown): ValuePreview {
  const type = describeType(value);
  // Fast path: primitives that JSON represents exactly.
  if (value === null || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) {
    return { text: String(value), type, exact: true, truncated: false };
  }
  if (typeof value === 'string' && value.length <= MAX_PREVIEW_CHARS - 2) {
    return { text: JSON.stringify(value), type, exact: true, truncated: false };
  }
  try {
    if (isPlainJson(value, 0, new Set())) {
      const text = JSON.stringify(value);
      if (text.length <= MAX_PREVIEW_CHARS) return { text, type, exact: true, truncated: false };
      return { text: text.slice(0, MAX_PREVIEW_CHARS) + '…', type, exact: false, truncated: true };
    }
  } catch {
    // fall through to the readable rendering
  }
  const state = { truncated: false };
  let text: string;
  try {
    text = render(value, 0, new Set(), state);
  } catch (e) {
    text = `<unrenderable ${type}: ${e instanceof Error ? e.message : String(e)}>`;
  }
  if (text.length > MAX_PREVIEW_CHARS) {
    text = text.slice(0, MAX_PREVIEW_CHARS) + '…';
    state.truncated = true;
  }
  return { text, type, exact: false, truncated: state.truncated };
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value !== 'object') return typeof value;
  const proto = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
  const name = proto?.constructor?.name;
  return !proto || name === 'Object' ? 'object' : (name ?? 'object');
}

function isPlainJson(value: unknown, depth: number, seen: Set<object>): boolean {
  switch (typeof value) {
    case 'string':
      return value.length <= MAX_PREVIEW_CHARS;
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (value === null) return true;
      if (depth > 64 || seen.has(value)) return false;
      const proto = Object.getPrototypeOf(value);
      seen.add(value);
      let ok: boolean;
      if (Array.isArray(value)) ok = value.every((v) => isPlainJson(v, depth + 1, seen));
      else if (proto === Object.prototype || proto === null)
        ok = Object.values(value).every((v) => isPlainJson(v, depth + 1, seen));
      else ok = false;
      seen.delete(value);
      return ok;
    }
    default:
      return false;
  }
}

function render(value: unknown, depth: number, seen: Set<object>, st: { truncated: boolean }): string {
  switch (typeof value) {
    case 'string':
      if (value.length > MAX_STRING) {
        st.truncated = true;
        return JSON.stringify(value.slice(0, MAX_STRING)) + `… (${value.length} chars)`;
      }
      return JSON.stringify(value);
    case 'number':
    case 'boolean':
      return String(value);
    case 'bigint':
      return `${value}n`;
    case 'undefined':
      return 'undefined';
    case 'symbol':
      return value.toString();
    case 'function':
      return `[Function ${value.name || 'anonymous'}]`;
  }
  if (value === null) return 'null';
  const obj = value as object;
  if (seen.has(obj)) return '[Circular]';
  if (depth >= MAX_DEPTH) {
    st.truncated = true;
    return `[${describeType(obj)}]`;
  }
  seen.add(obj);
  try {
    if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? 'Invalid Date' : obj.toISOString();
    if (obj instanceof Error) return `${obj.name}: ${obj.message}`;
    if (obj instanceof RegExp) return String(obj);
    const items = (entries: Iterable<unknown>, fmt: (e: unknown) => string): string[] => {
      const out: string[] = [];
      for (const e of entries) {
        if (out.length >= MAX_ITEMS) {
          st.truncated = true;
          out.push('…');
          break;
        }
        out.push(fmt(e));
      }
      return out;
    };
    const r = (v: unknown) => render(v, depth + 1, seen, st);
    if (Array.isArray(obj)) return `[${items(obj, r).join(', ')}]`;
    if (obj instanceof Map)
      return `Map(${obj.size}) {${items(obj, (e) => {
        const [k, v] = e as [unknown, unknown];
        return `${r(k)} => ${r(v)}`;
      }).join(', ')}}`;
    if (obj instanceof Set) return `Set(${obj.size}) {${items(obj, r).join(', ')}}`;
    if (ArrayBuffer.isView(obj)) return `${describeType(obj)}(${(obj as { length?: number }).length ?? obj.byteLength})`;
    if (obj instanceof Promise) return 'Promise';
    const type = describeType(obj);
    const body = items(Object.keys(obj), (k) => `${JSON.stringify(k)}: ${r((obj as Record<string, unknown>)[k as string])}`);
    return `${type === 'object' ? '' : type + ' '}{${body.join(', ')}}`;
  } finally {
    seen.delete(obj);
  }
}

/** An error as plain data (name, message, stack, cause chain), bounded. */
export function toErrorData(error: unknown, depth = 0): ErrorData {
  if (error instanceof Error) {
    const data: ErrorData = {
      name: error.name || 'Error',
      message: String(error.message).slice(0, 100_000),
    };
    if (error.stack) data.stack = error.stack.slice(0, 200_000);
    if (error.cause !== undefined && depth < 5) data.cause = toErrorData(error.cause, depth + 1);
    return data;
  }
  return { name: 'NonErrorThrown', message: toPreview(error).text.slice(0, 10_000) };
}

/** `Name: message`, the one-line form used in state messages. */
export const errorSummary = (error: unknown): string => {
  const d = toErrorData(error);
  return `${d.name}: ${d.message}`;
};
