/**
 * `pnpm start`: the API with the dashboard on 127.0.0.1:4200 (embedded SQLite in ./.flowlight),
 * plus a demo worker process running the example flows. FLOWLIGHT_DEMO=0 starts the API alone.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig, startServer } from '@flowlight/api';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');
process.env.FLOWLIGHT_DB ??= path.join(repoRoot, '.flowlight/flowlight.db');

let config;
try {
  config = loadConfig();
} catch (e) {
  if (e instanceof ConfigError) {
    console.error(e.message);
    process.exit(2);
  }
  throw e;
}

const server = await startServer(config).catch((e: Error) => {
  console.error(`[flowlight] could not start the API: ${e.message}`);
  process.exit(1);
});
console.log(`[flowlight] dashboard and API on ${server.url}  (database ${config.dbPath})`);

let worker: ChildProcess | undefined;
if (process.env.FLOWLIGHT_DEMO !== '0') {
  worker = fork(path.join(here, 'worker.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, FLOWLIGHT_API_URL: server.url, FLOWLIGHT_PRINT_LOGS: process.env.FLOWLIGHT_PRINT_LOGS ?? '0' },
    stdio: 'inherit',
  });
  console.log('[flowlight] demo worker started (FLOWLIGHT_DEMO=0 to start without it)');
}

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  worker?.disconnect();
  await new Promise((r) => setTimeout(r, 300));
  worker?.kill('SIGTERM');
  await server.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
