import type {
  CallOptions,
  Client,
  ClientReadableStream,
  Metadata,
  ServiceClientConstructor,
  ServiceError,
} from '@grpc/grpc-js';
import type { Options as ProtoLoaderOptions } from '@grpc/proto-loader';
import {
  MeshValidationError,
  type HealthStatus,
  type ServiceInstance,
  type ServiceRegistration,
} from '@toskamesh/common';
import { DISCOVERY_PROTO_PATH } from '../../discovery-proto.js';
import { RegistryUnavailableError } from '../../errors/registry-unavailable.error.js';
import { ServiceNotRegisteredError } from '../../errors/service-not-registered.error.js';
import type { RegistryChange } from '../../registry-change.js';
import {
  decodeGrpcInstance,
  decodeGrpcWatchEvent,
  encodeGrpcRegistration,
  grpcCode,
  grpcErrorFor,
  grpcHealthStatus,
  grpcTarget,
  mergeMetadata,
} from './discovery-grpc.codec.js';
import { DISCOVERY_PROVIDER } from './discovery-wire.codec.js';
import type { DiscoveryTransport } from './discovery.transport.js';
import { grpcJs, protoLoader } from './grpc-runtime.js';

/** Settings of {@link DiscoveryGrpcTransport}. */
export interface DiscoveryGrpcTransportOptions {
  /** `host:port`, `http://host:port` (no TLS) or `https://host[:port]` (TLS, default roots). */
  address: string;
  /** Deadline of each unary call; for a watch, nothing (the stream lives until closed). */
  timeoutMs: number;
  /** Mesh service token, sent as metadata `authorization: Bearer <token>` on every call. */
  authToken?: () => string | Promise<string>;
}

/** Proto-loader settings: field names as written in the proto, enums as names, 64-bit ints as strings. */
const LOADER_OPTIONS: ProtoLoaderOptions = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
};
/** Pings detect a dead peer under an idle watch stream. */
const CHANNEL_OPTIONS = { 'grpc.keepalive_time_ms': 30_000, 'grpc.keepalive_timeout_ms': 10_000 };

type Reply = Record<string, unknown>;
type UnaryMethod = (
  request: object,
  metadata: Metadata,
  options: CallOptions,
  callback: (error: ServiceError | null, reply?: Reply) => void,
) => unknown;
type StreamMethod = (request: object, metadata: Metadata) => ClientReadableStream<unknown>;

/** gRPC client of `toskamesh.discovery.DiscoveryRegistry` (`DISCOVERY_PROTO_PATH`). */
export class DiscoveryGrpcTransport implements DiscoveryTransport {
  private readonly client: Client;
  /** Set once the server answered UNIMPLEMENTED for the port's additions (GetInstance, UpdateMetadata). */
  private legacyServer = false;

  constructor(private readonly options: DiscoveryGrpcTransportOptions) {
    const { loadPackageDefinition } = grpcJs();
    const definition = loadPackageDefinition(
      protoLoader().loadSync(DISCOVERY_PROTO_PATH, LOADER_OPTIONS),
    ) as unknown as {
      toskamesh: { discovery: { DiscoveryRegistry: ServiceClientConstructor } };
    };
    const { target, credentials } = grpcTarget(options.address);
    this.client = new definition.toskamesh.discovery.DiscoveryRegistry(target, credentials, CHANNEL_OPTIONS);
  }

  async register(registration: ServiceRegistration & { serviceId: string }): Promise<ServiceInstance> {
    const reply = await this.unary('Register', 'register', encodeGrpcRegistration(registration));
    if (reply['success'] !== true) {
      const message = String(reply['errorMessage'] || 'the registration was refused');
      throw new MeshValidationError('discovery register request', [message]);
    }
    const serviceId = String(reply['serviceId'] || registration.serviceId);
    const stored = (await this.instances(registration.serviceName, false)).find(
      (i) => i.serviceId === serviceId,
    );
    if (!stored)
      throw new RegistryUnavailableError(DISCOVERY_PROVIDER, `registered ${serviceId} is not listed`);
    return stored;
  }

  async deregister(serviceId: string): Promise<boolean> {
    const reply = await this.unary('Deregister', 'deregister', { serviceId }, () => ({ removed: false }));
    return reply['removed'] === true;
  }

  async heartbeat(serviceId: string): Promise<void> {
    const reply = await this.unary('Heartbeat', 'heartbeat', { serviceId }, () => ({ success: false }));
    if (reply['success'] !== true) throw new ServiceNotRegisteredError(serviceId);
  }

