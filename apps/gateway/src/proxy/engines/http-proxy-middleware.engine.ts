import type { ClientRequest, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { createProxyMiddleware, type Plugin, type RequestHandler } from 'http-proxy-middleware';
import type {
  ForwardingEngine,
  UpstreamRequest,
  UpstreamResponse,
  UpstreamUpgrade,
} from '../forwarding-engine.js';
import { PendingAttempt } from './pending-attempt.js';
import { tunnelUpgrade } from './upgrade-tunnel.js';
import { KeepAliveAgents, UpstreamEndpoints, type UpstreamEndpoint } from './upstream-endpoint.js';

/** An httpxy target (`ProxyTargetDetailed`), built once per endpoint: httpxy parses nothing per request. */
interface ProxyTargetObject {
  readonly protocol: string;
  readonly hostname: string;
  readonly port: number;
  readonly host: string;
}

const targets = new WeakMap<UpstreamEndpoint, ProxyTargetObject>();

function targetOf(endpoint: UpstreamEndpoint): ProxyTargetObject {
  let target = targets.get(endpoint);
  if (target === undefined) {
    const { protocol, hostname, port, host } = endpoint;
    target = { protocol, hostname, port, host };
    targets.set(endpoint, target);
  }
  return target;
}

/**
 * The default engine: one http-proxy-middleware 4 instance (over httpxy) for every upstream, its `router`
 * reading the target from the request, `selfHandleResponse` (the forwarder writes the answer, so it can
 * still retry), `ejectPlugins` (no default logging or error answers; our plugin below listens to httpxy's
 * events), and this engine's keep-alive agents.
 *
 * httpxy works on a (request, response) pair and copies `req.headers`/`req.url`. Each attempt hands it an
 * {@link HpmAttempt} as both: as the request it carries the gateway's upstream headers and path (the client's
 * `IncomingMessage` is never mutated, and a retry gets a fresh one); as the response it is a sink whose
 * `close` tells httpxy the attempt is over. `pipe()` writes the body: the replay copy (for a retry), the
 * size-limited stream, or the client request.
 */
export class HttpProxyMiddlewareEngine implements ForwardingEngine {
  readonly name = 'http-proxy-middleware';
  private readonly agents = new KeepAliveAgents();
  private readonly endpoints = new UpstreamEndpoints(this.agents);
  private readonly middleware: RequestHandler;

  constructor() {
    this.middleware = createProxyMiddleware({
      // A filter function sees `req.url`, which is unset until the router runs: no per-request URL parse.
      pathFilter: proxyEverything,
      router: routeAttempt,
      selfHandleResponse: true,
      ejectPlugins: true,
      agent: this.agents.http,
      plugins: [attemptEvents],
    });
  }

  send(request: UpstreamRequest): Promise<UpstreamResponse> {
    return new HpmAttempt(request, this.endpoints.of(request.origin)).start(this.middleware);
  }

  /** Upgrades go through the shared tunnel (see {@link tunnelUpgrade} for why not httpxy's `ws`). */
  upgrade(request: UpstreamUpgrade): Promise<number> {
    return tunnelUpgrade(request);
  }

  close(): Promise<void> {
    this.agents.destroy();
    return Promise.resolve();
  }
}

/** One attempt, posing as httpxy's request and response; see {@link HttpProxyMiddlewareEngine}. */
class HpmAttempt extends PendingAttempt {
  // What httpxy reads from the request.
  readonly method: string;
  url: string | undefined = undefined;
  readonly headers: OutgoingHttpHeaders;
  readonly httpVersion = '1.1';
  readonly httpVersionMajor = 1;
  readonly httpVersionMinor = 1;
  readonly socket: Socket;
  // What httpxy reads from the response.
  readonly headersSent = false;
  finished = false;
  writableFinished = false;
  destroyed = false;
  private closeListeners: (() => void)[] | undefined;

  constructor(
    spec: UpstreamRequest,
    readonly endpoint: UpstreamEndpoint,
  ) {
    super(spec);
    this.method = spec.method;
    this.headers = spec.headers;
    this.socket = spec.clientRequest.socket;
  }

  start(middleware: RequestHandler): Promise<UpstreamResponse> {
    const promise = this.begin();
    if (!this.isSettled) {
      middleware(this as unknown as IncomingMessage, this as unknown as ServerResponse, ignoreNext).catch(
        ignoreError,
      );
    }
    return promise;
  }

  /** httpxy subscribes to `close` (request done) and `error`; only `close` means anything here. */
  on(event: string, listener: () => void): this {
    if (event !== 'close') return this;
    if (this.destroyed) process.nextTick(listener);
    else (this.closeListeners ??= []).push(listener);
    return this;
  }

  /** httpxy destroys the response when the upstream body breaks off. */
  destroy(): void {
    this.closeSink(false);
  }

  /** httpxy pipes the request into the upstream request once it has a socket. */
  pipe(destination: ClientRequest): ClientRequest {
    this.sendBody(destination);
    return destination;
  }

  /** @internal `router`: the target of this attempt. */
  route(options: { agent?: unknown }): ProxyTargetObject {
    this.url = this.spec.path;
    options.agent = this.endpoint.agent;
    return targetOf(this.endpoint);
  }

  /** @internal httpxy's `proxyReq`: the upstream request has its socket. */
  attach(request: ClientRequest): void {
    this.watchSocket(request, request.socket!);
  }

  /** @internal httpxy's `proxyRes`. */
  responded(message: IncomingMessage): void {
    this.succeed(message);
  }

  /** @internal httpxy's `error` / `econnreset` before the response. */
  errored(error: unknown): void {
    this.upstreamError(error);
  }

  /** @internal httpxy's `end`: the upstream body was read to its end. */
  closeSink(finished: boolean): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.finished = finished;
    this.writableFinished = finished;
    const listeners = this.closeListeners;
    this.closeListeners = undefined;
    if (listeners !== undefined) for (const listener of listeners) listener();
  }

  /** Closing the sink makes httpxy destroy the upstream request and response it holds. */
  protected override abortUpstream(): void {
    this.closeSink(false);
  }
}

function attemptOf(value: unknown): HpmAttempt | undefined {
  return value instanceof HpmAttempt ? value : undefined;
}

function proxyEverything(): boolean {
  return true;
}

function routeAttempt(req: IncomingMessage, _res: unknown, options: { agent?: unknown }): ProxyTargetObject {
  return (req as unknown as HpmAttempt).route(options);
}

function ignoreNext(): void {}

function ignoreError(): void {}

/** httpxy's events routed to the attempt they concern; registered once for the engine. */
const attemptEvents: Plugin = (proxyServer) => {
  proxyServer.on('proxyReq', (request, req) => attemptOf(req)?.attach(request));
  proxyServer.on('proxyRes', (message, req) => attemptOf(req)?.responded(message));
  proxyServer.on('error', (error, req) => attemptOf(req)?.errored(error));
  proxyServer.on('econnreset', (error, req) => attemptOf(req)?.errored(error));
  proxyServer.on('end', (_req, res) => attemptOf(res)?.closeSink(true));
};
