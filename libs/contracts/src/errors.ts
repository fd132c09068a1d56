/**
 * The few typed errors a use case may raise; libs/http maps each to problem+json.
 * They carry a stable machine `code` (e.g. `slot_taken`) that clients and RPC callers can switch on.
 */
export interface FieldError {
  field: string;
  message: string;
  in?: 'body' | 'query' | 'params' | 'header';
}

export abstract class DomainError extends Error {
  abstract readonly status: number;
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** 400: the input itself is malformed or invalid. */
export class ValidationFailed extends DomainError {
  readonly status = 400;
  constructor(
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super('validation_failed', message);
  }
}

export class Unauthenticated extends DomainError {
  readonly status = 401;
  constructor(message = 'A valid bearer token is required') {
    super('unauthenticated', message);
  }
}

export class Forbidden extends DomainError {
  readonly status = 403;
  constructor(message = 'You are not allowed to do this') {
    super('forbidden', message);
  }
}

export class NotFound extends DomainError {
  readonly status = 404;
  constructor(what: string, message = `${what} not found`) {
    super('not_found', message);
  }
}

/** 409: the state of the world forbids it now (slot taken, illegal transition, reused key). */
export class Conflict extends DomainError {
  readonly status = 409;
}

/** 422: well-formed but breaks a business rule (minimum notice, outside bookable hours). */
export class RuleViolation extends DomainError {
  readonly status = 422;
}

/** 429: the caller is over a quota (e.g. live holds); `details.retryAfterSeconds` says when to retry. */
export class TooManyRequests extends DomainError {
  readonly status = 429;
}

/** 503: a collaborator did not answer in time; safe to retry. */
export class Unavailable extends DomainError {
  readonly status = 503;
}

export function isDomainError(err: unknown): err is DomainError {
  return err instanceof DomainError;
}
