/** One dispatched Server-Sent Event (WHATWG HTML "event stream interpretation"). */
export interface SseMessage {
  /** `event:` field; `'message'` when the server sent none. */
  event: string;
  /** `data:` lines joined with `\n`. */
  data: string;
  /** The last `id:` seen on the stream so far (ids persist across events, as in `EventSource`). */
  lastEventId: string;
  /** `retry:` in milliseconds, when this event carried one. */
  retry?: number;
}

/**
 * Incremental `text/event-stream` parser: feed it chunks as they arrive (bytes or text, split anywhere,
 * even inside a UTF-8 sequence or between the CR and LF of a line break) and it returns the events
 * completed by each chunk. Comment lines (`: ...`, the server's keep-alives) are counted, not returned.
 */
export class SseParser {
  private readonly decoder = new TextDecoder('utf-8');
  private buffer = '';
  private started = false;
  private pendingCr = false;
  private data: string[] = [];
  private event = '';
  private retry: number | undefined;
  private lastEventId = '';
  /** Comment lines seen so far; a growing count proves the connection is alive. */
  comments = 0;

  /** Parses one chunk and returns the events it completed, in order. */
  push(chunk: string | Uint8Array): SseMessage[] {
    let text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    // A CR ending the previous chunk already ended its line; an LF opening this one belongs to it.
    if (this.pendingCr && text.startsWith('\n')) text = text.slice(1);
    this.pendingCr = false;
    this.buffer += text;
    const messages: SseMessage[] = [];
    let start = 0;
    for (;;) {
      const end = nextLineBreak(this.buffer, start);
      if (end < 0) break;
      const message = this.line(this.buffer.slice(start, end));
      if (message) messages.push(message);
      const crlf = this.buffer[end] === '\r' && this.buffer[end + 1] === '\n';
      this.pendingCr = this.buffer[end] === '\r' && end + 1 === this.buffer.length;
      start = end + (crlf ? 2 : 1);
    }
    this.buffer = this.buffer.slice(start);
    return messages;
  }

  private line(line: string): SseMessage | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) {
      this.comments += 1;
      return undefined;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data':
        this.data.push(value);
        break;
      case 'event':
        this.event = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retry = Number(value);
        break;
      default:
        break;
    }
    return undefined;
  }

  private dispatch(): SseMessage | undefined {
    const { data, event, retry } = this;
    this.data = [];
    this.event = '';
    this.retry = undefined;
    // Per the spec an event without data lines is dropped (its `id:` still counts).
    if (data.length === 0) return undefined;
    return {
      event: event || 'message',
      data: data.join('\n'),
      lastEventId: this.lastEventId,
      ...(retry === undefined ? {} : { retry }),
    };
  }
}

function nextLineBreak(text: string, from: number): number {
  for (let i = from; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code === 10 || code === 13) return i;
  }
  return -1;
}
