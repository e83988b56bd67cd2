// `npm run test:browser`: the built console and Swagger UI driven by Debian's Chromium through
// playwright-core, against the built API (api/dist) with seeded data. Screenshots go to
// test-output/screenshots/ (gitignored).
const base = require('../jest.base.js');
module.exports = {
  ...base,
  displayName: 'browser',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/browser/**/*.browser.ts'],
  testTimeout: 120_000,
  maxWorkers: 1,
};
