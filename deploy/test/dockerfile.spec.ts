/**
 * The Dockerfile passes dockerfile-utils' linter (the validator of the VS Code Docker tooling:
 * instruction syntax, flags, durations, ports) and the image rules of docs/deployment.md. The
 * recipe's commands themselves run in CI: scripts/production-install-test.mjs. No image is built.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { readCompose } from '../../test/src/support/compose';

const ROOT = resolve(__dirname, '../..');
const text = readFileSync(resolve(ROOT, 'Dockerfile'), 'utf8');
const dockerfile = DockerfileParser.parse(text);

/** Instructions of the last stage (after its FROM). */
function runtimeStage() {
  const instructions = dockerfile.getInstructions();
  const lastFrom = instructions.map((i) => i.getKeyword()).lastIndexOf('FROM');
  return instructions.slice(lastFrom);
}

describe('Dockerfile', () => {
  it('has no lint problem', () => {
    expect(validate(text).map((d) => `line ${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
  });

  it('is seen by the linter when it is wrong (the linter really checks)', () => {
    const broken = text.replace('--interval=10s', '--interval=ten').replace('EXPOSE 8001', 'EXPOSE http');
    expect(validate(broken).map((d) => d.message).sort()).toEqual(['Invalid containerPort: http', 'time: invalid duration ten']);
  });

  it('builds in one stage and runs from a slim official Node.js LTS image in another', () => {
    const stages = dockerfile.getFROMs().map((from) => [from.getBuildStage(), from.getImage()]);
    // The manifests stage is the common start of the other two.
    expect(stages).toEqual([['manifests', '${NODE_IMAGE}'], ['build', 'manifests'], ['runtime', 'manifests']]);
    const base = dockerfile.getARGs().find((arg) => arg.getProperty()?.getName() === 'NODE_IMAGE')?.getProperty()?.getValue();
    // Even Node.js majors are the LTS lines; the official image is `node` on Docker Hub.
    expect(base).toMatch(/^node:(2[02468]|[3-9][02468])-[a-z]+-slim$/);
  });

  it('runs as a non-root user, in production mode, with a health check and the compose command', () => {
    const stage = runtimeStage();
    const keyword = (name: string) => stage.filter((i) => i.getKeyword() === name);
    expect(keyword('USER').map((i) => i.getArgumentsContent())).toEqual(['node']);
    const env = keyword('ENV').flatMap((i) => (i as unknown as { getProperties(): { getName(): string; getValue(): string }[] }).getProperties());
    expect(Object.fromEntries(env.map((p) => [p.getName(), p.getValue()]))).toMatchObject({ NODE_ENV: 'production', HOST: '0.0.0.0', PORT: '8001' });
    expect(keyword('HEALTHCHECK')[0].getArgumentsContent()).toContain('/healthz');
    expect(keyword('STOPSIGNAL').map((i) => i.getArgumentsContent())).toEqual(['SIGTERM']);
    // Exec form: node is PID 1 and receives SIGTERM itself (main.ts drains).
    expect(JSON.parse(keyword('CMD')[0].getArgumentsContent() ?? '')).toEqual(readCompose('compose.yaml').services['api-1'].command);
    // Production dependencies and built output only.
    expect(keyword('RUN').map((i) => i.getArgumentsContent())).toEqual(['npm ci --omit=dev --no-audit --no-fund']);
    expect(keyword('COPY').some((i) => i.getArgumentsContent() === '. .')).toBe(false);
  });

  it('copies every workspace manifest before installing (npm ci needs them all)', () => {
    const workspaces = (JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces;
    const copies = dockerfile.getInstructions().filter((i) => i.getKeyword() === 'COPY').map((i) => i.getArgumentsContent());
    for (const workspace of workspaces) expect(copies).toContain(`${workspace}/package.json ${workspace}/`);
  });

  it('keeps dependencies, builds, secrets and local data out of the build context', () => {
    const ignored = readFileSync(resolve(ROOT, '.dockerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['**/node_modules', '**/dist', '/.git', '/data', '**/.env']));
  });
});
