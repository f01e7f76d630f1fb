import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MeshServiceHost, type MeshServiceHandle } from '@toskamesh/runtime';
import { AdderModule } from '../src/adder.module.js';

describe('adder-mesh-service', () => {
  let service: MeshServiceHandle;

  beforeAll(async () => {
    service = await MeshServiceHost.start(AdderModule, {
      service: { name: 'adder-mesh-service', port: 0, address: '127.0.0.1' },
      auth: { secret: 'adder-example-test-secret-0123456789abcdef' },
      logging: { level: 'silent' },
      env: {},
    });
  });
  afterAll(() => service.close());

  it('adds query operands as doubles', async () => {
    const response = await fetch(`${service.url}/add?a=2.5&b=-1`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ a: 2.5, b: -1, sum: 1.5 });
  });

  it('adds JSON body operands', async () => {
    const response = await fetch(`${service.url}/add`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ a: 40, b: 2 }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ a: 40, b: 2, sum: 42 });
  });

  it.each([
    ['/add?a=x&b=1', ['a must be a finite number (got "x")']],
    ['/add?a=1', ['b must be a finite number (got null)']],
    [
      '/add?a=&b=Infinity',
      ['a must be a finite number (got "")', 'b must be a finite number (got "Infinity")'],
    ],
  ])('answers 400 problem+json for %s', async (path, errors) => {
    const response = await fetch(`${service.url}${path}`);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await response.json()) as { errors: string[] }).errors).toEqual(errors);
  });

  it('rejects a body whose operands are not numbers', async () => {
    const response = await fetch(`${service.url}/add`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ a: '1', b: true }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: string[] }).errors).toEqual([
      'b must be a finite number (got true)',
    ]);
  });
});
