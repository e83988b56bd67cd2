/**
 * Crash points for the fault-injection test (docs/pipeline.md). `PIPELINE_CRASH_AT` lists `<service>:<point>`
 * names; a service SIGKILLs itself the first time it reaches a listed point. A marker file in
 * `PIPELINE_CRASH_DIR` makes each point fire once across restarts. With the variable unset every
 * point is inert.
 */
import { closeSync, mkdirSync, openSync, writeSync, fsyncSync } from 'node:fs';
import { join } from 'node:path';

/** The points docs/pipeline.md requires and those of the later services, so a typo in a service is a type error rather than a dead point. */
export const CRASH_POINTS = [
  'trigger:after-create',
  'tarball:after-archive-before-update',
  'scheduler:before-create',
  'scheduler:after-create-before-ack',
  'runtime-shell:after-command-before-submit',
  'runtime-shell:after-submit-before-ack',
  'report:after-write-before-ack',
  'regression-tracker:after-create-before-ack',
  'job-retry:after-create-before-ack',
  'email:after-send-before-record',
] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];

export interface CrashEnv {
  PIPELINE_CRASH_AT?: string;
  PIPELINE_CRASH_DIR?: string;
}

export type CrashFn = (point: CrashPoint) => void;

/**
 * Builds the crash function of one process. `kill` is injectable for tests; by default it is a
 * SIGKILL of the process itself, which no handler can intercept (the point is to lose in-flight
 * state exactly as a power cut would).
 */
export function crashPoints(env: CrashEnv, kill: () => void = () => process.kill(process.pid, 'SIGKILL')): CrashFn {
  const armed = new Set((env.PIPELINE_CRASH_AT ?? '').split(',').map((s) => s.trim()).filter(Boolean));
  if (armed.size === 0) return () => undefined;
  const dir = env.PIPELINE_CRASH_DIR;
  const firedHere = new Set<string>();
  return (point) => {
    if (!armed.has(point) || firedHere.has(point)) return;
    firedHere.add(point);
    if (dir) {
      mkdirSync(dir, { recursive: true });
      let fd: number;
      try {
        // 'wx' fails when the marker exists: the point already fired in an earlier life.
        fd = openSync(join(dir, crashMarkerName(point)), 'wx');
      } catch {
        return;
      }
      writeSync(fd, `${process.pid} ${new Date().toISOString()}\n`);
      fsyncSync(fd);
      closeSync(fd);
    }
    kill();
  };
}

/** The marker file name of a point inside `PIPELINE_CRASH_DIR`. */
export function crashMarkerName(point: CrashPoint): string {
  return point.replace(':', '__');
}
