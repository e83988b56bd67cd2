import { Inject, Injectable } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { formatWireDatetime } from '../common/datetime';
import type { PageParams } from '../common/query/pagination';
import { STORAGE, type Storage, type TelemetryEventRecord, type TelemetryFilter, type TelemetryGroupField, type TelemetryStatsRow } from '../storage/ports';
import { MetricsService } from '../system/metrics.service';
import type { ErrorAnomalyDto, ResultAnomalyDto, TelemetryAnomaliesDto, TelemetryEventDto, TelemetryPageDto } from './dto/telemetry.dto';
import type { AnomaliesQuery } from './telemetry-input';

/** The wire form of a stored event, in KernelCI's key order. */
export function toTelemetryDto(e: TelemetryEventRecord): TelemetryEventDto {
  return {
    id: e.id, ts: formatWireDatetime(e.ts), kind: e.kind, runtime: e.runtime, device_type: e.device_type, device_id: e.device_id,
    job_name: e.job_name, test_name: e.test_name, job_id: e.job_id, node_id: e.node_id, tree: e.tree, branch: e.branch, arch: e.arch,
    result: e.result, is_infra_error: e.is_infra_error, error_type: e.error_type, error_msg: e.error_msg, retry: e.retry, extra: e.extra,
  };
}

/** Telemetry: bulk insert, queries, stats and anomalies (docs/telemetry.md). */
@Injectable()
export class TelemetryService {
  private readonly inserted: Counter;

  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    metrics: MetricsService,
  ) {
    this.inserted = metrics.counter('telemetry_events_inserted', 'Telemetry events stored by POST /telemetry');
  }

  async insert(events: TelemetryEventRecord[]): Promise<number> {
    const count = await this.storage.telemetry.insertMany(events);
    this.inserted.inc(count);
    return count;
  }

  async find(filter: TelemetryFilter, page: PageParams): Promise<TelemetryPageDto> {
    const { items, total } = await this.storage.telemetry.find(filter, page);
    return { items: items.map(toTelemetryDto), total, limit: page.limit, offset: page.offset };
  }

  async stats(groupBy: TelemetryGroupField[], filter: TelemetryFilter): Promise<TelemetryStatsRow[]> {
    const rows = await this.storage.telemetry.stats(groupBy, filter);
    // Group keys in the order asked, then the counters.
    return rows.map((row) => {
      const ordered: Record<string, unknown> = {};
      for (const field of groupBy) ordered[field] = row[field] ?? null;
      for (const counter of ['total', 'pass', 'fail', 'incomplete', 'skip', 'infra_error'] as const) ordered[counter] = Number(row[counter]);
      return ordered as unknown as TelemetryStatsRow;
    });
  }

  async anomalies(query: AnomaliesQuery, now = new Date()): Promise<TelemetryAnomaliesDto> {
    const since = new Date(now.getTime() - query.hours * 3600_000);
    const [groups, errors] = await Promise.all([
      this.storage.telemetry.resultGroups({ since, scope: query.scope, threshold: query.threshold, minTotal: query.minTotal }),
      this.storage.telemetry.errorCounts(since),
    ]);
    const resultAnomalies = groups.map((group): ResultAnomalyDto => {
      const failures = group.fail + group.incomplete;
      return {
        runtime: group.runtime,
        lab: group.runtime,
        device_type: group.device_type,
        ...(query.scope === 'device' ? { device_id: group.device_id ?? null } : {}),
        total: group.total,
        pass: group.pass,
        fail: group.fail,
        incomplete: group.incomplete,
        skip: group.skip,
        infra_error: group.infra_error,
        infra_rate: group.infra_error / group.total,
        fail_rate: failures / group.total,
        constant_failure: failures === group.total,
        constant_infra_failure: group.infra_error === group.total,
        last_seen: formatWireDatetime(group.last_seen),
        latest_error_type: group.latest_error_type,
        latest_error_msg: group.latest_error_msg,
      };
    });
    const errorAnomalies: ErrorAnomalyDto[] = errors.map((row) => ({ runtime: row.runtime, error_type: row.error_type, count: Number(row.count) }));
    return {
      window: query.window,
      threshold: query.threshold,
      min_total: query.minTotal,
      scope: query.scope,
      since: formatWireDatetime(since),
      result_anomalies: resultAnomalies,
      error_anomalies: errorAnomalies,
    };
  }
}
