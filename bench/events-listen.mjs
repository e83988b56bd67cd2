// Long-poll `/listen` (bench/events.mjs): L held requests (each on a subscription of its own, as
// KernelCI clients listen), one event published per round, latency from the publish to each
// answer. The next round's listens acknowledge the previous event (the KernelCI protocol). The raw
// baseline holds plain `GET /listen?after=<sequence>` requests and answers them all on `/emit`.
import { Agent, request } from 'node:http';
import { epochMs, percentile, postJson } from './events-common.mjs';

const CHANNEL = 'bench-listen';
const agent = new Agent({ keepAlive: true, maxSockets: Infinity });

function getJson(url, token) {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers: { Authorization: `Bearer ${token}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => (res.statusCode === 200 ? resolve({ body, at: epochMs() }) : reject(new Error(`listen: HTTP ${res.statusCode} ${body.slice(0, 200)}`))));
    });
    req.setTimeout(60_000, () => req.destroy(new Error('listen timed out after 60 s')));
    req.on('error', reject);
    req.end();
  });
}

async function subscribeAll(api, count) {
  const ids = [];
  for (let i = 0; i < count; i += 25) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(25, count - i) }, async () => {
        const response = await fetch(`${api.url}/subscribe/${CHANNEL}?promisc=true`, { method: 'POST', headers: { Authorization: `Bearer ${api.token}` } });
        if (!response.ok) throw new Error(`subscribe: HTTP ${response.status} ${await response.text()}`);
        return (await response.json()).id;
      }),
    );
    ids.push(...batch);
  }
  return ids;
}

/**
 * `server` is the API (`raw: false`) or the raw baseline. `settleMs` lets the new listens reach the
 * server before the publish (a listen that arrives later is answered from the log at once, so
 * nothing is lost either way; the pause only keeps what is measured a held request).
 */
export async function measureListen({ server, raw, listeners, rounds, warmupRounds = 2, settleMs = 1000 }) {
  const ids = raw ? Array.from({ length: listeners }, (_, i) => i) : await subscribeAll(server, listeners);
  const latencies = [];
  let lost = 0;
  let beeps = 0;
  let lastSequence = 0;
  for (let round = 0; round < warmupRounds + rounds; round += 1) {
    const answers = ids.map((id) => getJson(raw ? `${server.url}/listen?after=${lastSequence}` : `${server.url}/listen/${id}`, server.token));
    await new Promise((r) => setTimeout(r, settleMs));
    const at = epochMs();
    const status = await postJson(raw ? `${server.url}/emit` : `${server.url}/publish/${CHANNEL}`, { data: { n: round, at } }, server.token);
    if (status < 200 || status >= 300) throw new Error(`publish: HTTP ${status}`);
    for (const answer of await Promise.all(answers)) {
      const message = JSON.parse(answer.body);
      const event = JSON.parse(message.data);
      if (event.data?.n !== round) {
        if (event._sequence_id === undefined) beeps += 1;
        lost += round >= warmupRounds ? 1 : 0;
        continue;
      }
      lastSequence = event._sequence_id;
      if (round >= warmupRounds) latencies.push(answer.at - at);
    }
  }
  if (!raw) await Promise.all(ids.map((id) => postJson(`${server.url}/unsubscribe/${id}`, {}, server.token).catch(() => undefined)));
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), samples: latencies.length, lost, beeps };
}
