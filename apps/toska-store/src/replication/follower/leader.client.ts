import { withTimeout } from '@toskamesh/common';
import { LeaderRequestError } from './errors/leader-request.error.js';

/** What a follower reads from `GET /replication/info`. */
export interface LeaderInfo {
  snapshotChecksum: string | null;
  snapshotCreatedAt: number | null;
  aofSize: number | null;
}

/** A leader snapshot as served by `GET /replication/snapshot` (the file, verbatim). */
export interface LeaderSnapshot {
  json: string;
  /** `x-toska-snapshot-checksum`, else the file's own `checksum`; `null` for a legacy file without one. */
  checksum: string | null;
}

/** One `GET /replication/aof` answer. */
export interface LeaderAofSlice {
  /** 204 when `since` is at (or past) the end of the leader's AOF. */
  status: 200 | 204;
  /** `x-toska-aof-size`, or `null` when the leader did not send it. */
  size: number | null;
  bytes: Buffer;
}

/** What the follower needs of its leader ({@link LeaderClient}; tests pass an in-memory leader). */
export type LeaderApi = Pick<LeaderClient, 'baseUrl' | 'info' | 'snapshot' | 'aof'>;

/** The subset of `fetch` the client uses; tests pass a fake. */
export type LeaderFetch = (url: string, init: RequestInit) => Promise<Response>;

/** Where the leader is and how to call it. */
export interface LeaderClientOptions {
  /** Leader base URL (`replica_url`); a trailing `/` is ignored. */
  baseUrl: string;
  /** Bearer token for `/replication/*`, or `''` for none. */
  token: string;
  /** Deadline of each request, body included. */
  timeoutMs: number;
  fetch?: LeaderFetch;
}

/**
 * HTTP client of the leader's replication endpoints (contract §8). Every call has a deadline that covers
 * reading the body too, and can be aborted by the caller (shutdown).
 */
export class LeaderClient {
  readonly baseUrl: string;
  private readonly fetch: LeaderFetch;

  constructor(private readonly options: LeaderClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetch = options.fetch ?? ((url, init) => fetch(url, init));
  }

  /** `GET /replication/info`. */
  async info(signal?: AbortSignal): Promise<LeaderInfo> {
    const { body } = await this.get('/replication/info', [200], signal);
    const info = parseObject(body.toString('utf8'));
    return {
      snapshotChecksum: typeof info?.snapshot_checksum === 'string' ? info.snapshot_checksum : null,
      snapshotCreatedAt: integerOrNull(info?.snapshot_created_at),
      aofSize: integerOrNull(info?.aof_size),
    };
  }

  /** `GET /replication/snapshot`: the leader writes a snapshot now and truncates its AOF. */
  async snapshot(signal?: AbortSignal): Promise<LeaderSnapshot> {
    const { body, headers } = await this.get('/replication/snapshot', [200], signal);
    const json = body.toString('utf8');
    const header = headers.get('x-toska-snapshot-checksum');
    const own = parseObject(json)?.checksum;
    return { json, checksum: typeof own === 'string' ? own : header || null };
  }

  /** `GET /replication/aof?since=&max_bytes=`. */
  async aof(since: number, maxBytes: number, signal?: AbortSignal): Promise<LeaderAofSlice> {
    const path = `/replication/aof?since=${since}&max_bytes=${maxBytes}`;
    const { status, body, headers } = await this.get(path, [200, 204], signal);
    const size = integerOrNull(Number(headers.get('x-toska-aof-size') ?? NaN));
    return { status: status === 204 ? 204 : 200, size, bytes: status === 204 ? Buffer.alloc(0) : body };
  }

  private async get(
    path: string,
    expected: number[],
    signal?: AbortSignal,
  ): Promise<{ status: number; body: Buffer; headers: Headers }> {
    const url = `${this.baseUrl}${path}`;
    const headers: Record<string, string> = { accept: 'application/json, application/octet-stream' };
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    let answer: { status: number; body: Buffer; headers: Headers };
    try {
      answer = await withTimeout(
        `GET ${url}`,
        this.options.timeoutMs,
        async (deadline) => {
          const response = await this.fetch(url, { headers, signal: deadline, redirect: 'error' });
          const body = Buffer.from(await response.arrayBuffer());
          return { status: response.status, body, headers: response.headers };
        },
        signal,
      );
    } catch (error) {
      throw new LeaderRequestError(url, null, describeFailure(error), error);
    }
    if (!expected.includes(answer.status)) {
      const text = answer.body.toString('utf8', 0, Math.min(answer.body.length, 200));
      throw new LeaderRequestError(url, answer.status, `HTTP ${answer.status}${text ? ` ${text}` : ''}`);
    }
    return answer;
  }
}

/** The most specific message in a fetch failure: undici hides the socket error in `cause`. */
function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause;
  if (cause instanceof Error && cause.message && error.message === 'fetch failed') return cause.message;
  return error.message;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function integerOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null;
}
