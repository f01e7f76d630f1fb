import { Logger } from '@nestjs/common';
import { isMeshError } from '@toskamesh/common';
import { bufferedStdout } from './observability/buffered-log-destination.js';
import { startGateway } from './start-gateway.js';

/** Longest a signal-triggered shutdown may take before the process exits anyway. */
const SHUTDOWN_LIMIT_MS = 30_000;

/** Runs the gateway from `Mesh__Gateway__*` (and the original's) variables until SIGINT / SIGTERM. */
async function main(): Promise<void> {
  const logs = bufferedStdout();
  const gateway = await startGateway({}, { logging: { destination: logs.stream } });
  const logger = new Logger('Gateway');
  const stop = (signal: NodeJS.Signals) => {
    logger.log(`${signal} received: draining in-flight requests`);
    setTimeout(() => {
      logger.error(`Shutdown took longer than ${SHUTDOWN_LIMIT_MS} ms; exiting`);
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS).unref();
    gateway.close().then(
      () => {
        logger.log('Gateway stopped');
        logs.close();
      },
      (error: unknown) => {
        logger.error(`Gateway stopped with an error: ${String(error)}`);
        process.exitCode = 1;
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  // A configuration error is the operator's to fix: its message says how, a stack trace adds nothing.
  const message = isMeshError(error)
    ? `${error.code}: ${error.message}`
    : error instanceof Error
      ? error.stack
      : error;
  new Logger('Gateway').error(`Gateway failed to start: ${String(message)}`);
  process.exitCode = 1;
});
