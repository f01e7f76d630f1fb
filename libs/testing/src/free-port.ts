import { createServer } from 'node:net';

/**
 * A TCP port that is free on 127.0.0.1 right now, for a child process that must be told its port up front
 * (in-process servers should listen on port 0 instead). Another process could take it before it is used;
 * on this loopback-only test machine that race is negligible.
 */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
