import { Transform, type TransformCallback } from 'node:stream';

/**
 * Splits a child's output into whole lines and prefixes each with its process name, so lines of
 * several processes never interleave mid-line. A trailing partial line is flushed at the end.
 */
export class LinePrefixer extends Transform {
  private pending = '';

  constructor(private readonly prefix: string) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const text = this.pending + chunk.toString('utf8');
    const lines = text.split('\n');
    this.pending = lines.pop() ?? '';
    if (lines.length) this.push(lines.map((line) => `${this.prefix}${line.replace(/\r$/, '')}\n`).join(''));
    done();
  }

  override _flush(done: TransformCallback): void {
    if (this.pending) this.push(`${this.prefix}${this.pending}\n`);
    done();
  }
}
