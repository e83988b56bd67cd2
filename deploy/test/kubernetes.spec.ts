/**
 * deploy/kubernetes/: the base and both overlays render with `kubectl kustomize`, and every object
 * they render is valid against the Kubernetes API schemas shipped in the kubernetes-models package
 * (types, required fields, enums; like kubeconform without --strict, unknown fields are not
 * refused). Nothing is downloaded. Then the parts that must agree are checked together.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { readCompose } from '../../test/src/support/compose';

const KUSTOMIZE_DIR = resolve(__dirname, '../kubernetes');
const TARGETS = ['base', 'overlays/staging', 'overlays/early-access'] as const;
const KINDS = ['ConfigMap', 'Deployment', 'HorizontalPodAutoscaler', 'Ingress', 'Job', 'NetworkPolicy', 'PodDisruptionBudget', 'Service'];

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered manifests are walked as plain JSON */
type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> }; [key: string]: any };

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
const missing = kubectl.error || kubectl.status !== 0 ? 'kubectl is not installed (apt-get install kubectl; .ci/run installs it)' : undefined;

function render(target: string): K8sObject[] {
  // stderr piped: newer kustomize notes that the (deliberately old-style) fields are deprecated.
  const text = execFileSync('kubectl', ['kustomize', resolve(KUSTOMIZE_DIR, target)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return parseAllDocuments(text).map((doc) => doc.toJS() as K8sObject);
}

/** The kubernetes-models class of an object: `apps/v1` + `Deployment` → kubernetes-models/apps/v1/Deployment. */
function modelOf(object: K8sObject): { validate(): void } {
  const path = `kubernetes-models/${object.apiVersion}/${object.kind}`;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require(path) as Record<string, new (data: unknown) => { validate(): void }>;
  const Model = module[object.kind];
  if (!Model) throw new Error(`no schema for ${object.apiVersion} ${object.kind}`);
  return new Model(object);
}

function one(objects: K8sObject[], kind: string, component?: string): K8sObject {
  const found = objects.filter((o) => o.kind === kind && (!component || o.metadata.labels?.['app.kubernetes.io/component'] === component));
  expect(found).toHaveLength(1);
  return found[0];
}

const matches = (selector: Record<string, string>, labels: Record<string, string>): boolean =>
  Object.entries(selector).every(([key, value]) => labels[key] === value);

if (missing && !process.env.CI) {
  describe('Kubernetes manifests', () => {
    it.skip(`skipped: ${missing}`, () => undefined);
  });
  process.stdout.write(`Kubernetes manifest tests skipped: ${missing}\n`);
} else {
  describe('Kubernetes manifests', () => {
    const rendered = Object.fromEntries(TARGETS.map((target) => [target, render(target)])) as Record<(typeof TARGETS)[number], K8sObject[]>;

    it.each(TARGETS)('%s renders every object kind, each valid against its Kubernetes schema', (target) => {
      const objects = rendered[target];
      expect([...new Set(objects.map((o) => o.kind))].sort()).toEqual(KINDS);
      for (const object of objects) {
        expect(() => modelOf(object).validate()).not.toThrow();
      }
    });

    it('refuses an invalid object (the schemas are really checked)', () => {
      const deployment = structuredClone(one(rendered.base, 'Deployment'));
      deployment.spec.replicas = 'two';
      deployment.spec.template.spec.containers[0].readinessProbe.periodSeconds = '5s';
      expect(() => modelOf(deployment).validate()).toThrow(/spec\/replicas must be integer/);
      expect(() => modelOf({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' }, spec: { ports: [{ port: 'eighty' }] } }).validate()).toThrow(/port/);
    });

    it.each(TARGETS)('%s: probes, selectors and references agree', (target) => {
      const objects = rendered[target];
      const deployment = one(objects, 'Deployment');
      const job = one(objects, 'Job');
      const podLabels = deployment.spec.template.metadata.labels;
      const container = deployment.spec.template.spec.containers[0];
      expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
      expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
      expect(container.ports).toEqual([{ name: 'http', containerPort: 8001 }]);
      expect(container.resources.requests).toBeDefined();
      // Same command as the compose replicas; the Job runs the migration entry point of `npm run migrate`.
      expect(container.command).toEqual(readCompose('compose.yaml').services['api-1'].command);
      expect(job.spec.template.spec.containers[0].command).toEqual(['node', 'api/dist/bin/migrate.js']);
      expect(job.spec.template.spec.containers[0].image).toBe(container.image);

      const configMap = one(objects, 'ConfigMap');
      for (const spec of [deployment.spec.template.spec, job.spec.template.spec]) {
        expect(spec.containers[0].envFrom).toEqual([{ configMapRef: { name: configMap.metadata.name } }, { secretRef: { name: 'maestro-secrets' } }]);
      }
      expect(configMap.data.MIGRATE_ON_START).toBe('false');

      expect(matches(one(objects, 'Service').spec.selector, podLabels)).toBe(true);
      expect(matches(one(objects, 'PodDisruptionBudget').spec.selector.matchLabels, podLabels)).toBe(true);
      expect(matches(one(objects, 'NetworkPolicy').spec.podSelector.matchLabels, podLabels)).toBe(true);
      // The migration Job's pod is not an API pod: not counted by the PDB, not behind the Service.
      expect(matches(one(objects, 'Service').spec.selector, job.spec.template.metadata.labels)).toBe(false);
      expect(one(objects, 'HorizontalPodAutoscaler').spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name });
      const ingress = one(objects, 'Ingress');
      expect(ingress.spec.rules[0].http.paths[0].backend.service).toEqual({ name: one(objects, 'Service').metadata.name, port: { name: 'http' } });
      expect(ingress.metadata.annotations?.['nginx.ingress.kubernetes.io/proxy-read-timeout']).toBe('3600');
    });

    it('documents every setting the ConfigMaps set (docs/configuration.md)', () => {
      const documented = readFileSync(resolve(__dirname, '../../docs/configuration.md'), 'utf8');
      for (const target of TARGETS) {
        for (const key of Object.keys(one(rendered[target], 'ConfigMap').data)) expect({ key, documented: documented.includes(`\`${key}\``) }).toEqual({ key, documented: true });
      }
    });

    it('gives staging and early-access separate namespaces, secrets, hosts, replicas and log levels', () => {
      const staging = rendered['overlays/staging'];
      const early = rendered['overlays/early-access'];
      const namespaces = (objects: K8sObject[]) => [...new Set(objects.map((o) => o.metadata.namespace))];
      expect(namespaces(staging)).toEqual(['maestro-staging']);
      expect(namespaces(early)).toEqual(['maestro-early-access']);
      expect(one(staging, 'Ingress').spec.rules[0].host).toBe('staging.maestro.example.org');
      expect(one(early, 'Ingress').spec.rules[0].host).toBe('early-access.maestro.example.org');
      expect(one(staging, 'Ingress').spec.tls[0].hosts).toEqual(['staging.maestro.example.org']);
      expect(one(staging, 'ConfigMap').data).toMatchObject({ LOG_LEVEL: 'debug', PUBLIC_BASE_URL: 'https://staging.maestro.example.org' });
      expect(one(early, 'ConfigMap').data).toMatchObject({ LOG_LEVEL: 'info', PUBLIC_BASE_URL: 'https://early-access.maestro.example.org' });
      expect(one(staging, 'HorizontalPodAutoscaler').spec).toMatchObject({ minReplicas: 2, maxReplicas: 3 });
      expect(one(early, 'HorizontalPodAutoscaler').spec).toMatchObject({ minReplicas: 3, maxReplicas: 10 });
      expect(one(early, 'PodDisruptionBudget').spec.minAvailable).toBe(2);
      expect(one(staging, 'Deployment').spec.template.spec.containers[0].image).toBe('ghcr.io/maestro-ci/maestro:main');
      expect(one(early, 'Deployment').spec.template.spec.containers[0].image).toBe('ghcr.io/maestro-ci/maestro:0.1.0');
      expect(one(staging, 'Deployment').spec.selector.matchLabels['app.kubernetes.io/instance']).toBe('staging');
      expect(one(early, 'Deployment').spec.selector.matchLabels['app.kubernetes.io/instance']).toBe('early-access');
    });
  });
}
