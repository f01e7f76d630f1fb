import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { MeshConfigError } from '../errors/mesh-config.error.js';
import { readEnvTree } from './env-tree.js';
import { meshOptionsFromEnv } from './mesh-options-from-env.js';

describe('readEnvTree', () => {
  it('nests on double underscores and matches keys case-insensitively', () => {
    const tree = readEnvTree(
      { Mesh__Service__Port: '8080', MESH__service__ROUTING__weight: '3', Other__X: '1' },
      'Mesh',
    );
    expect(tree).toEqual({ service: { port: '8080', routing: { weight: '3' } } });
  });
});

describe('meshOptionsFromEnv', () => {
  it('maps the .NET original Mesh:Service keys with their types', () => {
    const options = meshOptionsFromEnv({
      Mesh__Service__ServiceName: 'orders',
      Mesh__Service__Port: '8081',
      Mesh__Service__HealthInterval: '00:00:15',
      Mesh__Service__HeartbeatEnabled: 'false',
      Mesh__Service__Routing__Strategy: 'leastconnections',
      Mesh__Service__Routing__Weight: '5',
      Mesh__Service__Metadata__Zone: 'eu-1',
      Mesh__Service__Tags: 'a, b,,c',
    });
    expect(options.service).toEqual({
      name: 'orders',
      port: 8081,
      healthIntervalMs: 15_000,
      heartbeatEnabled: false,
      routing: { strategy: 'LeastConnections', weight: 5 },
      metadata: { zone: 'eu-1' },
      tags: ['a', 'b', 'c'],
    });
  });

  it('accepts Mesh__Service__Name as DESIGN.md writes it', () => {
    expect(meshOptionsFromEnv({ Mesh__Service__Name: 'hello' }).service.name).toBe('hello');
  });

  it('selects the discovery registry over gRPC from the original key', () => {
    const { registry } = meshOptionsFromEnv({
      Mesh__ServiceDiscovery__Grpc__Address: 'http://discovery:5011',
      Mesh__ServiceDiscovery__Grpc__AllowInsecureTransport: 'true',
    });
    expect(registry).toEqual({
      provider: 'discovery',
      discovery: { url: 'http://discovery:5011', transport: 'grpc', allowInsecureTransport: true },
    });
  });

  it('selects consul from the legacy top-level Consul section', () => {
    const { registry } = meshOptionsFromEnv({ Consul__Address: 'http://consul:8500', Consul__Token: 't' });
    expect(registry).toEqual({ provider: 'consul', consul: { url: 'http://consul:8500', token: 't' } });
  });

  it('reads an explicit registry provider and its redis url', () => {
    const { registry } = meshOptionsFromEnv({
      Mesh__Registry__Provider: 'Redis',
      Mesh__Registry__Redis__Url: 'redis://r:6379',
    });
    expect(registry).toEqual({ provider: 'redis', redis: { url: 'redis://r:6379' } });
  });

  it('prefers MESH_SERVICE_AUTH_* variables and reads a secret file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mesh-secret-'));
    writeFileSync(join(dir, 'secret'), 'x'.repeat(40) + '\n');
    const options = meshOptionsFromEnv({
      MESH_SERVICE_AUTH_SECRET_FILE: join(dir, 'secret'),
      MESH_SERVICE_AUTH_ISSUER: 'issuer',
      Mesh__ServiceAuth__TokenLifetimeMinutes: '5',
    });
    expect(options.serviceAuth).toEqual({
      secret: 'x'.repeat(40),
      issuer: 'issuer',
      tokenLifetimeMs: 300_000,
    });
  });

  it('names the variable and the allowed values when a value is malformed', () => {
    expect(() => meshOptionsFromEnv({ Mesh__Service__Port: 'eighty' })).toThrow(
      /Mesh__Service__Port.*"eighty"/,
    );
    expect(() => meshOptionsFromEnv({ Mesh__Service__Routing__Strategy: 'Fastest' })).toThrow(
      MeshConfigError,
    );
    expect(() => meshOptionsFromEnv({ Mesh__Service__HealthInterval: 'soon' })).toThrow(/TimeSpan/);
  });

  it('returns empty sections when nothing is set', () => {
    const options = meshOptionsFromEnv({});
    expect(options.service).toEqual({});
    expect(options.registry).toEqual({});
  });
});
