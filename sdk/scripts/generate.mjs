// `npm run generate:sdk`: turns the committed openapi/openapi.json into sdk/src/generated/: the wire
// types (schema.ts, with openapi-typescript) and the constants of the node definitions
// (definitions.ts: kinds, states, results, error codes and the state machine, read from the named
// schemas the API publishes). The output is committed and checked for drift in CI.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

const here = dirname(fileURLToPath(import.meta.url));
const specPath = resolve(here, '../../openapi/openapi.json');
const outDir = resolve(here, '../src/generated');
const BANNER = [
  '/**',
  ' * GENERATED FILE: DO NOT EDIT.',
  ' * Produced by `npm run generate:sdk` from openapi/openapi.json with openapi-typescript.',
  ' * Change the API (api/src) and regenerate instead.',
  ' */',
  '',
].join('\n');

const spec = JSON.parse(readFileSync(specPath, 'utf8'));
const ast = await openapiTS(spec, { alphabetize: true, exportType: false });
mkdirSync(outDir, { recursive: true });
writeFileSync(resolve(outDir, 'schema.ts'), BANNER + astToString(ast));
writeFileSync(
  resolve(outDir, 'version.ts'),
  `${BANNER}\n/** The \`info.version\` of the openapi.json this SDK was generated from. */\nexport const API_VERSION = ${JSON.stringify(spec.info.version)};\n`,
);
const schemas = spec.components?.schemas ?? {};
function enumOf(name) {
  const values = schemas[name]?.enum;
  if (!Array.isArray(values) || values.length === 0) throw new Error(`openapi.json: schema ${name} has no enum; the API publishes it from api/src/nodes/node-definitions.ts`);
  return values;
}
const states = enumOf('NodeState');
const transitions = schemas.NodeStateTransitions?.properties;
if (!transitions) throw new Error('openapi.json: schema NodeStateTransitions is missing');
const table = Object.fromEntries(states.map((s) => [s, transitions[s]?.items?.enum ?? []]));
const constant = (doc, name, value, type) => `/** ${doc} */\nexport const ${name} = ${JSON.stringify(value, null, 2).replace(/"/g, "'")} as const;\n${type ? `/** ${type[1]} */\nexport type ${type[0]} = (typeof ${name})[number];\n` : ''}`;
writeFileSync(
  resolve(outDir, 'definitions.ts'),
  [
    BANNER.replace('with openapi-typescript', "(its node-definition schemas)"),
    constant('Every node kind a write accepts (schema `NodeKind`).', 'NODE_KINDS', enumOf('NodeKind'), ['NodeKind', 'A node kind.']),
    constant('Node states in life-cycle order (schema `NodeState`).', 'NODE_STATES', states, ['NodeState', 'A node state.']),
    constant('Node results; a node without a result has `result: null` (schema `NodeResult`).', 'NODE_RESULTS', enumOf('NodeResult'), ['NodeResult', 'A node result.']),
    constant('`data.error_code` of kbuild, test, job and regression nodes (schema `ErrorCode`).', 'ERROR_CODES', enumOf('ErrorCode'), ['ErrorCode', 'A value of `data.error_code` on a non-checkout node.']),
    constant('`data.error_code` of checkout nodes (schema `CheckoutErrorCode`).', 'CHECKOUT_ERROR_CODES', enumOf('CheckoutErrorCode'), ['CheckoutErrorCode', 'A value of `data.error_code` on a checkout node.']),
    `/** The state machine (schema \`NodeStateTransitions\`): the moves allowed besides staying in the same state. */\nexport const STATE_TRANSITIONS: Readonly<Record<NodeState, readonly NodeState[]>> = ${JSON.stringify(table, null, 2).replace(/"/g, "'")};\n`,
  ].join('\n'),
);
console.log(`generated sdk/src/generated from openapi/openapi.json (API ${spec.info.version})`);
