import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';
import { MeshConfigError } from '@toskamesh/common';

/** Peers whose `X-Forwarded-For` is believed: exact addresses and CIDR ranges. */
interface TrustedPeers {
  readonly exact: ReadonlySet<string>;
  /** CIDR ranges, and IPv6 exact entries in every spelling. */
  readonly ranges: BlockList;
  /** Whether `ranges` holds any IPv4 / IPv6 rule; checking costs ~0.5 µs, so skip it when not. */
  readonly rangesV4: boolean;
  readonly rangesV6: boolean;
}

/** Hops of `X-Forwarded-For` looked at, at most; a longer chain is not a real proxy chain. */
const MAX_HOPS = 32;

// Compiled once per options array (they live as long as the gateway), not once per request.
const compiled = new WeakMap<readonly string[], TrustedPeers>();

/**
 * The address a request comes from, for rate limiting and `X-Forwarded-For`.
 *
 * It is the socket's peer (IPv4-mapped IPv6 `::ffff:a.b.c.d` shown as `a.b.c.d`), unless that peer is
 * a trusted proxy (`trustedProxies`: addresses or CIDR ranges such as `10.0.0.0/8`). Then
 * `X-Forwarded-For` is read from the right, skipping trusted proxies, and the first untrusted entry
 * is the client: entries further left were written by the client itself and could be anything. An
 * entry that is not an IP address stops the walk at the last address a trusted hop vouched for.
 */
export function clientIp(req: IncomingMessage, trustedProxies: readonly string[]): string {
  const peer = unmapped(req.socket.remoteAddress ?? '') || 'unknown';
  if (trustedProxies.length === 0) return peer;
  const trusted = trustedPeers(trustedProxies);
  if (!isTrusted(trusted, peer)) return peer;
  const header = req.headers['x-forwarded-for'];
  if (typeof header !== 'string' || header === '') return peer;
  const hops = header.split(',');
  let nearest = peer;
  for (let i = hops.length - 1; i >= 0 && i >= hops.length - MAX_HOPS; i -= 1) {
    const hop = hopAddress(hops[i] ?? '');
    if (hop === undefined) return nearest;
    if (!isTrusted(trusted, hop)) return hop;
    nearest = hop;
  }
  return nearest;
}

function isTrusted(trusted: TrustedPeers, address: string): boolean {
  if (trusted.exact.has(address)) return true;
  const v6 = address.includes(':');
  if (v6 ? !trusted.rangesV6 : !trusted.rangesV4) return false;
  return isIP(address) !== 0 && trusted.ranges.check(address, v6 ? 'ipv6' : 'ipv4');
}

/** The address in one `X-Forwarded-For` entry (`1.2.3.4`, `1.2.3.4:80`, `[::1]:80`, `::1`), if any. */
function hopAddress(entry: string): string | undefined {
  let text = entry.trim();
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    text = end > 0 ? text.slice(1, end) : '';
  } else if (text.indexOf(':') > 0 && text.indexOf(':') === text.lastIndexOf(':')) {
    // One colon: IPv4 with a port (IPv6 has at least two).
    text = text.slice(0, text.indexOf(':'));
  }
  text = unmapped(text);
  return isIP(text) === 0 ? undefined : text;
}

function unmapped(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

function trustedPeers(entries: readonly string[]): TrustedPeers {
  let peers = compiled.get(entries);
  if (peers === undefined) {
    peers = compileTrustedPeers(entries);
    compiled.set(entries, peers);
  }
  return peers;
}

function compileTrustedPeers(entries: readonly string[]): TrustedPeers {
  const exact = new Set<string>();
  const ranges = new BlockList();
  let rangesV4 = false;
  let rangesV6 = false;
  entries.forEach((entry, index) => {
    const [address = '', bits, extra] = entry.trim().split('/');
    const family = isIP(address);
    const prefix = Number(bits);
    const maxBits = family === 6 ? 128 : 32;
    const validRange = bits === undefined || (/^\d+$/.test(bits) && prefix <= maxBits);
    if (family === 0 || extra !== undefined || !validRange) {
      throw new MeshConfigError(`rateLimit.trustedProxies[${index}]`, 'is not an IP address or CIDR range', {
        value: entry,
        allowed: 'e.g. "127.0.0.1", "::1", "10.0.0.0/8", "fd00::/8"',
      });
    }
    if (bits !== undefined) {
      ranges.addSubnet(address, prefix, family === 6 ? 'ipv6' : 'ipv4');
      if (family === 6) rangesV6 = true;
      else rangesV4 = true;
      return;
    }
    exact.add(unmapped(address));
    // IPv6 has many spellings of one address (`::1`, `0:0::1`); the block list compares them parsed.
    // Only spellings other than the configured one reach it: the set answers first.
    if (family === 6) {
      ranges.addAddress(address, 'ipv6');
      rangesV6 = true;
    }
  });
  return { exact, ranges, rangesV4, rangesV6 };
}
