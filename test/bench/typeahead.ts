/**
 * The type-ahead's cost per keystroke, in process (no HTTP): `GET /v1/phenotypes` and `GET /v1/diseases` answer from
 * the model's two PhenotypeIndex instances, and the page asks on every keystroke. Prints, per query, the median and
 * p99 microseconds over many calls, for short prefixes (the most candidates), whole words and Spanish queries that go
 * through the glossary. MODEL_DIR picks the package (default: the service's fixture; a real one has 19,177 terms and
 * 13,000 diseases). Run: npm run -s bench:typeahead
 */
import { join } from 'node:path';
import { loadModel } from '../../containers/inference/src/model/load-model';
import { DirPackageReader } from '../../containers/inference/src/model/package-reader';

const MODEL_DIR = process.env.MODEL_DIR ?? join(__dirname, '..', 'fixtures', 'model-package', 'v1');
const CALLS = Number(process.env.TYPEAHEAD_CALLS ?? 200);
const QUERIES: [string, string][] = [
  ['a', 'es'],
  ['s', 'es'],
  ['co', 'es'],
  ['convulsi', 'es'],
  ['fiebre', 'es'],
  ['retraso del desarrollo', 'es'],
  ['aneurisma aórtico', 'es'],
  ['síndrome', 'es'],
  ['síndrome de marfan', 'es'],
  ['atrofia muscular espinal tipo 1', 'es'],
  ['seizure', 'en'],
  ['marfan syndrome', 'en'],
];

function micros(fn: () => unknown): { first: number; median: number; p99: number } {
  const t0 = process.hrtime.bigint();
  fn(); // the first call: a one- or two-letter query is ranked here and kept
  const first = Math.round(Number(process.hrtime.bigint() - t0) / 1000);
  for (let i = 0; i < 20; i++) fn(); // warm-up (JIT)
  const times: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const start = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  times.sort((a, b) => a - b);
  return {
    first,
    median: Math.round(times[Math.floor(times.length / 2)]),
    p99: Math.round(times[Math.ceil(times.length * 0.99) - 1]),
  };
}

async function main(): Promise<void> {
  const model = await loadModel(new DirPackageReader(MODEL_DIR));
  console.log(
    `type-ahead on ${model.version} (${model.vocabulary.terms.length} terms), ${CALLS} calls per query, limit 10`,
  );
  console.log('query                              lang  phenotypes first/median/p99 µs   diseases first/median/p99 µs');
  for (const [q, lang] of QUERIES) {
    const p = micros(() => model.phenotypes.search(q, 10, lang));
    const d = micros(() => model.diseases.search(q, 10, lang));
    console.log(
      `${q.padEnd(34)} ${lang.padEnd(5)} ${`${p.first} / ${p.median} / ${p.p99}`.padStart(28)}   ${`${d.first} / ${d.median} / ${d.p99}`.padStart(28)}`,
    );
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
