import { PassThrough } from 'node:stream';
import { readLine, readSecret } from './prompt';
import { memoryIo } from './testing';

function terminal(): { io: ReturnType<typeof memoryIo>; stdin: PassThrough; raw: boolean[] } {
  const io = memoryIo();
  const stdin = new PassThrough() as PassThrough & { isTTY?: boolean; setRawMode?: (r: boolean) => void };
  const raw: boolean[] = [];
  stdin.isTTY = true;
  stdin.setRawMode = (r: boolean) => void raw.push(r);
  io.stdin = stdin;
  return { io, stdin, raw };
}

describe('prompts', () => {
  it('reads a secret in raw mode without echoing it, with backspace', async () => {
    const { io, stdin, raw } = terminal();
    const secret = readSecret(io, 'Password: ');
    stdin.write('s3cr');
    stdin.write('\u007fret\r');
    await expect(secret).resolves.toBe('s3cret');
    expect(raw).toEqual([true, false]);
    expect(io.err()).toBe('Password: \n');
    expect(io.out()).toBe('');
  });

  it('aborts on Ctrl-C and leaves raw mode', async () => {
    const { io, stdin, raw } = terminal();
    const secret = readSecret(io, 'Password: ');
    stdin.write('abc\u0003');
    await expect(secret).rejects.toThrow('interrupted');
    expect(raw).toEqual([true, false]);
  });

  it('reads the first line of a pipe, or all of it without a newline', async () => {
    await expect(readLine(memoryIo({}, 'first\nsecond\n'))).resolves.toBe('first');
    await expect(readLine(memoryIo({}, 'only'))).resolves.toBe('only');
  });
});
