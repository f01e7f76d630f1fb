import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { context, trace, TraceFlags } from '@opentelemetry/api';
import { startTelemetry, type TelemetryHandle } from '@toskamesh/telemetry';
import {
  clientResponseHeaders,
  forwardedElement,
  hasUnsafeHeaderValue,
  upstreamRequestHeaders,
  type UpstreamHeaderContext,
} from './upstream-headers.js';

function request(headers: IncomingHttpHeaders, rawHeaders: string[] = []): IncomingMessage {
  return { headers, rawHeaders } as unknown as IncomingMessage;
}

const ctx: UpstreamHeaderContext = { correlationId: 'corr-1', clientIp: '198.51.100.4', secure: false };

describe('upstreamRequestHeaders', () => {
  it('drops hop-by-hop headers and those Connection lists, keeping end-to-end ones', () => {
    const headers = upstreamRequestHeaders(
      request({
        connection: 'keep-alive, X-Secret-Hop',
        'x-secret-hop': '1',
        'keep-alive': 'timeout=5',
        'proxy-authorization': 'Basic x',
        'proxy-connection': 'keep-alive',
        te: 'trailers',
        trailer: 'x-sum',
        'transfer-encoding': 'chunked',
        upgrade: 'h2c',
        expect: '100-continue',
        host: 'gw.example',
        accept: 'application/json',
        cookie: 'a=1',
      }),
      ctx,
    );
    expect(Object.keys(headers).sort()).toEqual(
      [
        'accept',
        'cookie',
        'forwarded',
        'x-correlation-id',
        'x-forwarded-for',
        'x-forwarded-host',
        'x-forwarded-proto',
      ].sort(),
    );
  });

  it('keeps Upgrade and sets Connection: upgrade on upgrade requests', () => {
    const headers = upstreamRequestHeaders(
      request({ connection: 'keep-alive, Upgrade', upgrade: 'websocket', 'sec-websocket-key': 'k' }),
      ctx,
    );
    expect(headers).toMatchObject({ connection: 'upgrade', upgrade: 'websocket', 'sec-websocket-key': 'k' });
  });

  it('appends the client to X-Forwarded-For and Forwarded, and sets proto and host', () => {
    const headers = upstreamRequestHeaders(
      request({
        host: 'api.example:8443',
        'x-forwarded-for': '203.0.113.1, 10.0.0.2',
        forwarded: 'for=203.0.113.1',
      }),
      { ...ctx, secure: true },
    );
    expect(headers['x-forwarded-for']).toBe('203.0.113.1, 10.0.0.2, 198.51.100.4');
    expect(headers['x-forwarded-proto']).toBe('https');
    expect(headers['x-forwarded-host']).toBe('api.example:8443');
    expect(headers.forwarded).toBe('for=203.0.113.1, for=198.51.100.4;host="api.example:8443";proto=https');
  });

  it('replaces the client-sent correlation id and x-forwarded-port', () => {
    const headers = upstreamRequestHeaders(
      request({ 'x-correlation-id': 'spoof', 'x-forwarded-port': '1' }),
      ctx,
    );
    expect(headers['x-correlation-id']).toBe('corr-1');
    expect(headers['x-forwarded-port']).toBeUndefined();
  });

  it('strips every client-sent x-mesh-* header and sets the identity', () => {
    const spoofed = request({ 'x-mesh-user': 'mallory', 'x-mesh-roles': 'admin', 'x-mesh-tenant': 't' });
    expect(upstreamRequestHeaders(spoofed, ctx)).not.toHaveProperty('x-mesh-user');
    const headers = upstreamRequestHeaders(spoofed, {
      ...ctx,
      identity: { user: 'alice', roles: ['a', 'b'], via: 'api-key', apiKey: 'ci' },
    });
    expect(headers['x-mesh-user']).toBe('alice');
    expect(headers['x-mesh-roles']).toBe('a,b');
    expect(headers['x-mesh-tenant']).toBeUndefined();
  });

  it("passes the client's traceparent through when there is no active span", () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const headers = upstreamRequestHeaders(request({ traceparent, tracestate: 'x=1' }), ctx);
    expect(headers).toMatchObject({ traceparent, tracestate: 'x=1' });
  });

  describe('with an active span', () => {
    let telemetry: TelemetryHandle;

    beforeAll(() => {
      telemetry = startTelemetry({ serviceName: 'gateway-unit' }, {});
    });

    afterAll(async () => {
      await telemetry.shutdown();
    });

    it("injects the active span's context instead of the client's", () => {
      const spanContext = {
        traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
        spanId: '00f067aa0ba902b7',
        traceFlags: TraceFlags.SAMPLED,
      };
      const active = trace.setSpanContext(context.active(), spanContext);
      const headers = context.with(active, () =>
        upstreamRequestHeaders(
          request({
            traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
            tracestate: 'client=1',
          }),
          ctx,
        ),
      );
      expect(headers.traceparent).toBe('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
      expect(headers.tracestate).toBeUndefined();
      expect(headers['x-correlation-id']).toBe('corr-1');
    });
  });
});

describe('forwardedElement', () => {
  it('brackets and quotes IPv6 and quotes a host with a port', () => {
    expect(forwardedElement('2001:db8::1', 'http', 'example.com:8080')).toBe(
      'for="[2001:db8::1]";host="example.com:8080";proto=http',
    );
    expect(forwardedElement('192.0.2.60', 'https', 'example.com')).toBe(
      'for=192.0.2.60;host=example.com;proto=https',
    );
    expect(forwardedElement('', 'http', undefined)).toBe('for=unknown;proto=http');
  });
});

describe('clientResponseHeaders', () => {
  it('drops hop-by-hop fields in any case and those Connection lists, keeping duplicates in order', () => {
    const raw = [
      'Content-Type',
      'text/plain',
      'Set-Cookie',
      'a=1',
      'Connection',
      'keep-alive, X-Private',
      'Keep-Alive',
      'timeout=5',
      'X-Private',
      'secret',
      'Transfer-Encoding',
      'chunked',
      'Proxy-Authenticate',
      'Basic',
      'TE',
      'trailers',
      'Trailer',
      'x-sum',
      'Upgrade',
      'h2c',
      'Set-Cookie',
      'b=2',
    ];
    expect(clientResponseHeaders(raw)).toEqual([
      'Content-Type',
      'text/plain',
      'Set-Cookie',
      'a=1',
      'Set-Cookie',
      'b=2',
    ]);
  });
});

describe('hasUnsafeHeaderValue', () => {
  it('names the first header whose value holds CR, LF or NUL', () => {
    expect(hasUnsafeHeaderValue(request({}, ['Accept', 'text/html', 'X-Bad', 'a\r\nInjected: 1']))).toBe(
      'X-Bad',
    );
    expect(hasUnsafeHeaderValue(request({}, ['X-Nul', 'a\0b']))).toBe('X-Nul');
    expect(hasUnsafeHeaderValue(request({}, ['X-Lf', 'a\nb']))).toBe('X-Lf');
    expect(hasUnsafeHeaderValue(request({}, ['Accept', 'text/html', 'X-Tab', 'a\tb']))).toBeUndefined();
  });
});
