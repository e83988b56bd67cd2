// Sustained fan-out over socket.io (bench/events.mjs): N subscribers in client worker processes,
// an open-loop publisher at R events/s for S seconds (after a 1 s warm-up), then every subscriber's
// latency (due time → delivery), events lost (still missing once deliveries stopped for 5 s, or
// after 60 s), out of order and duplicated, and the server process's
// resident memory (idle with the subscribers connected, and the peak while publishing).
import { cpuSeconds, forkClients, percentile, publishPaced, rssMb, sampleRss } from './events-common.mjs';

/**
 * `server` is the API or the raw baseline ({url, token, pid}); `publishPath` is `/publish/<channel>`
 * for the API and `/emit` for the raw server, both an HTTP POST of `{data}`.
 */
export async function measureFanout({ server, publishPath, channel, subscribers, rate, seconds, workers, idleSeconds = 5 }) {
  const clients = Array.from({ length: Math.max(1, Math.min(workers, subscribers)) }, () => forkClients());
  try {
    const shares = clients.map((_, i) => Math.floor(subscribers / clients.length) + (i < subscribers % clients.length ? 1 : 0));
    await Promise.all(clients.map((c, i) => c.ask('connect', { url: server.url, token: server.token, channel, count: shares[i] })));
    const rssIdle = rssMb(server.pid);
    const peak = sampleRss(server.pid);
    const cpuBefore = cpuSeconds(server.pid);
    const publisherBefore = process.cpuUsage();
    const clientCpuBefore = await Promise.all(clients.map((c) => c.ask('cpu', {})));
    const warmupSeconds = Math.min(1, seconds / 5);
    const pub = await publishPaced({ url: `${server.url}${publishPath}`, token: server.token, rate, seconds, warmupSeconds });
    const results = await Promise.all(clients.map((c) => c.ask('collect', { published: pub.published, idleMs: idleSeconds * 1000, capMs: 60_000 })));
    const rssPeak = peak();
    const serverCpu = cpuSeconds(server.pid) - cpuBefore;
    const { user, system } = process.cpuUsage(publisherBefore);
    const publisherCpu = (user + system) / 1e6;
    const clientCpu = (await Promise.all(clients.map((c) => c.ask('cpu', {})))).reduce((total, after, i) => total + after - clientCpuBefore[i], 0);
    const latencies = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
    const sum = (key) => results.reduce((total, r) => total + r[key], 0);
    return {
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: latencies.at(-1),
      samples: latencies.length,
      lost: sum('lost'),
      outOfOrder: sum('outOfOrder'),
      duplicates: sum('duplicates'),
      closed: sum('closed'),
      publishFailed: pub.failed,
      publishError: pub.firstError,
      published: pub.published.length,
      achievedRate: pub.achievedRate,
      sent: pub.sent,
      planned: pub.planned,
      serverCpu,
      clientCpu,
      publisherCpu,
      rssIdle,
      rssPeak,
    };
  } finally {
    await Promise.all(clients.map((c) => c.ask('close', {}).catch(() => undefined)));
    await Promise.all(clients.map((c) => c.stop()));
  }
}
