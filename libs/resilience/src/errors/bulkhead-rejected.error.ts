import { MeshError } from '@toskamesh/common';

/** Why a bulkhead refused a call: no slot and no queue room, or the wait in the queue ran out. */
export type BulkheadRejection = 'full' | 'queue-timeout';

/**
 * A bulkhead refused a call: all `maxConcurrent` slots were busy and the queue was full, or the call waited
 * longer than `queueTimeoutMs` for a slot. Retryable: the overload is local and usually brief.
 */
export class BulkheadRejectedError extends MeshError {
  constructor(
    readonly bulkhead: string,
    readonly reason: BulkheadRejection,
    limits: { maxConcurrent: number; maxQueue: number; queueTimeoutMs: number },
  ) {
    const why =
      reason === 'full'
        ? `all ${limits.maxConcurrent} slots busy and ${limits.maxQueue} queued`
        : `no slot freed within ${limits.queueTimeoutMs} ms`;
    super('MESH_RESILIENCE_BULKHEAD_FULL', `Bulkhead "${bulkhead}" rejected the call: ${why}`, {
      retryable: true,
      details: { bulkhead, reason, ...limits },
    });
  }
}
