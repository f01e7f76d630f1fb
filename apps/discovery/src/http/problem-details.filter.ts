import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { throwError, type Observable } from 'rxjs';
import { mapError, type MappedError } from './error-mapping.js';
import { traceIdOf } from './trace-id.js';

/** RFC 9457 problem details plus the envelope fields the .NET clients read. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  success: false;
  data: null;
  message: string;
  errors: string[];
  timestamp: string;
  traceId: string;
}

/**
 * The app's one exception filter: HTTP errors become `application/problem+json` with the envelope
 * fields, gRPC errors a status code (`INVALID_ARGUMENT`, `NOT_FOUND`, ...). Unknown errors are logged
 * and answered without their message, so internals never leak.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('DiscoveryErrors');

  catch(exception: unknown, host: ArgumentsHost): Observable<never> | void {
    const mapped = mapError(exception);
    if (mapped.unexpected)
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception) : exception);
    if (host.getType() === 'rpc') {
      return throwError(() => ({ code: mapped.grpcCode, message: mapped.detail, details: mapped.detail }));
    }
    const http = host.switchToHttp();
    writeProblem(http.getRequest<IncomingMessage>(), http.getResponse<ServerResponse>(), mapped);
  }
}

/** Writes `mapped` as a problem+json response (or ends an already-started stream). */
export function writeProblem(request: IncomingMessage, response: ServerResponse, mapped: MappedError): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  const body: ProblemBody = {
    type: mapped.code.startsWith('HTTP_') ? 'about:blank' : `urn:toskamesh:error:${mapped.code}`,
    title: mapped.title,
    status: mapped.httpStatus,
    detail: mapped.detail,
    instance: (request.url ?? '').split('?')[0] ?? '',
    code: mapped.code,
    success: false,
    data: null,
    message: mapped.detail,
    errors: mapped.errors,
    timestamp: new Date().toISOString(),
    traceId: traceIdOf(request),
  };
  const payload = JSON.stringify(body);
  response.statusCode = mapped.httpStatus;
  response.setHeader('Content-Type', 'application/problem+json; charset=utf-8');
  response.setHeader('Content-Length', Buffer.byteLength(payload));
  if (mapped.httpStatus === 401) response.setHeader('WWW-Authenticate', 'Bearer');
  response.end(payload);
}
