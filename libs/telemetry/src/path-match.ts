/** The path part of a request URL (`/items/1?x=2` -> `/items/1`). */
export function urlPath(url: string | undefined): string {
  const value = url ?? '/';
  const query = value.indexOf('?');
  return query === -1 ? value : value.slice(0, query);
}

/** Whether `path` is one of `prefixes` or below one (`/health` covers `/health/live`, not `/healthz`). */
export function matchesPathPrefix(path: string, prefixes: readonly string[]): boolean {
  return prefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}
