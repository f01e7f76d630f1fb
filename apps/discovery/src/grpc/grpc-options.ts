import type { GrpcOptions } from '@nestjs/microservices';
import { DISCOVERY_PROTO_PATH } from '@toskamesh/registry';

/** The proto package served. */
export const DISCOVERY_GRPC_PACKAGE = 'toskamesh.discovery';
/** The service name inside the package (`/toskamesh.discovery.DiscoveryRegistry/<Rpc>`). */
export const DISCOVERY_GRPC_SERVICE = 'DiscoveryRegistry';

/**
 * proto-loader settings shared with the registry's gRPC client: field names as written (camelCase),
 * enums as their names, 64-bit integers as strings, defaults filled in.
 */
export const DISCOVERY_PROTO_LOADER = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
} as const;

/** Options of the discovery gRPC server listening on `host:port` (port 0 = ephemeral). */
export function discoveryGrpcOptions(host: string, port: number): GrpcOptions['options'] {
  const bindHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return {
    url: `${bindHost}:${port}`,
    package: DISCOVERY_GRPC_PACKAGE,
    protoPath: DISCOVERY_PROTO_PATH,
    loader: { ...DISCOVERY_PROTO_LOADER },
    // Watch streams stay open by design; a graceful shutdown would wait for them forever.
    gracefulShutdown: false,
    channelOptions: { 'grpc.max_receive_message_length': 1024 * 1024 },
  };
}
