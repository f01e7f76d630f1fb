import { withTimeout } from '@toskamesh/common';
import { coerceConfigValue } from '../../config/config-value.js';
import { resolveToskaStoreOptions } from '../../config/resolve-toska-store-options.js';
import { type CliIo, EXIT } from '../cli-io.js';

/** Flags of `toska-store status`, as typed. */
export interface StatusFlags {
  host?: string;
  port?: string;
  timeout?: string;
}

/** How long `status` waits for the server. */
export const STATUS_TIMEOUT_MS = 5000;

/**
 * `toska-store status`: `GET /status` of the configured (or given) address, printed as JSON. The original
 * asked its own process and so always said "stopped" from a second shell; this asks the server.
 */
export async function statusCommand(flags: StatusFlags, io: CliIo): Promise<number> {
  const configured =
    flags.host === undefined || flags.port === undefined
      ? resolveToskaStoreOptions({ env: io.env })
      : undefined;
  const host = flags.host ?? configured!.host;
  const port =
    flags.port === undefined ? configured!.port : (coerceConfigValue('--port', 'port', flags.port) as number);
  const timeoutMs =
    flags.timeout === undefined
      ? STATUS_TIMEOUT_MS
      : (coerceConfigValue('--timeout', 'positive-int', flags.timeout) as number);
  const base = `http://${connectHost(host)}:${port}`;
  let answer: { status: number; text: string };
  try {
    answer = await withTimeout(`GET ${base}/status`, timeoutMs, async (signal) => {
      const response = await fetch(`${base}/status`, { signal });
      return { status: response.status, text: await response.text() };
    });
  } catch (error) {
    io.err(`toska-store: no server answers at ${base} (${describeFailure(error)})\n`);
    return EXIT.failure;
  }
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    io.err(`toska-store: ${base}/status answered HTTP ${answer.status} with no JSON; is it a ToskaStore?\n`);
    return EXIT.failure;
  }
  io.out(`${JSON.stringify(body, null, 2)}\n`);
  return answer.status === 200 ? EXIT.ok : EXIT.failure;
}

/** An address to connect to for a bind address: the wildcards mean this machine. */
export function connectHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::' || host === '[::]') return '[::1]';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause;
  return cause instanceof Error && error.message === 'fetch failed' ? cause.message : error.message;
}
