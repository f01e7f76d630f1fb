import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from '@jest/globals';
import { freePort } from '@toskamesh/testing';
import { ProcessGroup } from '../src/local-mesh/process-group.js';
import type { ProcessSpec } from '../src/local-mesh/process-spec.js';

/** A child that serves 200 on `port` after `delayMs`, logs, and on SIGTERM logs "bye <name>" and exits. */
function server(name: string, port: number, dependsOn: string[] = [], delayMs = 100): ProcessSpec {
  const script = `
    const http = require('node:http');
    setTimeout(() => {
      const s = http.createServer((q, r) => r.end('ok')).listen(${port}, '127.0.0.1', () => console.log('listening ${name}'));
      process.on('SIGTERM', () => { console.log('bye ${name}'); s.close(() => process.exit(0)); });
    }, ${delayMs});`;
  return {
    name,
    command: process.execPath,
    args: ['-e', script],
    env: {},
    readyUrl: `http://127.0.0.1:${port}/`,
    dependsOn,
    urls: {},
  };
}

describe(ProcessGroup.name, () => {
  let group: ProcessGroup | undefined;
  afterEach(async () => group?.stop());

  it('starts in dependency order, prefixes output and stops dependants first', async () => {
    const output = new PassThrough();
    const lines: string[] = [];
    output.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
    group = new ProcessGroup({ output, colors: false, stopGraceMs: 5000 });
    const [a, b] = [await freePort(), await freePort()];
    await group.start([server('app', b, ['base']), server('base', a, [], 300)]);
    expect(lines.indexOf('base | listening base')).toBeLessThan(lines.indexOf('app  | listening app'));
    await group.stop();
    expect(lines.indexOf('app  | bye app')).toBeGreaterThan(-1);
    expect(lines.indexOf('app  | bye app')).toBeLessThan(lines.indexOf('base | bye base'));
    await expect(fetch(`http://127.0.0.1:${a}/`)).rejects.toThrow();
  });

  it('reports a process that exits unexpectedly', async () => {
    group = new ProcessGroup({ output: new PassThrough(), colors: false });
    const crashing: ProcessSpec = {
      ...server('crasher', await freePort(), ['steady']),
      args: ['-e', 'process.exit(3)'],
    };
    await expect(group.start([server('steady', await freePort()), crashing])).rejects.toThrow(
      'crasher exited unexpectedly (code 3)',
    );
  });

  it('gives up on a process that never becomes ready', async () => {
    group = new ProcessGroup({ output: new PassThrough(), colors: false, readyTimeoutMs: 500 });
    const silent: ProcessSpec = {
      ...server('silent', await freePort()),
      args: ['-e', 'setInterval(() => {}, 1000)'],
    };
    await expect(group.start([silent])).rejects.toThrow(/was not ready within 500 ms/);
  });
});
