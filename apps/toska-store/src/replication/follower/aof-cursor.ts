const NEWLINE = 0x0a;

/** One whole AOF line. */
export interface AofLine {
  /** The line decoded as UTF-8, without its `\n`. */
  text: string;
  /** Its size in the AOF including the `\n`: the committed offset advances by exactly this once applied. */
  bytes: number;
}

/**
 * Where a follower stands in the leader's current AOF. `committed` is the byte offset just after the last
 * whole line handed out, the only offset ever persisted; bytes of a line the leader has not finished
 * sending (or that a `max_bytes` slice cut) wait in `pending`, and the next read starts after them.
 *
 * The original follower jumped to the leader's size after every read and dropped the cut line; here the
 * offset moves only by whole lines, and a line longer than one slice is assembled over several reads.
 * Lines are split on the byte `\n` before decoding, so a multi-byte character cut by a slice survives.
 */
export class AofCursor {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(
    private committedOffset = 0,
    /** A line longer than this is refused rather than buffered without end. */
    private readonly maxLineBytes = 64 * 1024 * 1024,
  ) {}

  /** Offset after the last whole line handed out (what `replica.offset` stores). */
  get committed(): number {
    return this.committedOffset;
  }

  /** Offset of the next read: after the committed lines and the buffered part of an unfinished one. */
  get readOffset(): number {
    return this.committedOffset + this.pendingBytes;
  }

  /** Bytes of an unfinished line waiting for the rest of it. */
  get pendingLength(): number {
    return this.pendingBytes;
  }

  /**
   * Takes the bytes read at {@link readOffset} and returns the lines they complete, in order. The caller
   * applies each and {@link commit}s its `bytes`; if applying fails it calls {@link rewind} so the next
   * read starts again at the first line not applied. Throws when an unfinished line passes `maxLineBytes`.
   */
  push(chunk: Buffer): AofLine[] {
    const lastNewline = chunk.lastIndexOf(NEWLINE);
    if (lastNewline < 0) {
      this.buffer(chunk);
      return [];
    }
    const head = Buffer.concat([...this.pending, chunk.subarray(0, lastNewline + 1)]);
    this.pending = [];
    this.pendingBytes = 0;
    this.buffer(chunk.subarray(lastNewline + 1));
    return splitLines(head);
  }

  /** Moves the committed offset past a line returned by {@link push} once it is applied. */
  commit(bytes: number): void {
    this.committedOffset += bytes;
  }

  /** Forgets buffered bytes so the next read starts at the committed offset again. */
  rewind(): void {
    this.reset(this.committedOffset);
  }

  /** Starts over at `offset` of a (new) AOF, forgetting any unfinished line. */
  reset(offset = 0): void {
    this.committedOffset = offset;
    this.pending = [];
    this.pendingBytes = 0;
  }

  private buffer(bytes: Buffer): void {
    if (bytes.length === 0) return;
    if (this.pendingBytes + bytes.length > this.maxLineBytes) {
      throw new RangeError(
        `an AOF line at offset ${this.committedOffset} is longer than ${this.maxLineBytes} bytes`,
      );
    }
    // Copy: the chunk may be a view into a larger response buffer that is reused or kept alive.
    this.pending.push(Buffer.from(bytes));
    this.pendingBytes += bytes.length;
  }
}

function splitLines(head: Buffer): AofLine[] {
  const lines: AofLine[] = [];
  let start = 0;
  for (let end = head.indexOf(NEWLINE); end >= 0; end = head.indexOf(NEWLINE, start)) {
    lines.push({ text: head.toString('utf8', start, end), bytes: end + 1 - start });
    start = end + 1;
  }
  return lines;
}
