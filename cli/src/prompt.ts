/** Reading a line, or a secret without echo, from the terminal or a pipe. */
import { CliError, EXIT, type Io } from './io';

/** One line from standard input (the whole input when it is a pipe without a newline). */
export function readLine(io: Io, prompt?: string): Promise<string> {
  if (prompt) io.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let buffer = '';
    const onData = (chunk: Buffer | string): void => {
      buffer += chunk.toString();
      const nl = buffer.indexOf('\n');
      if (nl >= 0) finish(buffer.slice(0, nl));
    };
    const onEnd = (): void => finish(buffer);
    const finish = (line: string): void => {
      io.stdin.off('data', onData);
      io.stdin.off('end', onEnd);
      io.stdin.off('error', reject);
      io.stdin.pause();
      resolve(line.replace(/\r$/, ''));
    };
    io.stdin.on('data', onData);
    io.stdin.on('end', onEnd);
    io.stdin.on('error', reject);
    io.stdin.resume();
  });
}

/** A secret typed on the terminal: raw mode, nothing echoed; Ctrl-C aborts. */
export function readSecret(io: Io, prompt: string): Promise<string> {
  const stdin = io.stdin;
  if (!stdin.isTTY || !stdin.setRawMode) return readLine(io, prompt);
  io.stderr.write(prompt);
  stdin.setRawMode(true);
  return new Promise((resolve, reject) => {
    let secret = '';
    const done = (): void => {
      stdin.setRawMode?.(false);
      stdin.off('data', onData);
      stdin.pause();
      io.stderr.write('\n');
    };
    const onData = (chunk: Buffer | string): void => {
      for (const ch of chunk.toString()) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          done();
          resolve(secret);
          return;
        }
        if (ch === '\u0003') {
          done();
          reject(new CliError('interrupted', EXIT.usage));
          return;
        }
        if (ch === '\u007f' || ch === '\b') secret = secret.slice(0, -1);
        else secret += ch;
      }
    };
    stdin.on('data', onData);
    stdin.resume();
  });
}
