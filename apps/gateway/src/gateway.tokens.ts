/** Injection token of the gateway's {@link ResolvedGatewayOptions}. */
export const GATEWAY_OPTIONS = Symbol.for('toskamesh.gateway.options');

/** Injection token of the gateway's `ForwardingEngine` (the one `engine` names). */
export const GATEWAY_FORWARDING_ENGINE = Symbol.for('toskamesh.gateway.forwardingEngine');

/** Injection token of the gateway's `RateLimiter`, or `null` when rate limiting is off. */
export const GATEWAY_RATE_LIMITER = Symbol.for('toskamesh.gateway.rateLimiter');
