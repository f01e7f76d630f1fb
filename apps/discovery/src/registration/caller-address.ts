import { isIP } from 'node:net';

const UNSPECIFIED = new Set(['0.0.0.0', '::', '[::]', '::0']);

/** Strips the IPv4-mapped prefix (`::ffff:10.0.0.5` -> `10.0.0.5`) and IPv6 brackets. */
export function plainIp(ip: string | undefined): string | undefined {
  if (!ip) return undefined;
  const bare = ip.replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  return mapped ? mapped[1] : bare;
}

/** True for `127.0.0.0/8`, `::1` and `localhost`. */
export function isLoopback(address: string): boolean {
  const ip = plainIp(address.trim()) ?? '';
  return ip === '::1' || ip.toLowerCase() === 'localhost' || (isIP(ip) === 4 && ip.startsWith('127.'));
}

/**
 * The address to register, as the .NET original's gRPC endpoint chose it: a host name or routable IP is
 * kept; an empty, unspecified (`0.0.0.0`, `::`) or loopback address from a REMOTE caller is replaced
 * by the caller's IP, because other machines cannot reach the caller there. A loopback caller keeps
 * what it sent (everything runs on one machine).
 */
export function advertisedAddress(
  requested: string | undefined,
  callerIp: string | undefined,
): string | undefined {
  const caller = plainIp(callerIp);
  const address = requested?.trim() ?? '';
  const replaceable = address === '' || UNSPECIFIED.has(address) || isLoopback(address);
  if (!replaceable || !caller || isIP(caller) === 0) return address === '' ? requested : address;
  if (isLoopback(caller)) return address === '' ? caller : address;
  return caller;
}

/** Parses a gRPC peer (`ipv4:10.0.0.5:51234`, `ipv6:[::1]:51234`, `10.0.0.5:51234`) to its IP. */
export function ipFromGrpcPeer(peer: string | undefined): string | undefined {
  if (!peer) return undefined;
  const text = peer.replace(/^ipv[46]:/, '');
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed) return plainIp(bracketed[1]);
  const v4 = /^(\d+\.\d+\.\d+\.\d+)(?::\d+)?$/.exec(text);
  if (v4) return v4[1];
  return isIP(text) ? plainIp(text) : undefined;
}
