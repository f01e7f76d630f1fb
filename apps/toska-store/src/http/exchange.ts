import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JsonBody } from './json-body.js';
import type { QueryParams } from './query-string.js';

/** One request as the handlers see it, after the parser stage. */
export interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly method: string;
  /** Path as sent, without the query (what the 404 catch-all echoes). */
  readonly rawPath: string;
  /** `rawPath` split on `/`, empty segments dropped, still percent-encoded. */
  readonly segments: readonly string[];
  readonly query: QueryParams;
  /** Parsed JSON body (`{}` when there was none or it was ignored). */
  readonly body: JsonBody;
  /** The body's bytes when it was parsed, for a second look at number literals. */
  readonly bodyBytes: Buffer | undefined;
}

/** What a route handler does with an {@link Exchange}. */
export type RouteHandler = (exchange: Exchange) => void | Promise<void>;
