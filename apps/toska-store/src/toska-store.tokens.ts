/** DI token of the resolved, validated {@link ToskaStoreOptions} (every field filled). */
export const TOSKA_STORE_OPTIONS = Symbol('TOSKA_STORE_OPTIONS');

/**
 * DI token of the follower's status source (a {@link FollowerStatusSource}); provided only in follower mode.
 * `/replication/status` answers 404 "Follower not running" without it.
 */
export const FOLLOWER_STATUS_SOURCE = Symbol('FOLLOWER_STATUS_SOURCE');
