import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ResolvedGatewayOptions } from '../config/resolved-gateway-options.js';
import { handleClientError } from './client-error.js';

/** The request and upgrade listeners the server dispatches to (the proxy pipeline). */
export interface GatewayListeners {
  handle(req: IncomingMessage, res: ServerResponse): void;
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
}

/**
 * Longer than the 60 s idle timeout of common load balancers, so the balancer (not the gateway) closes
 * idle keep-alive connections and never sends onto one the gateway is closing.
 */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;
/** Time allowed for a request head (slow-loris guard); must not exceed the request timeout. */
const HEADERS_TIMEOUT_MS = 30_000;
/** Time allowed to receive a whole request; uploads slower than this are cut off. */
const REQUEST_TIMEOUT_MS = 300_000;
/** While draining, how often idle keep-alive connections are closed. */
const DRAIN_SWEEP_MS = 100;

/**
 * The gateway's listening socket: a node:http server (node:https when a certificate is configured).
 * Heads over `limits.maxHeaderBytes` get 431 and unparsable requests 400 (`clientError`); every request
 * and upgrade goes to the {@link GatewayListeners}. {@link close} drains: it stops accepting, lets
 * in-flight requests finish within a grace period, then cuts what is left, upgraded tunnels included.
 */
export class GatewayServer {
  private readonly server: Server;
  private readonly tunnels = new Set<Duplex>();
  private closing?: Promise<void>;

  constructor(
    private readonly options: Pick<ResolvedGatewayOptions, 'host' | 'port' | 'tls' | 'limits'>,
    listeners: GatewayListeners,
  ) {
    const serverOptions = {
      maxHeaderSize: options.limits.maxHeaderBytes,
      keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
      headersTimeout: HEADERS_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
    };
    this.server = options.tls
      ? createHttpsServer({ ...serverOptions, cert: options.tls.cert, key: options.tls.key })
      : createHttpServer(serverOptions);
    this.server.on('request', listeners.handle);
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      this.tunnels.add(socket);
      socket.once('close', () => this.tunnels.delete(socket));
      if (this.closing) {
        socket.destroy();
        return;
      }
      listeners.upgrade(req, socket, head);
    });
    this.server.on('clientError', handleClientError);
    // A failed TLS handshake is the client's problem, not the process's.
    this.server.on('tlsClientError', (_error: Error, socket: Duplex) => socket.destroy());
  }

  /** Whether clients connect over TLS. */
  get secure(): boolean {
    return this.options.tls !== undefined;
  }

  /** True once {@link close} began: readiness answers 503 from then on. */
  get draining(): boolean {
    return this.closing !== undefined;
  }

  /** Starts listening on the configured host and port; resolves with the URL clients use. */
  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      const failed = (error: Error) => reject(error);
      this.server.once('error', failed);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', failed);
        resolve();
      });
    });
    return this.url;
  }

  /** `http(s)://host:port` of the listening socket (a wildcard host shown as 127.0.0.1). */
  get url(): string {
    const address = this.server.address() as AddressInfo | null;
    if (address === null) throw new Error('The gateway server is not listening');
    const wildcard = address.address === '0.0.0.0' || address.address === '::';
    const host = wildcard
      ? '127.0.0.1'
      : address.family === 'IPv6'
        ? `[${address.address}]`
        : address.address;
    return `${this.secure ? 'https' : 'http'}://${host}:${address.port}`;
  }

  /**
   * Stops accepting connections, closes idle keep-alive connections as they become idle, waits up to
   * `graceMs` for in-flight requests, then destroys what remains (upgraded tunnels too). Idempotent.
   */
  close(graceMs = 10_000): Promise<void> {
    this.closing ??= this.drain(graceMs);
    return this.closing;
  }

  private async drain(graceMs: number): Promise<void> {
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    const sweep = setInterval(() => this.server.closeIdleConnections(), DRAIN_SWEEP_MS);
    sweep.unref();
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
      timer.unref();
    });
    await Promise.race([closed, graceOver]);
    clearInterval(sweep);
    clearTimeout(timer);
    this.server.closeAllConnections();
    for (const socket of this.tunnels) socket.destroy();
    this.tunnels.clear();
    await closed;
  }
}
