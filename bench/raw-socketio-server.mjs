// Baseline for bench/events.mjs: the same shape of work without Maestro, no database, no log.
// - `POST /emit` with `{data}`: one socket.io message to every client of the `/pubsub` namespace
//   (socket.io encodes a broadcast once), and an answer to every held `GET /listen`.
// - `GET /listen?after=<sequence>`: answers at once when an event newer than `after` exists, else
//   holds the request until the next `/emit` (a long-poll without subscriptions or cursors).
import { createServer } from 'node:http';
import { Server } from 'socket.io';

let sequence = 0;
let latest = null;
let held = [];

function answer(response, event) {
  response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ type: 'message', pattern: null, channel: 'bench', data: JSON.stringify(event) }));
}

const server = createServer((request, response) => {
  const url = new URL(request.url, 'http://raw');
  if (request.method === 'POST' && url.pathname === '/emit') {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      sequence += 1;
      const event = { data: JSON.parse(body).data, _sequence_id: sequence };
      latest = event;
      namespace.emit('event', { subscription: 0, channel: 'bench', sequence_id: sequence, event });
      const waiting = held;
      held = [];
      for (const r of waiting) answer(r, event);
      response.writeHead(200, { 'Content-Type': 'application/json' }).end('null');
    });
    return;
  }
  if (request.method === 'GET' && url.pathname === '/listen') {
    const after = Number(url.searchParams.get('after') ?? 0);
    if (latest && latest._sequence_id > after) return answer(response, latest);
    held.push(response);
    response.on('close', () => (held = held.filter((r) => r !== response)));
    return;
  }
  response.writeHead(404).end();
});
// Keep idle connections longer than the publisher's agent reuses them (Node's 5 s default races it).
server.keepAliveTimeout = 75_000;
const io = new Server(server, { path: '/latest/socket.io/', serveClient: false });
const namespace = io.of('/pubsub');
namespace.on('connection', (socket) => {
  socket.on('subscribe', (_payload, ack) => ack({ ok: true, subscription: 0, cursor: sequence }));
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('ready\n'));
