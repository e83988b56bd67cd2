import { setFlagsFromString } from 'node:v8';

/**
 * V8's young generation during start-up (docs/adr/0018-write-path.md, "Idle memory").
 *
 * Loading the modules and opening the store allocate fast enough that V8 grows both semi-spaces to
 * their 16 MB maximum, and an idle server never gives them back (about 30 MB of the idle RSS).
 * `--semi-space-growth-factor` is read each time V8 considers growing the young generation, so
 * setting it to 1 while the application starts keeps the semi-spaces at their initial size, and
 * setting it back to V8's default (2) once the server is ready lets them grow under load exactly
 * as before. No launch flag is needed; an operator's own semi-space flags are left alone.
 */
const DEFAULT_GROWTH_FACTOR = 2;

function operatorSetsSemiSpace(): boolean {
  return [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((arg) => /semi[-_]space/.test(arg));
}

let held = false;

/** Keeps the young generation at its initial size until `releaseYoungGeneration`. */
export function holdYoungGeneration(): void {
  if (held || operatorSetsSemiSpace()) return;
  setFlagsFromString('--semi-space-growth-factor=1');
  held = true;
}

/** Lets the young generation grow again (V8's default growth), once start-up is over. */
export function releaseYoungGeneration(): void {
  if (!held) return;
  setFlagsFromString(`--semi-space-growth-factor=${DEFAULT_GROWTH_FACTOR}`);
  held = false;
}

// Held from the moment this module is loaded (app.factory.ts imports it first).
holdYoungGeneration();
