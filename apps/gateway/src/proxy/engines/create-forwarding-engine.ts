import { MeshConfigError } from '@toskamesh/common';
import type { ForwardingEngine } from '../forwarding-engine.js';
import { HttpProxyMiddlewareEngine } from './http-proxy-middleware.engine.js';
import { NodeHttpEngine } from './node-http.engine.js';

/** Names of the forwarding engines (`engine` option). */
export type ForwardingEngineName = 'http-proxy-middleware' | 'node-http';

const ENGINES: Readonly<Record<ForwardingEngineName, () => ForwardingEngine>> = {
  'http-proxy-middleware': () => new HttpProxyMiddlewareEngine(),
  'node-http': () => new NodeHttpEngine(),
};

/**
 * A new forwarding engine: `http-proxy-middleware` (the default: http-proxy-middleware 4 over httpxy) or
 * `node-http` (plain `http.request`, the lean baseline). Throws `MeshConfigError` for any other name.
 */
export function createForwardingEngine(name: ForwardingEngineName): ForwardingEngine {
  const create = Object.hasOwn(ENGINES, name) ? ENGINES[name] : undefined;
  if (create === undefined) {
    throw new MeshConfigError('engine', 'names no forwarding engine', {
      value: name,
      allowed: Object.keys(ENGINES).join(', '),
    });
  }
  return create();
}
