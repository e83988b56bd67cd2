/**
 * Selection of the MongoDB adapter by DATABASE_URL / MONGO_SERVICE (docs/configuration.md) and its start-up
 * failure: with no reachable server, the built API exits within seconds with one clear line and
 * never hangs (issue #7). No MongoDB server is needed: the URLs point at a closed port.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const main = resolve(__dirname, '../../api/dist/main.js');

interface Exit {
  code: number | null;
  stderr: string;
  /** From Nest's first log line (the application starts building) to the exit, in seconds. */
  seconds: number;
}

/**
 * Starts the built API and waits for its exit (killed after 25 s: a hang fails the test). Timed from
 * its first log line, so the time Node needs to load the code on a busy machine is not counted.
 */
function startApi(env: Record<string, string>): Promise<Exit> {
  const child = spawn(process.execPath, [main], {
    env: { PATH: process.env.PATH ?? '', SECRET_KEY: 'e2e-secret', LOG_LEVEL: 'info', PORT: '0', LIFECYCLE_ENABLED: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let started: number | undefined;
  child.stdout.on('data', () => (started ??= Date.now()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const guard = setTimeout(() => child.kill('SIGKILL'), 25_000);
  return new Promise((done) => {
    child.on('exit', (code) => {
      clearTimeout(guard);
      const exited = Date.now();
      done({ code, stderr, seconds: (exited - (started ?? exited)) / 1000 });
    });
  });
}

describe('MongoDB adapter selection and start-up failure', () => {
  it('DATABASE_URL=mongodb://… with no server: exit 1 with a clear message within seconds, password hidden', async () => {
    const [plain, withPassword, fromMongoService, malformed] = await Promise.all([
      startApi({ DATABASE_URL: 'mongodb://127.0.0.1:1/kernelci' }),
      startApi({ DATABASE_URL: 'mongodb://maestro:s3cret-pw@127.0.0.1:1/?authSource=admin', MONGO_DATABASE: 'ci' }),
      startApi({ MONGO_SERVICE: 'mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=1000' }),
      startApi({ DATABASE_URL: 'mongodb://maestro:pw@/' }),
    ]);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain("maestro: failed to start: cannot reach MongoDB at mongodb://127.0.0.1:1/kernelci (database 'kernelci') within 5 s:");
    // 5 s of server selection, plus the rest of start-up on a possibly busy machine.
    expect(plain.seconds).toBeGreaterThanOrEqual(4.5);
    expect(plain.seconds).toBeLessThan(12);

    expect(withPassword.code).toBe(1);
    expect(withPassword.stderr).toContain("cannot reach MongoDB at mongodb://maestro:***@127.0.0.1:1/?authSource=admin (database 'ci')");
    expect(withPassword.stderr).not.toContain('s3cret-pw');

    // KernelCI's variable selects the adapter too; a timeout in the URL wins over the default.
    expect(fromMongoService.code).toBe(1);
    expect(fromMongoService.stderr).toContain("cannot reach MongoDB at mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=1000 (database 'kernelci'):");
    expect(fromMongoService.seconds).toBeLessThan(plain.seconds - 2);

    // A URL the driver cannot parse fails at once, with the driver's reason.
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toContain("maestro: failed to start: cannot reach MongoDB at mongodb://maestro:***@/ (database 'kernelci'): Protocol and host list are required");
    expect(malformed.seconds).toBeLessThan(plain.seconds - 2);
  }, 40_000);
});
