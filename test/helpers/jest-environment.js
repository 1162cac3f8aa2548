/**
 * Jest's node environment runs tests in a separate realm, so typed arrays created by native addons
 * (onnxruntime-node's outputs) fail onnxruntime-common's `instanceof Float32Array` checks
 * (microsoft/onnxruntime#16622). Sharing the host realm's typed-array constructors fixes that.
 */
const { TestEnvironment } = require('jest-environment-node');

const SHARED = [
  'ArrayBuffer',
  'Float32Array',
  'Float64Array',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'BigInt64Array',
  'BigUint64Array',
];

class SharedTypedArrayEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) this.global[name] = globalThis[name];
  }
}

module.exports = SharedTypedArrayEnvironment;
