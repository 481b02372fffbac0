/**
 * Domain errors every context throws. Each names the HTTP status it means, so the API maps
 * them in one place (api/errors.ts) and services never import anything of HTTP's.
 */
export abstract class DomainError extends Error {
  abstract readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 503;
  /** A stable machine-readable code, for clients that branch on the kind of error. */
  abstract readonly code: string;
}

/** One field that failed validation: `path` is dotted ("extraction.plugins.0"). */
export interface FieldIssue {
  path: string;
  message: string;
}

/** The input is malformed or breaks a rule; `issues` names the failing fields. */
export class ValidationError extends DomainError {
  override name = 'ValidationError';
  readonly status = 400;
  readonly code = 'invalid_input';
  constructor(
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
  }

  static field(path: string, message: string): ValidationError {
    return new ValidationError(message, [{ path, message }]);
  }
}

/** Nobody is signed in, or the credentials are wrong. */
export class UnauthenticatedError extends DomainError {
  override name = 'UnauthenticatedError';
  readonly status = 401;
  readonly code = 'unauthenticated';
}

/** Signed in, but not allowed to do this. `field` names the part of the input that needs more rights. */
export class ForbiddenError extends DomainError {
  override name = 'ForbiddenError';
  readonly status = 403;
  readonly code = 'forbidden';
  constructor(
    message: string,
    readonly permission?: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export class NotFoundError extends DomainError {
  override name = 'NotFoundError';
  readonly status = 404;
  readonly code = 'not_found';
}

/** The request does not fit the current state (pausing a finished run, a taken name). */
export class ConflictError extends DomainError {
  override name = 'ConflictError';
  readonly status = 409;
  readonly code = 'conflict';
}

/** Too many attempts; `retryAfterSeconds` says when to try again. */
export class RateLimitedError extends DomainError {
  override name = 'RateLimitedError';
  readonly status = 429;
  readonly code = 'rate_limited';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** A service this request needs (Redis, Postgres) is unreachable; nothing was changed. */
export class UnavailableError extends DomainError {
  override name = 'UnavailableError';
  readonly status = 503;
  readonly code = 'unavailable';
}
