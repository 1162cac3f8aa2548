#!/usr/bin/env node
// Runs the TypeScript CLI without a build step (transpile only: `make typecheck` checks the types).
require('ts-node').register({
  transpileOnly: true,
  project: require('node:path').join(__dirname, '..', 'tsconfig.json'),
});
require('./dxops.ts');
