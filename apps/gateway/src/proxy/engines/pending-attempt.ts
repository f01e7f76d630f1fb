import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import {
  UpstreamFailure,
  type Cancellable,
  type UpstreamFailureKind,
  type UpstreamRequest,
  type UpstreamResponse,
} from '../forwarding-engine.js';
import { describeError, failureKindOf } from './failure-kind.js';
import { IncomingUpstreamResponse } from './incoming-upstream-response.js';

/**
 * One attempt of an engine, from sending until the response headers: the connect and header deadlines, the
 * cancellation hooks and the mapping of errors to {@link UpstreamFailure} kinds, shared by every engine.
 * It settles exactly once; whatever happens afterwards (late errors, a late response) is ignored or torn down.
 *
 * Hot-path notes: timers get the attempt as an argument (no closure), an `AbortSignal` is only listened to
 * when a caller passes one (the forwarder uses the cheaper {@link UpstreamRequest.cancellation}).
 */
export abstract class PendingAttempt implements Cancellable {
  private settled = false;
  private connected = false;
  private requestTimer: NodeJS.Timeout | undefined;
  private connectTimer: NodeJS.Timeout | undefined;
  private resolveResponse!: (response: UpstreamResponse) => void;
  private rejectResponse!: (failure: UpstreamFailure) => void;

  constructor(readonly spec: UpstreamRequest) {}

  /** True once the attempt resolved or failed. */
  get isSettled(): boolean {
    return this.settled;
  }

  /** Starts the header deadline and the cancellation hooks; the promise settles exactly once. */
  protected begin(): Promise<UpstreamResponse> {
    const promise = new Promise<UpstreamResponse>((resolve, reject) => {
      this.resolveResponse = resolve;
      this.rejectResponse = reject;
    });
    const { cancellation, signal } = this.spec;
    if ((cancellation !== undefined && !cancellation.track(this)) || signal?.aborted === true) {
      this.fail('aborted', 'The client went away before the request was sent');
      return promise;
    }
    signal?.addEventListener('abort', this, { once: true });
    this.requestTimer = setTimeout(onRequestDeadline, this.spec.requestTimeoutMs, this).unref();
    return promise;
  }

  /** The upstream request got its socket: a new connection runs against the connect deadline. */
  protected watchSocket(request: ClientRequest, socket: Socket): void {
    if (this.settled) {
      request.destroy();
      return;
    }
    if (!socket.connecting) {
      this.connected = true;
      return;
    }
    this.connectTimer = setTimeout(onConnectDeadline, this.spec.connectTimeoutMs, this).unref();
    // Only new connections get here (keep-alive reuse is the norm), so this closure is off the hot path.
    socket.once('encrypted' in socket ? 'secureConnect' : 'connect', () => this.onConnected());
  }

  /** Response headers arrived. */
  protected succeed(message: IncomingMessage): void {
    if (this.settled) {
      message.destroy();
      return;
    }
    this.settle();
    this.resolveResponse(new IncomingUpstreamResponse(message));
  }

  /** An error on the upstream request; ignored once settled (the body's consumer sees its own errors). */
  protected upstreamError(error: unknown): void {
    if (this.settled) return;
    this.fail(
      failureKindOf(error, this.connected),
      `Upstream request failed: ${describeError(error)}`,
      error,
    );
  }

  /** Sends the body: the replay copy, the given stream, or the client request itself. */
  protected sendBody(request: ClientRequest): void {
    const { body, bodyStream } = this.spec;
    if (body !== undefined) {
      if (body.length === 0) request.end();
      else request.end(body);
      return;
    }
    if (bodyStream === undefined) {
      this.spec.clientRequest.pipe(request);
      return;
    }
    if (bodyStream.destroyed) {
      this.bodyFailed(request, bodyStream.errored);
      return;
    }
    bodyStream.once('error', (error) => this.bodyFailed(request, error));
    bodyStream.pipe(request);
  }

  /** Tears down the upstream side after a failure (the request and whatever the engine holds). */
  protected abstract abortUpstream(): void;

  /** `AbortSignal` listener. */
  handleEvent(): void {
    this.cancel();
  }

  /** Calls the attempt off: it fails with kind `aborted`. */
  cancel(): void {
    this.fail('aborted', 'The client went away before the upstream answered');
  }

  /** Fails the attempt with `kind` (no-op once settled) and tears the upstream request down. */
  fail(kind: UpstreamFailureKind, message: string, cause?: unknown): void {
    if (this.settled) return;
    this.settle();
    this.rejectResponse(new UpstreamFailure(kind, message, cause === undefined ? undefined : { cause }));
    this.abortUpstream();
  }

  /** @internal Timer callback. */
  deadlinePassed(which: 'connect' | 'request'): void {
    if (which === 'connect' || !this.connected) {
      this.fail(
        'connect',
        `No connection to ${this.spec.origin.host} within ${this.spec.connectTimeoutMs} ms`,
      );
    } else {
      this.fail(
        'timeout',
        `No response headers from ${this.spec.origin.host} within ${this.spec.requestTimeoutMs} ms`,
      );
    }
  }

  private onConnected(): void {
    this.connected = true;
    clearTimeout(this.connectTimer);
    this.connectTimer = undefined;
  }

  private bodyFailed(request: ClientRequest, error: unknown): void {
    // Also after the response arrived: an upstream must never get a body the gateway refused half-way.
    request.destroy();
    this.fail('aborted', `The request body could not be sent: ${describeError(error)}`, error);
  }

  private settle(): void {
    this.settled = true;
    clearTimeout(this.requestTimer);
    if (this.connectTimer !== undefined) clearTimeout(this.connectTimer);
    this.spec.cancellation?.untrack(this);
    this.spec.signal?.removeEventListener('abort', this);
  }
}

function onRequestDeadline(attempt: PendingAttempt): void {
  attempt.deadlinePassed('request');
}

function onConnectDeadline(attempt: PendingAttempt): void {
  attempt.deadlinePassed('connect');
}
