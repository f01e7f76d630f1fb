import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';

/**
 * Ends keep-alive connections during shutdown. `server.close()` only drops connections idle at that
 * moment; a response finished later would keep its socket open until the client's idle timeout, so
 * closing the app waited seconds (or, for a busy pooled client sending more requests, indefinitely).
 * Once draining, every response not yet started answers `Connection: close`, and idle sockets are dropped.
 */
@Injectable()
export class ConnectionDrain implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly open = new Set<ServerResponse>();
  private server: Server | undefined;
  private draining = false;

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onApplicationBootstrap(): void {
    this.server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    // Ahead of the app's own listener, so a response is tracked before it can finish.
    this.server?.prependListener('request', this.track);
  }

  onModuleDestroy(): void {
    this.draining = true;
    for (const response of this.open) closeAfter(response);
    this.server?.closeIdleConnections?.();
  }

  private readonly track = (_request: IncomingMessage, response: ServerResponse): void => {
    if (this.draining) return closeAfter(response);
    this.open.add(response);
    response.once('close', () => this.open.delete(response));
  };
}

function closeAfter(response: ServerResponse): void {
  if (!response.headersSent) response.shouldKeepAlive = false;
}
