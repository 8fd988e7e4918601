/** GET /api/openapi.json, generated from the route registry and its zod schemas. */
import { z } from 'zod';
import type { RouteDoc, RouteRegistry } from '../http/registry.js';

type Json = Record<string, unknown>;

const toJson = (schema: z.ZodType): Json =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'openapi-3.0' }) as Json;

function queryParameters(schema: z.ZodType): Json[] {
  const js = toJson(schema);
  const props = (js['properties'] ?? {}) as Record<string, Json>;
  const required = new Set((js['required'] as string[] | undefined) ?? []);
  return Object.entries(props).map(([name, s]) => ({ name, in: 'query', required: required.has(name), schema: s }));
}

function operation(d: RouteDoc): Json {
  const params: Json[] = [...d.path.matchAll(/:(\w+)/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string', maxLength: 128 },
  }));
  if (d.query) params.push(...queryParameters(d.query));
  const content: Json = { 'application/json': { schema: { description: d.response } } };
  if (d.produces) content[d.produces] = { schema: { type: 'string' } };
  const op: Json = {
    summary: d.summary,
    tags: [d.tag],
    operationId: `${d.method}${d.path.replace(/[/:-](\w)/g, (_m, c: string) => c.toUpperCase())}`,
    parameters: params,
    responses: {
      [String(d.status ?? 200)]: { description: d.response, content },
      '400': { description: 'Invalid input: { error, issues: [{ path, message }] }' },
      ...(d.path.includes(':id') ? { '404': { description: 'Unknown run' } } : {}),
      ...(d.method !== 'get' ? { '401': { description: 'API key missing or wrong (when one is configured)' } } : {}),
    },
  };
  if (d.body) op['requestBody'] = { required: false, content: { 'application/json': { schema: toJson(d.body) } } };
  return op;
}

export function buildOpenApi(docs: readonly RouteDoc[]): Json {
  const paths: Record<string, Json> = {};
  for (const d of docs) {
    const p = d.path.replace(/:(\w+)/g, '{$1}');
    (paths[p] ??= {})[d.method] = operation(d);
  }
  return {
    openapi: '3.0.3',
    info: { title: 'Flowlight API', version: '0.1.0', description: 'Generated from the zod schemas of @flowlight/schema.' },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
      },
    },
    paths,
  };
}

export function openApiRoute(r: RouteRegistry): void {
  let cached: Json | null = null;
  r.add({ method: 'get', path: '/api/openapi.json', tag: 'meta', summary: 'This document', response: 'OpenAPI 3.0 document' }, (_req, res) => {
    cached ??= buildOpenApi(r.docs);
    res.json(cached);
  });
}
