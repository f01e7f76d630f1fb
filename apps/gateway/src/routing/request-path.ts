import type { RouteRejection } from './route-match.js';

/** A request target split and checked: safe to route on and to forward. */
export interface NormalisedPath {
  readonly kind: 'path';
  /**
   * The path percent-decoded once (UTF-8), with runs of `/` collapsed to one. Routing and public-path
   * matching use it. It never holds a dot segment, a backslash or a control character.
   */
  readonly path: string;
  /**
   * The same path still encoded as the client sent it (runs of `/` collapsed too), to build upstream
   * paths from: re-encoding `path` would be lossy (`%20` vs `+`, `%41` vs `A`). Its `/` sit exactly
   * where `path`'s do, because an encoded slash is refused.
   */
  readonly rawPath: string;
  /** The query with its leading `?` exactly as sent (`?` alone kept); `''` when there was none. */
  readonly query: string;
}

const SLASH = 0x2f;
const DOT = 0x2e;
const PERCENT = 0x25;
const BACKSLASH = 0x5c;
const HASH = 0x23;
const SEMICOLON = 0x3b;

const DUPLICATE_SLASHES = /\/{2,}/g;

const REASONS = {
  notOriginForm: "the request target must be a path starting with '/' (origin-form)",
  asterisk: "the request target '*' is not routable",
  fragment: "the request target must not contain a fragment ('#')",
  badChar: 'the request target contains a space, control or non-ASCII character that is not percent-encoded',
  badEncoding: 'the path has an invalid percent-encoding (expected % followed by two hex digits)',
  notUtf8: 'the percent-decoded path is not valid UTF-8',
  encodedSeparator: "the path contains an encoded '/' or '\\' (%2F, %5C)",
  doubleEncoded: "the path contains a double-encoded '.', '/' or '\\' (%252E, %252F, %255C)",
  backslash: "the path contains a backslash ('\\')",
  control: 'the path contains a NUL or control character',
  dotSegment: "the path contains a '.' or '..' segment (raw or percent-encoded)",
} as const;

/**
 * Splits `requestTarget` (`req.url`) into path and query and checks the path, once per request.
 *
 * Refused with status 400 (a {@link RouteRejection} whose `reason` says why): anything but origin-form
 * (`*`, `http://host/...`), a fragment, a `.`/`..` segment raw or encoded in any mix (`%2e%2E`, `.%2e`,
 * also `..;x` which Java servers read as `..`), an encoded `/` or `\` anywhere, a raw `\`, NUL and
 * control characters, a double-encoded dot or separator, malformed `%` escapes and bytes that are not
 * UTF-8. Runs of `/` count as one `/`. The query is not decoded: it is forwarded as sent.
 */
export function normalisedPath(requestTarget: string): NormalisedPath | RouteRejection {
  if (requestTarget.charCodeAt(0) !== SLASH) {
    return rejection(requestTarget === '*' ? REASONS.asterisk : REASONS.notOriginForm);
  }
  const queryAt = requestTarget.indexOf('?');
  let rawPath = queryAt < 0 ? requestTarget : requestTarget.slice(0, queryAt);
  const query = queryAt < 0 ? '' : requestTarget.slice(queryAt);
  if (query !== '') {
    const problem = checkQuery(query);
    if (problem) return rejection(problem);
  }

  let needsDecoding = false;
  let duplicateSlash = false;
  for (let i = 0; i < rawPath.length; i += 1) {
    const code = rawPath.charCodeAt(i);
    if (code <= 0x20 || code >= 0x7f) return rejection(REASONS.badChar);
    if (code === PERCENT) needsDecoding = true;
    else if (code === BACKSLASH) return rejection(REASONS.backslash);
    else if (code === HASH) return rejection(REASONS.fragment);
    else if (code === SLASH && rawPath.charCodeAt(i - 1) === SLASH) duplicateSlash = true;
  }

  let path = rawPath;
  if (needsDecoding) {
    const decoded = decodePath(rawPath);
    if (typeof decoded !== 'string') return decoded;
    path = decoded;
  }
  if (hasDotSegment(path)) return rejection(REASONS.dotSegment);
  if (duplicateSlash) {
    // Collapsing both keeps their `/` aligned; it cannot create a dot segment that was not checked above.
    rawPath = rawPath.replace(DUPLICATE_SLASHES, '/');
    path = needsDecoding ? path.replace(DUPLICATE_SLASHES, '/') : rawPath;
  }
  return { kind: 'path', path, rawPath, query };
}

