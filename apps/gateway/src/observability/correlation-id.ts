import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Ids accepted from callers: at most 128 characters of a safe alphabet, so logs and headers cannot be injected into (the rule of @toskamesh/telemetry). */
const ACCEPTED = /^[A-Za-z0-9][A-Za-z0-9._:@/+=-]{0,127}$/;

/**
 * The request's correlation id: the caller's `x-correlation-id` when acceptable, else a new UUID
 * (`crypto.randomUUID` draws from a pre-filled entropy cache, so this is cheap per request).
 */
export function correlationIdOf(req: IncomingMessage): string {
  const header = req.headers['x-correlation-id'];
  const incoming = typeof header === 'string' ? header : undefined;
  return incoming !== undefined && ACCEPTED.test(incoming) ? incoming : randomUUID();
}
