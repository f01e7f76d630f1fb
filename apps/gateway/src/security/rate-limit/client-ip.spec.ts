import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { describe, expect, it } from '@jest/globals';
import { MeshConfigError } from '@toskamesh/common';
import { clientIp } from './client-ip.js';

function request(remoteAddress: string | undefined, headers: IncomingHttpHeaders = {}): IncomingMessage {
  return { socket: { remoteAddress }, headers } as unknown as IncomingMessage;
}

const LOOPBACK = ['127.0.0.1', '::1'];

describe('clientIp', () => {
  it('is the socket peer without X-Forwarded-For', () => {
    expect(clientIp(request('203.0.113.7'), LOOPBACK)).toBe('203.0.113.7');
  });

  it('shows IPv4-mapped IPv6 peers as IPv4', () => {
    expect(clientIp(request('::ffff:203.0.113.7'), LOOPBACK)).toBe('203.0.113.7');
  });

  it('ignores X-Forwarded-For from a peer that is not trusted', () => {
    const req = request('203.0.113.7', { 'x-forwarded-for': '198.51.100.1' });
    expect(clientIp(req, LOOPBACK)).toBe('203.0.113.7');
  });

  it('ignores X-Forwarded-For when no proxy is trusted', () => {
    expect(clientIp(request('127.0.0.1', { 'x-forwarded-for': '198.51.100.1' }), [])).toBe('127.0.0.1');
  });

  it('reads X-Forwarded-For from a trusted peer', () => {
    const req = request('::ffff:127.0.0.1', { 'x-forwarded-for': '198.51.100.1' });
    expect(clientIp(req, LOOPBACK)).toBe('198.51.100.1');
  });

  it('takes the right-most untrusted entry, not what the client wrote on the left', () => {
    const req = request('127.0.0.1', { 'x-forwarded-for': '6.6.6.6, 198.51.100.1, 10.1.2.3' });
    expect(clientIp(req, ['127.0.0.1', '10.0.0.0/8'])).toBe('198.51.100.1');
  });

  it('is the left-most entry when every hop is trusted', () => {
    const req = request('127.0.0.1', { 'x-forwarded-for': '10.0.0.5, 10.0.0.6' });
    expect(clientIp(req, ['127.0.0.1', '10.0.0.0/8'])).toBe('10.0.0.5');
  });

  it('stops at an entry that is not an address', () => {
    const req = request('127.0.0.1', { 'x-forwarded-for': '198.51.100.1, not-an-ip, 10.0.0.5' });
    expect(clientIp(req, ['127.0.0.1', '10.0.0.0/8'])).toBe('10.0.0.5');
  });

  it('understands ports, brackets and mapped addresses in entries', () => {
    expect(clientIp(request('::1', { 'x-forwarded-for': '198.51.100.1:4711' }), LOOPBACK)).toBe(
      '198.51.100.1',
    );
    expect(clientIp(request('::1', { 'x-forwarded-for': '[2001:db8::1]:443' }), LOOPBACK)).toBe(
      '2001:db8::1',
    );
    expect(clientIp(request('::1', { 'x-forwarded-for': '2001:db8::2' }), LOOPBACK)).toBe('2001:db8::2');
    expect(clientIp(request('::1', { 'x-forwarded-for': '::ffff:198.51.100.9' }), LOOPBACK)).toBe(
      '198.51.100.9',
    );
  });

  it('trusts IPv6 peers in ranges and in other spellings', () => {
    const req = request('fd00::1:2', { 'x-forwarded-for': '198.51.100.1' });
    expect(clientIp(req, ['fd00::/8'])).toBe('198.51.100.1');
    expect(clientIp(request('0:0:0:0:0:0:0:1', { 'x-forwarded-for': '198.51.100.2' }), ['::1'])).toBe(
      '198.51.100.2',
    );
  });

  it('is "unknown" when the socket has no address (already closed)', () => {
    expect(clientIp(request(undefined), LOOPBACK)).toBe('unknown');
  });

  it.each(['localhost', '10.0.0.0/33', '10.0.0.0/8/1', '::1/abc'])(
    'refuses the trusted proxy %j',
    (entry) => {
      const req = request('127.0.0.1');
      expect(() => clientIp(req, ['127.0.0.1', entry])).toThrow(MeshConfigError);
      expect(() => clientIp(req, ['127.0.0.1', entry])).toThrow('rateLimit.trustedProxies[1]');
    },
  );
});
