const MESH_ERROR_BRAND = Symbol.for('toskamesh.error');

/** Options every {@link MeshError} accepts besides its message. */
export interface MeshErrorOptions {
  /** Underlying failure, kept as the standard `cause`. */
  cause?: unknown;
  /** Whether repeating the same call may succeed (timeouts, unavailable upstreams). @default false */
  retryable?: boolean;
  /** Structured context for logs and problem bodies; never secrets. */
  details?: Record<string, unknown>;
}

/**
 * Base of every error thrown by `@toskamesh/*` libraries. `code` is stable (`MESH_<LIB>_<REASON>`) and is
 * what apps map to HTTP or gRPC status codes; it is never reused once retired.
 *
 * `instanceof MeshError` works across duplicate installs of this package because it checks a global brand
 * instead of the prototype chain.
 */
export class MeshError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly details: Record<string, unknown>;

  constructor(code: string, message: string, options: MeshErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.details = options.details ?? {};
    Object.defineProperty(this, MESH_ERROR_BRAND, { value: true });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== MeshError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[MESH_ERROR_BRAND] === true
    );
  }

  /** Wraps anything thrown into a `MeshError`, keeping a `MeshError` as it is. */
  static from(error: unknown, code = 'MESH_COMMON_UNEXPECTED'): MeshError {
    if (isMeshError(error)) return error;
    const message = error instanceof Error ? error.message : String(error);
    return new MeshError(code, message, { cause: error });
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      details: this.details,
    };
  }
}

/** True for any `MeshError`, including one from another copy of this package. */
export function isMeshError(value: unknown): value is MeshError {
  return value instanceof MeshError;
}
