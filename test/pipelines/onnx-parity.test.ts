import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';

/**
 * The model package's parity vectors were computed by Python onnxruntime when the Export step ran;
 * onnxruntime-node must give the same numbers for the same inputs. The package is the tiny one built by
 * `make fixtures` from the real pipeline steps (pipelines/steps/make_tiny_package.py).
 */
const PACKAGE = join(__dirname, '..', 'fixtures', 'generated', 'package');

interface Vector {
  request: { observed: number[]; excluded: number[]; tokens: number[]; age: number; sex: number };
  top: { index: number; id: string; probability: number }[];
  orphanSuspicion: number;
}

function feeds(req: Vector['request'], terms: number, tokens: number): Record<string, ort.Tensor> {
  const observed = req.observed.length ? req.observed : [terms];
  const excluded = req.excluded.length ? req.excluded : [terms];
  const evidence = new Float32Array(tokens);
  for (const t of req.tokens) evidence[t] = 1;
  return {
    observed: new ort.Tensor('int64', BigInt64Array.from(observed.map(BigInt)), [observed.length]),
    excluded: new ort.Tensor('int64', BigInt64Array.from(excluded.map(BigInt)), [excluded.length]),
    evidence: new ort.Tensor('float32', evidence, [1, tokens]),
    age: new ort.Tensor('float32', Float32Array.from([req.age]), [1]),
    sex: new ort.Tensor('int64', BigInt64Array.from([BigInt(req.sex)]), [1]),
  };
}

describe('ONNX parity between Python onnxruntime and onnxruntime-node', () => {
  const manifest = JSON.parse(readFileSync(join(PACKAGE, 'manifest.json'), 'utf8'));
  const { tolerance, vectors } = JSON.parse(readFileSync(join(PACKAGE, 'parity-vectors.json'), 'utf8')) as {
    tolerance: number;
    vectors: Vector[];
  };

  test('every shared vector gives the same probabilities and orphan suspicion', async () => {
    // GIVEN the exported graph
    const session = await ort.InferenceSession.create(join(PACKAGE, 'model.onnx'));
    expect(vectors.length).toBeGreaterThan(1);
    for (const v of vectors) {
      // WHEN onnxruntime-node runs the same request
      const out = await session.run(feeds(v.request, manifest.counts.terms, manifest.counts.evidenceTokens));
      const probs = out.probabilities.data as Float32Array;
      // THEN each recorded top-10 probability and the suspicion match within the tolerance
      expect(probs.length).toBe(manifest.counts.diseases);
      for (const t of v.top) expect(Math.abs(probs[t.index] - t.probability)).toBeLessThanOrEqual(tolerance);
      expect(Math.abs((out.orphan_suspicion.data as Float32Array)[0] - v.orphanSuspicion)).toBeLessThanOrEqual(
        tolerance,
      );
    }
  });
});
