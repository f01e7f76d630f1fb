import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from '@jest/globals';
import { correlationIdOf } from './correlation-id.js';

const request = (header?: string | string[]) =>
  ({ headers: header === undefined ? {} : { 'x-correlation-id': header } }) as unknown as IncomingMessage;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('correlationIdOf', () => {
  it("keeps the caller's id when it is short and made of safe characters", () => {
    expect(correlationIdOf(request('order-42:retry/1'))).toBe('order-42:retry/1');
    expect(correlationIdOf(request('a'.repeat(128)))).toBe('a'.repeat(128));
  });

  it('generates a UUID when there is no id', () => {
    const id = correlationIdOf(request());
    expect(id).toMatch(UUID);
    expect(correlationIdOf(request())).not.toBe(id);
  });

  it('replaces ids that are too long, hold unsafe characters or were sent twice', () => {
    expect(correlationIdOf(request('a'.repeat(129)))).toMatch(UUID);
    expect(correlationIdOf(request('x\r\nset-cookie: a=b'))).toMatch(UUID);
    expect(correlationIdOf(request('<script>'))).toMatch(UUID);
    expect(correlationIdOf(request('a, b'))).toMatch(UUID);
    expect(correlationIdOf(request(''))).toMatch(UUID);
  });
});
