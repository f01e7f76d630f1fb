import { MeshTimeoutError } from '../errors/mesh-timeout.error.js';
/**
 * Runs `task` with an `AbortSignal` that fires after `timeoutMs` (or when `parent` aborts) and rejects
 * with {@link MeshTimeoutError} on the deadline. The task should pass the signal to its I/O so the
 * work stops, not only the wait.
 */
export async function withTimeout(operation, timeoutMs, task, parent) {
    const controller = new AbortController();
    const timeoutError = new MeshTimeoutError(operation, timeoutMs);
    const onParentAbort = () => controller.abort(parent?.reason);
    if (parent?.aborted)
        controller.abort(parent.reason);
    else
        parent?.addEventListener('abort', onParentAbort, { once: true });
    let timer;
    const deadline = new Promise((_, reject) => {
        timer = setTimeout(() => {
            controller.abort(timeoutError);
            reject(timeoutError);
        }, timeoutMs);
        timer.unref();
    });
    try {
        return await Promise.race([task(controller.signal), deadline]);
    }
    finally {
        clearTimeout(timer);
        parent?.removeEventListener('abort', onParentAbort);
    }
}
/** Resolves after `ms`; rejects with the signal's reason when it aborts first. The timer never holds the process. */
export function sleep(ms, signal) {
    return new Promise((resolve, reject) => {
        if (signal?.aborted)
            return reject(signal.reason);
        const timer = setTimeout(() => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
        }, ms);
        timer.unref();
        const onAbort = () => {
            clearTimeout(timer);
            reject(signal?.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
    });
}
