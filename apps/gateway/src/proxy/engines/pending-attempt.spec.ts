import { EventEmitter } from 'node:events';
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import {
  AttemptCancellation,
  type UpstreamFailure,
  type UpstreamRequest,
  type UpstreamResponse,
} from '../forwarding-engine.js';
import { PendingAttempt } from './pending-attempt.js';

/** Exposes the engine hooks of a {@link PendingAttempt} to the test. */
class TestAttempt extends PendingAttempt {
  aborted = 0;

  start(): Promise<UpstreamResponse> {
    return this.begin();
  }

  socket(request: ClientRequest, socket: Socket): void {
    this.watchSocket(request, socket);
  }

  respond(message: IncomingMessage): void {
    this.succeed(message);
  }

  error(error: unknown): void {
    this.upstreamError(error);
  }

  protected override abortUpstream(): void {
    this.aborted += 1;
  }
}

function spec(overrides: Partial<UpstreamRequest> = {}): UpstreamRequest {
  return {
    clientRequest: {} as IncomingMessage,
    origin: new URL('http://127.0.0.1:5020'),
    method: 'GET',
    path: '/',
    headers: {},
    connectTimeoutMs: 100,
    requestTimeoutMs: 1000,
    ...overrides,
  };
}

function fakeSocket(connecting: boolean): Socket & EventEmitter {
  return Object.assign(new EventEmitter(), { connecting }) as unknown as Socket & EventEmitter;
}

const request = { destroy: jest.fn() } as unknown as ClientRequest;

async function failureOf(promise: Promise<unknown>): Promise<UpstreamFailure> {
  try {
    await promise;
  } catch (error) {
    return error as UpstreamFailure;
  }
  throw new Error('the attempt did not fail');
}

describe(PendingAttempt.name, () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  describe('deadlines', () => {
    it('fails with timeout when headers do not arrive on a connected socket', async () => {
      const attempt = new TestAttempt(spec());
      const pending = attempt.start();
      attempt.socket(request, fakeSocket(false));
      jest.advanceTimersByTime(1000);
      expect((await failureOf(pending)).kind).toBe('timeout');
      expect(attempt.aborted).toBe(1);
    });

    it('fails with connect when a new connection is not up within connectTimeoutMs', async () => {
      const attempt = new TestAttempt(spec());
      const pending = attempt.start();
      attempt.socket(request, fakeSocket(true));
      jest.advanceTimersByTime(100);
      expect((await failureOf(pending)).kind).toBe('connect');
    });

    it('stops the connect clock once connected', async () => {
      const attempt = new TestAttempt(spec());
      const pending = attempt.start();
      const socket = fakeSocket(true);
      attempt.socket(request, socket);
      jest.advanceTimersByTime(50);
      socket.emit('connect');
      jest.advanceTimersByTime(500);
      expect(attempt.isSettled).toBe(false);
      jest.advanceTimersByTime(500);
      expect((await failureOf(pending)).kind).toBe('timeout');
    });

    it('calls a request deadline that passes while still connecting a connect failure', async () => {
      const attempt = new TestAttempt(spec({ connectTimeoutMs: 5000, requestTimeoutMs: 200 }));
      const pending = attempt.start();
      attempt.socket(request, fakeSocket(true));
      jest.advanceTimersByTime(200);
      expect((await failureOf(pending)).kind).toBe('connect');
    });
  });

  describe('cancellation', () => {
    it('fails with aborted when cancelled, and at once when cancelled before', async () => {
      const cancellation = new AttemptCancellation();
      const first = new TestAttempt(spec({ cancellation }));
      const pending = first.start();
      cancellation.cancel();
      expect((await failureOf(pending)).kind).toBe('aborted');
      const second = new TestAttempt(spec({ cancellation }));
      expect((await failureOf(second.start())).kind).toBe('aborted');
    });

    it('follows an AbortSignal', async () => {
      const controller = new AbortController();
      const attempt = new TestAttempt(spec({ signal: controller.signal }));
      const pending = attempt.start();
      controller.abort();
      expect((await failureOf(pending)).kind).toBe('aborted');
    });
  });

  describe('errors', () => {
    it.each([
      ['ECONNREFUSED', false, 'connect'],
      ['ENOTFOUND', false, 'connect'],
      ['EHOSTUNREACH', true, 'connect'],
      ['ECONNRESET', false, 'connect'],
      ['ECONNRESET', true, 'reset'],
      ['HPE_INVALID_CONSTANT', true, 'reset'],
      ['ERR_INVALID_CHAR', false, 'aborted'],
      ['ERR_UNESCAPED_CHARACTERS', false, 'aborted'],
    ])('maps %s (connected: %s) to %s', async (code, connected, kind) => {
      const attempt = new TestAttempt(spec());
      const pending = attempt.start();
      attempt.socket(request, fakeSocket(!connected));
      attempt.error(Object.assign(new Error('boom'), { code }));
      expect((await failureOf(pending)).kind).toBe(kind);
    });

    it('settles once: a later error or response is ignored, a late response destroyed', async () => {
      const attempt = new TestAttempt(spec());
      const pending = attempt.start();
      attempt.socket(request, fakeSocket(false));
      const message = { statusCode: 200, destroy: jest.fn() } as unknown as IncomingMessage;
      attempt.respond(message);
      attempt.error(new Error('late'));
      expect((await pending).status).toBe(200);
      const late = { destroy: jest.fn() } as unknown as IncomingMessage;
      attempt.respond(late);
      expect(late.destroy).toHaveBeenCalled();
      expect(jest.getTimerCount()).toBe(0);
    });
  });
});
