/** Domain errors of the API. The one error handler (http/errorHandler.ts) maps `code` to a status. */
export abstract class ApiDomainError extends Error {
  abstract readonly code: 'NOT_FOUND' | 'CONFLICT' | 'BAD_REQUEST' | 'UNAUTHORIZED';
}

export class NotFoundError extends ApiDomainError {
  override readonly name = 'NotFoundError';
  readonly code = 'NOT_FOUND';
  constructor(
    readonly resource: string,
    readonly id: string,
  ) {
    super(`${resource} ${JSON.stringify(id)} not found`);
  }
}

export class ConflictError extends ApiDomainError {
  override readonly name = 'ConflictError';
  readonly code = 'CONFLICT';
}

export class BadRequestError extends ApiDomainError {
  override readonly name = 'BadRequestError';
  readonly code = 'BAD_REQUEST';
  constructor(
    message: string,
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

export class UnauthorizedError extends ApiDomainError {
  override readonly name = 'UnauthorizedError';
  readonly code = 'UNAUTHORIZED';
}

export const HTTP_STATUS = {
  NOT_FOUND: 404,
  CONFLICT: 409,
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
} as const satisfies Record<ApiDomainError['code'], number>;
