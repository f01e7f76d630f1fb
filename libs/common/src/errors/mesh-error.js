const MESH_ERROR_BRAND = Symbol.for('toskamesh.error');
/**
 * Base of every error thrown by `@toskamesh/*` libraries. `code` is stable (`MESH_<LIB>_<REASON>`) and is
 * what apps map to HTTP or gRPC status codes; it is never reused once retired.
 *
 * `instanceof MeshError` works across duplicate installs of this package because it checks a global brand
 * instead of the prototype chain.
 */
export class MeshError extends Error {
    constructor(code, message, options = {}) {
        super(message, options.cause === undefined ? undefined : { cause: options.cause });
        this.name = new.target.name;
        this.code = code;
        this.retryable = options.retryable ?? false;
        this.details = options.details ?? {};
        Object.defineProperty(this, MESH_ERROR_BRAND, { value: true });
    }
    static [Symbol.hasInstance](value) {
        if (this !== MeshError)
            return Function.prototype[Symbol.hasInstance].call(this, value);
        return (typeof value === 'object' &&
            value !== null &&
            value[MESH_ERROR_BRAND] === true);
    }
    /** Wraps anything thrown into a `MeshError`, keeping a `MeshError` as it is. */
    static from(error, code = 'MESH_COMMON_UNEXPECTED') {
        if (isMeshError(error))
            return error;
        const message = error instanceof Error ? error.message : String(error);
        return new MeshError(code, message, { cause: error });
    }
    toJSON() {
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
export function isMeshError(value) {
    return value instanceof MeshError;
}
