/** What a command may touch: injected so tests run commands in process. */
export interface Output {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface Io {
  stdout: Output;
  stderr: Output;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  env: NodeJS.ProcessEnv;
}

export function processIo(): Io {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
}

/** Exit codes scripts can rely on (docs/cli.md). */
export const EXIT = {
  ok: 0,
  /** Failures found where the command was asked to look for them (compare, tree --failed-only, submit --fail-on-failures). */
  failures: 1,
  /** Bad usage or a malformed input file. */
  usage: 2,
  /** The server refused, or could not be reached. */
  server: 3,
} as const;

/** An error the command line reports in one line and exits with `code`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly code: number = EXIT.usage,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
