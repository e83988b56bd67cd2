/**
 * The reference pipeline end to end (SDK spec B8): a fresh API, the six services as child
 * processes, a toy repository with two commits, and every assertion of docs/pipeline.md#tests including the
 * level-trigger trap (docs/pipeline.md#tests). Needs only node, git, bash, tar and gzip.
 */
import { serviceLogTails, startPipeline, type PipelineRun } from './support/pipeline-harness';
import { assertScenario, runScenario } from './support/pipeline-scenario';

const BUDGET_MS = 180_000;

describe('reference pipeline end to end', () => {
  let run: PipelineRun;
  beforeAll(async () => {
    run = await startPipeline();
  }, 60_000);
  afterAll(async () => {
    await run?.cleanup();
  }, 30_000);

  it(
    'takes two commits from checkout to report, once each, and shuts down cleanly',
    async () => {
      try {
        const result = await runScenario(run, BUDGET_MS);
        await assertScenario(run, result);
        // 8. Shutdown: every service exits 0 within 10 s of SIGTERM.
        const stopped = await run.stop();
        for (const [name, { code, ms }] of stopped) expect([name, code, ms < 10_000]).toEqual([name, 0, true]);
      } catch (err) {
        // The services' own words are the quickest diagnosis of a stuck or failing run.
        (err as Error).message += `\n${serviceLogTails(run)}`;
        throw err;
      }
    },
    BUDGET_MS + 60_000,
  );
});
