/**
 * The few errors use cases throw. One mapper (lib/http/error-mapper.ts) turns them into
 * responses; nothing else catches them.
 */
export class AppError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The thing asked for does not exist, or the caller may not know that it exists. */
export class NotFoundError extends AppError {
  constructor(message = "Not found") {
    super(message, 404, "not_found");
  }
}

/** No signed-in user. */
export class UnauthorizedError extends AppError {
  constructor(message = "Sign in first") {
    super(message, 401, "unauthorized");
  }
}

/** Signed in, but the role's permissions (lib/auth/permissions.ts) do not allow this. */
export class ForbiddenError extends AppError {
  constructor(message = "You do not have permission to do this") {
    super(message, 403, "forbidden");
  }
}

/** The request clashes with the current state (a duplicate name, a study that is already live). */
export class ConflictError extends AppError {
  constructor(message: string) {
    super(message, 409, "conflict");
  }
}

/** Input that passed the schema but breaks a rule; the message says what to fix. */
export class ValidationError extends AppError {
  constructor(
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message, 422, "validation");
  }
}

/** Too many attempts in a window (sign-in). */
export class RateLimitError extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message, 429, "rate_limited");
  }
}

/** A state-changing request that did not come from the app's own pages (CSRF), or a body that is not JSON. */
export class RequestRefusedError extends AppError {
  constructor(
    message: string,
    readonly statusCode: 403 | 415 = 403,
  ) {
    super(message, statusCode, statusCode === 415 ? "unsupported_media_type" : "cross_origin");
  }
}

/** A request body over the route's limit (lib/http/node-route.ts): the message says the limit. */
export class PayloadTooLargeError extends AppError {
  constructor(limitBytes: number) {
    super(
      `The request body is too large: this route takes at most ${Math.round(limitBytes / 1024)} KB.`,
      413,
      "too_large",
    );
  }
}
