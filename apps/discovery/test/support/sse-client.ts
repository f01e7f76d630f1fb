/** One parsed Server-Sent Event. */
export interface SseEvent {
  id: string | undefined;
  event: string;
  data: Record<string, unknown>;
}

/**
 * A minimal SSE reader for tests over `fetch`: parses frames into a queue and waits for the next one
 * (or one matching a predicate) with a deadline. `close()` aborts the request.
 */
export class SseClient {
  readonly comments: string[] = [];
  private readonly events: SseEvent[] = [];
  private waiter?: () => void;
  private buffer = '';
  private ended = false;

  private constructor(
    readonly status: number,
    readonly contentType: string,
    private readonly controller: AbortController,
  ) {}

  /** Opens the stream; resolves once the response headers arrived. */
  static async open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error('SSE connect timed out')), 5000);
    const response = await fetch(url, {
      headers: { accept: 'text/event-stream', ...headers },
      signal: controller.signal,
    });
    clearTimeout(timer);
    const client = new SseClient(response.status, response.headers.get('content-type') ?? '', controller);
    if (response.body) void client.pump(response.body).catch(() => undefined);
    return client;
  }

  /** The next event, failing after `timeoutMs`. */
  next(timeoutMs = 5000): Promise<SseEvent> {
    return this.nextMatching(() => true, timeoutMs);
  }

  /** The next event for which `predicate` holds (earlier ones are dropped), failing after `timeoutMs`. */
  async nextMatching(predicate: (event: SseEvent) => boolean, timeoutMs = 5000): Promise<SseEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.events.length > 0) {
        const event = this.events.shift()!;
        if (predicate(event)) return event;
      }
      if (this.ended) throw new Error('SSE stream ended');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching SSE event within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** True once the server closed the stream. */
  get closed(): boolean {
    return this.ended;
  }

  close(): void {
    this.controller.abort();
  }

  private async pump(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of body) {
        this.buffer += decoder.decode(chunk, { stream: true });
        this.drain();
      }
    } finally {
      this.ended = true;
      this.waiter?.();
    }
  }

  private drain(): void {
    let end = this.buffer.indexOf('\n\n');
    while (end >= 0) {
      const frame = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      this.parse(frame);
      end = this.buffer.indexOf('\n\n');
    }
    this.waiter?.();
  }

  private parse(frame: string): void {
    let id: string | undefined;
    let event = 'message';
    const data: string[] = [];
    for (const line of frame.split('\n')) {
      if (line.startsWith(':')) this.comments.push(line);
      else if (line.startsWith('id: ')) id = line.slice(4);
      else if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
    }
    if (data.length)
      this.events.push({ id, event, data: JSON.parse(data.join('\n')) as Record<string, unknown> });
  }
}
