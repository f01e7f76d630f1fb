import { isMeshError } from '@toskamesh/common';
import { readFileSync } from 'node:fs';
import { parseCliArgs } from './cli-args.js';
import { helpText } from './cli-help.js';
import { type CliIo, EXIT } from './cli-io.js';
import { configCommand } from './commands/config.command.js';
import { statusCommand } from './commands/status.command.js';

/** The package version `--version` prints (from package.json, two levels up from src/cli and dist/cli). */
export function toskaStoreVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

/**
 * Runs `toska-store <argv>` and returns the exit code. A bad command line or configuration is reported
 * as one line naming what to fix (exit 2 / 1), never a stack trace; anything unexpected shows its stack.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let command;
  try {
    command = parseCliArgs(argv);
  } catch (error) {
    io.err(`toska-store: ${(error as Error).message}\nRun "toska-store help" for usage.\n`);
    return EXIT.usage;
  }
  try {
    switch (command.kind) {
      case 'help':
        io.out(helpText(command.topic));
        return EXIT.ok;
      case 'version':
        io.out(`${toskaStoreVersion()}\n`);
        return EXIT.ok;
      case 'start': {
        // Loaded on demand: Nest and the engine are the bulk of start-up time, and only `start` needs them.
        const { startCommand } = await import('./commands/start.command.js');
        return await startCommand(command, io);
      }
      case 'status':
        return await statusCommand(command, io);
      default:
        return await configCommand(command, io);
    }
  } catch (error) {
    const message = isMeshError(error)
      ? error.message
      : error instanceof Error
        ? (error.stack ?? error.message)
        : String(error);
    io.err(`toska-store: ${message}\n`);
    return EXIT.failure;
  }
}
