import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { hostname } from 'node:os';
import { MeshConfigError } from '@toskamesh/common';
import type { Params } from 'nestjs-pino';
import { stdTimeFunctions, type LevelWithSilent } from 'pino';
import type { Options } from 'pino-http';
import { requestCorrelationId } from '../correlation/correlation-id.js';
import { matchesPathPrefix, urlPath } from '../path-match.js';
import type { ResolvedTelemetryOptions } from '../telemetry-options.resolve.js';
import { ambientLogFields, requestLogFields } from './request-log-fields.js';

/** Secrets never written to logs, whatever the level. */
export const DEFAULT_REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
] as const;

type Req = IncomingMessage & { originalUrl?: string };

/** nestjs-pino `LoggerModule` params for one TelemetryModule registration. */
export function createLoggerParams(options: ResolvedTelemetryOptions): Params {
  const { logging, serviceName, serviceVersion } = options;
  const pinoHttp: Options<Req, ServerResponse> = {
    level: logging.level,
    base: {
      service: serviceName,
      ...(serviceVersion === undefined ? {} : { version: serviceVersion }),
      pid: process.pid,
      hostname: hostname(),
    },
    timestamp: stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: [...DEFAULT_REDACT_PATHS, ...logging.redact], censor: '[REDACTED]' },
    // `params` would be those of Nest's catch-all middleware route (`splat`), not the handler's.
    serializers: { req: ({ params: _params, ...request }: Record<string, unknown>) => request },
    genReqId: (req, res) => requestCorrelationId(req, res),
    customProps: (req) => requestLogFields(req),
    customLogLevel: (req, res, error) => accessLogLevel(req, res, error, logging.quietPaths),
    mixin: ambientLogFields,
    ...(logging.pretty && !logging.destination ? { transport: prettyTransport() } : {}),
  };
  return { pinoHttp: logging.destination ? [pinoHttp, logging.destination] : pinoHttp };
}

/** Access-log level: health and metrics at debug (no noise), 5xx error, 4xx warn, the rest info. */
export function accessLogLevel(
  req: Req,
  res: ServerResponse,
  error: Error | undefined,
  quietPaths: readonly string[],
): LevelWithSilent {
  if (matchesPathPrefix(urlPath(req.originalUrl ?? req.url), quietPaths)) return 'debug';
  if (error || res.statusCode >= 500) return 'error';
  if (res.statusCode >= 400) return 'warn';
  return 'info';
}

function prettyTransport(): { target: string } {
  try {
    createRequire(import.meta.url).resolve('pino-pretty');
  } catch (error) {
    throw new MeshConfigError('telemetry.logging.pretty', 'needs the optional package "pino-pretty"', {
      value: true,
      allowed: 'false, or true after `npm install --save-dev pino-pretty`',
      cause: error,
    });
  }
  return { target: 'pino-pretty' };
}
