import type { ExecutionContext } from '@nestjs/common';

/** A bearer token found in a request or call, or where it was looked for when absent. */
export interface BearerLookup {
  token?: string;
  /** Human-readable place, for `MissingTokenError`. */
  source: string;
}

/** The token of an `Authorization: Bearer <token>` value (scheme case-insensitive), else undefined. */
export function bearerFromHeader(value: unknown): string | undefined {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  const text = Buffer.isBuffer(first) ? first.toString('utf8') : first;
  if (typeof text !== 'string') return undefined;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(text.trim());
  return match?.[1];
}

/**
 * Finds the bearer token of an HTTP request (`Authorization` header) or an RPC call: gRPC
 * `Metadata` (`authorization` entry), or a transport context exposing `getHeaders()` (NATS, ...).
 */
export function findBearerToken(context: ExecutionContext): BearerLookup {
  if (context.getType() === 'http') {
    const request = context.switchToHttp().getRequest<{ headers?: Record<string, unknown> }>();
    return { token: bearerFromHeader(request.headers?.authorization), source: 'Authorization header' };
  }
  if (context.getType() === 'rpc') {
    const token = bearerFromHeader(rpcAuthorization(context.switchToRpc().getContext()));
    return { token, source: 'authorization metadata' };
  }
  return { source: `${context.getType()} context (only HTTP and RPC carry tokens)` };
}

function rpcAuthorization(rpcContext: unknown): unknown {
  if (typeof rpcContext !== 'object' || rpcContext === null) return undefined;
  const candidate = rpcContext as { get?: unknown; getHeaders?: unknown };
  // gRPC Metadata: get() returns every value of the key.
  if (typeof candidate.get === 'function') {
    return (candidate.get as (key: string) => unknown).call(rpcContext, 'authorization');
  }
  if (typeof candidate.getHeaders === 'function') {
    const headers: unknown = (candidate.getHeaders as () => unknown).call(rpcContext);
    if (typeof headers !== 'object' || headers === null) return undefined;
    const lookup = headers as { get?: unknown } & Record<string, unknown>;
    if (typeof lookup.get === 'function')
      return (lookup.get as (key: string) => unknown).call(headers, 'authorization');
    return lookup.authorization ?? lookup.Authorization;
  }
  return undefined;
}
