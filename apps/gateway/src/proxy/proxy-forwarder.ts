import type { ResolvedGatewayOptions } from '../config/resolved-gateway-options.js';
import { writeProblem } from '../http/problem.js';
import { ForwardRun, type ForwardRunDeps } from './forward-run.js';
import type { ForwardingEngine } from './forwarding-engine.js';
import type { ForwardResult, ProxyExchange } from './proxy-exchange.js';
import { proxyProblems } from './proxy-problems.js';

/** Collaborators of {@link ProxyForwarder}. */
export interface ProxyForwarderDeps {
  readonly engine: ForwardingEngine;
  readonly options: ResolvedGatewayOptions;
  /** Called for every retry, with the pool and why (`connect`, `reset`, `status-503`, ...). */
  readonly onRetry?: (pool: string, reason: string) => void;
}

/**
 * Sends a client request to an instance of its pool and the answer back: picks a target, runs the attempt
 * through the pool's circuit breaker, retries idempotent requests on another instance (connect error,
 * reset before headers, 502/503) within the retry budget, then streams the chosen answer unbuffered (SSE
 * and chunked bodies flow as they come). When no upstream can answer it writes a problem: 503
 * `no-healthy-instance` / `circuit-open` (with `Retry-After`), 502 `upstream-unavailable`, 504
 * `upstream-timeout`, 413 `body-too-large`.
 */
export class ProxyForwarder {
  private readonly runDeps: ForwardRunDeps;

  constructor(deps: ProxyForwarderDeps) {
    this.runDeps = {
      engine: deps.engine,
      maxBodyBytes: deps.options.limits.maxBodyBytes,
      ...(deps.onRetry === undefined ? {} : { onRetry: deps.onRetry }),
    };
  }

  /**
   * Forwards `exchange` and always answers its client (an upstream answer or a problem). Resolves when the
   * exchange is over — the answer fully written, or cut because either side went away — with what
   * happened; never rejects.
   */
  forward(exchange: ProxyExchange): Promise<ForwardResult> {
    return new ForwardRun(exchange, this.runDeps)
      .run()
      .catch((error: unknown) => unexpected(exchange, error));
  }
}

/** A bug, not an upstream failure: the client still gets a well-formed answer (or a cut connection). */
function unexpected(exchange: ProxyExchange, error: unknown): ForwardResult {
  const why = error instanceof Error ? error.message : String(error);
  try {
    writeProblem(
      exchange.res,
      proxyProblems.upstreamUnavailable(exchange.pool.name, why, exchange.correlationId),
    );
  } catch {
    exchange.res.destroy();
  }
  return { status: 502, attempts: 0, retries: 0 };
}
