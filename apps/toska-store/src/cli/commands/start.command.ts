import { coerceConfigValue } from '../../config/config-value.js';
import { resolveToskaStoreOptions } from '../../config/resolve-toska-store-options.js';
import type { ToskaStoreOptions } from '../../config/toska-store-options.js';
import { startToskaStore } from '../../start-toska-store.js';
import { type CliIo, EXIT } from '../cli-io.js';

/** Flags of `toska-store start`, as typed. */
export interface StartFlags {
  host?: string;
  port?: string;
  env?: string;
  daemon: boolean;
  /** `--repair`: start despite a corrupt AOF record or snapshot (the `repair` option for this start only). */
  repair?: boolean;
}

/**
 * Why `--daemon` is refused: detaching a Node process correctly (double fork, pid file, log files,
 * `stop`) is what supervisors already do, and a half-done version loses logs and leaves orphans.
 */
export const DAEMON_UNSUPPORTED =
  '--daemon is not supported: run "toska-store start" in the foreground under a supervisor ' +
  '(systemd, Docker, Kubernetes, pm2), which restarts it and keeps its logs.';

/** The flags as option overrides, validated like config values (`--port 99999` is refused). */
export function startOverrides(flags: StartFlags): Partial<ToskaStoreOptions> {
  const overrides: Partial<ToskaStoreOptions> = { daemon: false };
  if (flags.host !== undefined)
    overrides.host = coerceConfigValue('--host', 'non-empty', flags.host) as string;
  if (flags.port !== undefined) overrides.port = coerceConfigValue('--port', 'port', flags.port) as number;
  if (flags.env !== undefined) overrides.env = coerceConfigValue('--env', 'env', flags.env) as string;
  // Only ever turns repair on: without the flag, `repair` / TOSKA_REPAIR still decide.
  if (flags.repair) overrides.repair = true;
  return overrides;
}

/**
 * `toska-store start`: resolves options (flags over `TOSKA_*` env over `toska_config.json`), runs the
 * server in this process and stops it gracefully on the first SIGINT/SIGTERM (a second one kills it).
 */
export async function startCommand(flags: StartFlags, io: CliIo): Promise<number> {
  if (flags.daemon) {
    io.err(`toska-store: ${DAEMON_UNSUPPORTED}\n`);
    return EXIT.usage;
  }
  const options = resolveToskaStoreOptions({ env: io.env, overrides: startOverrides(flags) });
  const stop = io.stopRequested();
  const server = await startToskaStore(options);
  const role = options.replicaUrl ? `, read-only follower of ${options.replicaUrl}` : '';
  io.out(`toska-store listening on ${server.url} (data in ${options.dataDir}${role}); Ctrl-C stops it\n`);
  const signal = await stop;
  io.out(`toska-store: ${signal} received, stopping\n`);
  await server.close();
  io.out('toska-store: stopped\n');
  return EXIT.ok;
}
