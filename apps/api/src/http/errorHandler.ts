/** The one error handler, registered last: domain errors → statuses, body-parser errors → 400/413, else 500. */
import type { NextFunction, Request, Response } from 'express';
import type { ApiErrorBody } from '@flowlight/schema';
import { ApiDomainError, BadRequestError, HTTP_STATUS } from '../errors.js';
import type { Logger } from '../logger.js';

interface HttpishError {
  status?: unknown;
  statusCode?: unknown;
  type?: unknown;
  expose?: unknown;
  message?: unknown;
}

export function errorHandler(logger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    let status = 500;
    let body: ApiErrorBody = { error: 'Internal server error' };
    if (err instanceof ApiDomainError) {
      status = HTTP_STATUS[err.code];
      body = { error: err.message };
      if (err instanceof BadRequestError && err.issues.length) body.issues = err.issues;
    } else if (err && typeof err === 'object') {
      const e = err as HttpishError;
      const s = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : 500;
      if (e.type === 'entity.too.large') {
        status = 413;
        body = { error: 'Request body too large' };
      } else if (e.type === 'entity.parse.failed') {
        status = 400;
        body = { error: 'Malformed JSON in request body', issues: [{ path: 'body', message: 'not valid JSON' }] };
      } else if (s >= 400 && s < 500) {
        status = s;
        body = { error: e.expose === true && typeof e.message === 'string' ? e.message : 'Bad request' };
      }
    }
    if (status >= 500) logger.error('request failed', { method: req.method, path: req.path, err });
    res.status(status).json(body);
  };
}
