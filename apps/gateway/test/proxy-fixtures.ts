// Fixtures of the proxy e2e specs: real node:http upstreams and gateway on 127.0.0.1 port 0, and a small
// in-memory UpstreamPool that records what the forwarder reports.
import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { CircuitOpenError } from '@toskamesh/resilience';
import { freePort } from '@toskamesh/testing';
import type {
  ResolvedGatewayOptions,
  ResolvedUpstreamPolicy,
} from '../src/config/resolved-gateway-options.js';
import type { ForwardResult } from '../src/proxy/proxy-exchange.js';
import type { ProxyForwarder } from '../src/proxy/proxy-forwarder.js';
import type { WebSocketProxy } from '../src/proxy/websocket-proxy.js';
import type { RequestIdentity } from '../src/security/request-identity.js';
import type {
  AttemptResult,
  PickRequest,
  PickedTarget,
  PoolSnapshot,
  UpstreamPool,
  UpstreamTarget,
} from '../src/upstream/upstream-pool.js';

export type Policy = ResolvedUpstreamPolicy;

/** The upstream policy defaults, with `overrides` laid over the retry part and the rest. */
export function testPolicy(
  overrides: Partial<Omit<Policy, 'retry'>> & { retry?: Partial<Policy['retry']> } = {},
): Policy {
  const { retry, ...rest } = overrides;
  return {
    connectTimeoutMs: 2000,
    requestTimeoutMs: 10_000,
    strategy: 'RoundRobin',
    hashHeaders: ['x-hash-key', 'x-session-id'],
    ejection: { consecutiveFailures: 5, baseEjectionMs: 5000, maxEjectionMs: 60_000 },
    breaker: { enabled: false, failureThreshold: 0.5, minimumRequests: 20, windowMs: 10_000, openMs: 10_000 },
    ...rest,
    retry: {
      maxRetries: 2,
      budgetRatio: 0.2,
      minRetriesPerSecond: 10,
      replayBufferBytes: 65_536,
      retryOnStatuses: [502, 503],
      ...retry,
    },
  };
}

/** Gateway options as far as the proxy reads them. */
export function testOptions(maxBodyBytes = 10 * 1024 * 1024): ResolvedGatewayOptions {
  return { limits: { maxBodyBytes, maxHeaderBytes: 16_384 } } as unknown as ResolvedGatewayOptions;
}

/** A finished attempt as the fake pool saw it. */
export interface FinishedAttempt {
  readonly targetId: string;
  readonly result: AttemptResult;
}

/**
 * An in-memory {@link UpstreamPool}: round robin over fixed targets (skipping excluded ones while another is
 * left), an unlimited retry budget unless `retryBudget` is set, and a breaker that is closed unless
 * `breakerOpenForMs` is set. Records every `finish` (and a second `finish` of one pick as a bug).
 */
export class FakePool implements UpstreamPool {
  readonly kind = 'service' as const;
  readonly finished: FinishedAttempt[] = [];
  readonly doubleFinishes: string[] = [];
  firstAttempts = 0;
  retriesGranted = 0;
  inFlight = 0;
  retryBudget = Number.POSITIVE_INFINITY;
  breakerOpenForMs: number | undefined;
  private next = 0;
  private readonly targets: UpstreamTarget[];

  constructor(
    readonly name: string,
    origins: readonly URL[],
    readonly policy: Policy = testPolicy(),
  ) {
    this.targets = origins.map((origin, index) => ({ id: `${name}-${index}`, origin, basePath: '' }));
  }

  availableCount(): number {
    return this.targets.length;
  }

  targetCount(): number {
    return this.targets.length;
  }

  pick(request: PickRequest): PickedTarget | undefined {
    if (this.targets.length === 0) return undefined;
    const untried = this.targets.filter((target) => !request.exclude?.has(target.id));
    const choices = untried.length > 0 ? untried : this.targets;
    const target = choices[this.next++ % choices.length]!;
    this.inFlight += 1;
    let done = false;
    return {
      target,
      finish: (result) => {
        if (done) {
          this.doubleFinishes.push(target.id);
          return;
        }
        done = true;
        this.inFlight -= 1;
        this.finished.push({ targetId: target.id, result });
      },
    };
  }

  tryRetry(): boolean {
    if (this.retryBudget <= 0) return false;
    this.retryBudget -= 1;
    this.retriesGranted += 1;
    return true;
  }

  recordFirstAttempt(): void {
    this.firstAttempts += 1;
  }

  throughBreaker<T>(attempt: () => Promise<T>): Promise<T> {
    if (this.breakerOpenForMs !== undefined) {
      return Promise.reject(new CircuitOpenError(`gateway:${this.name}`, this.breakerOpenForMs));
    }
    return attempt();
  }

  snapshot(): PoolSnapshot {
    return { name: this.name, kind: this.kind, strategy: 'RoundRobin', targets: [] };
  }
}

/** A running node:http server. */
export interface RunningServer {
  readonly server: Server;
  readonly port: number;
  readonly origin: URL;
  close(): Promise<void>;
}

/** Starts `listener` on 127.0.0.1, port 0. */
export async function startServer(listener: RequestListener): Promise<RunningServer> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    origin: new URL(`http://127.0.0.1:${port}`),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An origin nothing listens on (connections are refused). */
export async function refusedOrigin(): Promise<URL> {
  return new URL(`http://127.0.0.1:${await freePort()}`);
}

/** What the test gateway hands every exchange, besides the request itself. */
export interface GatewaySetup {
  readonly forwarder: ProxyForwarder;
  readonly webSockets?: WebSocketProxy;
  readonly pool: FakePool;
  readonly identity?: RequestIdentity;
  /** Headers set on every response before forwarding, as CORS and rate limiting do. */
  readonly presetHeaders?: Readonly<Record<string, string>>;
}

/** A gateway in miniature: every request and upgrade goes to `setup.pool`, `req.url` as the upstream path. */
export async function startGateway(
  setup: GatewaySetup,
): Promise<RunningServer & { results: ForwardResult[] }> {
  const results: ForwardResult[] = [];
  const running = await startServer((req: IncomingMessage, res: ServerResponse) => {
    for (const [name, value] of Object.entries(setup.presetHeaders ?? {})) res.setHeader(name, value);
    void setup.forwarder
      .forward({
        req,
        res,
        pool: setup.pool,
        upstreamPath: req.url ?? '/',
        ...(setup.identity ? { identity: setup.identity } : {}),
        correlationId: 'corr-test',
        clientIp: req.socket.remoteAddress ?? '',
        secure: false,
      })
      .then((result) => results.push(result));
  });
  running.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    void setup.webSockets?.upgrade({
      req,
      socket,
      head,
      pool: setup.pool,
      upstreamPath: req.url ?? '/',
      ...(setup.identity ? { identity: setup.identity } : {}),
      correlationId: 'corr-ws',
      clientIp: req.socket.remoteAddress ?? '',
      secure: false,
    });
  });
  return { ...running, results };
}

/** A complete answer as a client saw it. */
export interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly rawHeaders: readonly string[];
  readonly body: string;
}

/** Sends one request (a fresh connection) and reads the whole answer. */
export function send(
  port: number,
  options: { method?: string; path?: string; headers?: OutgoingHttpHeaders; body?: string | Buffer } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path ?? '/',
        headers: options.headers,
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            rawHeaders: response.rawHeaders,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

/** Reads a request body to its end. */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** A promise with its resolver, for gating one side of a streaming test on the other. */
export function gate<T = void>(): { promise: Promise<T>; open: (value: T) => void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** Rejects after `ms` (bounds every wait in a test). */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
