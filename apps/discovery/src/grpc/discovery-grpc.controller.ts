import type { Metadata, ServerUnaryCall, ServerWritableStream } from '@grpc/grpc-js';
import { Controller, Inject, UseFilters } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { MeshValidationError } from '@toskamesh/common';
import { ServiceNotRegisteredError, ServiceRegistry } from '@toskamesh/registry';
import { Observable } from 'rxjs';
import type { Access } from '../auth/access.decorator.js';
import { DiscoveryAuthorizer } from '../auth/discovery-authorizer.service.js';
import type { MeshPrincipal } from '@toskamesh/security';
import type { ResolvedDiscoveryOptions } from '../config/discovery-options.js';
import { DISCOVERY_OPTIONS } from '../discovery-app.tokens.js';
import { ProblemDetailsFilter } from '../http/problem-details.filter.js';
import { ipFromGrpcPeer } from '../registration/caller-address.js';
import { RegistrationService } from '../registration/registration.service.js';
import { InstanceTracker } from '../tracking/instance-tracker.service.js';
import { ChangeFeed } from '../watch/change-feed.service.js';
import { WatchHub } from '../watch/watch-hub.service.js';
import {
  registrationFromGrpc,
  statusFromGrpc,
  toGrpcInstance,
  toGrpcWatchEvent,
  type GrpcInstance,
  type GrpcRegisterRequest,
  type GrpcWatchEvent,
} from './grpc-mapping.js';
import { DISCOVERY_GRPC_SERVICE } from './grpc-options.js';

/** How long Watch waits for the store's first snapshot after start-up before answering UNAVAILABLE. */
const READY_TIMEOUT_MS = 10_000;

type Call = ServerUnaryCall<unknown, unknown> | ServerWritableStream<unknown, unknown>;

/**
 * `toskamesh.discovery.DiscoveryRegistry` over gRPC: the .NET original's rpcs plus Heartbeat, Watch,
 * GetInstance and UpdateMetadata. Auth comes from the `authorization: Bearer` metadata with the same
 * rules as REST; errors become INVALID_ARGUMENT, NOT_FOUND, UNAUTHENTICATED, PERMISSION_DENIED, ...
 */
@Controller()
@UseFilters(ProblemDetailsFilter)
export class DiscoveryGrpcController {
  constructor(
    private readonly registrations: RegistrationService,
    private readonly registry: ServiceRegistry,
    private readonly tracker: InstanceTracker,
    private readonly authorizer: DiscoveryAuthorizer,
    private readonly hub: WatchHub,
    private readonly feed: ChangeFeed,
    @Inject(DISCOVERY_OPTIONS) private readonly options: ResolvedDiscoveryOptions,
  ) {}

  @GrpcMethod(DISCOVERY_GRPC_SERVICE, 'Register')
  async register(request: GrpcRegisterRequest, metadata: Metadata, call: Call) {
    const caller = await this.caller(metadata, 'write');
    const peerIp = ipFromGrpcPeer(call.getPeer());
    const registration = registrationFromGrpc(request, peerIp, this.options.probing.defaultTimeoutMs);
    const instance = await this.registrations.register(caller, registration);
    return { success: true, serviceId: instance.serviceId, errorMessage: '' };
  }

  @GrpcMethod(DISCOVERY_GRPC_SERVICE, 'Deregister')
  async deregister(request: { serviceId?: string }, metadata: Metadata) {
    const caller = await this.caller(metadata, 'write');
    await this.registrations.deregister(caller, requireId(request.serviceId));
    return { removed: true };
  }

  @GrpcMethod(DISCOVERY_GRPC_SERVICE, 'ReportHealth')
  async reportHealth(request: { serviceId?: string; status?: unknown; output?: string }, metadata: Metadata) {
    const caller = await this.caller(metadata, 'write');
    const status = statusFromGrpc(request.status);
    await this.registrations.reportHealth(
      caller,
      requireId(request.serviceId),
      status,
      request.output || null,
    );
    return { success: true };
  }

  @GrpcMethod(DISCOVERY_GRPC_SERVICE, 'Heartbeat')
  async heartbeat(request: { serviceId?: string }, metadata: Metadata) {
    const caller = await this.caller(metadata, 'write');
    await this.registrations.heartbeat(caller, requireId(request.serviceId));
    return { success: true };
  }

  @GrpcMethod(DISCOVERY_GRPC_SERVICE, 'UpdateMetadata')
  async updateMetadata(
    request: { serviceId?: string; metadata?: Record<string, string> },
    metadata: Metadata,
  ) {
    const caller = await this.caller(metadata, 'write');
    const instance = await this.registrations.updateMetadata(
      caller,
      requireId(request.serviceId),
      request.metadata ?? {},
    );
    return { instance: this.wire(instance) };
  }

  @GrpcMethod(DISCOVERY_GRPC_SERVICE, 'GetInstances')
  async getInstances(request: { serviceName?: string }, metadata: Metadata) {
    await this.caller(metadata, 'read');
    if (!request.serviceName)
      throw new MeshValidationError('GetInstances request', ['serviceName is required']);
    const instances = await this.registry.instances(request.serviceName);
    return { instances: instances.map((instance) => this.wire(instance)) };
  }

  @GrpcMethod(DISCOVERY_GRPC_SERVICE, 'GetInstance')
  async getInstance(request: { serviceId?: string }, metadata: Metadata) {
    await this.caller(metadata, 'read');
    const serviceId = requireId(request.serviceId);
    const instance = await this.registry.instance(serviceId);
    if (!instance) throw new ServiceNotRegisteredError(serviceId);
    return { instance: this.wire(instance) };
  }

  @GrpcMethod(DISCOVERY_GRPC_SERVICE, 'GetServices')
  async getServices(_request: unknown, metadata: Metadata) {
    await this.caller(metadata, 'read');
    return { serviceNames: await this.registry.services() };
  }

  /** Server stream: a snapshot (or the events after `index`), then every change until the client cancels. */
  @GrpcMethod(DISCOVERY_GRPC_SERVICE, 'Watch')
  async watch(request: { serviceName?: string; index?: string | number }, metadata: Metadata) {
    await this.caller(metadata, 'read');
    await this.feed.whenReady(READY_TIMEOUT_MS);
    this.hub.assertCapacity();
    const index = Number(request.index ?? 0);
    const resume = Number.isSafeInteger(index) && index > 0 ? { index } : {};
    return new Observable<GrpcWatchEvent>((subscriber) =>
      this.hub.open(
        { send: (message) => subscriber.next(toGrpcWatchEvent(message)), close: () => subscriber.complete() },
        { ...(request.serviceName ? { serviceName: request.serviceName } : {}), ...resume },
      ),
    );
  }

  private caller(metadata: Metadata, access: Access): Promise<MeshPrincipal> {
    return this.authorizer.authenticate(metadata.get('authorization'), access, 'authorization metadata');
  }

  private wire(instance: Parameters<typeof toGrpcInstance>[0]): GrpcInstance {
    return toGrpcInstance(instance, this.tracker.lastHealthCheck(instance.serviceId));
  }
}

function requireId(serviceId: string | undefined): string {
  if (!serviceId) throw new MeshValidationError('request', ['serviceId is required']);
  return serviceId;
}
