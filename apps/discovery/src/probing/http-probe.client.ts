import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { MeshTimeoutError, withTimeout } from '@toskamesh/common';
import { Agent, request } from 'undici';

/** Outcome of one probe. */
export interface ProbeResult {
  healthy: boolean;
  /** `HTTP 200`, `HTTP 503`, or why the request failed. */
  output: string;
}

/** Response bytes read from a probe at most; health bodies are small and nobody reads them. */
const MAX_BODY_BYTES = 64 * 1024;

/**
 * Sends health probes: `GET` with a hard deadline on a dedicated connection pool, so slow or dead
 * instances cannot exhaust the sockets of anything else. 2xx is healthy, anything else is not.
 */
@Injectable()
export class HttpProbeClient implements OnApplicationShutdown {
  private readonly agent = new Agent({ connections: 4, keepAliveTimeout: 10_000, connectTimeout: 10_000 });

  /** Probes `url`; never throws (a failure is an unhealthy result). */
  async probe(url: string, timeoutMs: number, signal?: AbortSignal): Promise<ProbeResult> {
    try {
      return await withTimeout(
        `health probe ${url}`,
        timeoutMs,
        async (deadline) => {
          const response = await request(url, {
            method: 'GET',
            dispatcher: this.agent,
            signal: deadline,
            headers: {
              accept: 'application/json, text/plain, */*',
              'user-agent': 'toskamesh-discovery-probe',
            },
          });
          await response.body.dump({ limit: MAX_BODY_BYTES }).catch(() => undefined);
          const healthy = response.statusCode >= 200 && response.statusCode < 300;
          return { healthy, output: `HTTP ${response.statusCode}` };
        },
        signal,
      );
    } catch (error) {
      if (error instanceof MeshTimeoutError)
        return { healthy: false, output: `timed out after ${timeoutMs} ms` };
      const reason =
        (error as { code?: unknown }).code ?? (error instanceof Error ? error.message : String(error));
      return { healthy: false, output: `request failed: ${String(reason)}` };
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.agent.destroy().catch(() => undefined);
  }
}
