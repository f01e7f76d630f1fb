import type { IncomingHttpHeaders } from 'node:http';
import { afterEach, describe, expect, it } from '@jest/globals';
import { eventually } from '@toskamesh/testing';
import { WebSocket, WebSocketServer } from 'ws';
import {
  createForwardingEngine,
  type ForwardingEngineName,
} from '../src/proxy/engines/create-forwarding-engine.js';
import { ProxyForwarder } from '../src/proxy/proxy-forwarder.js';
import { WebSocketProxy } from '../src/proxy/websocket-proxy.js';
import {
  FakePool,
  refusedOrigin,
  startGateway,
  startServer,
  testOptions,
  within,
  type RunningServer,
} from './proxy-fixtures.js';

const ENGINES: ForwardingEngineName[] = ['http-proxy-middleware', 'node-http'];

/** Where a WebSocket client ended up: open (and its first echo) or refused with a status. */
type Outcome = { kind: 'open'; socket: WebSocket } | { kind: 'refused'; status: number; body: string };

function connect(port: number, headers: Record<string, string> = {}): Promise<Outcome> {
  return within(
    new Promise<Outcome>((resolve, reject) => {
      const socket = new WebSocket(`ws://127.0.0.1:${port}/chat?room=1`, { headers });
      socket.once('open', () => resolve({ kind: 'open', socket }));
      socket.once('unexpected-response', (_req, res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ kind: 'refused', status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
        );
      });
      socket.once('error', reject);
    }),
    10_000,
    'the WebSocket handshake',
  );
}

describe.each(ENGINES)('WebSocketProxy with the %s engine', (engineName) => {
  const cleanups: (() => Promise<void>)[] = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** An echo WebSocket server that records the upgrade request headers. */
  async function echoServer(): Promise<RunningServer & { upgrades: IncomingHttpHeaders[]; urls: string[] }> {
    const running = await startServer((_req, res) => res.writeHead(426).end());
    const upgrades: IncomingHttpHeaders[] = [];
    const urls: string[] = [];
    const wss = new WebSocketServer({ server: running.server });
    wss.on('headers', (_headers, req) => {
      upgrades.push(req.headers);
      urls.push(req.url ?? '');
    });
    wss.on('connection', (socket) => socket.on('message', (data, binary) => socket.send(data, { binary })));
    cleanups.push(async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise((resolve) => wss.close(resolve));
      await running.close();
    });
    return { ...running, upgrades, urls };
  }

  async function gateway(origins: URL[]) {
    const engine = await createForwardingEngine(engineName);
    const options = testOptions();
    const pool = new FakePool('chat', origins);
    const running = await startGateway({
      forwarder: new ProxyForwarder({ engine, options }),
      webSockets: new WebSocketProxy({ engine, options }),
      pool,
      identity: { user: 'alice', roles: ['chatter'], via: 'jwt' },
    });
    cleanups.push(() => engine.close());
    cleanups.push(() => running.close());
    return { ...running, pool };
  }

  async function exchange(socket: WebSocket, text: string): Promise<string> {
    const reply = new Promise<string>((resolve) =>
      socket.once('message', (data: Buffer) => resolve(data.toString())),
    );
    socket.send(text);
    return within(reply, 10_000, 'the echo');
  }

  it('tunnels a WebSocket both ways with the forwarding and identity headers', async () => {
    const upstream = await echoServer();
    const gw = await gateway([upstream.origin]);
    const outcome = await connect(gw.port, { 'x-mesh-user': 'mallory' });
    expect(outcome.kind).toBe('open');
    const socket = (outcome as { socket: WebSocket }).socket;
    expect(await exchange(socket, 'hello')).toBe('hello');
    expect(await exchange(socket, 'x'.repeat(100_000))).toHaveLength(100_000);
    expect(upstream.urls).toEqual(['/chat?room=1']);
    expect(upstream.upgrades[0]).toMatchObject({
      'x-mesh-user': 'alice',
      'x-mesh-roles': 'chatter',
      'x-forwarded-for': '127.0.0.1',
      'x-correlation-id': 'corr-ws',
      upgrade: 'websocket',
    });
    expect(gw.pool.inFlight).toBe(1);
    socket.close();
    await eventually(() =>
      expect(gw.pool.finished.map((f) => f.result)).toEqual([{ outcome: 'success', status: 101 }]),
    );
    expect(gw.pool.inFlight).toBe(0);
  });

  it('tries another instance when the first cannot be reached', async () => {
    const upstream = await echoServer();
    const gw = await gateway([await refusedOrigin(), upstream.origin]);
    const outcome = await connect(gw.port);
    expect(outcome.kind).toBe('open');
    const socket = (outcome as { socket: WebSocket }).socket;
    expect(await exchange(socket, 'again')).toBe('again');
    expect(gw.pool.finished[0]).toEqual({
      targetId: 'chat-0',
      result: { outcome: 'failure', kind: 'connect' },
    });
    socket.close();
  });

  it('answers a raw 502 when no instance can be reached', async () => {
    const gw = await gateway([await refusedOrigin(), await refusedOrigin()]);
    const outcome = await connect(gw.port);
    expect(outcome).toMatchObject({ kind: 'refused', status: 502 });
    expect(JSON.parse((outcome as { body: string }).body)).toMatchObject({
      status: 502,
      type: expect.stringContaining('upstream-unavailable'),
    });
    expect(gw.pool.finished.map((f) => f.result)).toEqual([
      { outcome: 'failure', kind: 'connect' },
      { outcome: 'failure', kind: 'connect' },
    ]);
  });

  it('relays an upstream refusal of the upgrade', async () => {
    const refusing = await startServer((_req, res) => res.end());
    refusing.server.on('upgrade', (_req, socket) => {
      socket.end(
        'HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: 6\r\nX-Why: no\r\n\r\nno way',
      );
    });
    cleanups.push(() => refusing.close());
    const gw = await gateway([refusing.origin]);
    const outcome = await connect(gw.port);
    expect(outcome).toEqual({ kind: 'refused', status: 403, body: 'no way' });
    await eventually(() =>
      expect(gw.pool.finished.map((f) => f.result)).toEqual([{ outcome: 'success', status: 403 }]),
    );
  });
});
