import { describe, expect, it } from '@jest/globals';
import { isKvWrite, protectionOf } from './access-policy.js';
import { splitPath } from './request-path.js';

describe('access-policy', () => {
  describe('protectionOf', () => {
    it.each([
      ['/kv/k', 'kv'],
      ['/kv', 'kv'],
      ['/kvanything', 'kv'],
      ['/stats', 'kv'],
      ['/stats/', 'kv'],
      ['//kv//k', 'kv'],
      ['/%6Bv/k', 'kv'],
      ['/replication/info', 'replication'],
      ['/replicationx', 'replication'],
      ['//replication/aof', 'replication'],
      ['/%72eplication/aof', 'replication'],
      ['/', undefined],
      ['/status', undefined],
      ['/health', undefined],
      ['/statsx', undefined],
      ['/other/kv', undefined],
    ])('%s -> %s', (path, group) => {
      expect(protectionOf(path, splitPath(path))).toBe(group);
    });
  });

  describe('isKvWrite', () => {
    it.each([
      ['PUT', '/kv/k', true],
      ['DELETE', '/kv/k', true],
      ['PUT', '//kv//k', true],
      ['PUT', '/kv/', true],
      ['POST', '/kv/mget', false],
      ['GET', '/kv/k', false],
      ['PUT', '/status', false],
      ['PUT', '/kvx', false],
    ])('%s %s -> %s', (method, path, write) => {
      expect(isKvWrite(method, path, splitPath(path))).toBe(write);
    });
  });
});
