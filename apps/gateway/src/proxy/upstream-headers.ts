import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { currentSpanId, injectTraceHeaders } from '@toskamesh/telemetry';
import type { RequestIdentity } from '../security/request-identity.js';
import { HOP_BY_HOP_HEADERS, connectionTokens, isConnectionName, isHopByHopName } from './hop-by-hop.js';

/** What the gateway knows about a request beyond its headers. */
export interface UpstreamHeaderContext {
  readonly identity?: RequestIdentity;
  readonly correlationId: string;
  readonly clientIp: string;
  readonly secure: boolean;
}

/**
 * Request headers the gateway sets itself, so a client's copy is never forwarded: `host` (the engine sends
 * the instance's), `expect` (the gateway already answered `100 Continue`, and an upstream waiting for it
 * would stall the body), the forwarding headers, and the correlation id.
 */
const GATEWAY_OWNED: ReadonlySet<string> = new Set([
  'host',
  'expect',
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-port',
  'x-forwarded-proto',
  'x-correlation-id',
]);

/** Identity headers are the gateway's word: any client-sent `x-mesh-*` header is dropped. */
const IDENTITY_PREFIX = 'x-mesh-';

/**
 * The headers to send upstream for `req`: hop-by-hop fields (and those its `Connection` lists) removed —
 * except `Upgrade` / `Connection: upgrade` on upgrade requests —, `X-Forwarded-For` (the client appended to
 * any earlier list), `X-Forwarded-Proto`, `X-Forwarded-Host`, `Forwarded` (RFC 7239, appended), identity
 * headers replaced from `ctx.identity`, `x-correlation-id` set, and `traceparent`/`tracestate` taken from
 * the active span when there is one (else the client's pass through). `host` is left out: the engine sets
 * the instance's. A new object; `req.headers` is not touched.
 */
export function upstreamRequestHeaders(
  req: IncomingMessage,
  ctx: UpstreamHeaderContext,
): OutgoingHttpHeaders {
  const source = req.headers;
  const listed = connectionTokens(source.connection);
  const out: OutgoingHttpHeaders = {};
  for (const name in source) {
    if (HOP_BY_HOP_HEADERS.has(name) || GATEWAY_OWNED.has(name) || name.startsWith(IDENTITY_PREFIX)) continue;
    if (listed !== undefined && listed.has(name)) continue;
    const value = source[name];
    if (value !== undefined) out[name] = value;
  }
  if (source.upgrade !== undefined && listed !== undefined && listed.has('upgrade')) {
    out.connection = 'upgrade';
    out.upgrade = source.upgrade;
  }
  const proto = ctx.secure ? 'https' : 'http';
  const priorFor = listed?.has('x-forwarded-for') ? undefined : source['x-forwarded-for'];
  out['x-forwarded-for'] = priorFor ? `${priorFor}, ${ctx.clientIp}` : ctx.clientIp;
  out['x-forwarded-proto'] = proto;
  const host = source.host;
  if (host) out['x-forwarded-host'] = host;
  const element = forwardedElement(ctx.clientIp, proto, host);
  const priorForwarded = listed?.has('forwarded') ? undefined : source.forwarded;
  out.forwarded = priorForwarded ? `${priorForwarded}, ${element}` : element;
  out['x-correlation-id'] = ctx.correlationId;
  if (ctx.identity !== undefined) {
    out['x-mesh-user'] = ctx.identity.user;
    out['x-mesh-roles'] = ctx.identity.roles.join(',');
  }
  if (currentSpanId() !== undefined) {
    // The gateway's own span is the upstream's parent now; the client's context is its ancestor.
    delete out.traceparent;
    delete out.tracestate;
    injectTraceHeaders(out as Record<string, string>);
  }
  return out;
}

/**
 * The upstream's response header pairs (flat `[name, value, ...]`, as `rawHeaders`) without hop-by-hop
 * fields and those its `Connection` lists; duplicates (`set-cookie`) and order are kept.
 */
export function clientResponseHeaders(raw: readonly string[]): string[] {
  const out: string[] = [];
  let listed: Set<string> | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (isHopByHopName(name)) {
      if (isConnectionName(name)) listed = connectionTokens(raw[i + 1], listed);
      continue;
    }
    out.push(name, raw[i + 1]!);
  }
  if (listed === undefined) return out;
  const kept: string[] = [];
  for (let i = 0; i < out.length; i += 2) {
    if (!listed.has(out[i]!.toLowerCase())) kept.push(out[i]!, out[i + 1]!);
  }
  return kept;
}

/**
 * The name of the first header whose value holds CR, LF or NUL, or `undefined`. Node's parser refuses most
 * of these already; this catches what lenient parsing lets through before it could split a forwarded head.
 */
export function hasUnsafeHeaderValue(req: IncomingMessage): string | undefined {
  const raw = req.rawHeaders;
  for (let i = 1; i < raw.length; i += 2) {
    const value = raw[i]!;
    if (value.includes('\r') || value.includes('\n') || value.includes('\0')) return raw[i - 1];
  }
  return undefined;
}

/** One RFC 7239 element: `for=...;host=...;proto=...`, IPv6 bracketed and quoted, other values quoted when not tokens. */
export function forwardedElement(clientIp: string, proto: string, host: string | undefined): string {
  const node =
    clientIp === '' ? 'unknown' : clientIp.includes(':') ? `"[${clientIp}]"` : quotedIfNeeded(clientIp);
  const hostPart = host ? `;host=${quotedIfNeeded(host)}` : '';
  return `for=${node}${hostPart};proto=${proto}`;
}

/** RFC 9110 `tchar`s by char code. */
const TOKEN_CHARS = (() => {
  const table = new Uint8Array(128);
  const symbols = "!#$%&'*+-.^_`|~";
  for (let code = 0; code < 128; code += 1) {
    const char = String.fromCharCode(code);
    if (/[0-9A-Za-z]/.test(char) || symbols.includes(char)) table[code] = 1;
  }
  return table;
})();

function quotedIfNeeded(value: string): string {
  for (let i = 0; i < value.length; i += 1) {
    const code = value.charCodeAt(i);
    if (code >= 128 || TOKEN_CHARS[code] === 0)
      return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
  }
  return value.length === 0 ? '""' : value;
}
