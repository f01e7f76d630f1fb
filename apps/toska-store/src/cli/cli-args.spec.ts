import { describe, expect, it } from '@jest/globals';
import { MeshValidationError } from '@toskamesh/common';
import { parseCliArgs } from './cli-args.js';

describe('parseCliArgs', () => {
  it.each([
    [[], { kind: 'help', topic: undefined }],
    [['--help'], { kind: 'help', topic: undefined }],
    [['help', 'config'], { kind: 'help', topic: 'config' }],
    [['start', '-h'], { kind: 'help', topic: 'start' }],
    [['config', '--help'], { kind: 'help', topic: 'config' }],
    [['--version'], { kind: 'version' }],
  ] as const)('reads %j as help or version', (argv, expected) => {
    expect(parseCliArgs(argv)).toEqual(expected);
  });

  it('reads start with every flag, in both --flag value and --flag=value forms', () => {
    expect(parseCliArgs(['start', '--host', '127.0.0.1', '--port=4000', '--env', 'prod', '-d'])).toEqual({
      kind: 'start',
      host: '127.0.0.1',
      port: '4000',
      env: 'prod',
      daemon: true,
      repair: false,
    });
    expect(parseCliArgs(['start', '-p', '8080'])).toEqual({
      kind: 'start',
      port: '8080',
      daemon: false,
      repair: false,
    });
  });

  it('reads start --repair, the flag the corruption errors and docs name', () => {
    expect(parseCliArgs(['start', '--repair'])).toMatchObject({ kind: 'start', repair: true });
  });

  it('reads status with an address and a timeout, accepting the original --json', () => {
    expect(parseCliArgs(['status', '--host', 'db', '--port', '4001', '--timeout', '250', '--json'])).toEqual({
      kind: 'status',
      host: 'db',
      port: '4001',
      timeout: '250',
    });
  });

  it.each([
    [['config', 'get', 'port'], { kind: 'config-get', key: 'port' }],
    [['config', 'set', 'host', '0.0.0.0'], { kind: 'config-set', key: 'host', value: '0.0.0.0' }],
    [['config', 'set', 'auth_token', ''], { kind: 'config-set', key: 'auth_token', value: '' }],
    [['config', 'list'], { kind: 'config-list', json: false }],
    [['config', 'list', '-j'], { kind: 'config-list', json: true }],
    [['config', 'reset'], { kind: 'config-reset', keys: [], confirm: false }],
    [
      ['config', 'reset', 'port', 'host', '-y'],
      { kind: 'config-reset', keys: ['port', 'host'], confirm: true },
    ],
  ] as const)('reads %j', (argv, expected) => {
    expect(parseCliArgs(argv)).toEqual(expected);
  });

  it.each([
    [['stop'], 'unknown command "stop"'],
    [['start', '--portt', '1'], "Unknown option '--portt'"],
    [['start', 'now'], 'start takes no arguments'],
    [['start', '--port'], "Option '-p, --port <value>' argument missing"],
    [['status', 'extra'], 'status takes no arguments'],
    [['config'], 'config needs a subcommand'],
    [['config', 'drop'], 'unknown config subcommand "drop"'],
    [['config', 'get'], 'config get takes exactly one key'],
    [['config', 'set', 'port'], 'config set takes exactly a key and a value'],
    [['config', 'list', 'port'], 'config list takes no arguments'],
    [['config', 'get', 'port', '--json'], 'config get does not take --json'],
  ])('refuses %j: %s', (argv, problem) => {
    expect(() => parseCliArgs(argv)).toThrow(MeshValidationError);
    expect(() => parseCliArgs(argv)).toThrow(problem);
  });
});
