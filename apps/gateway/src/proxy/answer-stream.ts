import type { ServerResponse } from 'node:http';
import type { AttemptResult, PickedTarget } from '../upstream/upstream-pool.js';
import type { UpstreamResponse } from './forwarding-engine.js';

/** How a streamed answer ended: `reset` when the upstream broke off, `aborted` when the client left. */
export type StreamEnd = 'complete' | 'reset' | 'aborted';

const ABORTED: AttemptResult = Object.freeze({ outcome: 'aborted' });

/**
 * A committed upstream answer on its way to the client: the body is piped as it comes (no buffering, so
 * SSE and chunked bodies flow event by event). An upstream that breaks off cuts the client's answer; a
 * client that leaves tears the upstream body down. The target is finished once, when the client side
 * closes: success (or a 5xx failure) when complete, `reset` when the upstream broke off, `aborted` when
 * the client left.
 */
export class AnswerStream {
  private ended = false;
  private upstreamBroken = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly picked: PickedTarget,
    private readonly response: UpstreamResponse,
    private readonly onEnd: (status: number, end: StreamEnd) => void,
  ) {}

  /** Starts piping; the status line and headers are already written. */
  start(): void {
    const body = this.response.body;
    // No 'error' listener on the body: Node's IncomingMessage drops its errors when nobody listens, and its
    // 'close' tells whether it ended.
    body.once('close', this.onUpstreamClose);
    body.pipe(this.res);
  }

  /** The client response closed, finished or cut: the exchange is over. */
  clientClosed(): void {
    if (this.ended) return;
    this.ended = true;
    const { response, res } = this;
    const completed = res.writableFinished;
    if (!completed && !response.body.readableEnded) response.body.destroy();
    const status = response.status;
    let result: AttemptResult;
    let end: StreamEnd;
    if (this.upstreamBroken) {
      result = { outcome: 'failure', kind: 'reset' };
      end = 'reset';
    } else if (!completed) {
      result = ABORTED;
      end = 'aborted';
    } else {
      result =
        status >= 500 ? { outcome: 'failure', kind: 'status', status } : { outcome: 'success', status };
      end = 'complete';
    }
    this.picked.finish(result);
    this.onEnd(status, end);
  }

  /** Upstream body `close` without its end: the upstream broke off, so the client's answer is cut too. */
  private readonly onUpstreamClose = (): void => {
    if (this.ended || this.response.body.readableEnded) return;
    this.upstreamBroken = true;
    this.res.destroy();
  };
}
