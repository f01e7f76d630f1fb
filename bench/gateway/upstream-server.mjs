// The upstream every cell ends at: node:http answering a constant 57-byte JSON body on each port given
// (`node upstream-server.mjs 4101 4102`). Several ports are several "instances" of one service for the
// gateway's load balancer while their CPU stays in one process. `GET /__counts` answers how many requests
// each port served and how many connections it accepted, so the benchmark can show the load was balanced
// and that proxies reuse upstream connections. Started by gateway.bench.js.
import { createServer } from 'node:http';

const body = JSON.stringify({ service: 'upstream', ok: true, message: 'hello, bench' });
const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
const requests = {};
const connections = {};

for (const port of process.argv.slice(2)) {
  requests[port] = 0;
  connections[port] = 0;
  const server = createServer((request, response) => {
    // Drain any request body so the connection stays reusable.
    request.resume();
    if (request.url === '/__counts') {
      response.end(JSON.stringify({ requests, connections }));
      return;
    }
    requests[port]++;
    response.writeHead(200, headers);
    response.end(body);
  });
  // Longer than the pauses between cells, so a proxy never reuses a keep-alive socket being closed here.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 125_000;
  server.on('connection', () => connections[port]++);
  server.listen(Number(port), '127.0.0.1');
}
// The parent's IPC channel closes when the benchmark dies, however it dies: do not outlive it.
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
