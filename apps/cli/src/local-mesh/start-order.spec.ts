import { describe, expect, it } from '@jest/globals';
import type { ProcessSpec } from './process-spec.js';
import { startOrder } from './start-order.js';

const spec = (name: string, dependsOn: string[] = []): ProcessSpec => ({
  name,
  command: 'node',
  args: [],
  env: {},
  readyUrl: 'http://127.0.0.1:1',
  dependsOn,
  urls: {},
});

describe('startOrder', () => {
  it('starts dependencies first and keeps input order otherwise', () => {
    const order = startOrder([spec('hello', ['discovery']), spec('adder', ['discovery']), spec('discovery')]);
    expect(order.map((s) => s.name)).toEqual(['discovery', 'hello', 'adder']);
  });

  it('names an unknown dependency', () => {
    expect(() => startOrder([spec('hello', ['nope'])])).toThrow(
      'Process "hello" depends on unknown process(es): nope',
    );
  });

  it('names the processes of a cycle', () => {
    expect(() => startOrder([spec('a', ['b']), spec('b', ['a']), spec('c')])).toThrow(
      'Dependency cycle among processes: a, b',
    );
  });
});
