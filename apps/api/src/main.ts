/** `pnpm start`: read config, start, print the URL, stop cleanly on SIGINT/SIGTERM. */
import { ConfigError, loadConfig } from './config.js';
import { DatabaseOpenError } from './db/open.js';
import { startServer } from './index.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const server = await startServer(config);
  console.log(`Flowlight API listening on ${server.url} (database ${config.dbPath})`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: shutting down`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error('shutdown failed', err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof DatabaseOpenError) {
    console.error(`[flowlight] ${err.message}`);
  } else if (err && typeof err === 'object' && (err as { code?: unknown }).code === 'EADDRINUSE') {
    console.error(`[flowlight] the port is already in use: ${(err as Error).message}; set FLOWLIGHT_PORT`);
  } else {
    console.error('[flowlight] failed to start', err);
  }
  process.exit(1);
});
