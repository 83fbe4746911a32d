// End-to-end tests: one real portal (`yarn dev`) for the whole run, driven in Chromium.
// Run with `yarn test:e2e` (after the dependencies are installed).
const path = require('node:path');

const swc = require.resolve('@backstage/cli/config/jestSwcTransform');

module.exports = {
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.test.ts'],
  testEnvironment: 'node',
  transform: {
    '\\.(ts|js)$': [swc, { jsc: { parser: { syntax: 'typescript' } } }],
  },
  transformIgnorePatterns: [
    '/node_modules/(?!@kubernetes/client-node|@bufbuild|openid-client|jose|oauth4webapi)',
  ],
  globalSetup: path.join(__dirname, 'setup/globalSetup.ts'),
  globalTeardown: path.join(__dirname, 'setup/globalTeardown.ts'),
  testTimeout: 180_000,
  maxWorkers: 1,
};
