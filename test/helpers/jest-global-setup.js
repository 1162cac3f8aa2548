/**
 * Every jest run gets one scratch directory as TMPDIR, removed by jest-global-teardown.js. Tests (and the CDK apps
 * they synthesize, which write a cdk.out* directory under the temp dir) make their own temp dirs freely; without this
 * each `make test` left ~5,000 directories (about 400 MB) in /tmp. The workers are forked after this runs, so they
 * inherit the variable.
 */
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

module.exports = async () => {
  const scratch = mkdtempSync(join(tmpdir(), 'dxops-jest-'));
  process.env.DXOPS_JEST_SCRATCH = scratch;
  process.env.TMPDIR = scratch;
};
