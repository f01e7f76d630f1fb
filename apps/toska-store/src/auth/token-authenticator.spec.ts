import { describe, expect, it } from '@jest/globals';
import { normalizeToskaStoreOptions } from '../config/resolve-toska-store-options.js';
import { TokenAuthenticator } from './token-authenticator.js';

const authenticator = (authToken: string, replicationAuthToken = '') =>
  new TokenAuthenticator(normalizeToskaStoreOptions({ authToken, replicationAuthToken }));

describe(TokenAuthenticator.name, () => {
  describe('authorize', () => {
    const auth = authenticator('tok');

    it.each([
      ['Bearer tok', undefined],
      ['tok', undefined],
      [undefined, 'tok'],
      [undefined, 'Bearer tok'],
      ['wrong', 'tok'],
      ['Bearer tok', 'wrong'],
    ])('accepts authorization %j / x-toska-token %j', (authorization, toskaToken) => {
      expect(auth.authorize('kv', authorization, toskaToken)).toBe(true);
    });

    it.each([
      [undefined, undefined],
      ['bearer tok', undefined],
      ['Bearer  tok', undefined],
      ['Bearer tokx', undefined],
      ['Basic tok', undefined],
      ['', ''],
      [undefined, 'BEARER tok'],
    ])('refuses authorization %j / x-toska-token %j', (authorization, toskaToken) => {
      expect(auth.authorize('kv', authorization, toskaToken)).toBe(false);
    });

    it('compares raw header bytes with the token UTF-8 (a non-ASCII token)', () => {
      const latin1Header = Buffer.from('Bearer clé', 'utf8').toString('latin1');
      expect(authenticator('clé').authorize('kv', latin1Header, undefined)).toBe(true);
    });

    it('falls back to the auth token for replication when no replication token is set', () => {
      expect(auth.authorize('replication', 'Bearer tok', undefined)).toBe(true);
    });

    it('uses only the replication token for replication when one is set', () => {
      const both = authenticator('kv', 'repl');
      expect(both.authorize('replication', 'Bearer repl', undefined)).toBe(true);
      expect(both.authorize('replication', 'Bearer kv', undefined)).toBe(false);
      expect(both.authorize('kv', 'Bearer repl', undefined)).toBe(false);
    });

    it('lets everything through when no token is configured', () => {
      const open = authenticator('');
      expect(open.required('kv')).toBe(false);
      expect(open.required('replication')).toBe(false);
      expect(open.authorize('kv', undefined, undefined)).toBe(true);
    });

    it('requires replication auth when only a replication token is set', () => {
      const only = authenticator('', 'repl');
      expect(only.required('kv')).toBe(false);
      expect(only.required('replication')).toBe(true);
    });
  });
});
