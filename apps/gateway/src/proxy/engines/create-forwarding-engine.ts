import { MeshConfigError } from '@toskamesh/common';
import type { ForwardingEngine } from '../forwarding-engine.js';
import { NodeHttpEngine } from './node-http.engine.js';

/** Names of the forwarding engines (`engine` option). */
export type ForwardingEngineName = 'http-proxy-middleware' | 'node-http';

// http-proxy-middleware (and httpxy under it) is imported only when chosen: the default engine needs
// neither, and every module a gateway loads stays in its memory for good.
const ENGINES: Readonly<Record<ForwardingEngineName, () => Promise<ForwardingEngine>>> = {
  'http-proxy-middleware': async () =>
    new (await import('./http-proxy-middleware.engine.js')).HttpProxyMiddlewareEngine(),
  'node-http': () => Promise.resolve(new NodeHttpEngine()),
};

/**
 * A new forwarding engine: `node-http` (the default: plain `http.request` with a keep-alive agent) or
 * `http-proxy-middleware` (http-proxy-middleware 4 over httpxy). An unknown name throws `MeshConfigError`
 * at once, before anything is loaded.
 */
export function createForwardingEngine(name: ForwardingEngineName): Promise<ForwardingEngine> {
  const create = Object.hasOwn(ENGINES, name) ? ENGINES[name] : undefined;
  if (create === undefined) {
    throw new MeshConfigError('engine', 'names no forwarding engine', {
      value: name,
      allowed: Object.keys(ENGINES).join(', '),
    });
  }
  return create();
}
