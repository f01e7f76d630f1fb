import { readFileSync } from 'node:fs';
import { MeshConfigError } from '@toskamesh/common';
import { loadStaticRoutes, resolveStaticRoutes } from '../routing/static-routes.loader.js';
import { gatewayOptionsFromEnv } from './gateway-env.js';
import type { GatewayOptions, UpstreamPolicy } from './gateway-options.js';
import { mergeOptions } from './merge-options.js';
import {
  boolOption,
  choiceOption,
  intOption,
  msOption,
  optionKey,
  pathOption,
  stringOption,
} from './option-checks.js';
import { resolveCors, resolveRateLimit, resolveSecurity } from './resolve-edge-options.js';
import { resolveUpstreamPolicy } from './resolve-upstream-policy.js';
import type {
  ResolvedGatewayOptions,
  ResolvedStaticRoute,
  ResolvedUpstreamPolicy,
} from './resolved-gateway-options.js';

type Env = Record<string, string | undefined>;

/** Defaults of the top-level options (sections have theirs beside their resolvers). */
export const GATEWAY_DEFAULTS = {
  host: '0.0.0.0',
  port: 5000,
  routePrefix: '/api/',
  maxBodyBytes: 10 * 1024 * 1024,
  maxHeaderBytes: 16 * 1024,
  adminPath: '/admin',
  adminRole: 'admin',
  activeProbes: {
    enabled: false,
    intervalMs: 10_000,
    timeoutMs: 2000,
    path: '/health',
    unhealthyThreshold: 2,
  },
} as const;

const ENGINES = ['http-proxy-middleware', 'node-http'] as const;
/** Paths the Nest app serves; the admin API cannot take them over. */
const RESERVED_PATHS = ['/health', '/metrics'];

/**
 * {@link GatewayOptions} with `Mesh__Gateway__*` (and the original's) environment variables laid over the
 * options given in code, defaults applied and every value checked — environment > code > default, as in
 * `resolveRuntimeOptions`: code says what the gateway is, the environment says where it runs. Loads the
 * static routes file and the TLS files. Throws `MeshConfigError` naming the option, its variable, the
 * value and what is allowed, so the gateway never starts half configured.
 */
export function resolveGatewayOptions(
  options: GatewayOptions = {},
  env: Env = process.env,
): ResolvedGatewayOptions {
  const merged = mergeOptions(options, gatewayOptionsFromEnv(env));
  const upstream = resolveUpstreamPolicy('upstream', merged.upstream);
  const routePrefix = routePrefixOf(merged.routePrefix);
  const admin = {
    enabled: boolOption('admin.enabled', merged.admin?.enabled, true),
    path: pathOption('admin.path', merged.admin?.path, GATEWAY_DEFAULTS.adminPath),
    role: stringOption('admin.role', merged.admin?.role, GATEWAY_DEFAULTS.adminRole, { nonEmpty: true }),
  };
  if (admin.path === '/' || RESERVED_PATHS.some((reserved) => overlaps(admin.path, reserved))) {
    throw new MeshConfigError(optionKey('admin.path'), 'collides with a built-in endpoint', {
      value: admin.path,
      allowed: 'a path other than "/", /health and /metrics, e.g. "/admin"',
    });
  }
  return {
    host: stringOption('host', merged.host, GATEWAY_DEFAULTS.host, { nonEmpty: true }),
    port: intOption('port', merged.port, GATEWAY_DEFAULTS.port, 0, 65535),
    routePrefix,
    staticRoutes: staticRoutesOf(merged),
    upstream,
    services: servicePolicies(merged.upstream, merged.services),
    activeProbes: activeProbesOf(merged.activeProbes),
    security: resolveSecurity(merged.security),
    cors: resolveCors(merged.cors),
    rateLimit: resolveRateLimit(merged.rateLimit),
    limits: {
      maxBodyBytes: intOption(
        'limits.maxBodyBytes',
        merged.limits?.maxBodyBytes,
        GATEWAY_DEFAULTS.maxBodyBytes,
        0,
        2 ** 40,
      ),
      maxHeaderBytes: intOption(
        'limits.maxHeaderBytes',
        merged.limits?.maxHeaderBytes,
        GATEWAY_DEFAULTS.maxHeaderBytes,
        1024,
        1024 * 1024,
      ),
    },
    ...tlsOf(merged.tls),
    admin,
    accessLog: boolOption('accessLog', merged.accessLog, true),
    engine: choiceOption('engine', merged.engine, 'node-http', ENGINES),
  };
}