/** True when `result` is a refusal rather than a path. */
export function isRouteRejection(result: NormalisedPath | RouteRejection): result is RouteRejection {
  return result.kind === 'rejected';
}

function rejection(reason: string): RouteRejection {
  return { kind: 'rejected', status: 400, reason };
}

function checkQuery(query: string): string | undefined {
  for (let i = 0; i < query.length; i += 1) {
    const code = query.charCodeAt(i);
    if (code <= 0x20 || code >= 0x7f) return REASONS.badChar;
    if (code === HASH) return REASONS.fragment;
  }
  return undefined;
}

/**
 * Checks every `%XX` escape, then decodes once. `decodeURIComponent` (native, and strict: overlong
 * forms and lone surrogates throw) only has to judge UTF-8 because the escapes were checked here.
 */
function decodePath(rawPath: string): string | RouteRejection {
  for (let at = rawPath.indexOf('%'); at >= 0; at = rawPath.indexOf('%', at + 3)) {
    const byte = (hexValue(rawPath.charCodeAt(at + 1)) << 4) | hexValue(rawPath.charCodeAt(at + 2));
    if (byte < 0) return rejection(REASONS.badEncoding);
    if (byte === SLASH || byte === BACKSLASH) return rejection(REASONS.encodedSeparator);
    if (byte < 0x20 || byte === 0x7f) return rejection(REASONS.control);
    // `%25` + `2e`/`2f`/`5c` decodes to a literal `%2e`: an upstream that decodes again would see a
    // dot or a separator the gateway never checked.
    if (byte === PERCENT && isDangerousEscape(rawPath, at + 3)) return rejection(REASONS.doubleEncoded);
  }
  try {
    return decodeURIComponent(rawPath);
  } catch {
    return rejection(REASONS.notUtf8);
  }
}

/** The value of one hex digit, or a large negative number so any `|` with it stays negative. */
function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -0x1000;
}

/** True when `raw` at `at` spells `2e`, `2f` or `5c` in any case (what `%25` would turn into an escape). */
function isDangerousEscape(raw: string, at: number): boolean {
  const high = raw.charCodeAt(at);
  const low = raw.charCodeAt(at + 1) | 0x20;
  if (high === 0x32) return low === 0x65 || low === 0x66;
  return high === 0x35 && low === 0x63;
}

/**
 * True when a segment of the decoded path is a dot segment. Control characters and backslashes were
 * refused already: raw ones by the scan, encoded ones by {@link decodePath}.
 */
function hasDotSegment(path: string): boolean {
  for (let at = path.indexOf('/.'); at >= 0; at = path.indexOf('/.', at + 1)) {
    const next = path.indexOf('/', at + 1);
    if (isDotSegment(path, at + 1, next < 0 ? path.length : next)) return true;
  }
  return false;
}

/** `.` or `..`, optionally followed by `;params` (Tomcat and Jetty strip those before resolving dots). */
function isDotSegment(path: string, start: number, end: number): boolean {
  if (start >= end || path.charCodeAt(start) !== DOT) return false;
  const second = start + 1 < end ? path.charCodeAt(start + 1) : SEMICOLON;
  if (second === SEMICOLON) return true;
  if (second !== DOT) return false;
  return start + 2 === end || path.charCodeAt(start + 2) === SEMICOLON;
}
