/** Removes the scratch TMPDIR of jest-global-setup.js, whatever the tests left in it. */
const { rmSync } = require('node:fs');

module.exports = async () => {
  const scratch = process.env.DXOPS_JEST_SCRATCH;
  if (scratch) rmSync(scratch, { recursive: true, force: true });
};
