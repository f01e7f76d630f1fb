import {
  credentials,
  loadPackageDefinition,
  Metadata,
  type Client,
  type ClientReadableStream,
  type ServiceClientConstructor,
  type ServiceError,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { DISCOVERY_PROTO_PATH } from '@toskamesh/registry';
import { DISCOVERY_PROTO_LOADER } from '../../src/grpc/grpc-options.js';

type Message = Record<string, unknown>;
type Unary = (
  request: Message,
  metadata: Metadata,
  options: { deadline: Date },
  callback: (error: ServiceError | null, reply: Message) => void,
) => void;
type Stream = (request: Message, metadata: Metadata) => ClientReadableStream<Message>;

/** A raw gRPC client of `toskamesh.discovery.DiscoveryRegistry` for tests (5 s deadline per call). */
export class DiscoveryGrpcTestClient {
  private readonly client: Client;

  constructor(address: string) {
    const definition = loadPackageDefinition(
      loadSync(DISCOVERY_PROTO_PATH, { ...DISCOVERY_PROTO_LOADER }),
    ) as unknown as {
      toskamesh: { discovery: { DiscoveryRegistry: ServiceClientConstructor } };
    };
    this.client = new definition.toskamesh.discovery.DiscoveryRegistry(address, credentials.createInsecure());
  }

  /** Calls a unary rpc; rejects with the `ServiceError` (`code`, `details`). */
  call(rpc: string, request: Message, token?: string): Promise<Message> {
    const method = (this.client as unknown as Record<string, Unary>)[rpc]!;
    return new Promise((resolve, reject) =>
      method.call(
        this.client,
        request,
        metadataFor(token),
        { deadline: new Date(Date.now() + 5000) },
        (error, reply) => (error ? reject(error) : resolve(reply)),
      ),
    );
  }

  /** Opens the Watch stream and collects its messages. */
  watch(request: Message, token?: string): WatchStream {
    const method = (this.client as unknown as Record<string, Stream>)['Watch']!;
    return new WatchStream(method.call(this.client, request, metadataFor(token)));
  }

  close(): void {
    this.client.close();
  }
}

/** The messages of a Watch call, awaited one by one with a deadline. */
export class WatchStream {
  private readonly messages: Message[] = [];
  private error?: Error;
  private wake?: () => void;

  constructor(private readonly stream: ClientReadableStream<Message>) {
    stream.on('data', (message: Message) => {
      this.messages.push(message);
      this.wake?.();
    });
    stream.on('error', (error: Error) => {
      this.error = error;
      this.wake?.();
    });
    stream.on('end', () => {
      this.error ??= new Error('Watch stream ended');
      this.wake?.();
    });
  }

  async next(timeoutMs = 5000): Promise<Message> {
    const deadline = Date.now() + timeoutMs;
    while (this.messages.length === 0) {
      if (this.error) throw this.error;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no Watch message within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return this.messages.shift()!;
  }

  cancel(): void {
    this.stream.cancel();
  }
}

function metadataFor(token: string | undefined): Metadata {
  const metadata = new Metadata();
  if (token) metadata.set('authorization', `Bearer ${token}`);
  return metadata;
}
