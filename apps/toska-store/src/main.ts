import { Logger } from '@nestjs/common';
import { isMeshError } from '@toskamesh/common';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  resolveToskaStoreOptions,
  type ToskaStoreOptionSources,
} from './config/resolve-toska-store-options.js';
import { startToskaStore, type ToskaStoreServer } from './start-toska-store.js';

/**
 * Runs the server in the foreground (what `toska-store start` does without `--daemon`): options from
 * flags (`overrides`), `TOSKA_*` env and `toska_config.json`, graceful stop on SIGINT/SIGTERM.
 */
export async function runToskaStore(sources: ToskaStoreOptionSources = {}): Promise<ToskaStoreServer> {
  const options = resolveToskaStoreOptions(sources);
  const server = await startToskaStore(options);
  server.app.enableShutdownHooks(['SIGINT', 'SIGTERM']);
  new Logger('ToskaStore').log(
    `ToskaStore on ${server.url} (data ${options.dataDir}${options.replicaUrl ? `, following ${options.replicaUrl}` : ''})`,
  );
  return server;
}

/** Logs a start failure the way an operator can act on: a config error's message, else the stack. */
export function reportStartFailure(error: unknown): void {
  const message = isMeshError(error)
    ? `${error.code}: ${error.message}`
    : error instanceof Error
      ? (error.stack ?? error.message)
      : String(error);
  new Logger('ToskaStore').error(`ToskaStore failed to start: ${message}`);
  process.exitCode = 1;
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) runToskaStore().catch(reportStartFailure);
