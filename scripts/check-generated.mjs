// Fails when the committed OpenAPI document or the SDK's generated types differ from what the code
// produces now (run by `npm run check:generated`, after regenerating both).
import { execFileSync } from 'node:child_process';

const paths = ['openapi/openapi.json', 'sdk/src/generated'];
try {
  execFileSync('git', ['diff', '--exit-code', '--stat', '--', ...paths], { stdio: 'inherit' });
  const untracked = execFileSync('git', ['ls-files', '--others', '--exclude-standard', '--', ...paths]).toString().trim();
  if (untracked) throw new Error(`untracked generated files:\n${untracked}`);
  console.log('check:generated: openapi/openapi.json and sdk/src/generated are up to date');
} catch (error) {
  console.error(
    '\ncheck:generated: the committed API contract is out of date.\n' +
      'Run `npm run check:generated` locally (it rebuilds the API, rewrites openapi/openapi.json and\n' +
      'sdk/src/generated) and commit the result.' +
      (error instanceof Error && error.message.startsWith('untracked') ? `\n${error.message}` : ''),
  );
  process.exit(1);
}
