import type { CliCommand } from '../cli-args.js';
import { type CliIo, EXIT } from '../cli-io.js';
import { type ConfigSetting, ToskaConfigStore } from '../toska-config.store.js';

type ConfigCommand = Extract<CliCommand, { kind: `config-${string}` }>;

/** Keys whose values `config list` masks (`config get` prints them: asking for one is deliberate). */
const SECRET_KEYS = new Set(['auth_token', 'replication_auth_token']);

/** `toska-store config get|set|list|reset`, on `toska_config.json`. */
export async function configCommand(command: ConfigCommand, io: CliIo): Promise<number> {
  const store = new ToskaConfigStore(io.env);
  switch (command.kind) {
    case 'config-get':
      io.out(`${command.key}: ${show(store.get(command.key))}\n`);
      return EXIT.ok;
    case 'config-set': {
      const value = store.set(command.key, command.value);
      const override = store.list().find((setting) => setting.key === command.key)?.overriddenBy;
      io.out(`Configuration updated: ${command.key} = ${show(value)}\n`);
      if (override) io.out(`Note: ${override} is set and overrides it when the server starts.\n`);
      return EXIT.ok;
    }
    case 'config-list':
      io.out(command.json ? `${JSON.stringify(asObject(store.list()), null, 2)}\n` : listText(store));
      return EXIT.ok;
    case 'config-reset':
      return reset(store, command.keys, command.confirm, io);
  }
}

async function reset(store: ToskaConfigStore, keys: string[], confirm: boolean, io: CliIo): Promise<number> {
  if (keys.length > 0) {
    store.reset(keys);
    for (const key of keys) io.out(`Reset ${key} to its default\n`);
    return EXIT.ok;
  }
  if (!confirm) {
    if (!io.confirm) {
      io.err('toska-store: "config reset" without keys resets every key; pass --confirm (-y) to do it\n');
      return EXIT.usage;
    }
    if (!(await io.confirm(`Reset ALL configuration in ${store.path} to defaults?`))) {
      io.out('Configuration reset cancelled\n');
      return EXIT.ok;
    }
  }
  store.reset();
  io.out('All configuration reset to defaults\n');
  return EXIT.ok;
}

function listText(store: ToskaConfigStore): string {
  const settings = store.list();
  const width = Math.max(...settings.map((setting) => setting.key.length));
  const lines = settings.map((setting) => {
    const note = setting.overriddenBy ? `overridden by ${setting.overriddenBy}` : setting.source;
    return `${`${setting.key}:`.padEnd(width + 1)} ${show(masked(setting))}  (${note})`;
  });
  return `Configuration (${store.path}):\n${lines.join('\n')}\n`;
}

function asObject(settings: ConfigSetting[]): Record<string, unknown> {
  return Object.fromEntries(settings.map((setting) => [setting.key, masked(setting)]));
}

function masked(setting: ConfigSetting): unknown {
  return SECRET_KEYS.has(setting.key) && setting.value !== '' ? '***' : setting.value;
}

/** Values as the original printed them (`inspect`): strings quoted, numbers bare. */
function show(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}
