/** Typed errors across RPC: a DomainError thrown by a server is rebuilt as the same class for the caller. */
import {
  Conflict,
  DomainError,
  Forbidden,
  NotFound,
  RuleViolation,
  TooManyRequests,
  Unauthenticated,
  Unavailable,
  ValidationFailed,
  type FieldError,
} from '@midas/contracts';

export interface WireError {
  name: string;
  code: string;
  status: number;
  message: string;
  details?: Record<string, unknown>;
  errors?: FieldError[];
}

/** The server failed with something that is not a DomainError (a bug); the caller sees a 500-class error. */
export class RpcRemoteError extends Error {
  readonly status = 500;
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RpcRemoteError';
  }
}

export function toWireError(err: unknown): WireError {
  if (err instanceof DomainError) {
    const wire: WireError = { name: err.name, code: err.code, status: err.status, message: err.message };
    if (err.details) wire.details = err.details;
    if (err instanceof ValidationFailed) wire.errors = err.errors;
    return wire;
  }
  return { name: 'Error', code: 'internal', status: 500, message: 'the server failed to answer' };
}

/** Rebuilds the error a server threw, so `instanceof Conflict` and `err.code` work for the caller. */
export function fromWireError(wire: WireError): Error {
  const { code, message, details } = wire;
  switch (wire.name) {
    case 'ValidationFailed':
      return new ValidationFailed(message, wire.errors ?? []);
    case 'Unauthenticated':
      return new Unauthenticated(message);
    case 'Forbidden':
      return new Forbidden(message);
    case 'NotFound':
      return new NotFound('', message);
    case 'Conflict':
      return new Conflict(code, message, details);
    case 'RuleViolation':
      return new RuleViolation(code, message, details);
    case 'TooManyRequests':
      return new TooManyRequests(code, message, details);
    case 'Unavailable':
      return new Unavailable(code, message, details);
    default:
      return new RpcRemoteError(code, message);
  }
}
