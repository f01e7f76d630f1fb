import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import { isMeshError } from '@toskamesh/common';
import type { Request, Response } from 'express';
import { problemStatusOf } from './problem-status.js';

/** An RFC 9457 problem body. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  /** The stable `MESH_*` code when a library error caused it. */
  code?: string;
  /** Every broken rule, for validation problems. */
  errors?: string[];
  [extension: string]: unknown;
}

/**
 * Answers every error as `application/problem+json` (RFC 9457). `MeshError`s map by their code, Nest
 * `HttpException`s keep their status and message, anything else is a 500 whose details stay in the log —
 * internals never leak to the caller.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    if (response.headersSent) {
      response.destroy();
      return;
    }
    const problem = toProblem(exception, request.originalUrl ?? request.url);
    if (problem.status >= 500)
      this.logger.error(`${request.method} ${request.originalUrl}: ${describe(exception)}`);
    const retryAfter = retryAfterSeconds(exception);
    if (retryAfter !== undefined) response.setHeader('retry-after', String(retryAfter));
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }
}

/** Builds the problem body for `exception`. */
export function toProblem(exception: unknown, instance?: string): ProblemDetails {
  if (isMeshError(exception)) {
    const status = problemStatusOf(exception);
    const errors = Array.isArray(exception.details.errors)
      ? (exception.details.errors as string[])
      : undefined;
    return {
      type: `https://toskamesh.dev/problems/${exception.code.toLowerCase().replaceAll('_', '-')}`,
      title: titleOf(status),
      status,
      detail:
        status >= 500 && !exception.retryable
          ? 'The service failed to handle the request'
          : exception.message,
      instance,
      code: exception.code,
      ...(errors ? { errors } : {}),
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const body = exception.getResponse();
    const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
    const errors = Array.isArray(message) ? message.map(String) : undefined;
    return {
      type: 'about:blank',
      title: titleOf(status),
      status,
      detail: errors ? errors.join('; ') : String(message ?? exception.message),
      instance,
      ...(errors ? { errors } : {}),
    };
  }
  return {
    type: 'about:blank',
    title: titleOf(500),
    status: 500,
    detail: 'The service failed to handle the request',
    instance,
  };
}

function titleOf(status: number): string {
  const name = HttpStatus[status] as string | undefined;
  return name
    ? name
        .toLowerCase()
        .replace(/(^|_)([a-z])/g, (_, gap: string, c: string) => `${gap ? ' ' : ''}${c.toUpperCase()}`)
    : 'Error';
}

function retryAfterSeconds(exception: unknown): number | undefined {
  if (!isMeshError(exception)) return undefined;
  const ms = (exception as { retryAfterMs?: unknown }).retryAfterMs ?? exception.details.retryAfterMs;
  return typeof ms === 'number' ? Math.max(1, Math.ceil(ms / 1000)) : undefined;
}

function describe(exception: unknown): string {
  return exception instanceof Error ? (exception.stack ?? exception.message) : String(exception);
}
