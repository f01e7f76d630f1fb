import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { readGatewayNodeFlags } from './gateway-node-flags.js';
import { repositoryRoot } from './mesh-plan.js';

describe('readGatewayNodeFlags', () => {
  it("reads the gateway's flag list from the repository", () => {
    const flags = readGatewayNodeFlags(repositoryRoot());
    expect(flags).toContain('--max-semi-space-size=8');
    expect(flags.every((flag) => flag.startsWith('--'))).toBe(true);
  });

  it('names the file when it is missing or malformed', () => {
    const root = mkdtempSync(join(tmpdir(), 'toska-flags-'));
    expect(() => readGatewayNodeFlags(root)).toThrow(`${root}/apps/gateway/node-flags.json`);
    mkdirSync(join(root, 'apps/gateway'), { recursive: true });
    writeFileSync(join(root, 'apps/gateway/node-flags.json'), '{"flags": ["--bare-string"]}');
    expect(() => readGatewayNodeFlags(root)).toThrow('must hold');
  });
});
