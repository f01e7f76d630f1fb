import { describe, expect, it } from '@jest/globals';
import { generateMeshSecret, localMeshPlan, meshPorts } from './mesh-plan.js';

/** Stand-ins for apps/gateway/node-flags.json, which a '/repo' root does not have. */
const FLAGS = ['--max-semi-space-size=8', '--no-maglev'];

/** The default plan for a checkout at `/repo`. */
const planAtRepo = () =>
  localMeshPlan(meshPorts({}), { serviceAuth: 's', store: 'store-token' }, '/repo', undefined, FLAGS);

describe('meshPorts', () => {
  it('uses the defaults of the .NET original for discovery', () => {
    expect(meshPorts({})).toEqual({
      discovery: 5010,
      discoveryGrpc: 5011,
      hello: 5020,
      adder: 5021,
      toskaStore: 4000,
      profile: 5022,
      gateway: 5000,
    });
  });

  it('reads overrides and names a bad variable', () => {
    expect(meshPorts({ TOSKA_HELLO_PORT: '6000' }).hello).toBe(6000);
    expect(() => meshPorts({ TOSKA_ADDER_PORT: 'x' })).toThrow(
      'TOSKA_ADDER_PORT must be a port number 1-65535 (got "x")',
    );
  });
});

describe('localMeshPlan', () => {
  it('shares one random secret and points services at discovery', () => {
    const secret = generateMeshSecret();
    const plan = localMeshPlan(
      meshPorts({}),
      { serviceAuth: secret, store: 'store-token' },
      '/repo',
      undefined,
      FLAGS,
    );
    expect(secret.length).toBeGreaterThanOrEqual(32);
    const services = plan.filter((spec) => spec.name !== 'toska-store');
    expect(services.every((spec) => spec.env.MESH_SERVICE_AUTH_SECRET === secret)).toBe(true);
    const hello = plan.find((spec) => spec.name === 'hello-mesh-service')!;
    expect(hello.dependsOn).toEqual(['discovery']);
    expect(hello.env.Mesh__Registry__Discovery__Url).toBe('http://127.0.0.1:5010');
    expect(hello.args).toEqual(['/repo/examples/hello-mesh-service/dist/main.js']);
    expect(plan.find((spec) => spec.name === 'discovery')!.env.Discovery__AllowAnonymousReads).toBe('true');
  });

  it('keeps toska-store data under .toska and hands its token to the profile demo', () => {
    const plan = planAtRepo();
    const store = plan.find((spec) => spec.name === 'toska-store')!;
    expect(store.env).toEqual({
      TOSKA_CONFIG_DIR: '/repo/.toska',
      TOSKA_DATA_DIR: '/repo/.toska/data',
      TOSKA_AUTH_TOKEN: 'store-token',
    });
    const profile = plan.find((spec) => spec.name === 'profile-kv-store-demo')!;
    expect(profile.dependsOn).toEqual(['discovery', 'toska-store']);
    expect(profile.env).toMatchObject({
      Mesh__KeyValue__Provider: 'ToskaStore',
      Mesh__KeyValue__ToskaStore__BaseUrl: 'http://127.0.0.1:4000',
      Mesh__KeyValue__ToskaStore__AuthToken: 'store-token',
    });
  });

  it('puts the gateway on 5000 in front of discovery, as the .NET original did', () => {
    const plan = planAtRepo();
    const gateway = plan.find((spec) => spec.name === 'gateway')!;
    expect(gateway.args).toEqual([...FLAGS, '/repo/apps/gateway/dist/main.js']);
    expect(gateway.dependsOn).toEqual(['discovery']);
    expect(gateway.env).toMatchObject({
      Mesh__Gateway__Port: '5000',
      Mesh__Registry__Provider: 'Discovery',
      Mesh__Registry__Discovery__Url: 'http://127.0.0.1:5010',
    });
    expect(gateway.urls['gateway → hello']).toBe('http://127.0.0.1:5000/api/hello-mesh-service/hello');
  });

  it('generates a different secret every run', () => {
    expect(generateMeshSecret()).not.toBe(generateMeshSecret());
  });
});
