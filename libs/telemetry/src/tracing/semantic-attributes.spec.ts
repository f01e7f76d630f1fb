import { describe, expect, it } from '@jest/globals';
import * as conventions from '@opentelemetry/semantic-conventions';
import * as local from './semantic-attributes.js';

describe('semantic attribute names', () => {
  it.each(Object.entries(local))('%s matches @opentelemetry/semantic-conventions', (name, value) => {
    expect((conventions as Record<string, unknown>)[name]).toBe(value);
  });
});
