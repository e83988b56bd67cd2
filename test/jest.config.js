// `npm run test:e2e`: the built API (api/dist) driven through the built SDK (@maestro-ci/sdk, as a
// package) and raw HTTP. Every response is validated against the committed openapi/openapi.json.
const base = require('../jest.base.js');
module.exports = {
  ...base,
  displayName: 'e2e',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.e2e.ts'],
  testTimeout: 30_000,
  // One suite at a time: the pipeline suites run a dozen processes each and time out when they
  // compete with other suites for the 2 cores of a CI machine.
  maxWorkers: 1,
};
