import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { UpstreamResponse } from '../forwarding-engine.js';

/** Bodies up to this size are drained on discard so the keep-alive connection can be reused. */
const DRAIN_LIMIT_BYTES = 64 * 1024;

/** An {@link UpstreamResponse} over Node's client-side `IncomingMessage`; reads nothing until asked. */
export class IncomingUpstreamResponse implements UpstreamResponse {
  constructor(private readonly message: IncomingMessage) {}

  get status(): number {
    return this.message.statusCode ?? 502;
  }

  get statusMessage(): string {
    return this.message.statusMessage ?? '';
  }

  get headers(): IncomingHttpHeaders {
    return this.message.headers;
  }

  get rawHeaders(): readonly string[] {
    return this.message.rawHeaders;
  }

  get body(): Readable {
    return this.message;
  }

  /**
   * Drains a small body of known length (the connection goes back to the pool); destroys anything else
   * (a long or endless body, e.g. a 503 that streams, must not hold the retry up).
   */
  discard(): void {
    const message = this.message;
    const length = Number(message.headers['content-length']);
    if (length <= DRAIN_LIMIT_BYTES) {
      message.on('error', ignoreError);
      message.resume();
    } else {
      message.destroy();
    }
  }
}

function ignoreError(): void {}
