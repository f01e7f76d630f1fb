import http, { type Agent, type ClientRequest, type RequestOptions } from 'node:http';
import https from 'node:https';

/**
 * The keep-alive agents of one engine. LIFO reuses the most recently freed socket, the one least likely to
 * have been closed by the upstream meanwhile; Node's agent also honours the upstream's `Keep-Alive:
 * timeout=N` hint and drops an idle socket before the upstream would.
 */
export class KeepAliveAgents {
  readonly http: Agent = new http.Agent({ keepAlive: true, maxFreeSockets: 256, scheduling: 'lifo' });
  readonly https: Agent = new https.Agent({ keepAlive: true, maxFreeSockets: 256, scheduling: 'lifo' });

  /** Closes pooled sockets (sockets in use close when their request ends). */
  destroy(): void {
    this.http.destroy();
    this.https.destroy();
  }
}

/** What an engine needs to reach one upstream origin, read from its `URL` once. */
export interface UpstreamEndpoint {
  readonly secure: boolean;
  readonly protocol: 'http:' | 'https:';
  /** Without IPv6 brackets, as `http.request` wants it. */
  readonly hostname: string;
  readonly port: number;
  /** `hostname[:port]` as in the URL (brackets kept). */
  readonly host: string;
  readonly agent: Agent;
  readonly request: (options: RequestOptions) => ClientRequest;
}

/**
 * Endpoints by origin `URL` object. Pools keep one `URL` per target, so the lookup is a `WeakMap` hit and
 * the proxy never parses or reads a URL's getters per request.
 */
export class UpstreamEndpoints {
  private readonly byOrigin = new WeakMap<URL, UpstreamEndpoint>();

  constructor(private readonly agents: KeepAliveAgents) {}

  of(origin: URL): UpstreamEndpoint {
    let endpoint = this.byOrigin.get(origin);
    if (endpoint === undefined) {
      endpoint = endpointOf(origin, this.agents);
      this.byOrigin.set(origin, endpoint);
    }
    return endpoint;
  }
}

/** The endpoint of `origin` with `agents`; `http:`/`ws:` are plain, `https:`/`wss:` use TLS. */
export function endpointOf(origin: URL, agents: KeepAliveAgents): UpstreamEndpoint {
  const address = addressOf(origin);
  return { ...address, agent: address.secure ? agents.https : agents.http };
}

/** {@link UpstreamEndpoint} without an agent (for one-off connections such as upgrades). */
export function addressOf(origin: URL): Omit<UpstreamEndpoint, 'agent'> {
  const secure = origin.protocol === 'https:' || origin.protocol === 'wss:';
  const rawHost = origin.hostname;
  const hostname = rawHost.startsWith('[') && rawHost.endsWith(']') ? rawHost.slice(1, -1) : rawHost;
  return {
    secure,
    protocol: secure ? 'https:' : 'http:',
    hostname,
    port: origin.port === '' ? (secure ? 443 : 80) : Number(origin.port),
    host: origin.host,
    request: secure ? https.request : http.request,
  };
}