  async reportHealth(serviceId: string, status: HealthStatus): Promise<void> {
    const request = { serviceId, status: grpcHealthStatus(status), output: '' };
    const reply = await this.unary('ReportHealth', 'health', request, () => ({ success: false }));
    if (reply['success'] !== true) throw new ServiceNotRegisteredError(serviceId);
  }

  async updateMetadata(serviceId: string, metadata: Record<string, string>): Promise<ServiceInstance> {
    if (!this.legacyServer) {
      const reply = await this.unary('UpdateMetadata', 'metadata', { serviceId, metadata }, () => {
        throw new ServiceNotRegisteredError(serviceId);
      });
      if (!this.legacyServer) return decodeGrpcInstance(reply['instance']);
    }
    // A server without UpdateMetadata: re-register with the merged metadata (same id, address, port).
    const current = await this.instance(serviceId);
    if (!current) throw new ServiceNotRegisteredError(serviceId);
    const { serviceName, address, port } = current;
    const merged = mergeMetadata(current.metadata, metadata);
    return this.register({ serviceName, serviceId, address, port, metadata: merged });
  }

  async instance(serviceId: string): Promise<ServiceInstance | undefined> {
    if (!this.legacyServer) {
      const reply = await this.unary('GetInstance', 'instance', { serviceId }, () => ({ instance: null }));
      if (!this.legacyServer) return reply['instance'] ? decodeGrpcInstance(reply['instance']) : undefined;
    }
    // The .NET original's client does the same: every service's instances until the id turns up.
    for (const name of await this.services()) {
      const found = (await this.instances(name, false)).find((i) => i.serviceId === serviceId);
      if (found) return found;
    }
    return undefined;
  }

  async services(): Promise<string[]> {
    const reply = await this.unary('GetServices', 'services', {});
    const names = reply['serviceNames'];
    return Array.isArray(names) ? names.map(String) : [];
  }

  async instances(serviceName: string, healthyOnly: boolean): Promise<ServiceInstance[]> {
    const reply = await this.unary('GetInstances', 'instances', { serviceName }, () => ({ instances: [] }));
    const instances = (Array.isArray(reply['instances']) ? reply['instances'] : []).map(decodeGrpcInstance);
    return healthyOnly ? instances.filter((instance) => instance.status === 'Healthy') : instances;
  }

  async *watchOnce(
    serviceName: string | undefined,
    fromIndex: number | undefined,
    signal: AbortSignal,
  ): AsyncGenerator<RegistryChange> {
    const metadata = await this.metadata();
    const watch = (this.client as unknown as Record<string, StreamMethod>)['Watch']!;
    const stream = watch.call(
      this.client,
      { serviceName: serviceName ?? '', index: String(fromIndex ?? 0) },
      metadata,
    );
    const cancel = () => stream.cancel();
    signal.addEventListener('abort', cancel, { once: true });
    if (signal.aborted) cancel();
    try {
      for await (const message of stream) {
        const change = decodeGrpcWatchEvent(message);
        if (change) yield change;
      }
    } catch (error) {
      throw grpcErrorFor(error, 'watch', this.options.timeoutMs);
    } finally {
      signal.removeEventListener('abort', cancel);
      stream.cancel();
    }
  }

  async close(): Promise<void> {
    this.client.close();
  }

  /**
   * Calls a unary rpc with the deadline and the bearer token. NOT_FOUND goes to `onNotFound` (absent:
   * an error); UNIMPLEMENTED of an addition marks the server as legacy and answers `{}`.
   */
  private async unary(
    method: string,
    operation: string,
    request: object,
    onNotFound?: () => Reply,
  ): Promise<Reply> {
    const metadata = await this.metadata();
    const call = (this.client as unknown as Record<string, UnaryMethod>)[method]!;
    try {
      return await new Promise<Reply>((resolve, reject) => {
        const options = { deadline: Date.now() + this.options.timeoutMs };
        call.call(this.client, request, metadata, options, (error, reply) =>
          error ? reject(error) : resolve(reply ?? {}),
        );
      });
    } catch (error) {
      const code = grpcCode(error);
      const grpcStatus = grpcJs().status;
      if (code === grpcStatus.NOT_FOUND && onNotFound) return onNotFound();
      if (code === grpcStatus.UNIMPLEMENTED && (method === 'GetInstance' || method === 'UpdateMetadata')) {
        this.legacyServer = true;
        return {};
      }
      throw grpcErrorFor(error, operation, this.options.timeoutMs);
    }
  }

  private async metadata(): Promise<Metadata> {
    const metadata = new (grpcJs().Metadata)();
    if (this.options.authToken) metadata.set('authorization', `Bearer ${await this.options.authToken()}`);
    return metadata;
  }
}
