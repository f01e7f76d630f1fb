import { describe, expect, it } from '@jest/globals';
import { canonicalRoute } from './canonical-route.js';

describe(canonicalRoute.name, () => {
  it('rewrites literal segments of known routes to their canonical spelling', () => {
    expect(canonicalRoute('/API/serviceregistration/REGISTER')).toBe('/api/ServiceRegistration/register');
    expect(canonicalRoute('/api/servicediscovery/services/Orders/INSTANCES/healthy?x=1')).toBe(
      '/api/ServiceDiscovery/services/Orders/instances/healthy?x=1',
    );
    expect(canonicalRoute('/api/SERVICEREGISTRATION/Health/Check/Orders-1')).toBe(
      '/api/ServiceRegistration/health/check/Orders-1',
    );
  });

  it('keeps parameters as sent, since service names and ids are case-sensitive', () => {
    expect(canonicalRoute('/api/servicediscovery/instances/MyId-ABC/TRACKING')).toBe(
      '/api/ServiceDiscovery/instances/MyId-ABC/tracking',
    );
  });

  it('leaves unknown paths untouched', () => {
    expect(canonicalRoute('/Health')).toBe('/Health');
    expect(canonicalRoute('/api/servicediscovery/services/a/b/c/d')).toBe(
      '/api/servicediscovery/services/a/b/c/d',
    );
  });
});
