// Baseline for bench/events.mjs: the same shape of work without Maestro — an HTTP POST whose
// handler emits one socket.io message to every client of the namespace. No database, no log.
import { createServer } from 'node:http';
import { Server } from 'socket.io';

let sequence = 0;
const server = createServer((request, response) => {
  if (request.method === 'POST' && request.url === '/emit') {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      sequence += 1;
      namespace.emit('event', { subscription: 0, channel: 'bench', sequence_id: sequence, event: { data: JSON.parse(body).data, _sequence_id: sequence } });
      response.writeHead(200, { 'Content-Type': 'application/json' }).end('null');
    });
    return;
  }
  response.writeHead(404).end();
});
const io = new Server(server, { path: '/latest/socket.io/', serveClient: false });
const namespace = io.of('/pubsub');
namespace.on('connection', (socket) => {
  socket.on('subscribe', (_payload, ack) => ack({ ok: true, subscription: 0 }));
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('ready\n'));
