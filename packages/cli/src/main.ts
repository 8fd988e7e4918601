/**
 * `flowlight`: start the server, serve the flows a file exports, start a deployment's run, list and
 * cancel runs. Exit codes: 0 ok, 1 the API said no or could not be reached, 2 usage.
 */
import { parseArgs } from 'node:util';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Deployment, FlowRunDetail, ListFlowRunsResponse, StateType } from '@flowlight/schema';
import { STATE_TYPES, isTerminal } from '@flowlight/schema';

export const USAGE = `Usage: flowlight <command>

  server start                      start the API and dashboard (FLOWLIGHT_PORT, FLOWLIGHT_DB, …)
  worker start <file>               serve every flow the file exports (or its exported deployments)
  run <deployment> [--param k=v]…   start a run of a deployment; --watch waits for its end
  runs ls [--state failed] [--flow name] [--limit 20]
  runs cancel <run-id>

Options: --api <url> (default FLOWLIGHT_API_URL or http://127.0.0.1:4200), --help`;

class UsageError extends Error {}
class ApiCallError extends Error {}

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}
const stdio: Io = { out: (s) => console.log(s), err: (s) => console.error(s) };

export async function main(argv: string[], io: Io = stdio): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`flowlight: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    if (e instanceof ApiCallError) {
      io.err(`flowlight: ${e.message}`);
      return 1;
    }
    io.err(`flowlight: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

async function dispatch(argv: string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        api: { type: 'string' },
        param: { type: 'string', multiple: true, short: 'p' },
        state: { type: 'string', multiple: true },
        flow: { type: 'string' },
        limit: { type: 'string' },
        watch: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) {
    io.out(USAGE);
    return values.help ? 0 : 2;
  }
  const api = (values.api ?? process.env.FLOWLIGHT_API_URL ?? 'http://127.0.0.1:4200').replace(/\/+$/, '');
  const [cmd, sub, arg] = positionals;
  if (cmd === 'server' && sub === 'start') return serverStart(io);
  if (cmd === 'worker' && sub === 'start') {
    if (!arg) throw new UsageError('worker start needs the file that exports your flows');
    return workerStart(arg, api, io);
  }
  if (cmd === 'run') {
    if (!sub) throw new UsageError('run needs a deployment name (flow/deployment or deployment)');
    return runDeployment(api, sub, values.param ?? [], values.watch ?? false, io);
  }
  if (cmd === 'runs' && sub === 'ls') return runsLs(api, values.state ?? [], values.flow, values.limit, io);
  if (cmd === 'runs' && sub === 'cancel') {
    if (!arg) throw new UsageError('runs cancel needs a run id');
    return runsCancel(api, arg, io);
  }
  throw new UsageError(`unknown command: ${positionals.join(' ')}`);
}

async function call<T>(api: string, p: string, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${api}${p}`, {
      ...init,
      headers: {
        'content-type': 'application/json',
        ...(process.env.FLOWLIGHT_API_KEY ? { authorization: `Bearer ${process.env.FLOWLIGHT_API_KEY}` } : {}),
      },
    });
  } catch {
    throw new ApiCallError(`cannot reach the Flowlight API at ${api}: start it with \`flowlight server start\` or set --api`);
  }
  const body = (await res.json().catch(() => ({}))) as T & { error?: string; issues?: { path: string; message: string }[] };
  if (!res.ok) {
    const issues = body.issues?.map((i) => `\n  ${i.path}: ${i.message}`).join('') ?? '';
    throw new ApiCallError(`${body.error ?? `the API answered ${res.status}`}${issues}`);
  }
  return body;
}

