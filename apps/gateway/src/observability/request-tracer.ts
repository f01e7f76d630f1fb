import type { IncomingMessage } from 'node:http';
import { SpanKind, context, propagation } from '@opentelemetry/api';
import { withSpan } from '@toskamesh/telemetry';

/** What a traced request reports when it ends. */
export interface TracedOutcome {
  readonly status: number;
  readonly attempts?: number;
  readonly target?: string;
  readonly failure?: string;
}

/**
 * Runs a proxied request inside a server span that continues the caller's `traceparent`, so the
 * upstream call (its `traceparent` built in the active context) becomes its child. Only built when
 * tracing is enabled: with tracing off the gateway creates no span and no context per request.
 */
export class RequestTracer {
  async trace<T extends TracedOutcome>(
    req: IncomingMessage,
    service: string,
    run: () => Promise<T>,
  ): Promise<T> {
    const parent = propagation.extract(context.active(), req.headers);
    return context.with(parent, () =>
      withSpan(
        `${req.method ?? 'GET'} ${service}`,
        async (span) => {
          const outcome = await run();
          span.setAttributes({
            'http.response.status_code': outcome.status,
            ...(outcome.attempts === undefined ? {} : { 'toskamesh.gateway.attempts': outcome.attempts }),
            ...(outcome.target === undefined ? {} : { 'toskamesh.gateway.target': outcome.target }),
            ...(outcome.failure === undefined ? {} : { 'error.type': outcome.failure }),
          });
          return outcome;
        },
        {
          kind: SpanKind.SERVER,
          attributes: {
            'http.request.method': req.method ?? 'GET',
            'url.path': (req.url ?? '/').split('?', 1)[0]!,
            'toskamesh.gateway.service': service,
          },
        },
      ),
    );
  }
}
