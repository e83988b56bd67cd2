// `npm test`: unit tests and storage contract suites. Needs no server (PGlite, in-process notifier);
// suites that need PostgreSQL, Redis or MongoDB run when DATABASE_URL / REDIS_URL / MONGODB_URI are
// set and print why they were skipped otherwise.
const base = require('./jest.base.js');
module.exports = {
  // A global option: jest reads testTimeout from here, not from each project (jest.base.js says why 30 s).
  testTimeout: base.testTimeout,
  projects: [
    { ...base, displayName: 'api', rootDir: '<rootDir>/api', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    // Deployment files (compose, Kubernetes, Dockerfile) checked against their schemas.
    {
      ...base,
      displayName: 'deploy',
      rootDir: '<rootDir>/deploy',
      testMatch: ['<rootDir>/test/**/*.spec.ts'],
      moduleNameMapper: { ...base.moduleNameMapper, '^@maestro-ci/sdk$': '<rootDir>/../sdk/src/index.ts' },
    },
    { ...base, displayName: 'sdk', rootDir: '<rootDir>/sdk', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    {
      ...base,
      displayName: 'pipeline',
      rootDir: '<rootDir>/pipeline',
      testMatch: ['<rootDir>/src/**/*.spec.ts'],
      // Unit tests run on the SDK's sources, so `npm test` needs no build; e2e uses the built package.
      moduleNameMapper: {
        ...base.moduleNameMapper,
        '^@maestro-ci/sdk$': '<rootDir>/../sdk/src/index.ts',
        '^@maestro-ci/sdk/(events|schema)$': '<rootDir>/../sdk/src/$1',
        '^@maestro-ci/sdk/testing$': '<rootDir>/../sdk/src/fake/index.ts',
      },
    },
    {
      ...base,
      displayName: 'cli',
      rootDir: '<rootDir>/cli',
      testMatch: ['<rootDir>/src/**/*.spec.ts'],
      // Like the pipeline: unit tests run on the SDK's sources, so `npm test` needs no build.
      moduleNameMapper: {
        ...base.moduleNameMapper,
        '^@maestro-ci/sdk$': '<rootDir>/../sdk/src/index.ts',
      },
    },
  ],
};
