import type { ServerResponse } from 'node:http';
import { toInstanceJson } from '../http/instance-json.js';
import type { WatchMessage, WatchSink } from './watch-hub.service.js';

/** Formats one message as an SSE frame: `id:` the index, `event:` the type, `data:` JSON. */
export function sseFrame(message: WatchMessage): string {
  const data =
    message.type === 'snapshot'
      ? { index: message.index, type: 'snapshot', instances: message.instances.map((i) => toInstanceJson(i)) }
      : {
          index: message.index,
          type: message.type,
          instance: toInstanceJson(message.instance),
          ...(message.reason ? { reason: message.reason } : {}),
        };
  return `id: ${message.index}\nevent: ${message.type}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * A watch client on a `text/event-stream` response. A client that stops reading (more than
 * `maxBufferedBytes` unsent) is disconnected rather than buffered without bound; it reconnects with
 * `Last-Event-ID` and resumes.
 */
export class SseSink implements WatchSink {
  private ended = false;

  constructor(
    private readonly response: ServerResponse,
    private readonly maxBufferedBytes: number,
  ) {}

  /** Writes the status line and headers that make this response an event stream. */
  static open(response: ServerResponse): void {
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      // Reverse proxies (nginx) must pass events through instead of buffering them.
      'X-Accel-Buffering': 'no',
    });
    response.write('retry: 2000\n\n');
  }

  send(message: WatchMessage): void {
    this.write(sseFrame(message));
  }

  heartbeat(): void {
    this.write(`: keep-alive ${new Date().toISOString()}\n\n`);
  }

  close(): void {
    if (this.ended) return;
    this.ended = true;
    this.response.end();
  }

  private write(text: string): void {
    if (this.ended || this.response.destroyed) return;
    this.response.write(text);
    if (this.response.writableLength > this.maxBufferedBytes) {
      this.ended = true;
      this.response.destroy();
    }
  }
}
