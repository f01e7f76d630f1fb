import { afterAll, describe, expect, it } from '@jest/globals';
import { MeshConfigError } from '@toskamesh/common';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveToskaStoreOptions } from './resolve-toska-store-options.js';
import { readToskaConfigFile, toskaConfigDir, toskaConfigFilePath } from './toska-config-file.js';

describe('toska-config-file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'toska-config-'));

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe('toskaConfigFilePath', () => {
    it('is toska_config.json under TOSKA_CONFIG_DIR, or ~/.toska', () => {
      expect(toskaConfigFilePath({ TOSKA_CONFIG_DIR: '/cfg' })).toBe('/cfg/toska_config.json');
      expect(toskaConfigDir({})).toBe(join(homedir(), '.toska'));
    });
  });

  describe('readToskaConfigFile', () => {
    it('answers undefined when there is no file', () => {
      expect(readToskaConfigFile(join(dir, 'absent.json'))).toBeUndefined();
    });

    it('reads a JSON object', () => {
      const path = join(dir, 'ok.json');
      writeFileSync(path, '{"port": 4100}');
      expect(readToskaConfigFile(path)).toEqual({ port: 4100 });
    });

    it.each([
      ['bad.json', '{port'],
      ['array.json', '[1]'],
    ])('throws MeshConfigError naming the file for %s', (name, text) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      expect(() => readToskaConfigFile(path)).toThrow(MeshConfigError);
      expect(() => readToskaConfigFile(path)).toThrow(path);
    });
  });

  describe('resolveToskaStoreOptions', () => {
    it('reads the file from TOSKA_CONFIG_DIR when no file is given', () => {
      writeFileSync(join(dir, 'toska_config.json'), '{"port": 4200, "auth_token": "from-file"}');
      const options = resolveToskaStoreOptions({
        env: { TOSKA_CONFIG_DIR: dir, TOSKA_AUTH_TOKEN: 'from-env' },
      });
      expect(options).toMatchObject({ port: 4200, authToken: 'from-env', dataDir: join(dir, 'data') });
    });
  });
});
