import { Controller, Get, Query } from '@nestjs/common';
import { MeshValidationError, sleep } from '@toskamesh/common';
import { Public } from '@toskamesh/runtime';

const MAX_DELAY_MS = 10_000;

/** The greeting of the .NET original's hello sample. */
@Controller()
export class HelloController {
  /**
   * `?delayMs=N` (0-10000) answers after N ms: handy to watch a graceful drain — start a slow request,
   * stop the service, and the request still completes.
   */
  @Public()
  @Get('hello')
  async hello(@Query('delayMs') delayMs?: string): Promise<{ message: string }> {
    if (delayMs !== undefined) await sleep(parseDelay(delayMs));
    return { message: 'Hello from ToskaMesh' };
  }
}

function parseDelay(raw: string): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value > MAX_DELAY_MS) {
    throw new MeshValidationError('query', [
      `delayMs must be a whole number 0-${MAX_DELAY_MS} (got ${JSON.stringify(raw)})`,
    ]);
  }
  return value;
}
