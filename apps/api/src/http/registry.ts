/**
 * Every REST route is declared once here-through: the Express handler and its OpenAPI entry come
 * from the same declaration (method, path, zod schemas for params/query/body), so the document
 * cannot drift from the routes.
 */
import type { NextFunction, Request, Response, Router } from 'express';
import type { z } from 'zod';

export type Method = 'get' | 'post' | 'patch' | 'delete';

export interface RouteDoc {
  method: Method;
  /** Express path, e.g. /api/flow-runs/:id */
  path: string;
  summary: string;
  tag: string;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Name of the response shape in @flowlight/schema, e.g. ListFlowRunsResponse. */
  response: string;
  /** Status of a success. @default 200 */
  status?: 200 | 201;
  /** Content type of a success that is not JSON. */
  produces?: string;
}

export type Handler = (req: Request, res: Response, next: NextFunction) => unknown;

export class RouteRegistry {
  readonly docs: RouteDoc[] = [];
  constructor(readonly router: Router) {}

  add(doc: RouteDoc, handler: Handler): void {
    this.docs.push(doc);
    this.router[doc.method](doc.path, handler);
  }
}
