import { Server, ServerCredentials, type ChannelOptions } from '@grpc/grpc-js';
import { ServerGrpc, type GrpcOptions } from '@nestjs/microservices';

/**
 * Nest's gRPC transport, remembering the port it bound: with `grpcPort: 0` the OS picks one, and the
 * stock `ServerGrpc` discards it. Everything else (handlers, streaming, shutdown) is Nest's.
 */
export class DiscoveryGrpcServer extends ServerGrpc {
  private port?: number;
  private readonly channelOptions: ChannelOptions;

  constructor(options: GrpcOptions['options']) {
    super(options);
    this.channelOptions = { ...(options.channelOptions ?? {}) };
  }

  /** The port the server listens on, once listening. */
  get boundPort(): number | undefined {
    return this.port;
  }

  override async createClient(): Promise<Server> {
    const server = new Server(this.channelOptions);
    this.port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(this.url, ServerCredentials.createInsecure(), (error, port) =>
        error ? reject(error) : resolve(port),
      ),
    );
    return server;
  }
}
