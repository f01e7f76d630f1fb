import { describe, expect, it, jest } from '@jest/globals';
import type { ExecutionContext } from '@nestjs/common';
import { ApplicationConfig } from '@nestjs/core';
import type { MeshAuthGuard } from '@toskamesh/security';
import { resolveRuntimeOptions } from '../options/resolve-runtime-options.js';
import type { MeshRuntimeModuleOptions } from '../options/mesh-runtime-options.js';
import { MeshRuntimeAuthGuard } from './mesh-runtime-auth.guard.js';

function httpContext(path: string): ExecutionContext {
  return {
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => ({ path }) }),
  } as unknown as ExecutionContext;
}

function guard(options: MeshRuntimeModuleOptions = {}, globalPrefix = '') {
  const canActivate = jest.fn<MeshAuthGuard['canActivate']>().mockResolvedValue(false);
  const inner = { canActivate } as unknown as MeshAuthGuard;
  const appConfig = new ApplicationConfig();
  appConfig.setGlobalPrefix(globalPrefix);
  const subject = new MeshRuntimeAuthGuard(resolveRuntimeOptions({ ...options, env: {} }), inner, appConfig);
  return { guard: subject, canActivate };
}

describe(MeshRuntimeAuthGuard.name, () => {
  describe('canActivate', () => {
    it('delegates ordinary routes to MeshAuthGuard', async () => {
      const { guard: subject, canActivate } = guard();
      await expect(subject.canActivate(httpContext('/orders'))).resolves.toBe(false);
      expect(canActivate).toHaveBeenCalledTimes(1);
    });

    it('lets the Prometheus scrape path through without a token', () => {
      const { guard: subject, canActivate } = guard({ metrics: { path: '/prom' } });
      expect(subject.canActivate(httpContext('/prom'))).toBe(true);
      expect(canActivate).not.toHaveBeenCalled();
    });

    it('lets the scrape path under the global prefix through, and nothing else there', async () => {
      const { guard: subject, canActivate } = guard({}, '/api/');
      expect(subject.canActivate(httpContext('/api/metrics'))).toBe(true);
      expect(subject.canActivate(httpContext('/metrics'))).toBe(true);
      await subject.canActivate(httpContext('/api/v1/metrics'));
      await subject.canActivate(httpContext('/api/metrics/extra'));
      expect(canActivate).toHaveBeenCalledTimes(2);
    });

    it('guards the scrape path like any route when metrics are disabled', async () => {
      const { guard: subject, canActivate } = guard({ metrics: { enabled: false } });
      await subject.canActivate(httpContext('/metrics'));
      expect(canActivate).toHaveBeenCalledTimes(1);
    });

    it('lets everything through when auth is disabled', () => {
      const { guard: subject, canActivate } = guard({ auth: { enabled: false } });
      expect(subject.canActivate(httpContext('/orders'))).toBe(true);
      expect(canActivate).not.toHaveBeenCalled();
    });
  });
});
