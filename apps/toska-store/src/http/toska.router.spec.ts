import { describe, expect, it } from '@jest/globals';
import type { Exchange } from './exchange.js';
import type { KvHandlers } from './kv.handlers.js';
import type { ReplicationHandlers } from './replication.handlers.js';
import { splitPath } from './request-path.js';
import type { ServerHandlers } from './server.handlers.js';
import { ToskaRouter } from './toska.router.js';

/** A router whose handlers only record which one ran; the 404 catch-all writes to a fake response. */
function router() {
  const calls: string[] = [];
  const record = (name: string) => (_exchange: Exchange, segment?: string) => {
    calls.push(segment === undefined ? name : `${name}:${segment}`);
  };
  const kv = {
    get: record('get'),
    put: record('put'),
    delete: record('delete'),
    mget: record('mget'),
    list: record('list'),
  };
  const server = {
    home: record('home'),
    status: record('status'),
    health: record('health'),
    stats: record('stats'),
  };
  const replication = {
    info: record('info'),
    snapshot: record('snapshot'),
    aof: record('aof'),
    status: record('replication-status'),
  };
  const instance = new ToskaRouter(
    kv as unknown as KvHandlers,
    server as unknown as ServerHandlers,
    replication as unknown as ReplicationHandlers,
  );
  const dispatch = (method: string, rawPath: string): string => {
    let notFound = '';
    const res = {
      writeHead: (status: number) => (notFound = `404?${status}`),
      end: (body: string) => (notFound += ` ${body}`),
    };
    const exchange = {
      method,
      rawPath,
      segments: splitPath(rawPath),
      req: { headers: {} },
      res,
    } as unknown as Exchange;
    void instance.dispatch(exchange);
    return calls.pop() ?? notFound;
  };
  return { dispatch };
}

describe(ToskaRouter.name, () => {
  describe('dispatch', () => {
    const { dispatch } = router();

    it.each([
      ['GET', '/', 'home'],
      ['GET', '/status', 'status'],
      ['GET', '/health/', 'health'],
      ['GET', '/stats', 'stats'],
      ['GET', '/kv/keys', 'list'],
      ['GET', '/kv/%6Beys', 'list'],
      ['POST', '/kv/mget', 'mget'],
      ['GET', '/kv/mget', 'get:mget'],
      ['PUT', '/kv/keys', 'put:keys'],
      ['DELETE', '/kv/keys', 'delete:keys'],
      ['GET', '//kv//a%2Fb/', 'get:a%2Fb'],
      ['GET', '/replication/info', 'info'],
      ['GET', '/replication/snapshot', 'snapshot'],
      ['GET', '/replication/aof', 'aof'],
      ['GET', '/replication/status', 'replication-status'],
    ])('%s %s -> %s', (method, path, handler) => {
      expect(dispatch(method, path)).toBe(handler);
    });

    it.each([
      ['POST', '/kv/x'],
      ['PATCH', '/kv/x'],
      ['GET', '/kv/a/b'],
      ['GET', '/kv'],
      ['HEAD', '/status'],
      ['HEAD', '/kv/x'],
      ['OPTIONS', '/'],
      ['POST', '/status'],
      ['GET', '/replication'],
    ])('%s %s -> the 404 catch-all (no 405)', (method, path) => {
      expect(dispatch(method, path)).toBe(`404?404 {"error":"Not Found","path":"${path}"}`);
    });
  });
});
