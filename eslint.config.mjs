// Lint: typescript-eslint's recommended rules, no focused tests, and the import directions of
// docs/architecture.md (api/ never imports sdk/; only storage adapters import database drivers;
// the SDK core uses no Node-only API). Generated code is not linted.
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import jest from 'eslint-plugin-jest';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/dist-typecheck/**', '**/dist-fixtures/**', 'sdk/src/generated/**', 'openapi/**', 'data/**', 'var/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly', console: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    files: ['**/*.spec.ts', '**/*.e2e.ts', '**/*.test-d.ts'],
    plugins: { jest },
    rules: { 'jest/no-focused-tests': 'error', 'jest/no-disabled-tests': 'warn' },
  },
  {
    files: ['api/src/**/*.ts'],
    ignores: ['api/src/storage/postgres/**', 'api/src/storage/mongo/**', 'api/src/storage/contract/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['pg', '@electric-sql/pglite', 'mongoose', '@nestjs/mongoose', 'mongodb'], message: 'Only storage adapters talk to a database driver: go through the storage port.' },
            { group: ['**/sdk/**', '@maestro-ci/sdk'], message: 'api/ never imports the SDK: the OpenAPI document is the only thing that crosses.' },
            { group: ['**/storage/postgres/**', '**/storage/mongo/**'], message: 'Features depend on storage ports, never on adapters.' },
          ],
        },
      ],
    },
  },
  {
    files: ['api/src/storage/storage.module.ts', 'api/src/storage/contract/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['sdk/src/**/*.ts'],
    ignores: ['sdk/src/**/*.spec.ts', 'sdk/src/testing/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*', 'fs', 'path', 'crypto', 'http', 'https', 'buffer'], message: 'The SDK core runs in browsers too: no Node-only API.' }, { group: ['**/api/**'], message: 'The SDK never imports the API.' }] }],
      'no-restricted-globals': ['error', { name: 'Buffer', message: 'The SDK core runs in browsers too.' }],
    },
  },
  {
    // No import cycles: a cycle hides which module owns a rule and forces half-built objects at
    // start-up. Tests and the SDK's test fakes may import what they test, so they are left out.
    files: ['sdk/src/**/*.ts', 'api/src/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.test-d.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: ['sdk/tsconfig.json', 'api/tsconfig.json'], noWarnOnMultipleProjects: true })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    // The web console is an SDK client like any other: the API only through @maestro-ci/sdk.
    files: ['web/src/**/*.ts', 'web/src/**/*.tsx'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/api/**', '**/sdk/src/**', '@maestro-ci/sdk/src/**'], message: 'The console reaches the API only through @maestro-ci/sdk.' }] }],
    },
  },
  {
    // docs/pipeline.md: the pipeline reaches the API only through @maestro-ci/sdk, imported by package name.
    files: ['pipeline/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['openapi-fetch', 'socket.io-client', 'cloudevents'], message: 'The pipeline talks to the API only through @maestro-ci/sdk.' },
            { group: ['**/api/**', '**/sdk/src/**', '**/sdk/dist/**', '@maestro-ci/sdk/*', '!@maestro-ci/sdk/testing'], message: 'Import the SDK by its package name only; never the API.' },
          ],
        },
      ],
    },
  },
  {
    // Only the pipeline's tests may use the SDK's test doubles.
    files: ['pipeline/src/**/*.ts'],
    ignores: ['pipeline/src/**/*.spec.ts', 'pipeline/src/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['openapi-fetch', 'socket.io-client', 'cloudevents'], message: 'The pipeline talks to the API only through @maestro-ci/sdk.' },
            { group: ['**/api/**', '**/sdk/src/**', '**/sdk/dist/**', '@maestro-ci/sdk/*'], message: 'Import the SDK by its package name only; never the API.' },
          ],
        },
      ],
    },
  },
  {
    // The command line rests on the SDK's public API only (docs/cli.md).
    files: ['cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['openapi-fetch', 'socket.io-client', 'cloudevents'], message: 'The CLI talks to the API only through @maestro-ci/sdk.' },
            { group: ['**/api/**', '**/sdk/src/**', '**/sdk/dist/**', '@maestro-ci/sdk/*'], message: "Import the SDK by its package name only (its public exports); never the API." },
          ],
        },
      ],
    },
  },
);
