import { describe, expect, it } from '@jest/globals';
import { classifyContentType, hasParsedBody } from './content-type.js';

describe('content-type', () => {
  describe('classifyContentType', () => {
    it.each([
      [undefined, 'ignore'],
      ['application/json', 'json'],
      ['Application/JSON; charset=utf-8', 'json'],
      ['application/merge-patch+json', 'json'],
      ['text/plain;charset=UTF-8', 'unsupported'],
      ['application/x-www-form-urlencoded', 'unsupported'],
      ['multipart/form-data; boundary=x', 'unsupported'],
      ['json', 'unsupported'],
      ['', 'unsupported'],
    ])('classifies %j as %s', (header, kind) => {
      expect(classifyContentType(header)).toBe(kind);
    });
  });

  describe('hasParsedBody', () => {
    it.each([
      ['PUT', true],
      ['POST', true],
      ['PATCH', true],
      ['DELETE', true],
      ['GET', false],
      ['HEAD', false],
      ['OPTIONS', false],
    ])('%s -> %s', (method, parsed) => {
      expect(hasParsedBody(method)).toBe(parsed);
    });
  });
});
