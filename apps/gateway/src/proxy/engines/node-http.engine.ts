import type { ClientRequest, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import type {
  ForwardingEngine,
  UpstreamRequest,
  UpstreamResponse,
  UpstreamUpgrade,
} from '../forwarding-engine.js';
import { PendingAttempt } from './pending-attempt.js';
import { tunnelUpgrade } from './upgrade-tunnel.js';
import { KeepAliveAgents, UpstreamEndpoints } from './upstream-endpoint.js';

/** Where a `ClientRequest` keeps its attempt, so one set of listener functions serves every request. */
const ATTEMPT = Symbol('toskamesh.gateway.attempt');

type TrackedRequest = ClientRequest & { [ATTEMPT]: NodeHttpAttempt };

/**
 * The lean engine: one `http.request` per attempt on keep-alive agents, the body piped (or the replay copy
 * written), listeners shared by all requests. It is the baseline the other engines are measured against.
 */
export class NodeHttpEngine implements ForwardingEngine {
  readonly name = 'node-http';
  private readonly agents = new KeepAliveAgents();
  private readonly endpoints = new UpstreamEndpoints(this.agents);

  send(request: UpstreamRequest): Promise<UpstreamResponse> {
    return new NodeHttpAttempt(request).start(this.endpoints);
  }

  upgrade(request: UpstreamUpgrade): Promise<number> {
    return tunnelUpgrade(request);
  }

  close(): Promise<void> {
    this.agents.destroy();
    return Promise.resolve();
  }
}

class NodeHttpAttempt extends PendingAttempt {
  private request: ClientRequest | undefined;

  start(endpoints: UpstreamEndpoints): Promise<UpstreamResponse> {
    const promise = this.begin();
    if (this.isSettled) return promise;
    const spec = this.spec;
    const endpoint = endpoints.of(spec.origin);
    let request: ClientRequest;
    try {
      request = endpoint.request({
        agent: endpoint.agent,
        hostname: endpoint.hostname,
        port: endpoint.port,
        method: spec.method,
        path: spec.path,
        headers: headerLines(spec.headers, endpoint.host),
      });
    } catch (error) {
      // Invalid header names/values or path characters: the request, not the upstream, is at fault.
      this.fail('aborted', `Upstream request refused by Node: ${(error as Error).message}`, error);
      return promise;
    }
    this.request = request;
    (request as TrackedRequest)[ATTEMPT] = this;
    request.on('socket', onSocket);
    request.on('response', onResponse);
    request.on('error', onError);
    this.sendBody(request);
    return promise;
  }

  /** @internal */
  socketAssigned(socket: Socket): void {
    this.watchSocket(this.request!, socket);
  }

  /** @internal */
  responded(message: IncomingMessage): void {
    this.succeed(message);
  }

  /** @internal */
  errored(error: unknown): void {
    this.upstreamError(error);
  }

  protected override abortUpstream(): void {
    this.request?.destroy();
  }
}

/**
 * `headers` as the flat `[name, value, ...]` list `http.request` also takes: Node then writes them as they
 * are instead of running `setHeader` (validation, lower-casing, a map entry) for each one first. That list
 * form skips Node's automatic `Host`, so the instance's is added unless the caller set one.
 */
function headerLines(headers: OutgoingHttpHeaders, host: string): string[] {
  const lines: string[] = [];
  let hasHost = false;
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    if (typeof value === 'string') lines.push(name, value);
    else if (typeof value === 'number') lines.push(name, String(value));
    else for (const item of value) lines.push(name, item);
    if (!hasHost && name.length === 4 && name.toLowerCase() === 'host') hasHost = true;
  }
  if (!hasHost) lines.push('host', host);
  return lines;
}

function onSocket(this: TrackedRequest, socket: Socket): void {
  this[ATTEMPT].socketAssigned(socket);
}

function onResponse(this: TrackedRequest, message: IncomingMessage): void {
  this[ATTEMPT].responded(message);
}

function onError(this: TrackedRequest, error: Error): void {
  this[ATTEMPT].errored(error);
}
