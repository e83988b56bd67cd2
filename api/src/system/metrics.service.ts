import { Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';

/**
 * Per-process counters in Prometheus text format (docs/api-conventions.md#root-documentation-and-metrics): every sample carries
 * `instance="api"`, so lines read `http_requests_total{instance="api"} 12345`.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({ name: 'http_requests_total', help: 'HTTP requests served', registers: [this.registry] });

  constructor() {
    this.registry.setDefaultLabels({ instance: 'api' });
  }

  /** A counter other modules increment (nodes_purged, subscriptions_cleaned, …). */
  counter(name: string, help: string): Counter {
    const existing = this.registry.getSingleMetric(name);
    return (existing as Counter | undefined) ?? new Counter({ name, help, registers: [this.registry] });
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
