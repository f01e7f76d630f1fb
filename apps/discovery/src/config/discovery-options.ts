import type { RegistryModuleOptions } from '@toskamesh/registry';
import type { JWK } from 'jose';
import type { TokenVerifier } from '../auth/token-verifier.js';

/** Who may call the discovery API and how bearer tokens are checked. */
export interface DiscoveryAuthOptions {
  /**
   * HS256 secret of mesh service tokens (at least 32 characters). Env: `MESH_SERVICE_AUTH_SECRET`.
   * Required when `NODE_ENV=production` unless `publicKey`, `jwksUrl` or `verifier` is given.
   */
  secret?: string;
  /** SPKI/X.509 PEM or public JWK verifying RS256/ES256 tokens (instead of `secret`). */
  publicKey?: string | JWK;
  /** URL of a JWKS document verifying RS256/ES256 tokens (instead of `secret`). */
  jwksUrl?: string;
  /** Expected `iss` claim. Env: `MESH_SERVICE_AUTH_ISSUER`. @default 'ToskaMesh.Services' */
  issuer?: string;
  /** Expected `aud` claim. Env: `MESH_SERVICE_AUTH_AUDIENCE`. @default 'ToskaMesh.Services' */
  audience?: string;
  /** Verifies tokens instead of `secret`/`issuer`/`audience` (RS256 keys, tests, another issuer). */
  verifier?: TokenVerifier;
  /** Lets callers without a token read (services, instances, watch). Env: `Discovery__AllowAnonymousReads`. @default false */
  allowAnonymousReads?: boolean;
  /**
   * Turns every check off, like the .NET original's REST API. Refused when `NODE_ENV=production`.
   * Without `secret` or `verifier` outside production, auth is off too (with a warning at start-up).
   * @default false
   */
  disabled?: boolean;
}

/** Active HTTP health probes of instances registered with a `healthCheck`. */
export interface DiscoveryProbingOptions {
  /** Probe instances at all. Env: `Discovery__Probing__Enabled`. @default true */
  enabled?: boolean;
  /** Probe time limit when a registration gives none. @default 5000 */
  defaultTimeoutMs?: number;
  /** Probes in flight at once; further due probes wait for a slot. @default 32 */
  maxConcurrent?: number;
  /** Instances probed at most; registrations beyond it live on heartbeats only. @default 10000 */
  maxInstances?: number;
}

/** The change feed behind `GET /api/ServiceDiscovery/watch` and the gRPC `Watch` rpc. */
export interface DiscoveryWatchOptions {
  /** Events kept for clients resuming with `index` / `Last-Event-ID`. @default 10000 */
  retainEvents?: number;
  /** Interval of SSE comment lines that keep idle connections open. @default 15000 */
  heartbeatMs?: number;
  /** Concurrent watch clients (SSE + gRPC); more are refused with 503. @default 10000 */
  maxClients?: number;
  /** Unsent bytes a slow SSE client may queue before it is disconnected. @default 1048576 */
  maxBufferedBytes?: number;
}

/** Lifecycle records kept for `/tracking`, also after an instance leaves. */
export interface DiscoveryTrackingOptions {
  /** How long a deregistered instance stays visible. @default 86400000 (24 h) */
  retainDeregisteredMs?: number;
  /** Entries kept at most; the oldest deregistered go first. @default 10000 */
  maxEntries?: number;
}

/** Options of `DiscoveryAppModule.forRoot` and `createDiscoveryApp`. */
export interface DiscoveryAppOptions {
  /** HTTP port (0 = ephemeral). Env: `Discovery__Port`. @default 5010 */
  port?: number;
  /** HTTP and gRPC listen address. Env: `Discovery__Host`. @default '0.0.0.0' */
  host?: string;
  /** gRPC port (0 = ephemeral; `false` = no gRPC server). Env: `Discovery__GrpcPort`. @default 5011 */
  grpcPort?: number | false;
  /** Backing registry. Env: `Discovery__Store` (Memory|Redis|Consul), `Discovery__Redis__Url`, `Consul__Address`. @default { provider: 'memory' } */
  store?: RegistryModuleOptions;
  auth?: DiscoveryAuthOptions;
  probing?: DiscoveryProbingOptions;
  watch?: DiscoveryWatchOptions;
  tracking?: DiscoveryTrackingOptions;
  /** Read `NODE_ENV` from here instead of `process.env` (tests). @default process.env.NODE_ENV */
  nodeEnv?: string;
}

/** {@link DiscoveryAppOptions} with every default applied and every value checked. */
export interface ResolvedDiscoveryOptions {
  port: number;
  host: string;
  grpcPort: number | false;
  store: RegistryModuleOptions;
  auth: {
    enabled: boolean;
    secret?: string;
    publicKey?: string | JWK;
    jwksUrl?: string;
    issuer: string;
    audience: string;
    verifier?: TokenVerifier;
    allowAnonymousReads: boolean;
  };
  probing: Required<DiscoveryProbingOptions>;
  watch: Required<DiscoveryWatchOptions>;
  tracking: Required<DiscoveryTrackingOptions>;
}
