/**
 * The lifecycle rules of docs/nodes.md#lifecycle, applied by the API every
 * LIFECYCLE_INTERVAL_SECONDS unless LIFECYCLE_ENABLED is false: timeout, then holdoff, then closing.
 *
 * Each rule is one set-based statement per bounded batch (selection through the `state`+`timeout`,
 * `state`+`holdoff` and `parent`+`state` indexes, descendants through a recursive CTE), run in a
 * transaction with the `updated` events of the nodes it changed. Rows are locked with
 * `FOR UPDATE SKIP LOCKED` and written only if state and `updated` are as selected, so several
 * replicas can run the worker at once and every transition happens, and is announced, once.
 */
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { JobRunner } from '../common/jobs/job-runner';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { NODE_EVENT_PUBLISHER, type NodeEventPublisher } from '../events/node-events.port';
import { STORAGE, type NodeTransition, type Repositories, type Storage } from '../storage/ports';

/** Nodes per statement: bounds transaction size and lock time. */
export const LIFECYCLE_BATCH = 500;

type Rule = (tx: Repositories, now: Date) => Promise<NodeTransition[]>;

@Injectable()
export class LifecycleService implements OnModuleInit {
  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(NODE_EVENT_PUBLISHER) private readonly events: NodeEventPublisher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jobs: JobRunner,
  ) {}

  /** Every replica runs the rules (no lease): the statements themselves make each transition once. */
  onModuleInit(): void {
    this.jobs.register({
      name: 'lifecycle',
      enabled: this.config.lifecycleEnabled,
      everyMs: this.config.lifecycleIntervalSeconds * 1000,
      run: async () => {
        const changed = await this.runOnce();
        return changed > 0 ? `${changed} node(s) changed state` : undefined;
      },
    });
  }

  /** One pass of the three rules, in the contract's order; returns how many nodes changed. */
  async runOnce(now = new Date()): Promise<number> {
    const batch = Math.min(LIFECYCLE_BATCH, this.storage.lifecycleBatch ?? LIFECYCLE_BATCH);
    const rules: Rule[] = [
      (tx, at) => tx.nodes.applyTimeouts(at, batch),
      (tx, at) => tx.nodes.applyHoldoffs(at, batch),
      (tx, at) => tx.nodes.closeFinished(at, batch),
    ];
    let changed = 0;
    for (const rule of rules) changed += await this.drain(rule, now, batch);
    return changed;
  }

  /** Applies one rule batch after batch until a batch comes back short. */
  private async drain(rule: Rule, now: Date, batch: number): Promise<number> {
    let total = 0;
    for (;;) {
      const count = await this.storage.transaction(async (tx) => {
        const transitions = await rule(tx, now);
        for (const { node, previous } of transitions) {
          await this.events.nodeChanged(tx, { op: 'updated', node, previous });
        }
        return transitions.length;
      });
      total += count;
      if (count < batch) return total;
    }
  }
}
