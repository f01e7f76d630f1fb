/**
 * Polls `url` until it answers 2xx, the deadline passes (rejects), or `signal` aborts (rejects).
 * Each probe has its own short timeout so a hung server cannot stall the wait.
 */
export async function waitUntilReady(
  url: string,
  options: { timeoutMs: number; intervalMs?: number; signal?: AbortSignal },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  const intervalMs = options.intervalMs ?? 200;
  let lastProblem = 'no answer yet';
  while (Date.now() < deadline) {
    options.signal?.throwIfAborted();
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(Math.min(2000, options.timeoutMs)) });
      await response.body?.cancel();
      if (response.ok) return;
      lastProblem = `HTTP ${response.status}`;
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs).unref());
  }
  throw new Error(`${url} was not ready within ${options.timeoutMs} ms (last: ${lastProblem})`);
}
