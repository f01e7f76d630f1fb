import { describe, expect, it } from '@jest/globals';
import { advertisedAddress, ipFromGrpcPeer, isLoopback } from './caller-address.js';

describe(advertisedAddress.name, () => {
  it.each([
    ['0.0.0.0', '10.0.0.5', '10.0.0.5'],
    ['::', '10.0.0.5', '10.0.0.5'],
    ['127.0.0.1', '::ffff:10.0.0.5', '10.0.0.5'],
    ['localhost', '10.0.0.5', '10.0.0.5'],
    ['', '10.0.0.5', '10.0.0.5'],
    [undefined, 'fd00::7', 'fd00::7'],
    ['orders.internal', '10.0.0.5', 'orders.internal'],
    ['192.168.1.9', '10.0.0.5', '192.168.1.9'],
  ])('turns %j from a remote caller %s into %s', (requested, caller, expected) => {
    expect(advertisedAddress(requested, caller)).toBe(expected);
  });

  it('keeps what a loopback caller sent, filling only an empty address', () => {
    expect(advertisedAddress('0.0.0.0', '127.0.0.1')).toBe('0.0.0.0');
    expect(advertisedAddress('127.0.0.1', '::1')).toBe('127.0.0.1');
    expect(advertisedAddress('', '::ffff:127.0.0.1')).toBe('127.0.0.1');
  });

  it('keeps the request when the caller is unknown', () => {
    expect(advertisedAddress('0.0.0.0', undefined)).toBe('0.0.0.0');
    expect(advertisedAddress(undefined, undefined)).toBeUndefined();
  });
});

describe(ipFromGrpcPeer.name, () => {
  it.each([
    ['ipv4:10.0.0.5:51234', '10.0.0.5'],
    ['ipv6:[::1]:51234', '::1'],
    ['ipv6:[::ffff:10.0.0.5]:443', '10.0.0.5'],
    ['10.0.0.5:1', '10.0.0.5'],
    ['unix:/tmp/sock', undefined],
    [undefined, undefined],
  ])('reads %j as %j', (peer, ip) => {
    expect(ipFromGrpcPeer(peer)).toBe(ip);
  });
});

describe(isLoopback.name, () => {
  it('knows 127/8, ::1 and localhost', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', 'LOCALHOST', '::ffff:127.0.0.1'].every(isLoopback)).toBe(true);
    expect(['10.0.0.1', '0.0.0.0', 'example.com'].some(isLoopback)).toBe(false);
  });
});
