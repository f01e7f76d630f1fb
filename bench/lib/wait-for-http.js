/**
 * Polls `url` until it answers with an accepted status (2xx by default), `child` exits, or `timeoutMs`
 * passes; each probe has its own 2 s timeout so a hung server cannot stall the wait.
 * @returns {Promise<void>} rejects with the last status or error seen
 */
export async function waitForHttp(
  url,
  { child, timeoutMs = 30_000, accept = (status) => status < 300 } = {},
) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (child && (child.exitCode !== null || child.signalCode !== null)) {
      throw new Error(`exited (${child.exitCode ?? child.signalCode}) before ${url} answered`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await response.body?.cancel();
      if (accept(response.status)) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = error instanceof Error ? (error.cause?.code ?? error.message) : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`${url} not ready within ${timeoutMs} ms (last: ${last})`);
}
