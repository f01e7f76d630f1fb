import { TOSKA_CONFIG_ALLOWED } from '../config/toska-config-keys.js';
import { SETTABLE_CONFIG_KEYS } from './toska-config.store.js';

const MAIN = `toska-store: a ToskaStore-compatible key/value server

Usage:
  toska-store <command> [options]

Commands:
  start     Run the server in the foreground (Ctrl-C or SIGTERM stops it)
  status    Ask a running server for its status (GET /status) and print it
  config    Read or change toska_config.json (get, set, list, reset)
  help      Show help for a command: toska-store help <command>

Configuration comes from toska_config.json in $TOSKA_CONFIG_DIR (default ~/.toska), overridden by the
TOSKA_* variables (TOSKA_DATA_DIR, TOSKA_AUTH_TOKEN, TOSKA_REPLICA_URL, ...), overridden by flags.
`;

const START = `Run the ToskaStore server in the foreground

Usage:
  toska-store start [--host HOST] [--port PORT] [--env dev|test|prod] [--repair]

Options:
  --host HOST      Address to bind (default: config "host", else 127.0.0.1)
  -p, --port PORT  Port to bind, 0 = any free port (default: config "port", else 4000)
  --env ENV        Environment reported by /status: dev, test or prod (default: dev)
  --repair         Start even if the AOF has a corrupt record in the middle or the snapshot fails its
                   checksum: the record is skipped (its write is lost) or the snapshot set aside, and the
                   damaged file is kept as <file>.corrupt-<epoch ms> (same as repair=true, TOSKA_REPAIR=true)
  -d, --daemon     Not supported: run "toska-store start" under a supervisor (systemd, Docker, ...)
  -h, --help       Show this help

SIGINT (Ctrl-C) or SIGTERM stops it gracefully: in-flight requests finish, the AOF is flushed.
`;

const STATUS = `Show the status of a running ToskaStore server

Usage:
  toska-store status [--host HOST] [--port PORT] [--timeout MS]

Prints the JSON of GET /status. Host and port default to the configured ones (a wildcard bind address
is asked on loopback). Exits with 1 when the server cannot be reached.
`;

function configHelp(): string {
  const width = Math.max(...SETTABLE_CONFIG_KEYS.map((key) => key.file.length));
  const keys = SETTABLE_CONFIG_KEYS.map(
    (key) =>
      `  ${key.file.padEnd(width)}  ${TOSKA_CONFIG_ALLOWED[key.kind]}${key.env ? ` (env ${key.env})` : ''}`,
  ).join('\n');
  return `Read or change the server configuration (toska_config.json)

Usage:
  toska-store config get <key>           Print a value (the file's, else the default)
  toska-store config set <key> <value>   Validate and store a value
  toska-store config list [--json]       Print every setting; tokens are masked
  toska-store config reset [key ...]     Remove keys from the file so their defaults apply;
                                         without keys resets everything (asks, or pass -y/--confirm)

Keys (snake_case, as the original toska CLI):
${keys}

TOSKA_* variables override the file when the server starts; "config list" marks them.
`;
}

/** The help text of `topic` (a command name), or the overview. */
export function helpText(topic?: string): string {
  switch (topic) {
    case 'start':
      return START;
    case 'status':
      return STATUS;
    case 'config':
      return configHelp();
    default:
      return MAIN;
  }
}
