import { STATUS_CODES, type ClientRequest, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { UpstreamFailure, type UpstreamFailureKind, type UpstreamUpgrade } from '../forwarding-engine.js';
import { clientResponseHeaders } from '../upstream-headers.js';
import { describeError, failureKindOf } from './failure-kind.js';
import { addressOf } from './upstream-endpoint.js';

/**
 * Tunnels an upgrade request (WebSocket) to `request.origin` on a fresh connection: on `101` the client and
 * upstream sockets are piped both ways; any other answer is relayed (hop-by-hop headers removed, the body
 * delimited by closing the connection) and the client socket closed. Rejects with {@link UpstreamFailure}
 * while nothing has been written to the client, so the caller can try another instance.
 *
 * Shared by every engine: httpxy's `ws` pass ends the client socket when the upstream cannot be reached
 * (and pushes `head` back into it), which would rule out trying another instance.
 */
export function tunnelUpgrade(request: UpstreamUpgrade): Promise<number> {
  return new Promise((resolve, reject) => {
    new UpgradeTunnel(request, resolve, reject).start();
  });
}

class UpgradeTunnel {
  private decided = false;
  private connected = false;
  private upstreamRequest: ClientRequest | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly onClientGone = (): void => this.fail('aborted', 'The client went away during the upgrade');

  constructor(
    private readonly spec: UpstreamUpgrade,
    private readonly resolve: (status: number) => void,
    private readonly reject: (failure: UpstreamFailure) => void,
  ) {}

  start(): void {
    const { spec } = this;
    const client = spec.clientSocket;
    client.on('error', this.onClientGone);
    client.once('close', this.onClientGone);
    const address = addressOf(spec.origin);
    const upstreamRequest = address.request({
      agent: false,
      hostname: address.hostname,
      port: address.port,
      method: spec.clientRequest.method ?? 'GET',
      path: spec.path,
      headers: spec.headers,
    });
    this.upstreamRequest = upstreamRequest;
    upstreamRequest.on('socket', (socket: Socket) => this.watchSocket(socket));
    upstreamRequest.on('error', (error) =>
      this.fail(failureKindOf(error, this.connected), describeError(error), error),
    );
    upstreamRequest.on('upgrade', (response: IncomingMessage, socket: Socket, head: Buffer) =>
      this.upgraded(response, socket, head),
    );
    upstreamRequest.on('response', (response: IncomingMessage) => this.relay(response));
    upstreamRequest.end();
  }

  private watchSocket(socket: Socket): void {
    if (!socket.connecting) {
      this.connected = true;
      this.armResponseDeadline();
      return;
    }
    this.timer = setTimeout(
      () => this.fail('connect', `No connection within ${this.spec.connectTimeoutMs} ms`),
      this.spec.connectTimeoutMs,
    ).unref();
    socket.once('encrypted' in socket ? 'secureConnect' : 'connect', () => {
      this.connected = true;
      clearTimeout(this.timer);
      this.armResponseDeadline();
    });
  }

  private armResponseDeadline(): void {
    const ms = this.spec.responseTimeoutMs;
    if (ms === undefined || this.decided) return;
    this.timer = setTimeout(
      () => this.fail('timeout', `No answer to the upgrade within ${ms} ms`),
      ms,
    ).unref();
  }

  /** Decides once; false when already decided. */
  private decide(): boolean {
    if (this.decided) return false;
    this.decided = true;
    clearTimeout(this.timer);
    this.spec.clientSocket.removeListener('close', this.onClientGone);
    this.spec.clientSocket.removeListener('error', this.onClientGone);
    return true;
  }

  private fail(kind: UpstreamFailureKind, message: string, cause?: unknown): void {
    if (!this.decide()) return;
    this.upstreamRequest?.destroy();
    this.reject(
      new UpstreamFailure(kind, `Upgrade to ${this.spec.origin.host} failed: ${message}`, { cause }),
    );
  }

  private upgraded(response: IncomingMessage, upstream: Socket, upstreamHead: Buffer): void {
    const client = this.spec.clientSocket;
    if (!this.decide()) {
      upstream.destroy();
      return;
    }
    if (client.destroyed) {
      upstream.destroy();
      this.resolve(101);
      return;
    }
    const closeBoth = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', closeBoth);
    upstream.on('error', closeBoth);
    client.once('close', closeBoth);
    upstream.once('close', closeBoth);
    upstream.setTimeout(0);
    upstream.setNoDelay(true);
    if ('setNoDelay' in client && typeof client.setNoDelay === 'function')
      (client as Socket).setNoDelay(true);
    client.write(
      head(`HTTP/1.1 101 ${response.statusMessage || 'Switching Protocols'}`, response.rawHeaders),
    );
    if (upstreamHead.length > 0) client.write(upstreamHead);
    if (this.spec.head.length > 0) upstream.write(this.spec.head);
    upstream.pipe(client);
    client.pipe(upstream);
    this.resolve(101);
  }

  private relay(response: IncomingMessage): void {
    const status = response.statusCode ?? 502;
    if (!this.decide()) {
      response.destroy();
      return;
    }
    const client: Duplex = this.spec.clientSocket;
    client.on('error', () => response.destroy());
    response.on('error', () => client.destroy());
    if (client.destroyed || !client.writable) {
      response.destroy();
    } else {
      const pairs = clientResponseHeaders(response.rawHeaders);
      pairs.push('connection', 'close');
      client.write(head(`HTTP/1.1 ${status} ${response.statusMessage || STATUS_CODES[status] || ''}`, pairs));
      // Without Content-Length the body ends where the connection does (the headers say `close`).
      response.pipe(client);
    }
    this.resolve(status);
  }
}

function head(statusLine: string, pairs: readonly string[]): string {
  let text = `${statusLine}\r\n`;
  for (let i = 0; i < pairs.length; i += 2) text += `${pairs[i]}: ${pairs[i + 1]}\r\n`;
  return `${text}\r\n`;
}
