/**
 * What `GET /replication/status` needs from the follower: its status body (contract §7:
 * `leader_url`, `offset`, `last_snapshot_at`, `last_poll_at`, `last_error`, `poll_interval_ms`,
 * `http_timeout_ms`). `undefined` means the follower is not running (404). Whatever it throws, or a
 * body that cannot be serialized, becomes 503 "Follower unavailable" — never the original's 500.
 */
export interface FollowerStatusSource {
  status(): unknown;
}
