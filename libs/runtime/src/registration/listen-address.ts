import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';

const ANY_ADDRESS = new Set(['0.0.0.0', '::', '']);

/**
 * The address to advertise for a server bound to `bound`: the configured one when given; for a wildcard
 * bind, the first non-internal IPv4 of this host (or loopback when it has none); otherwise the bound address
 * itself (IPv4-mapped IPv6 unwrapped).
 */
export function advertisedAddressFor(
  bound: Pick<AddressInfo, 'address'>,
  configured?: string,
  interfaces: ReturnType<typeof networkInterfaces> = networkInterfaces(),
): string {
  if (configured) return configured;
  const address = bound.address.replace(/^::ffff:/, '');
  if (!ANY_ADDRESS.has(address)) return address;
  for (const entries of Object.values(interfaces)) {
    const external = entries?.find((entry) => entry.family === 'IPv4' && !entry.internal);
    if (external) return external.address;
  }
  return '127.0.0.1';
}
