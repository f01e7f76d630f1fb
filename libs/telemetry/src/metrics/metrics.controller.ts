import type { ServerResponse } from 'node:http';
import { Controller, Get, NotFoundException, Res, type Type } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants.js';
import { register } from 'prom-client';
import { markUnmetered } from './http-metrics.js';

/** A scrape controller class of one TelemetryModule registration, and how to point it at its path. */
export interface MetricsRoute {
  readonly controller: Type<unknown>;
  /** Sets the route and whether it answers; must run before the app registers its routes (DI time). */
  configure(path: string, enabled: boolean): void;
}

/**
 * A fresh scrape controller class per registration, serving prom-client's default registry.
 * Like @willsoto/nestjs-prometheus, the route is set by writing path metadata onto the class; a
 * class per registration keeps two apps in one process from sharing the last path, and lets
 * `forRootAsync` set the path (and switch the route off) once its factory ran.
 */
export function createMetricsRoute(): MetricsRoute {
  const state = { enabled: true };

  @Controller()
  class MeshMetricsController {
    @Get()
    async scrape(@Res({ passthrough: true }) response: ServerResponse): Promise<string> {
      markUnmetered(response);
      if (!state.enabled) throw new NotFoundException();
      response.setHeader('Content-Type', register.contentType);
      return register.metrics();
    }
  }

  return {
    controller: MeshMetricsController,
    configure(path: string, enabled: boolean): void {
      state.enabled = enabled;
      Reflect.defineMetadata(PATH_METADATA, path, MeshMetricsController);
    },
  };
}
