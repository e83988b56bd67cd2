/** Test helper: an in-memory Io for running commands in process. */
import { PassThrough } from 'node:stream';
import type { Io } from './io';

export interface MemoryIo extends Io {
  out(): string;
  err(): string;
}

export function memoryIo(env: NodeJS.ProcessEnv = {}, input?: string): MemoryIo {
  let out = '';
  let err = '';
  const stdin = new PassThrough();
  if (input !== undefined) stdin.end(input);
  return {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s), isTTY: false },
    stdin,
    env: { NO_COLOR: '1', ...env },
    out: () => out,
    err: () => err,
  };
}
