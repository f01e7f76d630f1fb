import { MeshError } from './mesh-error.js';
/** An operation did not finish within its time limit. Retryable: the next attempt may be faster. */
export class MeshTimeoutError extends MeshError {
    constructor(operation, timeoutMs, cause) {
        super('MESH_COMMON_TIMEOUT', `${operation} timed out after ${timeoutMs} ms`, {
            retryable: true,
            cause,
            details: { operation, timeoutMs },
        });
        this.operation = operation;
        this.timeoutMs = timeoutMs;
    }
}