/** `/api/` as the original normalises it: blank -> `/`, leading and trailing `/` enforced. */
function routePrefixOf(value: unknown): string {
  if (value === undefined) return GATEWAY_DEFAULTS.routePrefix;
  if (typeof value === 'string' && value.trim().replaceAll('/', '') === '') return '/';
  const text = typeof value === 'string' && !value.trim().startsWith('/') ? `/${value.trim()}` : value;
  return `${pathOption('routePrefix', text, GATEWAY_DEFAULTS.routePrefix)}/`;
}

function overlaps(path: string, reserved: string): boolean {
  return path === reserved || path.startsWith(`${reserved}/`) || reserved.startsWith(`${path}/`);
}

/** Each `services.<name>` laid over the top-level `upstream` options (not over the defaults). */
function servicePolicies(
  upstream: UpstreamPolicy | undefined,
  services: Record<string, UpstreamPolicy> | undefined,
): Map<string, ResolvedUpstreamPolicy> {
  if (services !== undefined && (typeof services !== 'object' || Array.isArray(services))) {
    throw new MeshConfigError(optionKey('services'), 'must map service names to policies', {
      value: services,
    });
  }
  const byName = new Map<string, UpstreamPolicy>();
  for (const [name, policy] of Object.entries(services ?? {})) {
    const key = name.trim().toLowerCase();
    if (key === '')
      throw new MeshConfigError(optionKey('services'), 'has a blank service name', { value: name });
    // Env keys arrive lower-cased; code may spell the same service differently: merge, env last.
    byName.set(key, mergeOptions(byName.get(key), policy));
  }
  const resolved = new Map<string, ResolvedUpstreamPolicy>();
  for (const [name, policy] of byName) {
    resolved.set(name, resolveUpstreamPolicy(`services.${name}`, mergeOptions(upstream, policy)));
  }
  return resolved;
}

function activeProbesOf(
  options: GatewayOptions['activeProbes'] = {},
): ResolvedGatewayOptions['activeProbes'] {
  const d = GATEWAY_DEFAULTS.activeProbes;
  return {
    enabled: boolOption('activeProbes.enabled', options.enabled, d.enabled),
    intervalMs: msOption('activeProbes.intervalMs', options.intervalMs, d.intervalMs, 100),
    timeoutMs: msOption('activeProbes.timeoutMs', options.timeoutMs, d.timeoutMs),
    path: stringOption('activeProbes.path', options.path, d.path, {
      pattern: /^\/\S*$/,
      allowed: 'a path starting with "/"',
    }),
    unhealthyThreshold: intOption(
      'activeProbes.unhealthyThreshold',
      options.unhealthyThreshold,
      d.unhealthyThreshold,
      1,
      100,
    ),
  };
}

/** Routes given in code, then those of the YAML file; names must be unique across both. */
function staticRoutesOf(options: GatewayOptions): ResolvedStaticRoute[] {
  const routes: ResolvedStaticRoute[] = [];
  if (options.staticRoutes !== undefined)
    routes.push(...resolveStaticRoutes({ routes: options.staticRoutes }, 'staticRoutes'));
  if (options.staticRoutesFile !== undefined) {
    const file = stringOption('staticRoutesFile', options.staticRoutesFile, '', { nonEmpty: true });
    routes.push(...loadStaticRoutes(file));
  }
  const names = new Set<string>();
  const prefixes = new Set<string>();
  for (const route of routes) {
    if (names.has(route.name) || prefixes.has(route.pathPrefix)) {
      throw new MeshConfigError(optionKey('staticRoutesFile'), 'defines a route twice', {
        value: route.name,
        allowed: 'unique route names and path prefixes',
      });
    }
    names.add(route.name);
    prefixes.add(route.pathPrefix);
  }
  return routes;
}

function tlsOf(tls: GatewayOptions['tls']): Pick<ResolvedGatewayOptions, 'tls'> {
  if (tls === undefined || (tls.certFile === undefined && tls.keyFile === undefined)) return {};
  if (tls.certFile === undefined || tls.keyFile === undefined) {
    const missing = tls.certFile === undefined ? 'tls.certFile' : 'tls.keyFile';
    throw new MeshConfigError(optionKey(missing), 'is required with the other TLS file', {
      allowed: 'both tls.certFile and tls.keyFile (PEM files), or neither',
    });
  }
  return { tls: { cert: readPem('tls.certFile', tls.certFile), key: readPem('tls.keyFile', tls.keyFile) } };
}

function readPem(path: string, file: unknown): Buffer {
  const name = stringOption(path, file, '', { nonEmpty: true });
  try {
    return readFileSync(name);
  } catch (error) {
    throw new MeshConfigError(optionKey(path), 'cannot be read', {
      value: name,
      allowed: 'a readable PEM file',
      cause: error,
    });
  }
}
