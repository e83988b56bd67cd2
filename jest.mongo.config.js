// `npm run test:mongo` (scripts/test-mongo.mjs): the MongoDB adapter against the server named by
// MONGODB_URI — the storage contract suite and layout checks, and the kit's three server tests
// (api/src/storage/mongo/server/). See docs/deployment.md.
const base = require('./jest.base.js');
module.exports = {
  ...base,
  displayName: 'mongo',
  rootDir: __dirname + '/api',
  testMatch: ['<rootDir>/src/storage/mongo/mongo.contract.spec.ts', '<rootDir>/src/storage/mongo/server/*.server.ts'],
};
