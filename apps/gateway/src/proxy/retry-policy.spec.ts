import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { describe, expect, it } from '@jest/globals';
import type { ResolvedUpstreamPolicy } from '../config/resolved-gateway-options.js';
import { isIdempotentRequest, isRetriableFailure, isRetriableStatus } from './retry-policy.js';

function request(method: string, headers: IncomingHttpHeaders = {}): IncomingMessage {
  return { method, headers } as unknown as IncomingMessage;
}

describe('isIdempotentRequest', () => {
  it.each(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'])('is true for %s', (method) => {
    expect(isIdempotentRequest(request(method))).toBe(true);
  });

  it.each(['POST', 'PATCH', 'CONNECT'])('is false for %s without Idempotency-Key', (method) => {
    expect(isIdempotentRequest(request(method))).toBe(false);
  });

  it('is true for any method with an Idempotency-Key', () => {
    expect(isIdempotentRequest(request('POST', { 'idempotency-key': 'k-1' }))).toBe(true);
    expect(isIdempotentRequest(request('PATCH', { 'idempotency-key': '' }))).toBe(true);
  });
});

describe('isRetriableFailure', () => {
  it('retries connect errors and resets before headers only', () => {
    expect(isRetriableFailure('connect')).toBe(true);
    expect(isRetriableFailure('reset')).toBe(true);
    // The upstream may still be processing a timed-out request.
    expect(isRetriableFailure('timeout')).toBe(false);
    expect(isRetriableFailure('aborted')).toBe(false);
  });
});

describe('isRetriableStatus', () => {
  const policy = { retry: { retryOnStatuses: [502, 503] } } as unknown as ResolvedUpstreamPolicy;

  it('follows retryOnStatuses', () => {
    expect(isRetriableStatus(502, policy)).toBe(true);
    expect(isRetriableStatus(503, policy)).toBe(true);
    expect(isRetriableStatus(500, policy)).toBe(false);
    expect(isRetriableStatus(504, policy)).toBe(false);
    expect(isRetriableStatus(200, policy)).toBe(false);
  });
});
