import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { describe, expect, it } from '@jest/globals';
import { MeshConfigError } from '@toskamesh/common';
import { CorsPolicy, type GatewayCorsSettings } from './cors-policy.js';

function settings(overrides: Partial<GatewayCorsSettings> = {}): GatewayCorsSettings {
  return {
    enabled: true,
    allowedOrigins: ['https://app.example.com', 'http://localhost:3000'],
    allowedMethods: ['GET', 'POST'],
    allowedHeaders: ['authorization', 'content-type'],
    exposedHeaders: ['x-correlation-id', 'ratelimit-remaining'],
    allowCredentials: true,
    maxAgeSeconds: 600,
    ...overrides,
  };
}

/** Records what the policy does to a response: headers set, head written, body. */
class RecordingResponse {
  readonly headers: OutgoingHttpHeaders = {};
  status: number | undefined;
  body: string | undefined;
  headersSent = false;
  setHeader(name: string, value: string): this {
    this.headers[name.toLowerCase()] = value;
    return this;
  }
  writeHead(status: number, headers: OutgoingHttpHeaders = {}): this {
    this.status = status;
    for (const [name, value] of Object.entries(headers)) this.headers[name.toLowerCase()] = value;
    this.headersSent = true;
    return this;
  }
  end(body?: string): this {
    this.body = body;
    return this;
  }
}

function run(policy: CorsPolicy, method: string, headers: IncomingHttpHeaders) {
  const res = new RecordingResponse();
  const answered = policy.apply({ method, headers } as IncomingMessage, res as unknown as ServerResponse);
  return { answered, res };
}

const preflight = (origin: string) => ({ origin, 'access-control-request-method': 'POST' });

describe(CorsPolicy.name, () => {
  describe('apply to preflights', () => {
    it('answers 204 with the echoed origin, methods, headers, max-age and credentials', () => {
      const { answered, res } = run(
        new CorsPolicy(settings()),
        'OPTIONS',
        preflight('https://app.example.com'),
      );
      expect(answered).toBe(true);
      expect(res.status).toBe(204);
      expect(res.headers).toEqual({
        vary: 'Origin',
        'access-control-allow-origin': 'https://app.example.com',
        'access-control-allow-credentials': 'true',
        'access-control-allow-methods': 'GET, POST',
        'access-control-allow-headers': 'authorization, content-type',
        'access-control-max-age': '600',
      });
    });

    it('refuses an origin that is not listed with a 403 problem and no allow-origin', () => {
      const { answered, res } = run(new CorsPolicy(settings()), 'OPTIONS', preflight('https://evil.example'));
      expect(answered).toBe(true);
      expect(res.status).toBe(403);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(res.headers.vary).toBe('Origin');
      expect(JSON.parse(res.body ?? '{}')).toMatchObject({ status: 403 });
      expect(res.body).toContain('cors-origin-not-allowed');
    });

    it('answers * without credentials when every origin is allowed', () => {
      const policy = new CorsPolicy(settings({ allowedOrigins: ['*'], allowCredentials: true }));
      const { res } = run(policy, 'OPTIONS', preflight('https://anyone.example'));
      expect(res.status).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
      expect(res.headers.vary).toBeUndefined();
    });

    it('matches origins case-insensitively and without a trailing slash', () => {
      const policy = new CorsPolicy(settings({ allowedOrigins: ['HTTPS://App.Example.com/'] }));
      expect(run(policy, 'OPTIONS', preflight('https://app.example.com')).res.status).toBe(204);
    });

    it('treats OPTIONS without Access-Control-Request-Method as an ordinary request', () => {
      const { answered, res } = run(new CorsPolicy(settings()), 'OPTIONS', {
        origin: 'https://app.example.com',
      });
      expect(answered).toBe(false);
      expect(res.status).toBeUndefined();
      expect(res.headers['access-control-allow-origin']).toBe('https://app.example.com');
    });
  });

  describe('apply to other requests', () => {
    it('sets allow-origin, credentials, exposed headers and Vary for a listed origin', () => {
      const { answered, res } = run(new CorsPolicy(settings()), 'GET', { origin: 'http://localhost:3000' });
      expect(answered).toBe(false);
      expect(res.headersSent).toBe(false);
      expect(res.headers).toEqual({
        vary: 'Origin',
        'access-control-allow-origin': 'http://localhost:3000',
        'access-control-allow-credentials': 'true',
        'access-control-expose-headers': 'x-correlation-id, ratelimit-remaining',
      });
    });

    it('sets only Vary for an origin that is not listed', () => {
      const { answered, res } = run(new CorsPolicy(settings()), 'POST', { origin: 'https://evil.example' });
      expect(answered).toBe(false);
      expect(res.headers).toEqual({ vary: 'Origin' });
    });

    it('leaves out credentials when they are not allowed', () => {
      const policy = new CorsPolicy(settings({ allowCredentials: false, exposedHeaders: [] }));
      const { res } = run(policy, 'GET', { origin: 'https://app.example.com' });
      expect(res.headers).toEqual({
        vary: 'Origin',
        'access-control-allow-origin': 'https://app.example.com',
      });
    });

    it('does nothing without an Origin header', () => {
      const { answered, res } = run(new CorsPolicy(settings()), 'GET', {});
      expect(answered).toBe(false);
      expect(res.headers).toEqual({});
    });

    it('does nothing when disabled, even for a preflight', () => {
      const policy = new CorsPolicy(settings({ enabled: false }));
      const { answered, res } = run(policy, 'OPTIONS', preflight('https://app.example.com'));
      expect(answered).toBe(false);
      expect(res.headers).toEqual({});
    });
  });

  describe('constructor', () => {
    it.each(['app.example.com', 'https://app.example.com/path', 'https://user@app.example.com', 'nope'])(
      'refuses the configured origin %j',
      (origin) => {
        expect(() => new CorsPolicy(settings({ allowedOrigins: ['*', origin] }))).toThrow(MeshConfigError);
        expect(() => new CorsPolicy(settings({ allowedOrigins: ['*', origin] }))).toThrow(
          'cors.allowedOrigins[1]',
        );
      },
    );

    it('accepts "null" and default ports', () => {
      const policy = new CorsPolicy(settings({ allowedOrigins: ['null', 'https://a.example:443'] }));
      expect(run(policy, 'GET', { origin: 'null' }).res.headers['access-control-allow-origin']).toBe('null');
      expect(
        run(policy, 'GET', { origin: 'https://a.example' }).res.headers['access-control-allow-origin'],
      ).toBe('https://a.example');
    });
  });
});
