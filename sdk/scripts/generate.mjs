// `npm run generate:sdk`: turns the committed openapi/openapi.json into sdk/src/generated/ (types
// only, no runtime) with openapi-typescript. The output is committed and checked for drift in CI.
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
console.log(`generated sdk/src/generated from openapi/openapi.json (API ${spec.info.version})`);
