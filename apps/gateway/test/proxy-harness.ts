// The per-engine harness of the proxy e2e specs: upstreams and a miniature gateway, closed after each test.
import type { RequestListener } from 'node:http';
import {
  createForwardingEngine,
  type ForwardingEngineName,
} from '../src/proxy/engines/create-forwarding-engine.js';
import { ProxyForwarder } from '../src/proxy/proxy-forwarder.js';
import type { RequestIdentity } from '../src/security/request-identity.js';
import {
  FakePool,
  readBody,
  startGateway,
  startServer,
  testOptions,
  testPolicy,
  type Policy,
  type RunningServer,
} from './proxy-fixtures.js';

/** Every engine the e2e specs run against. */
export const ENGINES: readonly ForwardingEngineName[] = ['http-proxy-middleware', 'node-http'];

/** Answers with what it received: method, url, headers and body, as JSON. */
export const echo: RequestListener = (req, res) => {
  void readBody(req).then((body) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body }));
  });
};

/** Starts servers for one test on one engine and closes them all in {@link close}. */
export class ProxyHarness {
  private readonly cleanups: (() => Promise<void>)[] = [];

  constructor(readonly engineName: ForwardingEngineName) {}

  async upstream(listener: RequestListener): Promise<RunningServer> {
    const server = await startServer(listener);
    this.cleanups.push(() => server.close());
    return server;
  }

  /** A gateway whose pool holds `origins` (in pick order); `retries` collects the forwarder's retry reasons. */
  async gateway(
    origins: URL[],
    options: {
      policy?: Policy;
      maxBodyBytes?: number;
      identity?: RequestIdentity;
      presetHeaders?: Record<string, string>;
    } = {},
  ) {
    const engine = await createForwardingEngine(this.engineName);
    const retries: string[] = [];
    const forwarder = new ProxyForwarder({
      engine,
      options: testOptions(options.maxBodyBytes),
      onRetry: (_pool, reason) => retries.push(reason),
    });
    const pool = new FakePool('orders', origins, options.policy ?? testPolicy());
    const running = await startGateway({
      forwarder,
      pool,
      ...(options.identity ? { identity: options.identity } : {}),
      ...(options.presetHeaders ? { presetHeaders: options.presetHeaders } : {}),
    });
    this.cleanups.push(() => engine.close());
    this.cleanups.push(() => running.close());
    return { ...running, pool, retries };
  }

  async close(): Promise<void> {
    for (const cleanup of this.cleanups.splice(0).reverse()) await cleanup();
  }
}
