/** When an API key is configured, every write (non-GET) under /api needs it: `Authorization: Bearer <key>` or `x-api-key`. */
import type { NextFunction, Request, Response } from 'express';
import { UnauthorizedError } from '../errors.js';
import { safeEqual } from '../sockets/engine.js';

const READ = new Set(['GET', 'HEAD', 'OPTIONS']);

export function requireApiKey(apiKey: string | undefined) {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (!apiKey || READ.has(req.method)) return next();
    const auth = req.get('authorization');
    const bearer = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
    const given = bearer ?? req.get('x-api-key');
    if (given && safeEqual(given, apiKey)) return next();
    next(new UnauthorizedError('this server needs an API key: send Authorization: Bearer <key> or x-api-key'));
  };
}
