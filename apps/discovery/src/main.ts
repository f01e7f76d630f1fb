import { Logger } from '@nestjs/common';
import { isMeshError } from '@toskamesh/common';
import { Logger as PinoLogger } from 'nestjs-pino';
import { discoveryOptionsFromEnv } from './config/discovery-env.js';
import { createDiscoveryApp } from './discovery-app.js';

/** Starts the discovery service from `Discovery__*` / `Consul__*` / `MESH_SERVICE_AUTH_*` variables. */
async function main(): Promise<void> {
  const logger = new Logger('Discovery');
  const discovery = await createDiscoveryApp(discoveryOptionsFromEnv(process.env));
  discovery.app.useLogger(discovery.app.get(PinoLogger));
  discovery.app.enableShutdownHooks();
  logger.log(`REST and watch (SSE) on ${discovery.httpUrl}`);
  if (discovery.grpcUrl) logger.log(`gRPC (toskamesh.discovery.DiscoveryRegistry) on ${discovery.grpcUrl}`);
}

main().catch((error: unknown) => {
  // A configuration error is the operator's to fix: its message says how, a stack trace adds nothing.
  const message = isMeshError(error)
    ? `${error.code}: ${error.message}`
    : error instanceof Error
      ? error.stack
      : error;
  new Logger('Discovery').error(`Discovery service failed to start: ${String(message)}`);
  process.exitCode = 1;
});
