import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { PassThrough, type Readable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { BodyTooLargeError } from './errors/body-too-large.error.js';
import { BodySizeLimit, prepareRequestBody, type BodyLimits } from './replay-buffer.js';

/** A request whose body is written by the test. */
function request(headers: IncomingHttpHeaders): IncomingMessage & PassThrough {
  return Object.assign(new PassThrough(), { headers }) as unknown as IncomingMessage & PassThrough;
}

const limits: BodyLimits = { replayable: true, replayBufferBytes: 16, maxBodyBytes: 64 };

async function drain(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

describe('prepareRequestBody', () => {
  it('answers at once, with an empty buffer, when there is no body', () => {
    expect(prepareRequestBody(request({}), limits)).toEqual({ kind: 'buffered', body: Buffer.alloc(0) });
    expect(prepareRequestBody(request({ 'content-length': '0' }), limits)).toMatchObject({
      kind: 'buffered',
    });
  });

  it('refuses a declared length over maxBodyBytes without reading', () => {
    const req = request({ 'content-length': '65' });
    expect(prepareRequestBody(req, limits)).toEqual({ kind: 'too-large' });
    expect(req.readableFlowing).toBeNull();
  });

  it('streams the client request when it is not replayable or too long to keep', () => {
    expect(prepareRequestBody(request({ 'content-length': '10' }), { ...limits, replayable: false })).toEqual(
      {
        kind: 'streamed',
      },
    );
    expect(prepareRequestBody(request({ 'content-length': '17' }), limits)).toEqual({ kind: 'streamed' });
  });

  it('reads a small body of known length fully', async () => {
    const req = request({ 'content-length': '11' });
    const pending = prepareRequestBody(req, limits);
    req.end('hello world');
    expect(await pending).toEqual({ kind: 'buffered', body: Buffer.from('hello world') });
  });

  it('keeps a chunked body that fits the replay buffer', async () => {
    const req = request({ 'transfer-encoding': 'chunked' });
    const pending = prepareRequestBody(req, limits);
    req.write('abc');
    req.end('def');
    expect(await pending).toEqual({ kind: 'buffered', body: Buffer.from('abcdef') });
  });

  it('streams a chunked body past the replay buffer, prefix first, through a size limit', async () => {
    const req = request({ 'transfer-encoding': 'chunked' });
    const pending = prepareRequestBody(req, limits);
    req.write('0123456789');
    req.write('abcdefghij');
    const body = await pending;
    expect(body.kind).toBe('streamed');
    const stream = (body as { stream: BodySizeLimit }).stream;
    expect(stream).toBeInstanceOf(BodySizeLimit);
    req.end('KLMNOP');
    expect(await drain(stream)).toBe('0123456789abcdefghijKLMNOP');
  });

  it('refuses a chunked body that passes maxBodyBytes while buffering', async () => {
    const req = request({ 'transfer-encoding': 'chunked' });
    const pending = prepareRequestBody(req, { ...limits, replayBufferBytes: 1024 });
    req.write(Buffer.alloc(40));
    req.write(Buffer.alloc(40));
    expect(await pending).toEqual({ kind: 'too-large' });
  });

  it('fails a streamed chunked body once it passes maxBodyBytes', async () => {
    const req = request({ 'transfer-encoding': 'chunked' });
    const body = prepareRequestBody(req, { ...limits, replayable: false });
    const stream = (body as { stream: BodySizeLimit }).stream;
    const failed = new Promise((resolve) => stream.once('error', resolve));
    stream.resume();
    req.write(Buffer.alloc(60));
    req.write(Buffer.alloc(10));
    expect(await failed).toBeInstanceOf(BodyTooLargeError);
    expect(stream.exceeded).toBe(true);
  });

  it('reports a client that goes away while the body is read', async () => {
    const req = request({ 'content-length': '10' });
    const pending = prepareRequestBody(req, limits);
    req.write('abc');
    req.destroy();
    expect(await pending).toEqual({ kind: 'aborted' });
  });
});
