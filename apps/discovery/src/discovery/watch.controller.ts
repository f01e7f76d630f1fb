import { Controller, Get, Inject, Query, Req, Res, UseGuards } from '@nestjs/common';
import { MeshValidationError } from '@toskamesh/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequiresAccess } from '../auth/access.decorator.js';
import { DiscoveryAuthGuard } from '../auth/discovery-auth.guard.js';
import type { ResolvedDiscoveryOptions } from '../config/discovery-options.js';
import { DISCOVERY_OPTIONS } from '../discovery-app.tokens.js';
import { ChangeFeed } from '../watch/change-feed.service.js';
import { SseSink } from '../watch/sse.sink.js';
import { WatchHub } from '../watch/watch-hub.service.js';

/** How long a watch waits for the registry's first snapshot after start-up before answering 503. */
const READY_TIMEOUT_MS = 10_000;

/**
 * `GET /api/ServiceDiscovery/watch?service=&index=`: registry changes as Server-Sent Events. A client
 * resuming with `index` or `Last-Event-ID` gets the events after it (or one snapshot when they are no
 * longer retained); a new client gets a snapshot first. Closing the connection frees everything.
 */
@Controller('api/ServiceDiscovery')
@UseGuards(DiscoveryAuthGuard)
@RequiresAccess('read')
export class WatchController {
  constructor(
    private readonly hub: WatchHub,
    private readonly feed: ChangeFeed,
    @Inject(DISCOVERY_OPTIONS) private readonly options: ResolvedDiscoveryOptions,
  ) {}

  @Get('watch')
  async watch(
    @Query('service') service: unknown,
    @Query('index') index: unknown,
    @Req() request: IncomingMessage,
    @Res() response: ServerResponse,
  ): Promise<void> {
    const serviceName = readService(service);
    // EventSource re-sends the original URL on reconnect, so Last-Event-ID is the fresher of the two.
    const resumeFrom = readIndex(request.headers['last-event-id'] ?? index);
    await this.feed.whenReady(READY_TIMEOUT_MS);
    this.hub.assertCapacity();
    SseSink.open(response);
    const sink = new SseSink(response, this.options.watch.maxBufferedBytes);
    const close = this.hub.open(sink, { ...(serviceName ? { serviceName } : {}), index: resumeFrom });
    const release = () => {
      close();
      sink.close();
    };
    // The response's close (not the request's, which may fire once its body is read) means the client left.
    response.once('close', release);
    if (response.destroyed) release();
  }
}

function readService(value: unknown): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new MeshValidationError('watch request', ['service must be one name']);
  return value;
}

function readIndex(value: unknown): number | undefined {
  if (value === undefined || value === '') return undefined;
  const text = Array.isArray(value) ? value[0] : value;
  if (typeof text === 'string' && /^\d{1,15}$/.test(text.trim())) return Number(text.trim());
  throw new MeshValidationError('watch request', [
    `index / Last-Event-ID must be a non-negative integer (got ${JSON.stringify(value)})`,
  ]);
}
