import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { MeshConfigError } from '@toskamesh/common';
import type { ResolvedGatewayOptions } from '../config/resolved-gateway-options.js';
import { writeProblem } from '../http/problem.js';

/** CORS settings of the gateway. */
export type GatewayCorsSettings = ResolvedGatewayOptions['cors'];

/**
 * The gateway's CORS policy, applied before routing so preflights never reach an upstream.
 *
 * - Disabled, or a request without `Origin`: nothing happens (`apply` returns false).
 * - `allowedOrigins: ['*']` (a `*` anywhere in the list) allows every origin with
 *   `Access-Control-Allow-Origin: *` and never with credentials (browsers refuse `*` with
 *   credentials, and reflecting any origin with credentials would hand every site the user's
 *   cookies). Otherwise the request's origin is echoed when listed (compared case-insensitively,
 *   without a trailing `/`), with `Access-Control-Allow-Credentials: true` when `allowCredentials`.
 * - Preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`): answered here, 204 with
 *   the allowed origin, methods, headers and max-age for a listed origin. A preflight from an origin
 *   that is not listed gets a 403 problem (`cors-origin-not-allowed`): a browser would fail it anyway
 *   for the missing allow-origin header, and the 403 tells a developer why. The requested method and
 *   headers are not checked here; the configured lists are sent and the browser enforces them.
 * - Other requests: the CORS response headers are set with `res.setHeader`, before the proxy writes
 *   the head. Both forwarding styles keep them (`writeHead(status, headers)` merges earlier
 *   `setHeader` values; http-proxy-middleware copies upstream headers with `setHeader`), except that
 *   an upstream header of the same name (its own `Access-Control-Allow-Origin`, or `Vary`) replaces
 *   the gateway's.
 * - `Vary: Origin` is sent whenever the answer depends on the origin (not with `*`), including for
 *   refused origins, so a shared cache never serves one origin's answer to another.
 */
export class CorsPolicy {
  private readonly enabled: boolean;
  private readonly anyOrigin: boolean;
  private readonly origins: ReadonlySet<string>;
  private readonly credentials: boolean;
  private readonly exposedHeaders: string | undefined;
  private readonly preflightHeaders: Readonly<OutgoingHttpHeaders>;

  constructor(options: GatewayCorsSettings) {
    this.enabled = options.enabled;
    this.anyOrigin = options.allowedOrigins.includes('*');
    this.origins = new Set(
      options.allowedOrigins.flatMap((origin, index) =>
        origin === '*' ? [] : [normaliseConfiguredOrigin(origin, index)],
      ),
    );
    this.credentials = options.allowCredentials && !this.anyOrigin;
    this.exposedHeaders = options.exposedHeaders.length > 0 ? options.exposedHeaders.join(', ') : undefined;
    this.preflightHeaders = {
      'access-control-allow-methods': options.allowedMethods.join(', '),
      ...(options.allowedHeaders.length > 0
        ? { 'access-control-allow-headers': options.allowedHeaders.join(', ') }
        : {}),
      'access-control-max-age': String(options.maxAgeSeconds),
    };
  }

  /**
   * Applies the policy to one request. Returns true when it fully answered the request (a preflight);
   * the caller must then stop. Otherwise the response may carry CORS headers and the caller goes on.
   */
  apply(req: IncomingMessage, res: ServerResponse): boolean {
    if (!this.enabled) return false;
    const origin = req.headers.origin;
    if (origin === undefined) return false;
    const allowed = this.anyOrigin || this.origins.has(normaliseOrigin(origin));
    const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    if (preflight) {
      this.answerPreflight(res, origin, allowed);
      return true;
    }
    if (!this.anyOrigin) res.setHeader('vary', 'Origin');
    if (allowed) {
      res.setHeader('access-control-allow-origin', this.anyOrigin ? '*' : origin);
      if (this.credentials) res.setHeader('access-control-allow-credentials', 'true');
      if (this.exposedHeaders !== undefined)
        res.setHeader('access-control-expose-headers', this.exposedHeaders);
    }
    return false;
  }

  private answerPreflight(res: ServerResponse, origin: string, allowed: boolean): void {
    const vary: Record<string, string> = this.anyOrigin ? {} : { vary: 'Origin' };
    if (!allowed) {
      writeProblem(
        res,
        {
          status: 403,
          title: 'Origin not allowed',
          detail: 'The Origin of this preflight request is not in cors.allowedOrigins.',
          reason: 'cors-origin-not-allowed',
        },
        vary,
      );
      return;
    }
    res.writeHead(204, {
      ...vary,
      'access-control-allow-origin': this.anyOrigin ? '*' : origin,
      ...(this.credentials ? { 'access-control-allow-credentials': 'true' } : {}),
      ...this.preflightHeaders,
    });
    res.end();
  }
}

function normaliseOrigin(origin: string): string {
  const lowered = origin.toLowerCase();
  return lowered.endsWith('/') ? lowered.slice(0, -1) : lowered;
}

/** A configured origin in the form browsers send (`scheme://host[:port]`); refuses paths and junk. */
function normaliseConfiguredOrigin(origin: string, index: number): string {
  // Sandboxed iframes and file:// pages send the literal origin "null".
  if (origin === 'null') return origin;
  const parsed = URL.parse(origin);
  const bare =
    parsed !== null &&
    parsed.origin !== 'null' &&
    parsed.pathname === '/' &&
    parsed.search === '' &&
    parsed.hash === '' &&
    parsed.username === '';
  if (!bare) {
    throw new MeshConfigError(`cors.allowedOrigins[${index}]`, 'is not an origin', {
      value: origin,
      allowed: '"*", or scheme://host[:port] without a path, e.g. "https://app.example.com"',
    });
  }
  // Browsers omit default ports and lower-case the host; URL.origin does the same.
  return parsed.origin;
}
