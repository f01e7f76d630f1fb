import type * as GrpcJs from '@grpc/grpc-js';
import type * as ProtoLoader from '@grpc/proto-loader';
import { deferredRequire } from '@toskamesh/common';

/**
 * `@grpc/grpc-js` and `@grpc/proto-loader` are required when the gRPC transport is first built: with
 * protobufjs they are ~1 MB of source that every process importing `@toskamesh/registry` would otherwise
 * load, even one that talks HTTP or uses another provider.
 */
export const grpcJs = deferredRequire<typeof GrpcJs>(import.meta.url, '@grpc/grpc-js');
export const protoLoader = deferredRequire<typeof ProtoLoader>(import.meta.url, '@grpc/proto-loader');
