import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { runWithCorrelationId } from '../correlation/correlation-id.js';
import { ambientLogFields, requestLogFields } from './request-log-fields.js';

function capture(): { lines: Array<Record<string, unknown>>; raw: string[]; logger: pino.Logger } {
  const lines: Array<Record<string, unknown>> = [];
  const raw: string[] = [];
  const write = (chunk: string): void => {
    raw.push(chunk);
    lines.push(JSON.parse(chunk) as Record<string, unknown>);
  };
  return { lines, raw, logger: pino({ mixin: ambientLogFields }, { write }) };
}

describe('requestLogFields', () => {
  it('computes the fields once per request', () => {
    const req = { headers: { 'x-correlation-id': 'req-1' } } as unknown as IncomingMessage;
    const first = requestLogFields(req);
    req.headers['x-correlation-id'] = 'changed';
    expect(requestLogFields(req)).toBe(first);
    expect(first).toEqual({ correlationId: 'req-1' });
  });
});

describe('ambientLogFields', () => {
  it('adds the current correlation id to lines of a logger without request bindings', () => {
    const { lines, logger } = capture();
    runWithCorrelationId('job-1', () => logger.info('in job'));
    logger.info('outside');
    expect(lines[0]).toMatchObject({ correlationId: 'job-1', msg: 'in job' });
    expect(lines[1]).not.toHaveProperty('correlationId');
  });

  it('adds nothing when the logger already carries a correlation id', () => {
    const { lines, raw, logger } = capture();
    runWithCorrelationId('ambient', () => logger.child({ correlationId: 'bound' }).info('request line'));
    expect(raw).toHaveLength(1);
    expect(raw[0]!.match(/correlationId/g)).toHaveLength(1);
    expect(lines[0]!.correlationId).toBe('bound');
  });
});
