import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { Duplex, Readable } from 'node:stream';

/** One attempt to send a client request to one upstream instance. */
export interface UpstreamRequest {
  /** The client's request; its body is streamed unless `body` is given. */
  readonly clientRequest: IncomingMessage;
  /** Upstream origin, e.g. `http://127.0.0.1:5020` (a base path, if any, is already part of `path`). */
  readonly origin: URL;
  readonly method: string;
  /** Path and query sent upstream, starting with `/`. */
  readonly path: string;
  /** Headers sent upstream: hop-by-hop removed, forwarding/identity/trace headers set by the caller. */
  readonly headers: OutgoingHttpHeaders;
  /** A replayable copy of the body (for retries); when absent the engine pipes `bodyStream` or `clientRequest`. */
  readonly body?: Buffer;
  /**
   * A stream to send instead of `clientRequest` when there is no `body` (the client's body behind a size
   * limit). An `'error'` on it aborts the attempt with kind `aborted`.
   */
  readonly bodyStream?: Readable;
  /** Connect deadline. */
  readonly connectTimeoutMs: number;
  /** Deadline from sending to response headers. */
  readonly requestTimeoutMs: number;
  /** Aborts the attempt (client went away). */
  readonly signal?: AbortSignal;
  /** Cancels the attempt (client went away) without the cost of an `AbortSignal`; see {@link AttemptCancellation}. */
  readonly cancellation?: AttemptCancellation;
}

/** An attempt in flight that can be called off. */
export interface Cancellable {
  cancel(): void;
}

/**
 * Calls off the attempt in flight when the client goes away: a cheaper stand-in for `AbortSignal` on the
 * proxy's hot path (creating an `AbortController` and listening to it measured ~4-8 µs per request on
 * Node 24, a tenth of a whole proxied request's CPU budget). One per client request, shared by its attempts.
 */
export class AttemptCancellation {
  private inFlight: Cancellable | undefined;
  private done = false;

  /** True once {@link cancel} was called. */
  get cancelled(): boolean {
    return this.done;
  }

  /** For engines: registers the attempt now in flight; false when already cancelled (fail it at once). */
  track(attempt: Cancellable): boolean {
    if (this.done) return false;
    this.inFlight = attempt;
    return true;
  }

  /** For engines: the attempt settled and no longer needs calling off. */
  untrack(attempt: Cancellable): void {
    if (this.inFlight === attempt) this.inFlight = undefined;
  }

  /** Cancels the attempt in flight (it fails with kind `aborted`) and every later one. */
  cancel(): void {
    if (this.done) return;
    this.done = true;
    const attempt = this.inFlight;
    this.inFlight = undefined;
    attempt?.cancel();
  }
}

/** The upstream's answer, headers received, body not yet read. Exactly one of `commit`/`discard` must follow. */
export interface UpstreamResponse {
  readonly status: number;
  readonly statusMessage: string;
  readonly headers: IncomingHttpHeaders;
  /** Raw header pairs as received (keeps order and duplicates such as several `set-cookie`). */
  readonly rawHeaders: readonly string[];
  /** The body stream (not yet flowing). */
  readonly body: Readable;
  /** Throws the body away and frees the connection (used before a retry). */
  discard(): void;
}

/** Why an attempt produced no response; `kind` decides retry and ejection. */
export type UpstreamFailureKind =
  | 'connect' // could not connect (refused, unreachable, DNS, connect timeout)
  | 'reset' // connection reset / closed before response headers
  | 'timeout' // no response headers within requestTimeoutMs
  | 'aborted'; // the client went away (not the upstream's fault)

/** A failed attempt, thrown by {@link ForwardingEngine.send}. */
export class UpstreamFailure extends Error {
  constructor(
    readonly kind: UpstreamFailureKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'UpstreamFailure';
  }
}

/** A WebSocket (or other `Upgrade`) request to tunnel to one instance. */
export interface UpstreamUpgrade {
  readonly clientRequest: IncomingMessage;
  readonly clientSocket: Duplex;
  readonly head: Buffer;
  readonly origin: URL;
  readonly path: string;
  readonly headers: OutgoingHttpHeaders;
  readonly connectTimeoutMs: number;
  /** Deadline from sending the upgrade request to the upstream's answer (101 or other); none when absent. */
  readonly responseTimeoutMs?: number;
}

/**
 * The forwarding step, kept small so an engine can be swapped on evidence (bench/gateway). An engine
 * only moves bytes: choosing the instance, headers, retries, breakers and metrics belong to the caller.
 */
export interface ForwardingEngine {
  readonly name: string;
  /**
   * Sends one attempt; resolves when the upstream's response headers arrive, before anything is written
   * to the client, so the caller can still retry. Rejects with {@link UpstreamFailure}.
   */
  send(request: UpstreamRequest): Promise<UpstreamResponse>;
  /**
   * Tunnels an upgrade: on a `101` the two sockets are piped both ways; otherwise the upstream's answer is
   * relayed and the client socket closed. Resolves with the upstream status once decided; rejects with
   * {@link UpstreamFailure} when the upstream cannot be reached (nothing written to the client yet).
   */
  upgrade(request: UpstreamUpgrade): Promise<number>;
  /** Closes pooled connections. */
  close(): Promise<void>;
}
