// The HTTP ceiling of one Node process on this machine: node:http answering a constant JSON body,
// about the size of a toska-store GET answer. Started by http.bench.js as its own process.
import { createServer } from 'node:http';

const body = JSON.stringify({ key: 'k1234', value: 'v'.repeat(128) });
const server = createServer((_request, response) => {
  response.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
});
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () =>
  process.stdout.write(`listening ${server.address().port}\n`),
);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
