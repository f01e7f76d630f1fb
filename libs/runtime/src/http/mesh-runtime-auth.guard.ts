import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { ApplicationConfig } from '@nestjs/core';
import { MeshAuthGuard } from '@toskamesh/security';
import type { Request } from 'express';
import type { ResolvedMeshRuntimeOptions } from '../options/resolved-runtime-options.js';
import { RESOLVED_RUNTIME_OPTIONS } from '../options/runtime-options.token.js';

/**
 * The runtime's global guard: `MeshAuthGuard` (JWT, `@Public()`, `@Roles()`, `@Scopes()`) on every route,
 * except the Prometheus scrape path, whose controller comes from the telemetry package and cannot carry
 * `@Public()`. With auth disabled it lets everything through.
 */
@Injectable()
export class MeshRuntimeAuthGuard implements CanActivate {
  constructor(
    @Inject(RESOLVED_RUNTIME_OPTIONS) private readonly options: ResolvedMeshRuntimeOptions,
    private readonly auth: MeshAuthGuard,
    private readonly appConfig: ApplicationConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (!this.options.auth.enabled) return true;
    if (
      context.getType() === 'http' &&
      this.isScrapePath(context.switchToHttp().getRequest<Request>().path)
    ) {
      return true;
    }
    return this.auth.canActivate(context) as boolean | Promise<boolean>;
  }

  /** The scrape route sits under the app's global prefix unless the app excluded it. */
  private isScrapePath(path: string): boolean {
    const { enabled, path: scrapePath } = this.options.metrics;
    if (!enabled) return false;
    const prefix = this.appConfig.getGlobalPrefix().replace(/^\/+|\/+$/g, '');
    return path === scrapePath || (prefix !== '' && path === `/${prefix}${scrapePath}`);
  }
}
