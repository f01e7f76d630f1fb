// The best Node peer: fastify + @fastify/http-proxy (undici pool, its defaults: 128 connections,
// pipelining 1) as a plain proxy of every path, logger off. `node fastify-proxy.mjs <port> <upstreamPort>`.
// Started by gateway.bench.js.
import Fastify from 'fastify';
import proxy from '@fastify/http-proxy';

const [port, upstreamPort] = process.argv.slice(2).map(Number);
const app = Fastify({ logger: false, keepAliveTimeout: 120_000 });
await app.register(proxy, { upstream: `http://127.0.0.1:${upstreamPort}` });
await app.listen({ host: '127.0.0.1', port });
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
