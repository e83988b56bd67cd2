#!/usr/bin/env node
// `npm run test:mongo`: proves the MongoDB adapter on a real server (docs/deployment.md). Without
// MONGODB_URI it says so and exits 0, without any network attempt (no download of a mongod).
import { spawnSync } from 'node:child_process';

const url = process.env.MONGODB_URI?.trim();
if (!url) {
  process.stdout.write(
    'test:mongo: skipped — MONGODB_URI is not set. Set it to a MongoDB deployment (a one-node replica set for the contention and\n' +
      'lifecycle tests), e.g. MONGODB_URI=mongodb://127.0.0.1:27017/?replicaSet=rs0 npm run test:mongo (docs/deployment.md).\n',
  );
  process.exit(0);
}
const redacted = url.replace(/\/\/([^@/:]*):[^@/]*@/, '//$1:***@');
process.stdout.write(`test:mongo: running the MongoDB suite and kit against ${redacted}\n`);
const jest = spawnSync(process.execPath, ['node_modules/jest/bin/jest.js', '-c', 'jest.mongo.config.js', '-w', '1', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, MONGODB_URI: url },
});
process.exit(jest.status ?? 1);
