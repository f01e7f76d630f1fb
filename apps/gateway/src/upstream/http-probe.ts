import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** One health probe: resolves `true` for a 2xx/3xx answer, `false` otherwise. Never rejects. */
export type HealthProbe = (url: URL, timeoutMs: number, signal: AbortSignal) => Promise<boolean>;

/**
 * GETs `url` on a fresh connection (a pooled one could hide an instance that no longer accepts
 * connections) and settles on the response status. Errors, a total time over `timeoutMs` and `signal`
 * all settle `false`; the body is drained and the connection dropped.
 */
export const httpProbe: HealthProbe = (url, timeoutMs, signal) =>
  new Promise<boolean>((resolve) => {
    if (signal.aborted) {
      resolve(false);
      return;
    }
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    let settled = false;
    const settle = (healthy: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(healthy);
    };
    const req = send(
      url,
      {
        method: 'GET',
        agent: false,
        signal,
        headers: { 'user-agent': 'toskamesh-gateway-probe', accept: '*/*' },
      },
      (res) => {
        const status = res.statusCode ?? 0;
        res.on('error', () => undefined);
        res.resume();
        settle(status >= 200 && status < 400);
      },
    );
    const timer = setTimeout(() => {
      settle(false);
      req.destroy();
    }, timeoutMs);
    timer.unref();
    req.on('error', () => settle(false));
    req.end();
  });
