/** Jest runs TypeScript through ts-jest in transpile-only mode; `make typecheck` (tsc) does the type checking once. */
module.exports = {
  testEnvironment: '<rootDir>/test/helpers/jest-environment.js',
  globalSetup: '<rootDir>/test/helpers/jest-global-setup.js',
  globalTeardown: '<rootDir>/test/helpers/jest-global-teardown.js',
  roots: ['<rootDir>'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/cdk.out/', '/.venv/', '/.dxops/', '/test/bench/', '/test/browser/'],
  modulePathIgnorePatterns: ['<rootDir>/cdk.out/', '<rootDir>/.venv/', '<rootDir>/.dxops/'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 60000,
};
