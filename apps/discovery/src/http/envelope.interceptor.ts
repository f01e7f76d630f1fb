import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { map, type Observable } from 'rxjs';
import { ApiResult, envelope, type ApiEnvelope } from './api-envelope.js';
import { traceIdOf } from './trace-id.js';

/** Wraps what REST handlers return in `{ success, data, message, timestamp, traceId }`. */
@Injectable()
export class EnvelopeInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<ApiEnvelope<unknown>> {
    const request = context.switchToHttp().getRequest<IncomingMessage>();
    return next.handle().pipe(
      map((value: unknown) => {
        const result =
          value instanceof ApiResult ? (value as ApiResult<unknown>) : new ApiResult(value ?? null);
        return envelope(result, traceIdOf(request));
      }),
    );
  }
}
