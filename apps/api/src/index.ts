/** @flowlight/api: start the API in-process (demo launcher, e2e tests) or compose it yourself. */
import { createApp, type App, type AppDeps } from './app.js';
import type { Config } from './config.js';
import { createLogger } from './logger.js';

export { createApp, type App, type AppDeps } from './app.js';
export { loadConfig, ConfigError, type Config } from './config.js';
export { createLogger, type Logger } from './logger.js';
export { createSqliteStore } from './store/sqlite/index.js';
export type { Store } from './store/types.js';

export interface RunningServer {
  app: App;
  /** e.g. http://127.0.0.1:4200 */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Creates the app from a config and listens on config.port (0 = a free port). */
export async function startServer(config: Config, extra: Omit<AppDeps, 'config'> = {}): Promise<RunningServer> {
  const app = createApp({ logger: createLogger(config.logLevel), ...extra, config });
  try {
    const addr = await app.listen(config.port, config.host);
    const host = addr.address.includes(':') ? `[${addr.address}]` : addr.address;
    return { app, url: `http://${host}:${addr.port}`, port: addr.port, close: () => app.close() };
  } catch (err) {
    await app.close();
    throw err;
  }
}
