import { Logger } from '@nestjs/common';
import type { Exchange } from './exchange.js';
import { sendJson } from './respond.js';

const logger = new Logger('ToskaHttp');

/**
 * Answers 503 `{"error": <what>, "reason": <message>}` for a failed store call, as upstream did for a
 * KV GenServer that was down (`inspect(reason)` there, the error message here), and logs it.
 */
export function sendUnavailable(exchange: Exchange, error: string, cause: unknown): void {
  const reason = cause instanceof Error ? cause.message : String(cause);
  logger.warn(`${exchange.method} ${exchange.rawPath}: ${error}: ${reason}`);
  sendJson(exchange.req, exchange.res, 503, { error, reason });
}
