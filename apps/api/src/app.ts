/**
 * The one composition root: store, live hub, sockets, services, routes. Tests and the demo
 * launcher call it with their own config and listen on port 0; main.ts only reads config and listens.
 */
import { isTerminalType } from '@flowlight/schema';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Server } from 'socket.io';
import type { Config } from './config.js';
import { requireApiKey } from './http/auth.js';
import { errorHandler } from './http/errorHandler.js';
import { RouteRegistry } from './http/registry.js';
import { serveWeb } from './http/web.js';
import { DeltaHub, type DeltaHubOptions } from './live/deltaHub.js';
import { createLogger, type Logger } from './logger.js';
import { bulkRoutes } from './routes/bulk.js';
import { commandRoutes } from './routes/commands.js';
import { deploymentRoutes } from './routes/deployments.js';
import type { RouteContext } from './routes/context.js';
import { eventRoutes } from './routes/events.js';
import { flowRoutes } from './routes/flows.js';
import { flowRunRoutes } from './routes/flowRuns.js';
import { openApiRoute } from './routes/openapi.js';
import { taskRunRoutes } from './routes/taskRuns.js';
import { createCommandService } from './services/commands.js';
import { createDeploymentService } from './services/deployments.js';
import { createIngestService } from './services/ingest.js';
import { startLiveness } from './services/liveness.js';
import { startScheduler, type SchedulerOptions } from './services/scheduler.js';
import { attachEngineNamespace, deliverCommand, type EngineNamespace } from './sockets/engine.js';
import { attachUiNamespace, handleUiConnections } from './sockets/ui.js';
import { attachWorkerHandlers } from './sockets/worker.js';
import { createSqliteStore } from './store/sqlite/index.js';
import type { Store } from './store/types.js';

export interface AppDeps {
  config: Pick<Config, 'dbPath' | 'apiKey' | 'heartbeatGraceMs' | 'webDist'> & Partial<Pick<Config, 'logLevel'>>;
  logger?: Logger;
  /** @default Date.now */
  now?: () => number;
  /** How long a command waits for the engine's ack. @default 3000 */
  commandAckTimeoutMs?: number;
  delta?: DeltaHubOptions;
  /** Per engine socket. @default 200000 */
  maxEventsPerSecond?: number;
  /** A store to use instead of opening config.dbPath (e.g. another implementation). */
  store?: Store;
  /** Scheduler tuning (tests); its clock defaults to `now`. */
  scheduler?: Omit<SchedulerOptions, 'now'>;
}

export interface App {
  httpServer: http.Server;
  io: Server;
  store: Store;
  hub: DeltaHub;
  engine: EngineNamespace;
  /** Runs the heartbeat check now; returns how many runs it crashed. */
  checkHeartbeats(): number;
  /** Runs the scheduler now (creates due-ahead runs, marks Late ones); returns how many runs it created. */
  tickScheduler(): number;
  listen(port: number, host?: string): Promise<AddressInfo>;
  close(): Promise<void>;
}

export const EVENTS_BODY_LIMIT = '5mb';
export const BODY_LIMIT = '1mb';

export function createApp(deps: AppDeps): App {
  const { config } = deps;
  const logger = deps.logger ?? createLogger(config.logLevel ?? 'info');
  const now = deps.now ?? Date.now;
  const store = deps.store ?? createSqliteStore({ path: config.dbPath, now });

  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  const httpServer = http.createServer(app);
  const io = new Server(httpServer, { maxHttpBufferSize: 8e6, serveClient: false });

  const ui = attachUiNamespace(io);
  const hub = new DeltaHub(
    store,
    (room, batch) => ui.to(room).emit('delta', batch),
    deps.delta,
    (room) => (ui.adapter.rooms.get(room)?.size ?? 0) > 0,
  );
  handleUiConnections(ui, hub);
  const ingest = createIngestService(store, hub, logger);
  const engineOpts: Parameters<typeof attachEngineNamespace>[3] = {
    apiKey: config.apiKey,
    // a run ended by the API (set-state, a cancel while no process was attached) is cancelled in
    // the engine that attaches to it later, so its user code stops too
    isFinished: (id) => {
      const s = store.currentState(id);
      return s !== null && isTerminalType(s.type);
    },
  };
  if (deps.maxEventsPerSecond !== undefined) engineOpts.maxEventsPerSecond = deps.maxEventsPerSecond;
  const engine = attachEngineNamespace(io, ingest, logger, engineOpts);
  attachWorkerHandlers(engine, store, hub, logger);
  const ackTimeout = deps.commandAckTimeoutMs ?? 3000;
  const commands = createCommandService(store, hub, (cmd) => deliverCommand(engine, cmd, ackTimeout), logger, now);

  app.use('/api', requireApiKey(config.apiKey));
  app.use('/api/events', express.json({ limit: EVENTS_BODY_LIMIT }));
  app.use('/api', express.json({ limit: BODY_LIMIT }));

  const router = express.Router();
  const registry = new RouteRegistry(router);
  const ctx: RouteContext = { store, commands, ingest, logger, now, startedAt: now() };
  eventRoutes(registry, ctx);
  bulkRoutes(registry, ctx); // before /:id routes: "bulk" is not a run id
  flowRunRoutes(registry, ctx);
  commandRoutes(registry, ctx);
  taskRunRoutes(registry, ctx);
  flowRoutes(registry, ctx);
  deploymentRoutes(registry, ctx, createDeploymentService(store, hub, now));
  openApiRoute(registry);
  app.use(router);
  app.use('/api', (req, res) => {
    res.status(404).json({ error: `No API route ${req.method} ${req.originalUrl.split('?')[0]}` });
  });
  serveWeb(app, config.webDist);
  app.use(errorHandler(logger));

  const liveness = startLiveness(store, hub, logger, { graceMs: config.heartbeatGraceMs, now });
  const scheduler = startScheduler(store, hub, logger, { ...deps.scheduler, now });

  let closed: Promise<void> | null = null;
  return {
    httpServer,
    io,
    store,
    hub,
    engine,
    checkHeartbeats: () => liveness.check(),
    tickScheduler: () => scheduler.tick(),
    listen: (port, host = '127.0.0.1') =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          httpServer.off('error', reject);
          resolve(httpServer.address() as AddressInfo);
        });
      }),
    close() {
      closed ??= (async () => {
        liveness.stop();
        scheduler.stop();
        hub.flush();
        hub.close();
        await new Promise<void>((resolve) => {
          void io.close(() => resolve());
          httpServer.closeAllConnections();
        });
        if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
        store.close();
      })();
      return closed;
    },
  };
}
