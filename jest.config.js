/** Jest runs TypeScript through ts-jest in transpile-only mode; `make typecheck` (tsc) does the type checking once. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/containers', '<rootDir>/pipelines/definition', '<rootDir>/lambda'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/cdk.out/', '/test/bench/', '/test/browser/'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 60000,
};
