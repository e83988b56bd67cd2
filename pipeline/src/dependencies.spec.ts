/**
 * The dependency check of SDK spec B1.1: besides the SDK, only Node built-ins and one YAML parser;
 * the SDK is imported by package name and only by maestro.ts (the one door to the API); no service
 * sends HTTP except runtime-shell's download of the source archive from storage.
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

describe('pipeline dependencies (B1.1)', () => {
  it('declares only the SDK and one YAML parser', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies?: object };
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['@maestro-ci/sdk', 'yaml']);
    expect(pkg.devDependencies).toBeUndefined();
  });

  it('imports only node built-ins, its own modules, yaml, and the SDK from maestro.ts', () => {
    const offenders: string[] = [];
    for (const file of sources(join(root, 'src'))) {
      const text = readFileSync(file, 'utf8');
      for (const [, spec] of text.matchAll(/(?:from|import\()\s*'([^']+)'/g)) {
        const name = relative(root, file);
        const allowed = spec!.startsWith('node:') || spec!.startsWith('.') || spec === 'yaml' || (spec === '@maestro-ci/sdk' && name === 'src/maestro.ts');
        if (!allowed) offenders.push(`${name}: ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('sends HTTP only from runtime-shell, to fetch the archive from storage', () => {
    const callers = sources(join(root, 'src'))
      .filter((file) => /\bfetch\(|node:http'|node:https'/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(root, file))
      .sort();
    expect(callers).toEqual(['src/services/runtime-shell.ts', 'src/services/storage.ts']);
    expect(readFileSync(join(root, 'src/services/storage.ts'), 'utf8')).not.toMatch(/\bfetch\(|request\(/);
  });
});
