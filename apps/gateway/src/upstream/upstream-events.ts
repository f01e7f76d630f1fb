/**
 * Hooks for metrics and logs about target health. Every method is optional and must not throw; it is
 * called synchronously on the request path.
 */
export interface UpstreamEventListener {
  /**
   * A target left rotation for `forMs` (passive ejection), or until a probe passes (active probes; then
   * `forMs` is the probe interval). `lastAvailable: true` means the target reached its threshold but was
   * the last available one, so it was kept in rotation (`forMs` is 0) and a warning was logged.
   */
  ejected?(pool: string, targetId: string, forMs: number, lastAvailable: boolean): void;
  /** A target is back in rotation (its ejection time passed, or a probe passed). */
  restored?(pool: string, targetId: string): void;
}
