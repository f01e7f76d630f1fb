import type { ServiceInstance } from '@toskamesh/common';

/** HTTP methods that may be repeated safely; others are retried only when the connection was refused. */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** One call made through {@link MeshServiceClient.request}. */
export interface MeshRequest {
  method: string;
  /** Path and query on the service (`/items/1?full=true`). */
  path: string;
  /** A string or Buffer is sent as is; anything else as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Total time limit, retries included. @default the client's `timeoutMs` */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Key for the consistent-hash strategy (a user id, a session id). */
  hashKey?: string;
}

/** A 2xx answer, body parsed as JSON when the service said so, text otherwise. */
export interface MeshResponse<T = unknown> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
  /** The instance that answered. */
  instance: ServiceInstance;
}
