/** DI token of the resolved, validated {@link ResolvedDiscoveryOptions}. */
export const DISCOVERY_OPTIONS = Symbol.for('toskamesh.discovery.options');

/** DI token of the {@link TokenVerifier} checking bearer tokens (absent when auth is off). */
export const TOKEN_VERIFIER = Symbol.for('toskamesh.discovery.tokenVerifier');
