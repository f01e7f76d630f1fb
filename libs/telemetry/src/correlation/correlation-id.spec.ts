import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from '@jest/globals';
import {
  CORRELATION_ID_HEADER,
  currentCorrelationId,
  isAcceptableCorrelationId,
  requestCorrelationId,
  runWithCorrelationId,
} from './correlation-id.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function fakeRequest(headers: Record<string, string | string[]> = {}): IncomingMessage {
  return { headers } as unknown as IncomingMessage;
}

function fakeResponse(): ServerResponse & { headers: Record<string, unknown> } {
  const headers: Record<string, unknown> = {};
  return {
    headers,
    headersSent: false,
    setHeader: (name: string, value: unknown) => (headers[name] = value),
  } as unknown as ServerResponse & { headers: Record<string, unknown> };
}

describe('requestCorrelationId', () => {
  it('takes the caller x-correlation-id and echoes it in the response', () => {
    const res = fakeResponse();
    expect(requestCorrelationId(fakeRequest({ [CORRELATION_ID_HEADER]: 'abc-123' }), res)).toBe('abc-123');
    expect(res.headers[CORRELATION_ID_HEADER]).toBe('abc-123');
  });

  it('generates a UUID when the header is absent', () => {
    const res = fakeResponse();
    const id = requestCorrelationId(fakeRequest(), res);
    expect(id).toMatch(UUID);
    expect(res.headers[CORRELATION_ID_HEADER]).toBe(id);
  });

  it('replaces ids that could inject into logs or headers', () => {
    for (const bad of ['', 'a b', 'x\ny', '"quoted"', 'a'.repeat(129), '-leading-dash']) {
      expect(requestCorrelationId(fakeRequest({ [CORRELATION_ID_HEADER]: bad }))).toMatch(UUID);
    }
  });

  it('uses the first value of a repeated header', () => {
    expect(requestCorrelationId(fakeRequest({ [CORRELATION_ID_HEADER]: ['first', 'second'] }))).toBe('first');
  });

  it('returns the same generated id for every call on one request', () => {
    const req = fakeRequest();
    expect(requestCorrelationId(req)).toBe(requestCorrelationId(req, fakeResponse()));
  });

  it('does not touch a response whose headers were already sent', () => {
    const res = Object.assign(fakeResponse(), { headersSent: true });
    requestCorrelationId(fakeRequest(), res);
    expect(res.headers).toEqual({});
  });
});

describe('isAcceptableCorrelationId', () => {
  it('accepts UUIDs, ULIDs and dotted trace-like ids', () => {
    for (const good of ['0b6f4a52-2d7e-4a55-9f1c-7f3d1d1c2b3a', '01HZX3K8Q2V9', 'svc.orders:42/7']) {
      expect(isAcceptableCorrelationId(good)).toBe(true);
    }
    expect(isAcceptableCorrelationId(42)).toBe(false);
  });
});

describe('currentCorrelationId', () => {
  it('is undefined outside a request', () => {
    expect(currentCorrelationId()).toBeUndefined();
  });

  it('follows async work started inside runWithCorrelationId', async () => {
    const seen = await runWithCorrelationId('job-7', async () => {
      await Promise.resolve();
      await new Promise<void>((resolve) => setImmediate(resolve));
      return currentCorrelationId();
    });
    expect(seen).toBe('job-7');
    expect(currentCorrelationId()).toBeUndefined();
  });
});
