import { MESH_METADATA, type ServiceInstance } from '@toskamesh/common';
import type { UpstreamTarget } from './upstream-pool.js';

/** The origin of a mesh instance: metadata `scheme` (else the instance's scheme, else http), address, port. */
export function instanceOrigin(instance: ServiceInstance): URL {
  const scheme = instance.metadata[MESH_METADATA.scheme] || instance.scheme || 'http';
  // An IPv6 literal needs brackets in a URL authority.
  const host = instance.address.includes(':') ? `[${instance.address}]` : instance.address;
  return new URL(`${scheme}://${host}:${instance.port}`);
}

/** The target of a mesh instance; keeps `previous.origin` when the endpoint is unchanged (no URL re-parse). */
export function meshTarget(instance: ServiceInstance, previous?: UpstreamTarget): UpstreamTarget {
  const before = previous?.instance;
  const sameEndpoint =
    before !== undefined &&
    before.address === instance.address &&
    before.port === instance.port &&
    before.scheme === instance.scheme &&
    before.metadata[MESH_METADATA.scheme] === instance.metadata[MESH_METADATA.scheme];
  const origin = sameEndpoint && previous ? previous.origin : instanceOrigin(instance);
  return { id: instance.serviceId, origin, basePath: '', instance };
}

/** The target of a static upstream URL: id is the URL, basePath its path without a trailing slash. */
export function staticTarget(url: URL): UpstreamTarget {
  const basePath = url.pathname.replace(/\/+$/, '');
  return { id: url.href, origin: new URL(url.origin), basePath };
}

/**
 * A registry-shaped stand-in for a static target, so the load-balancing lib (which balances
 * `ServiceInstance`s) can pick among static upstreams too. `serviceId` is the target id.
 */
export function syntheticInstance(route: string, target: UpstreamTarget): ServiceInstance {
  return {
    serviceName: route,
    serviceId: target.id,
    address: target.origin.hostname,
    port: Number(target.origin.port) || (target.origin.protocol === 'https:' ? 443 : 80),
    scheme: target.origin.protocol.replace(/:$/, ''),
    status: 'Healthy',
    metadata: {},
    tags: [],
    registeredAt: new Date(0),
    lastHeartbeatAt: null,
  };
}
