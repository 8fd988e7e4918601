/** Reads a ValuePreview for display: parsed JSON when its text is JSON, else the text as is. */
import type { ValuePreview } from '@flowlight/schema';

export type Parsed = { kind: 'json'; value: unknown } | { kind: 'text'; text: string };

export function parsePreview(p: ValuePreview): Parsed {
  try {
    return { kind: 'json', value: JSON.parse(p.text) as unknown };
  } catch {
    return { kind: 'text', text: p.text };
  }
}

/** One line "a=1, b='x', …" of the top-level fields, for a header summary. */
export function summarizeValue(value: unknown, max = 120): string {
  if (value === null || typeof value !== 'object') return clip(JSON.stringify(value) ?? String(value), max);
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value as Record<string, unknown>);
  const parts: string[] = [];
  for (const [k, v] of entries) {
    const s = v !== null && typeof v === 'object' ? (Array.isArray(v) ? `[${v.length}]` : '{…}') : (JSON.stringify(v) ?? String(v));
    parts.push(Array.isArray(value) ? s : `${k}=${s}`);
  }
  return clip(parts.join(', '), max);
}

const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
