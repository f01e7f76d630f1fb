import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { describe, expect, it } from '@jest/globals';
import { MeshConfigError } from '@toskamesh/common';
import type { Options } from 'pino-http';
import { resolveTelemetryOptions } from '../telemetry-options.resolve.js';
import { accessLogLevel, createLoggerParams } from './logger-params.factory.js';

const QUIET = ['/health', '/metrics'];

function prettyInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}

function req(url: string): IncomingMessage {
  return { url, headers: {} } as IncomingMessage;
}

function res(statusCode: number): ServerResponse {
  return { statusCode } as ServerResponse;
}

describe('accessLogLevel', () => {
  it('logs health and metrics requests at debug, whatever their status', () => {
    expect(accessLogLevel(req('/health/ready?x=1'), res(503), undefined, QUIET)).toBe('debug');
    expect(accessLogLevel(req('/metrics'), res(200), undefined, QUIET)).toBe('debug');
  });

  it('logs 5xx and errors at error, 4xx at warn, the rest at info', () => {
    expect(accessLogLevel(req('/items'), res(500), undefined, QUIET)).toBe('error');
    expect(accessLogLevel(req('/items'), res(200), new Error('x'), QUIET)).toBe('error');
    expect(accessLogLevel(req('/items'), res(404), undefined, QUIET)).toBe('warn');
    expect(accessLogLevel(req('/healthz'), res(200), undefined, QUIET)).toBe('info');
  });
});

describe('createLoggerParams', () => {
  it('sets the service field, level and the capture destination', () => {
    const destination = { write: () => undefined };
    const params = createLoggerParams(
      resolveTelemetryOptions(
        { serviceName: 'orders', serviceVersion: '1.2.3', logging: { level: 'warn', destination } },
        {},
      ),
    );
    const [options, stream] = params.pinoHttp as [Options, unknown];
    expect(stream).toBe(destination);
    expect(options.level).toBe('warn');
    expect(options.base).toMatchObject({ service: 'orders', version: '1.2.3' });
    expect(options.redact).toMatchObject({ paths: expect.arrayContaining(['req.headers.authorization']) });
  });

  it('uses pino-pretty for pretty output, or refuses it when the package is missing', () => {
    const options = resolveTelemetryOptions({ serviceName: 'orders', logging: { pretty: true } }, {});
    if (prettyInstalled()) {
      expect((createLoggerParams(options).pinoHttp as Options).transport).toEqual({ target: 'pino-pretty' });
    } else {
      expect(() => createLoggerParams(options)).toThrow(MeshConfigError);
    }
  });
});
