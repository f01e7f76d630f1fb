import pino, { type DestinationStream } from 'pino';

/** A log destination that batches lines, and how to stop it. */
export interface BufferedLogDestination {
  readonly stream: DestinationStream;
  /** Writes what is buffered, synchronously. Idempotent. */
  close(): void;
}

/** Options of {@link bufferedStdout}. */
export interface BufferedLogOptions {
  /** Bytes collected before a write. @default 8192 */
  bufferBytes?: number;
  /** Longest a line waits in the buffer on a quiet gateway. @default 250 */
  flushIntervalMs?: number;
}

/**
 * Standard output for the gateway's logs, written in batches instead of one `write(2)` per line: the
 * access log writes a line per request, and per-line writes cost the proxy about a tenth of its CPU per
 * request under load (bench/gateway). Lines wait at most `flushIntervalMs`; on exit the buffer is written.
 * A crash (SIGKILL, abort) can lose the lines of the last interval.
 *
 * Each batch is written synchronously, as soon as it is full. Asynchronous writes (libuv's thread pool)
 * kept lines waiting tens of milliseconds on a busy 2-core machine, long enough for V8 to promote them:
 * ~20 MB of dead log strings in old space under load. Synchronous writes also bound memory: a stdout
 * reader that stops reading holds the gateway back instead of letting the buffer grow without limit.
 */
export function bufferedStdout(options: BufferedLogOptions = {}): BufferedLogDestination {
  // sonic-boom's own unref'd `periodicFlush` timer writes what waits on a quiet gateway.
  const destination = pino.destination({
    dest: 1,
    sync: true,
    minLength: options.bufferBytes ?? 8192,
    periodicFlush: options.flushIntervalMs ?? 250,
  });
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    process.off('exit', close);
    try {
      destination.flushSync();
    } catch {
      // Nothing buffered, or stdout is gone (a closed pipe): nothing left to save.
    }
  };
  process.once('exit', close);
  return { stream: destination, close };
}
