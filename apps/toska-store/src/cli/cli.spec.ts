import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './cli.js';
import type { CliIo } from './cli-io.js';
import { connectHost } from './commands/status.command.js';
import { startOverrides } from './commands/start.command.js';

describe('runCli', () => {
  let dir: string;
  let out: string;
  let err: string;
  let io: CliIo;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'toska-cli-'));
    out = '';
    err = '';
    io = {
      out: (text) => void (out += text),
      err: (text) => void (err += text),
      env: { TOSKA_CONFIG_DIR: dir },
      stopRequested: () => new Promise(() => undefined),
    };
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('answers a bad command line with exit 2 and one line naming the problem', async () => {
    expect(await runCli(['strat'], io)).toBe(2);
    expect(err).toBe(
      'toska-store: Invalid command line: unknown command "strat" (commands: start, status, config, help)\nRun "toska-store help" for usage.\n',
    );
  });

  it('answers a bad value with exit 1 and the allowed values, without a stack trace', async () => {
    expect(await runCli(['config', 'set', 'sync_mode', 'fast'], io)).toBe(1);
    expect(err).toContain('Allowed: always, interval, none.');
    expect(err).not.toContain('    at ');
  });

  it('prints values as the original did: strings quoted, numbers bare', async () => {
    await runCli(['config', 'set', 'host', '0.0.0.0'], io);
    expect(out).toBe('Configuration updated: host = "0.0.0.0"\n');
    out = '';
    await runCli(['config', 'get', 'port'], io);
    expect(out).toBe('port: 4000\n');
  });

  it('masks tokens in config list, but config get prints them', async () => {
    await runCli(['config', 'set', 'auth_token', 'hunter2'], io);
    out = '';
    await runCli(['config', 'list'], io);
    expect(out).toMatch(/auth_token: +"\*\*\*" {2}\(file\)/);
    expect(out).not.toContain('hunter2');
    out = '';
    await runCli(['config', 'get', 'auth_token'], io);
    expect(out).toBe('auth_token: "hunter2"\n');
  });

  it('asks before resetting everything when it can, and cancels on no', async () => {
    await runCli(['config', 'set', 'port', '8080'], io);
    const questions: string[] = [];
    io.confirm = async (question) => {
      questions.push(question);
      return false;
    };
    expect(await runCli(['config', 'reset'], io)).toBe(0);
    expect(questions).toHaveLength(1);
    expect(out).toContain('Configuration reset cancelled');
    out = '';
    await runCli(['config', 'get', 'port'], io);
    expect(out).toBe('port: 8080\n');
  });

  it('prints the package version', async () => {
    expect(await runCli(['--version'], io)).toBe(0);
    expect(out).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('documents --repair in the start help', async () => {
    expect(await runCli(['help', 'start'], io)).toBe(0);
    expect(out).toContain('--repair');
  });

  it('lists config keys in the config help', async () => {
    expect(await runCli(['help', 'config'], io)).toBe(0);
    expect(out).toContain('sync_mode');
    expect(out).toContain('TOSKA_REPLICA_POLL_MS');
  });
});

describe('startOverrides', () => {
  it('turns flags into validated options, never daemon', () => {
    expect(startOverrides({ host: '0.0.0.0', port: '4100', env: 'prod', daemon: false })).toEqual({
      host: '0.0.0.0',
      port: 4100,
      env: 'prod',
      daemon: false,
    });
    expect(() => startOverrides({ port: '70000', daemon: false })).toThrow('--port');
    expect(() => startOverrides({ env: 'staging', daemon: false })).toThrow('dev, test, prod');
  });

  it('turns --repair on, and leaves repair to config and env without it', () => {
    expect(startOverrides({ daemon: false, repair: true })).toEqual({ daemon: false, repair: true });
    expect(startOverrides({ daemon: false, repair: false })).not.toHaveProperty('repair');
  });
});

describe('connectHost', () => {
  it.each([
    ['0.0.0.0', '127.0.0.1'],
    ['::', '[::1]'],
    ['localhost', 'localhost'],
    ['::1', '[::1]'],
    ['10.0.0.5', '10.0.0.5'],
  ])('connects to %p as %p', (host, expected) => {
    expect(connectHost(host)).toBe(expected);
  });
});
