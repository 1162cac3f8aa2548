/**
 * The floor of a diagnosis: Fastify routes that do only what every POST /v1/diagnoses must do, each step added to
 * the previous one, beside the hello-world ceiling (test/bench/floor.ts drives it):
 *   GET  /hello            the ceiling (as hello-server.ts)
 *   POST /shape            the service's own request and response schemas (TypeBox, same validator options), a
 *                          constant differential of topK candidates; no model, no audit, no log
 *   POST /shape/onnx       + one onnxruntime-node run of the fixture package (18 terms, 6 diseases)
 *   POST /shape/ranker     + one run of the least graph that ranks a catalog of FLOOR_DISEASES (scatter-add of
 *                          FLOOR_ENTRIES touched entries, TopK 10), instead of the fixture run
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AjvCompiler from '@fastify/ajv-compiler';
import { Value } from '@sinclair/typebox/value';
import Fastify from 'fastify';
import * as ort from 'onnxruntime-node';
import {
  AGE_DURATION_FORMAT,
  DiagnosisRequest,
  DiagnosisResponse,
  isAgeDuration,
} from '../../containers/inference/src/schemas';

const FIXTURE = join(__dirname, '..', 'fixtures', 'model-package', 'v1');
const ENTRIES = Number(process.env.FLOOR_ENTRIES ?? 5000);
const DISEASES = Number(process.env.FLOOR_DISEASES ?? 13304);

async function main(): Promise<void> {
  const options = { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all' as const };
  const fixture = await ort.InferenceSession.create(join(FIXTURE, 'model.onnx'), options);
  const ranker = await ort.InferenceSession.create(String(process.env.FLOOR_RANKER), options);
  const counts = JSON.parse(readFileSync(join(FIXTURE, 'manifest.json'), 'utf8')).counts;
  const pad = BigInt(counts.terms);
  const fixtureFeeds = {
    observed: new ort.Tensor('int64', BigInt64Array.of(pad), [1]),
    excluded: new ort.Tensor('int64', BigInt64Array.of(pad), [1]),
    evidence: new ort.Tensor('float32', new Float32Array(counts.evidenceTokens), [1, counts.evidenceTokens]),
    age: new ort.Tensor('float32', Float32Array.of(-1), [1]),
    sex: new ort.Tensor('int64', BigInt64Array.of(0n), [1]),
  };
  const disease = new BigInt64Array(ENTRIES);
  const value = new Float32Array(ENTRIES);
  for (let i = 0; i < ENTRIES; i++) {
    disease[i] = BigInt((i * 7919) % DISEASES); // spread over the catalog like the columns of many findings
    value[i] = (i % 13) / 13;
  }
  const rankerFeeds = {
    disease: new ort.Tensor('int64', disease, [ENTRIES]),
    value: new ort.Tensor('float32', value, [ENTRIES]),
  };

  const ajv = AjvCompiler()({}, {
    customOptions: { coerceTypes: false, removeAdditional: false, formats: { [AGE_DURATION_FORMAT]: isAgeDuration } },
  } as never);
  const app = Fastify({ logger: false });
  app.setValidatorCompiler(ajv as never);
  app.get('/hello', async () => ({ hello: 'world' }));
  const respond = (topK: number) => ({
    requestId: '00000000-0000-4000-8000-000000000000',
    modelVersion: 'floor',
    hpoVersion: 'floor',
    differential: Array.from({ length: topK }, (_, i) => ({
      rank: i + 1,
      diseaseId: `OMIM:${100000 + i}`,
      name: 'A disease name of ordinary length, syndrome type 2',
      category: 'orphan' as const,
      probability: 0.1,
      genes: ['SCN1A'],
      xrefs: [],
      supportingPhenotypes: ['HP:0001250', 'HP:0001249'],
      contradictingPhenotypes: [],
    })),
    orphanSuspicion: 0.9,
    specialistReview: true,
    warnings: [],
    suggestedFindings: [],
  });
  // The floor must serialise what the service does: a response the schema refuses would make every request a 500
  // and the floor would time the error path (it did, after the schema gained hpoVersion, genes, xrefs and
  // suggestedFindings). Checked once here, so a schema change stops the bench with the reason.
  const sample = respond(10);
  if (!Value.Check(DiagnosisResponse, sample)) {
    const errors = [...Value.Errors(DiagnosisResponse, sample)].map((e) => `${e.path}: ${e.message}`);
    throw new Error(`floor-server: its constant response no longer fits DiagnosisResponse: ${errors.join('; ')}`);
  }
  const schema = { body: DiagnosisRequest, response: { 200: DiagnosisResponse } };
  const topK = (body: unknown) => (body as { topK?: number }).topK ?? 10;
  app.post('/shape', { schema }, async (request) => respond(topK(request.body)));
  app.post('/shape/onnx', { schema }, async (request) => {
    await fixture.run(fixtureFeeds);
    return respond(topK(request.body));
  });
  app.post('/shape/ranker', { schema }, async (request) => {
    await ranker.run(rankerFeeds);
    return respond(topK(request.body));
  });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  process.stdout.write(`Server listening at ${address}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
