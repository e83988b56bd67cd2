/**
 * The dependency check: besides the SDK, only Node built-ins, one YAML parser, and two libraries
 * each confined to the one service that needs it (nodemailer in email, fastify in pipeline-api;
 * docs/adr/0008-pipeline-mail-and-http-libraries.md); the SDK is imported by package name and only by
 * maestro.ts (the one door to the API); HTTP is sent only where the files it fetches live.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '..');
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'testing' ? [] : sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') ? [path] : [];
  });

describe('pipeline dependencies', () => {
  it('declares only the SDK, one YAML parser, nodemailer and fastify', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies?: object };
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['@maestro-ci/sdk', 'fastify', 'nodemailer', 'yaml']);
    expect(pkg.devDependencies).toBeUndefined();
  });

  it('imports only node built-ins, its own modules, yaml, the SDK from maestro.ts, and each library from its service', () => {
    const offenders: string[] = [];
    for (const file of sources(join(root, 'src'))) {
      const text = readFileSync(file, 'utf8');
      for (const [, spec] of text.matchAll(/(?:(?:^|\s)from\s+|import\()'([^']+)'/gm)) {
        const name = relative(root, file);
        const allowed =
          spec!.startsWith('node:') ||
          spec!.startsWith('.') ||
          spec === 'yaml' ||
          (spec === '@maestro-ci/sdk' && name === 'src/maestro.ts') ||
          (spec === 'nodemailer' && name === 'src/services/email.ts') ||
          (spec === 'fastify' && name === 'src/services/pipeline-api.ts');
        if (!allowed) offenders.push(`${name}: ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('sends HTTP only to fetch archives (runtime-shell) and patches (tarball, pipeline-api)', () => {
    const callers = sources(join(root, 'src'))
      .filter((file) => /\bfetch\(|node:http'|node:https'/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(root, file))
      .sort();
    expect(callers).toEqual(['src/services/pipeline-api.ts', 'src/services/runtime-shell.ts', 'src/services/storage.ts', 'src/services/tarball.ts']);
    expect(readFileSync(join(root, 'src/services/storage.ts'), 'utf8')).not.toMatch(/\bfetch\(|request\(/);
  });
});
