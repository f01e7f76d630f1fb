import { describe, expect, it } from '@jest/globals';
import { status } from '@grpc/grpc-js';
import { MeshValidationError } from '@toskamesh/common';
import { RegistryUnavailableError } from '../../errors/registry-unavailable.error.js';
import {
  decodeGrpcInstance,
  decodeGrpcWatchEvent,
  grpcErrorFor,
  grpcHealthStatus,
  grpcTarget,
  mergeMetadata,
} from './discovery-grpc.codec.js';

describe('discovery gRPC codec', () => {
  describe(grpcTarget.name, () => {
    it.each([
      ['127.0.0.1:5011', '127.0.0.1:5011', false],
      ['http://discovery:5011', 'discovery:5011', false],
      ['https://discovery.mesh', 'discovery.mesh:443', true],
      ['https://[::1]:7000/', '[::1]:7000', true],
    ])('reads %s as target %s (TLS: %s)', (address, target, secure) => {
      const result = grpcTarget(address);
      expect(result.target).toBe(target);
      expect(result.credentials._isSecure()).toBe(secure);
    });
  });

  describe(decodeGrpcInstance.name, () => {
    it('reads enum statuses, string-long timestamps and treats an unset or MinValue time as null', () => {
      const instance = decodeGrpcInstance({
        serviceName: 'a',
        serviceId: 'a-1',
        address: 'h',
        port: 5,
        status: 'HEALTH_STATUS_DEGRADED',
        metadata: { scheme: 'https' },
        registeredAt: { seconds: '1735689600', nanos: 500_000_000 },
        lastHealthCheck: { seconds: '-62135596800', nanos: 0 },
      });
      expect(instance).toMatchObject({ status: 'Degraded', scheme: 'https', lastHeartbeatAt: null });
      expect(instance.registeredAt.toISOString()).toBe('2025-01-01T00:00:00.500Z');
    });

    it('throws RegistryUnavailableError for a missing instance', () => {
      expect(() => decodeGrpcInstance(null)).toThrow(RegistryUnavailableError);
    });
  });

  describe(decodeGrpcWatchEvent.name, () => {
    it('skips unknown types', () => {
      expect(decodeGrpcWatchEvent({ type: 'RESIZE', index: '3' })).toBeUndefined();
    });
  });

  describe(grpcHealthStatus.name, () => {
    it('names the proto enum value', () => {
      expect(grpcHealthStatus('Unhealthy')).toBe('HEALTH_STATUS_UNHEALTHY');
    });
  });

  describe(mergeMetadata.name, () => {
    it('replaces keys case-insensitively with the new spelling and value', () => {
      expect(mergeMetadata({ Zone: 'a', x: '1' }, { zone: 'b' })).toEqual({ x: '1', zone: 'b' });
    });
  });

  describe(grpcErrorFor.name, () => {
    it('maps INVALID_ARGUMENT to MeshValidationError and UNAVAILABLE to a retryable RegistryUnavailableError', () => {
      const invalid = grpcErrorFor({ code: status.INVALID_ARGUMENT, details: 'bad port' }, 'register', 1000);
      expect(invalid).toBeInstanceOf(MeshValidationError);
      expect((invalid as MeshValidationError).errors).toEqual(['bad port']);
      const down = grpcErrorFor({ code: status.UNAVAILABLE, details: 'connect refused' }, 'services', 1000);
      expect(down).toBeInstanceOf(RegistryUnavailableError);
      expect(down.message).toContain('UNAVAILABLE: connect refused');
    });
  });
});
