import { MeshConfigError } from '@toskamesh/common';

/** A compiled set of path patterns: true when `path` matches at least one. */
export type PathMatcher = (path: string) => boolean;

const NEVER: PathMatcher = () => false;

/**
 * Compiles path patterns once into one matcher that is cheap enough to call on every request.
 *
 * - A segment `*` matches exactly one non-empty segment: `/orders/*` matches `/orders/42`, not
 *   `/orders` nor `/orders/42/lines`.
 * - A final segment `**` matches any rest, including nothing: `/health/**` matches `/health`,
 *   `/health/` and `/health/live/deep`.
 * - Every other character matches itself (case-sensitive, like the paths it is matched against).
 *
 * Patterns without wildcards go into a `Set` (one hash lookup); the others into one anchored regular
 * expression. `**` anywhere but last, or `*` inside a segment (`/a*b`), is refused with a
 * `MeshConfigError`, because it would otherwise silently match only itself.
 */
export function compilePathPatterns(patterns: readonly string[]): PathMatcher {
  const exact = new Set<string>();
  const wildcards: string[] = [];
  patterns.forEach((pattern, index) => {
    const source = patternSource(pattern, index);
    if (source === undefined) exact.add(pattern);
    else wildcards.push(source);
  });
  if (wildcards.length === 0) return exact.size === 0 ? NEVER : (path) => exact.has(path);
  const regex = new RegExp(`^(?:${wildcards.join('|')})$`);
  if (exact.size === 0) return (path) => regex.test(path);
  return (path) => exact.has(path) || regex.test(path);
}

/** Regular-expression source of a wildcard pattern, or `undefined` when the pattern is exact. */
function patternSource(pattern: string, index: number): string | undefined {
  const key = `security.publicPaths[${index}]`;
  if (typeof pattern !== 'string' || !pattern.startsWith('/')) {
    throw new MeshConfigError(key, 'must be a path starting with "/"', { value: pattern });
  }
  if (!pattern.includes('*')) return undefined;
  const segments = pattern.slice(1).split('/');
  let source = '';
  segments.forEach((segment, position) => {
    if (segment === '**') {
      if (position !== segments.length - 1) {
        throw new MeshConfigError(key, 'may use "**" only as its last segment', { value: pattern });
      }
      // `/health/**` also matches `/health` itself: "any rest" includes no rest.
      source += '(?:/.*)?';
    } else if (segment === '*') {
      source += '/[^/]+';
    } else if (segment.includes('*')) {
      throw new MeshConfigError(key, 'may use "*" only as a whole segment', {
        value: pattern,
        allowed: '"/a/*/b" (one segment) or "/a/**" (any rest)',
      });
    } else {
      source += `/${escapeRegExp(segment)}`;
    }
  });
  return source;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
