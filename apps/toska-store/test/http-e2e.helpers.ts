import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** One answer, fully read. */
export interface TestResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body as received on the wire (still gzipped when `content-encoding: gzip`). */
  raw: Buffer;
  /** The body decoded (gunzipped when needed) as UTF-8. */
  text: string;
  json(): unknown;
}

/** A request: method, raw path (sent as is, so `//kv//k` and `%zz` reach the server untouched). */
export interface TestRequest {
  method?: string;
  path: string;
  headers?: Record<string, string | string[]>;
  /** Sent with `content-length` unless `chunked`. */
  body?: string | Buffer;
  /** Send the body with `transfer-encoding: chunked` in these pieces instead. */
  chunks?: Buffer[];
}

/** Sends one request on a fresh connection (no keep-alive pool, so every test is independent). */
export function send(baseUrl: string, request: TestRequest): Promise<TestResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: request.method ?? 'GET',
        path: request.path,
        headers: request.headers,
        agent: false,
        timeout: 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve(toResponse(res.statusCode ?? 0, res.headers, Buffer.concat(chunks))));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout: ${request.method ?? 'GET'} ${request.path}`)));
    req.on('error', reject);
    if (request.chunks) {
      for (const chunk of request.chunks) req.write(chunk);
      req.end();
    } else {
      req.end(request.body);
    }
  });
}

/** PUT a JSON body with `content-type: application/json`. */
export function putJson(
  baseUrl: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<TestResponse> {
  return send(baseUrl, {
    method: 'PUT',
    path,
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** POST a JSON body with `content-type: application/json`. */
export function postJson(
  baseUrl: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<TestResponse> {
  return send(baseUrl, {
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/**
 * Writes raw bytes on a socket and returns everything the server sent until it closed the connection
 * (or `waitMs` passed): for what an HTTP client library would hide (an early 413, `connection: close`).
 * Like a real client, it stops sending the body once an answer arrives.
 */
export function rawExchange(
  baseUrl: string,
  head: string,
  body: Buffer[] = [],
  waitMs = 3_000,
): Promise<{ text: string; closed: boolean; bodyBytesWritten: number }> {
  const url = new URL(baseUrl);
  return new Promise((resolve) => {
    const socket = connect(Number(url.port), url.hostname);
    const received: Buffer[] = [];
    let written = 0;
    let closed = false;
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ text: Buffer.concat(received).toString('latin1'), closed, bodyBytesWritten: written });
    };
    const timer = setTimeout(done, waitMs);
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    const answered = (): boolean => received.length > 0;
    socket.on('error', () => undefined);
    socket.on('close', () => {
      closed = true;
      done();
    });
    socket.write(head);
    const pump = (index: number): void => {
      if (index >= body.length || socket.destroyed || answered()) return;
      socket.write(body[index]!, (error) => {
        if (error) return;
        written += body[index]!.length;
        setImmediate(() => pump(index + 1));
      });
    };
    pump(0);
  });
}

/** A temp data dir and its removal. */
export function tempDataDir(label: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `toska-${label}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

function toResponse(status: number, headers: IncomingHttpHeaders, raw: Buffer): TestResponse {
  const decoded = headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
  const text = decoded.toString('utf8');
  return { status, headers, raw, text, json: () => JSON.parse(text) as unknown };
}
