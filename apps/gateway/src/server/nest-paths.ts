/**
 * The paths the Nest app serves (`/health*`, `/metrics`, the admin API); every other request goes
 * through the proxy pipeline. Checked on the raw request target before routing, so a route prefix of
 * `/` or a static route cannot shadow the gateway's own endpoints.
 */
export class NestPaths {
  private readonly prefixes: readonly string[];

  constructor(
    metricsPath: string,
    /** The admin API's path, when it is enabled. */
    readonly adminPath: string | undefined,
  ) {
    this.prefixes = ['/health', metricsPath, ...(adminPath === undefined ? [] : [adminPath])];
  }

  /** True when `url` (a request target) is one of the prefixes or below one. */
  matches(url: string): boolean {
    for (const prefix of this.prefixes) if (isUnder(url, prefix)) return true;
    return false;
  }

  /** True when `url` is the admin API. */
  isAdmin(url: string): boolean {
    return this.adminPath !== undefined && isUnder(url, this.adminPath);
  }
}

function isUnder(url: string, prefix: string): boolean {
  if (!url.startsWith(prefix)) return false;
  if (url.length === prefix.length) return true;
  const next = url.charCodeAt(prefix.length);
  return next === 0x2f /* / */ || next === 0x3f; /* ? */
}
