import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ToskaStoreOptions } from '../config/toska-store-options.js';
import { ServerState } from '../server/server-state.js';
import { TOSKA_STORE_OPTIONS } from '../toska-store.tokens.js';
import { RequestPipeline } from './request-pipeline.js';

/** Node's default header limit; raised when `maxKeyBytes` needs a longer request line. */
const DEFAULT_MAX_HEADER_SIZE = 16_384;

/** How often a draining server closes the connections that went idle. */
const DRAIN_SWEEP_MS = 20;

/**
 * Owns the `node:http` server of the ToskaStore API (docs/adr/0002-toska-store-http.md: a lean server
 * and a hand-written router, not Express, for throughput and Plug's exact parser/route behaviour).
 * `listen()` is explicit, called once every provider is initialised (engine loaded); shutdown stops
 * accepting, lets in-flight requests finish (answering them with `connection: close`), and after
 * `drainTimeoutMs` cuts what is left, all before the engine closes in `onApplicationShutdown`.
 */
@Injectable()
export class ToskaHttpServer implements BeforeApplicationShutdown {
  private readonly logger = new Logger('ToskaHttp');
  private readonly server: Server;
  private draining = false;
  private closing: Promise<void> | undefined;

  constructor(
    @Inject(TOSKA_STORE_OPTIONS) private readonly options: ToskaStoreOptions,
    private readonly pipeline: RequestPipeline,
    private readonly state: ServerState,
  ) {
    this.server = createServer(
      { maxHeaderSize: Math.max(DEFAULT_MAX_HEADER_SIZE, options.maxKeyBytes * 3 + 4096) },
      (req, res) => this.onRequest(req, res, false),
    );
    // Answer `Expect: 100-continue` ourselves: Node would send 100 at once, inviting a body we refuse.
    this.server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) =>
      this.onRequest(req, res, true),
    );
  }

  /** The bound address, once listening. */
  get address(): AddressInfo | undefined {
    const address = this.server.address();
    return typeof address === 'object' && address !== null ? address : undefined;
  }

  /** Binds `host:port` (port 0 picks a free one) and resolves with the bound address. */
  async listen(): Promise<AddressInfo> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ host: this.options.host, port: this.options.port }, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const address = this.address!;
    this.state.markListening(address.port);
    this.logger.log(`ToskaStore listening on ${address.address}:${address.port}`);
    return address;
  }

  /** Stops accepting and drains in-flight requests; safe to call twice. */
  close(): Promise<void> {
    this.closing ??= this.drain();
    return this.closing;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.close();
  }

  private onRequest(req: IncomingMessage, res: ServerResponse, expectsContinue: boolean): void {
    if (this.draining) res.shouldKeepAlive = false;
    this.pipeline.handle(req, res, expectsContinue);
  }

  private async drain(): Promise<void> {
    if (!this.server.listening) return;
    this.draining = true;
    this.state.markStopped();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // Each in-flight response leaves its keep-alive connection idle when done; close those as they
    // appear (cheaper than tracking every request on the hot path).
    const sweeper = setInterval(() => this.server.closeIdleConnections(), DRAIN_SWEEP_MS).unref();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.options.drainTimeoutMs).unref();
    });
    const outcome = await Promise.race([closed, timedOut]);
    clearTimeout(timer);
    clearInterval(sweeper);
    if (outcome === 'timeout') {
      this.logger.warn(
        `Requests still running after ${this.options.drainTimeoutMs} ms; closing their connections`,
      );
      this.server.closeAllConnections();
      await closed;
    }
  }
}
