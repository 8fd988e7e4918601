/** Shared handler of the two log endpoints: JSON pages both ways, or a text file download. */
import type { Request, Response } from 'express';
import { listLogsQuerySchema, logLevelNameOf, type LogLine } from '@flowlight/schema';
import { parse } from '../http/validate.js';
import type { LogScope, Store } from '../store/types.js';

const line = (l: LogLine) =>
  `${new Date(l.timestamp).toISOString()} ${logLevelNameOf(l.level).toUpperCase().padEnd(8)} ${l.message}\n`;

export function sendLogs(store: Store, scope: LogScope, fileStem: string, req: Request, res: Response): void {
  const q = parse(listLogsQuerySchema, req.query, 'query');
  if (q.format === 'json') {
    res.json(store.listLogs(scope, q));
    return;
  }
  const safe = fileStem.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 150);
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${safe}-logs.txt"`);
  let chunk = '';
  for (const l of store.iterateLogs(scope, q)) {
    chunk += line(l);
    if (chunk.length > 64_000) {
      res.write(chunk);
      chunk = '';
    }
  }
  res.end(chunk);
}
