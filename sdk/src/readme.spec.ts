/**
 * Every TypeScript example of sdk/README.md compiles against the SDK's sources: the code blocks are
 * extracted, written as modules that import `@maestro-ci/sdk`, and type-checked with the
 * TypeScript compiler. An example that stops compiling (a renamed method, a wrong field, a
 * misspelt kind) fails here, naming the block and the error.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as ts from 'typescript';

const sdkRoot = resolve(__dirname, '..');
const repoRoot = resolve(sdkRoot, '..');
const readme = readFileSync(join(sdkRoot, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);

function diagnosticsOf(files: string[]): Map<string, string[]> {
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
    types: ['node'],
    typeRoots: [join(repoRoot, 'node_modules/@types')],
    skipLibCheck: true,
    paths: {
      '@maestro-ci/sdk': [join(sdkRoot, 'src/index.ts')],
      // As package.json's exports: `./testing` is published from `src/fake/`.
      '@maestro-ci/sdk/testing': [join(sdkRoot, 'src/fake/index.ts')],
      '@maestro-ci/sdk/*': [join(sdkRoot, 'src/*')],
    },
  });
  const out = new Map<string, string[]>(files.map((f) => [f, []]));
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const file = d.file?.fileName ?? '';
    const where = d.file && d.start !== undefined ? `line ${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ` : '';
    const text = `${where}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    const list = out.get(resolve(file)) ?? out.get(file);
    if (list) list.push(text);
    else out.set(file || '(global)', [...(out.get(file || '(global)') ?? []), text]);
  }
  return out;
}

describe('sdk/README.md examples', () => {
  let dir: string;
  let files: string[];
  let broken: string;
  let diagnostics: Map<string, string[]>;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sdk-readme-'));
    files = blocks.map((code, i) => {
      const file = join(dir, `example-${i + 1}.ts`);
      writeFileSync(file, code);
      return file;
    });
    // A deliberately broken example, checked in the same program, proves the check can fail.
    broken = join(dir, 'broken.ts');
    writeFileSync(broken, 'import { createClient } from "@maestro-ci/sdk";\nconst m = createClient({ baseUrl: "x" });\nawait m.nodes.create({ kind: "chekout", name: "c", path: ["c"] });\n');
    diagnostics = diagnosticsOf([...files, broken]);
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('has the lab examples: a token, a checkout with a child job, subscribing before writing', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(6);
    expect(readme).toContain('tokens.login');
    expect(readme).toContain('tokens.create');
    expect(readme).toContain('createChild');
    expect(readme).toContain('await sub.whenSubscribed()');
  });

  it('compiles every example', () => {
    const failures = [...diagnostics].filter(([file, list]) => file !== broken && list.length > 0).map(([file, list]) => `${file}:\n  ${list.join('\n  ')}`);
    expect(failures).toEqual([]);
  });

  it('would catch a broken example', () => {
    expect((diagnostics.get(broken) ?? []).join('\n')).toMatch(/chekout/);
  });
});
