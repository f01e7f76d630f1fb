import type { AddressInfo } from 'node:net';
import type { DynamicModule, INestApplication, NestApplicationOptions, Type } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { runningTelemetry, startTelemetry } from '@toskamesh/telemetry';
import { Logger as PinoLogger } from 'nestjs-pino';
import { MeshRuntimeModule } from '../mesh-runtime.module.js';
import type { MeshRuntimeModuleOptions } from '../options/mesh-runtime-options.js';
import { resolveRuntimeOptions } from '../options/resolve-runtime-options.js';
import { MeshRegistrationService } from '../registration/mesh-registration.service.js';

/** Options of {@link MeshServiceHost.run}: the runtime's options plus how to build the Nest app. */
export interface MeshServiceHostOptions extends MeshRuntimeModuleOptions {
  /** Runs after the app is created and before it listens: global pipes, middleware, CORS, prefixes. */
  configure?: (app: INestApplication) => void | Promise<void>;
  /** Passed to `NestFactory.create`. @default { bufferLogs: true } */
  nestOptions?: NestApplicationOptions;
  /** Install SIGTERM/SIGINT handlers that drain and close the app. @default true for run(), false for start() */
  shutdownHooks?: boolean;
}

/** A started service. */
export interface MeshServiceHandle {
  app: INestApplication;
  /** `http://127.0.0.1:<port>` (a wildcard bind rewritten to loopback), for tests and tools. */
  url: string;
  port: number;
  serviceName: string;
  serviceId: string;
  /** Drains, deregisters and closes the app. */
  close(): Promise<void>;
}

/**
 * The one-call bootstrap, like the .NET `MeshServiceHost.RunAsync`: wraps `appModule` with
 * `MeshRuntimeModule` (so `appModule` must not import it itself), starts telemetry before Nest loads,
 * listens on `service.address:service.port`, registers once listening, and drains on SIGTERM.
 *
 * @example
 * await MeshServiceHost.run(AppModule, { service: { name: 'orders' } });
 */
export class MeshServiceHost {
  /** Starts the service and keeps it running until SIGTERM/SIGINT. */
  static run(
    appModule: Type | DynamicModule,
    options: MeshServiceHostOptions = {},
  ): Promise<MeshServiceHandle> {
    return MeshServiceHost.start(appModule, { shutdownHooks: true, ...options });
  }

  /** Starts the service and returns a handle; no signal handlers unless `shutdownHooks` is set. */
  static async start(
    appModule: Type | DynamicModule,
    options: MeshServiceHostOptions = {},
  ): Promise<MeshServiceHandle> {
    const { configure, nestOptions, shutdownHooks = false, ...runtimeOptions } = options;
    const resolved = resolveRuntimeOptions(runtimeOptions);
    // The first host in a process owns the OpenTelemetry SDK and shuts it down on close.
    const ownsTelemetry = runningTelemetry() === undefined;
    const telemetry = startTelemetry(
      {
        serviceName: resolved.service.name,
        tracing: {
          enabled: resolved.tracing.enabled,
          otlpEndpoint: resolved.tracing.otlpEndpoint,
          sampleRatio: resolved.tracing.sampleRatio,
        },
      },
      runtimeOptions.env ?? process.env,
    );
    const root: DynamicModule = {
      module: class MeshServiceHostRootModule {},
      imports: [
        MeshRuntimeModule.forRoot({
          ...runtimeOptions,
          service: { ...runtimeOptions.service, id: resolved.service.id },
        }),
        appModule,
      ],
    };
    const app = await NestFactory.create(root, { bufferLogs: true, ...nestOptions });
    app.useLogger(app.get(PinoLogger));
    if (shutdownHooks) app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
    try {
      await configure?.(app);
      await app.listen(resolved.service.port, resolved.service.address);
    } catch (error) {
      // A port in use or a failing configure() must not leave timers, watches and connections behind.
      await app.close().catch(() => undefined);
      if (ownsTelemetry) await telemetry.shutdown();
      throw error;
    }
    const { port, address } = app.getHttpServer().address() as AddressInfo;
    const host = ['0.0.0.0', '::'].includes(address)
      ? '127.0.0.1'
      : address.includes(':')
        ? `[${address}]`
        : address;
    const url = `${resolved.service.scheme}://${host}:${port}`;
    new Logger('MeshServiceHost').log(
      `${resolved.service.name} (${resolved.service.id}) listening on ${url}`,
    );
    return {
      app,
      url,
      port,
      serviceName: resolved.service.name,
      serviceId: app.get(MeshRegistrationService).instance?.serviceId ?? resolved.service.id,
      close: async () => {
        await app.close();
        if (ownsTelemetry) await telemetry.shutdown();
      },
    };
  }
}
