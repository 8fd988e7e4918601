/**
 * The one way the web talks HTTP. A non-OK answer becomes a typed ApiError carrying the status and
 * the API's `{ error, issues }` body; a network failure becomes an ApiError with status 0 and flips
 * the reachability signal that drives the "cannot reach the API" banner.
 */
import type { ApiErrorBody } from '@flowlight/schema';
import { reachability } from './reachability';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
  /** The server refused on purpose (4xx): show the message, do not retry. */
  get isClientError(): boolean {
    return this.status >= 400 && this.status < 500;
  }
  get isNetworkError(): boolean {
    return this.status === 0;
  }
}

export const apiBase = '/api';

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'DELETE' | 'PUT' | 'PATCH';
  body?: unknown;
  signal?: AbortSignal | undefined;
}

export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${apiBase}${path}`, {
      method: opts.method ?? 'GET',
      headers: opts.body !== undefined ? { 'content-type': 'application/json', accept: 'application/json' } : { accept: 'application/json' },
      body: opts.body !== undefined ? JSON.stringify(opts.body) : null,
      signal: opts.signal ?? null,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    reachability.set(false);
    throw new ApiError(0, 'Cannot reach the Flowlight API');
  }
  // A gateway error from the dev proxy means the API process is down.
  reachability.set(!(res.status === 502 || res.status === 503 || res.status === 504));
  const text = await res.text();
  let body: unknown = undefined;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  if (!res.ok) {
    const err = body && typeof body === 'object' ? (body as Partial<ApiErrorBody>) : {};
    const message = typeof err.error === 'string' ? err.error : `${res.status} ${res.statusText || 'request failed'}`;
    throw new ApiError(res.status, message, Array.isArray(err.issues) ? err.issues : []);
  }
  return body as T;
}

/** A human sentence for any error thrown by a query or mutation. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) {
    const issues = e.issues.map((i) => `${i.path ? `${i.path}: ` : ''}${i.message}`).join('; ');
    return issues ? `${e.message} (${issues})` : e.message;
  }
  return e instanceof Error ? e.message : String(e);
}
