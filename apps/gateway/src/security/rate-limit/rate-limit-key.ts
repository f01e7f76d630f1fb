import type { ResolvedGatewayOptions } from '../../config/resolved-gateway-options.js';
import type { RequestIdentity } from '../request-identity.js';

/** What identifies a client for rate limiting. */
export type RateLimitKeyMode = ResolvedGatewayOptions['rateLimit']['key'];

/**
 * The counter a request is charged to, prefixed by kind so a user, a key and an address never share
 * one by accident:
 * - `auto`: `user:<sub>` for a JWT identity, `apikey:<name>` for an API key, else `ip:<address>`;
 * - `user`: `user:<name>` for any identity (a JWT subject or an API key's name), else the address;
 * - `apiKey`: `apikey:<name>` for an API key, else the address;
 * - `ip`: always the address.
 * Anonymous requests always fall back to the client IP, so turning on per-user limits never leaves
 * anonymous traffic unlimited.
 */
export function rateLimitKey(mode: RateLimitKeyMode, ip: string, identity?: RequestIdentity): string {
  if (identity !== undefined) {
    switch (mode) {
      case 'auto':
        return identity.via === 'api-key'
          ? `apikey:${identity.apiKey ?? identity.user}`
          : `user:${identity.user}`;
      case 'user':
        return `user:${identity.user}`;
      case 'apiKey':
        if (identity.via === 'api-key') return `apikey:${identity.apiKey ?? identity.user}`;
        break;
      case 'ip':
        break;
    }
  }
  return `ip:${ip}`;
}
