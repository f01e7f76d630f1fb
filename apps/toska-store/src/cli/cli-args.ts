import { MeshValidationError } from '@toskamesh/common';
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** What the command line asks for. Flags are kept as text; each command validates its own. */
export type CliCommand =
  | { kind: 'help'; topic?: string }
  | { kind: 'version' }
  | { kind: 'start'; host?: string; port?: string; env?: string; daemon: boolean; repair: boolean }
  | { kind: 'status'; host?: string; port?: string; timeout?: string }
  | { kind: 'config-get'; key: string }
  | { kind: 'config-set'; key: string; value: string }
  | { kind: 'config-list'; json: boolean }
  | { kind: 'config-reset'; keys: string[]; confirm: boolean };

type Options = NonNullable<ParseArgsConfig['options']>;

const HELP: Options = { help: { type: 'boolean', short: 'h' } };
const ADDRESS: Options = { host: { type: 'string' }, port: { type: 'string', short: 'p' } };

/**
 * Parses `toska-store <command> ...` (the original `toska` CLI's commands and flags: `start --host --port
 * --env --daemon`, `status`, `config get|set|list|reset`; plus this port's `start --repair`).
 * `--flag value` and `--flag=value` both work.
 * Throws {@link MeshValidationError} on anything it does not know, so a typo never runs a default.
 */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      return { kind: 'help', topic: rest[0] };
    case '--version':
    case '-v':
    case 'version':
      return { kind: 'version' };
    case 'start':
      return parseStart(rest);
    case 'status':
      return parseStatus(rest);
    case 'config':
      return parseConfig(rest);
    default:
      throw usage(`unknown command "${command}" (commands: start, status, config, help)`);
  }
}

function parseStart(args: string[]): CliCommand {
  const { values, positionals } = parse(args, {
    ...HELP,
    ...ADDRESS,
    env: { type: 'string' },
    daemon: { type: 'boolean', short: 'd' },
    repair: { type: 'boolean' },
  });
  if (values.help) return { kind: 'help', topic: 'start' };
  if (positionals.length > 0) throw usage(`start takes no arguments (got "${positionals[0]}")`);
  return {
    kind: 'start',
    host: text(values.host),
    port: text(values.port),
    env: text(values.env),
    daemon: values.daemon === true,
    repair: values.repair === true,
  };
}

function parseStatus(args: string[]): CliCommand {
  const { values, positionals } = parse(args, {
    ...HELP,
    ...ADDRESS,
    timeout: { type: 'string' },
    // The original's flags; the output is always the server's JSON.
    json: { type: 'boolean', short: 'j' },
    verbose: { type: 'boolean' },
  });
  if (values.help) return { kind: 'help', topic: 'status' };
  if (positionals.length > 0) throw usage(`status takes no arguments (got "${positionals[0]}")`);
  return { kind: 'status', host: text(values.host), port: text(values.port), timeout: text(values.timeout) };
}

function parseConfig(args: string[]): CliCommand {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    if (sub === undefined) throw usage('config needs a subcommand: get, set, list or reset');
    return { kind: 'help', topic: 'config' };
  }
  const { values, positionals } = parse(rest, {
    ...HELP,
    json: { type: 'boolean', short: 'j' },
    confirm: { type: 'boolean', short: 'y' },
  });
  if (values.help) return { kind: 'help', topic: 'config' };
  const allowed = { get: ['help'], set: ['help'], list: ['help', 'json'], reset: ['help', 'confirm'] };
  if (!(sub in allowed)) throw usage(`unknown config subcommand "${sub}" (get, set, list, reset)`);
  const misplaced = Object.keys(values).find((flag) => !allowed[sub as keyof typeof allowed].includes(flag));
  if (misplaced) throw usage(`config ${sub} does not take --${misplaced}`);
  switch (sub) {
    case 'get':
      if (positionals.length !== 1) throw usage('config get takes exactly one key');
      return { kind: 'config-get', key: positionals[0]! };
    case 'set':
      if (positionals.length !== 2) throw usage('config set takes exactly a key and a value');
      return { kind: 'config-set', key: positionals[0]!, value: positionals[1]! };
    case 'list':
      if (positionals.length > 0) throw usage('config list takes no arguments');
      return { kind: 'config-list', json: values.json === true };
    default:
      return { kind: 'config-reset', keys: positionals, confirm: values.confirm === true };
  }
}

function parse(args: string[], options: Options) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: true, allowNegative: false });
  } catch (error) {
    throw usage((error as Error).message.replace(/\.? ?To specify a positional argument.*$/s, ''));
  }
}

function text(value: string | boolean | (string | boolean)[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function usage(problem: string): MeshValidationError {
  return new MeshValidationError('command line', [problem]);
}
