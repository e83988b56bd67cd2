// Shared jest settings: tests compile with @swc/jest to CommonJS, and the few ESM-only packages in
// node_modules are down-compiled too (see ../shared/stack.md and docs/adr/0002-stack.md).
const swcTs = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    keepClassNames: true,
    target: 'es2022',
  },
  module: { type: 'commonjs' },
};
const swcJs = {
  jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' },
  module: { type: 'commonjs' },
};
module.exports = {
  testEnvironment: 'node',
  // Several specs open an embedded PGlite database in a hook (1.5–3 s alone, far more on a busy
  // 2-core CI machine); jest's 5 s default made them fail on load, not on behaviour.
  testTimeout: 30_000,
  transform: {
    '^.+\\.ts$': ['@swc/jest', swcTs],
    '^.+\\.[mc]?js$': ['@swc/jest', swcJs],
  },
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|content-disposition|@electric-sql|openapi-fetch)/)'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  // The SDK's ESM sources import siblings as `./x.js` (required by Node's ESM resolution).
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
};