async function serverStart(io: Io): Promise<number> {
  const { loadConfig, startServer } = await import('@flowlight/api');
  const server = await startServer(loadConfig());
  io.out(`Flowlight API and dashboard on ${server.url}`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await server.close();
  return 0;
}

async function workerStart(file: string, api: string, io: Io): Promise<number> {
  process.env.FLOWLIGHT_API_URL ??= api;
  const engine = await import('@flowlight/engine');
  const mod = (await import(pathToFileURL(path.resolve(file)).href)) as Record<string, unknown>;
  const exported = Object.values(mod);
  const deployments = exported.filter(
    (v): v is import('@flowlight/engine').DeploymentDef => !!v && typeof v === 'object' && 'spec' in v && 'flow' in v,
  );
  const flows = exported.filter(
    (v): v is { toDeployment: (o?: object) => import('@flowlight/engine').DeploymentDef; name: string } =>
      typeof v === 'function' && typeof (v as { toDeployment?: unknown }).toDeployment === 'function',
  );
  const defs = deployments.length ? deployments : flows.map((f) => f.toDeployment());
  if (defs.length === 0) {
    throw new UsageError(`${file} exports no flow and no deployment: export const myFlow = flow(...)`);
  }
  const worker = await engine.serve(...defs);
  io.out(`worker ${worker.id} serving ${defs.map((d) => `${d.spec.flowName}/${d.spec.name}`).join(', ')} for ${process.env.FLOWLIGHT_API_URL}`);
  await new Promise<void>(() => undefined); // until killed
  return 0;
}

function parseParams(pairs: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const i = pair.indexOf('=');
    if (i <= 0) throw new UsageError(`--param takes key=value, got "${pair}"`);
    const raw = pair.slice(i + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw); // numbers, booleans, arrays, objects; plain words stay strings
    } catch {
      /* a string */
    }
    out[pair.slice(0, i)] = value;
  }
  return out;
}

async function findDeployment(api: string, ref: string): Promise<Deployment> {
  const [flowName, name] = ref.includes('/') ? ref.split('/', 2) : [undefined, ref];
  const all = await call<Deployment[]>(api, `/api/deployments?name=${encodeURIComponent(name!)}`);
  const matches = all.filter((d) => d.name === name && (!flowName || d.flowName === flowName));
  if (matches.length === 0) throw new ApiCallError(`no deployment named "${ref}" (see the Deployments page)`);
  if (matches.length > 1) {
    throw new ApiCallError(`"${ref}" names ${matches.length} deployments; use flow/deployment: ${matches.map((d) => `${d.flowName}/${d.name}`).join(', ')}`);
  }
  return matches[0]!;
}

async function runDeployment(api: string, ref: string, params: string[], watch: boolean, io: Io): Promise<number> {
  const deployment = await findDeployment(api, ref);
  const run = await call<{ id: string; name: string }>(api, `/api/deployments/${deployment.id}/run`, {
    method: 'POST',
    body: JSON.stringify({ parameters: parseParams(params) }),
  });
  io.out(`started ${run.name} (${run.id}) of ${deployment.flowName}/${deployment.name}`);
  if (!watch) return 0;
  for (;;) {
    await new Promise((r) => setTimeout(r, 500));
    const d = await call<FlowRunDetail>(api, `/api/flow-runs/${run.id}`);
    if (isTerminal(d.state)) {
      io.out(`${d.state.name}${d.state.message ? `: ${d.state.message}` : ''}`);
      return d.state.type === 'COMPLETED' ? 0 : 1;
    }
  }
}

async function runsLs(api: string, states: string[], flow: string | undefined, limit: string | undefined, io: Io): Promise<number> {
  const types = states.flatMap((s) => s.split(',')).map((s) => s.trim().toUpperCase()).filter(Boolean);
  for (const t of types) {
    if (!STATE_TYPES.includes(t as StateType)) throw new UsageError(`--state ${t.toLowerCase()} is not a state; one of ${STATE_TYPES.join(', ').toLowerCase()}`);
  }
  const q = new URLSearchParams({ limit: limit ?? '20' });
  if (types.length) q.set('stateType', types.join(','));
  if (flow) q.set('flow', flow);
  const res = await call<ListFlowRunsResponse>(api, `/api/flow-runs?${q}`);
  const rows = res.items.map((r) => [
    r.id,
    r.flowName,
    r.name,
    r.state.name,
    r.startTime ? new Date(r.startTime).toISOString().replace('T', ' ').slice(0, 19) : '-',
    r.durationMs != null ? `${(r.durationMs / 1000).toFixed(1)}s` : '-',
  ]);
  const header = ['ID', 'FLOW', 'RUN', 'STATE', 'STARTED (UTC)', 'DURATION'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  io.out(fmt(header));
  for (const r of rows) io.out(fmt(r));
  if (rows.length === 0) io.out('(no runs)');
  return 0;
}

async function runsCancel(api: string, id: string, io: Io): Promise<number> {
  const res = await call<{ message: string; state: { name: string } }>(api, `/api/flow-runs/${encodeURIComponent(id)}/cancel`, { method: 'POST', body: '{}' });
  io.out(`${res.state.name}: ${res.message}`);
  return 0;
}
