import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from '@jest/globals';
import { advertisedAddressFor } from './listen-address.js';

function nic(address: string, family: 'IPv4' | 'IPv6', internal: boolean): NetworkInterfaceInfo {
  const base = { address, netmask: '', mac: '00:00:00:00:00:00', internal, cidr: null };
  return family === 'IPv4' ? { ...base, family } : { ...base, family, scopeid: 0 };
}

const HOST_NICS = {
  lo: [nic('127.0.0.1', 'IPv4', true), nic('::1', 'IPv6', true)],
  eth0: [nic('fe80::1', 'IPv6', false), nic('10.1.2.3', 'IPv4', false)],
};

describe(advertisedAddressFor.name, () => {
  it('returns the configured address whatever the bind', () => {
    expect(advertisedAddressFor({ address: '0.0.0.0' }, 'orders.internal', HOST_NICS)).toBe(
      'orders.internal',
    );
  });

  it('returns the bound address for a specific bind', () => {
    expect(advertisedAddressFor({ address: '127.0.0.1' }, undefined, HOST_NICS)).toBe('127.0.0.1');
  });

  it('unwraps an IPv4-mapped IPv6 address', () => {
    expect(advertisedAddressFor({ address: '::ffff:192.168.0.7' }, undefined, HOST_NICS)).toBe('192.168.0.7');
  });

  it.each(['0.0.0.0', '::'])('picks the first non-internal IPv4 for the wildcard bind %s', (address) => {
    expect(advertisedAddressFor({ address }, undefined, HOST_NICS)).toBe('10.1.2.3');
  });

  it('falls back to loopback when the host has no external IPv4', () => {
    expect(advertisedAddressFor({ address: '0.0.0.0' }, undefined, { lo: HOST_NICS.lo })).toBe('127.0.0.1');
  });
});
