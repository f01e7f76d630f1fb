import { MeshError } from '@toskamesh/common';

/**
 * A follower's request to its leader failed: no connection, or an answer other than the expected 200/204
 * (`status` then holds it). Retryable: the follower backs off and polls again.
 */
export class LeaderRequestError extends MeshError {
  constructor(
    readonly url: string,
    readonly status: number | null,
    problem: string,
    cause?: unknown,
  ) {
    super('MESH_TOSKASTORE_LEADER_REQUEST_FAILED', `GET ${url} failed: ${problem}`, {
      cause,
      retryable: true,
      details: { url, status },
    });
  }
}
