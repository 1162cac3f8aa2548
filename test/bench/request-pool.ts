/**
 * A pool of different, realistic diagnosis requests drawn from a model package's own catalog, so that the benchmark
 * measures real work (term resolution, explanation, ONNX over different columns) and never one request repeated.
 * Deterministic: the same package and seed give the same pool.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface CatalogDisease {
  readonly id: string;
  readonly category: 'common' | 'orphan';
  readonly phenotypes: readonly { readonly id: string; readonly frequency: number }[];
}

export interface DiagnosisBody {
  readonly phenotypes: { id: string; excluded?: boolean }[];
  readonly age: { years: number };
  readonly sex: 'female' | 'male' | 'unknown';
  readonly topK: number;
}

/** mulberry32: a small seeded PRNG (uniform in [0, 1)), enough for sampling benchmark inputs. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = Math.imul(state ^ (state >>> 15), 1 | state);
    x ^= x + Math.imul(x ^ (x >>> 7), 61 | x);
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Picks `n` distinct items, each draw weighted by `weight` (annotated frequency: frequent findings come first). */
function weightedSample<T>(items: readonly T[], n: number, weight: (t: T) => number, random: () => number): T[] {
  const left = [...items];
  const out: T[] = [];
  while (out.length < n && left.length > 0) {
    const total = left.reduce((sum, t) => sum + Math.max(weight(t), 0.01), 0);
    let r = random() * total;
    let i = 0;
    while (i < left.length - 1 && r >= Math.max(weight(left[i]), 0.01)) r -= Math.max(weight(left[i++]), 0.01);
    out.push(left.splice(i, 1)[0]);
  }
  return out;
}

/**
 * `size` requests of eight findings each: seven observed, drawn from one disease's annotated profile by frequency
 * (topped up with random vocabulary terms, the unrelated findings real patients have, when the profile is shorter),
 * and one excluded term that is not among them; random age and sex, topK 10. Half the requests come from common
 * diseases and half from orphan ones, so both parts of the model are exercised.
 */
export function requestPool(modelDir: string, size = 256, seed = 20_261_201): DiagnosisBody[] {
  const catalog = (JSON.parse(readFileSync(join(modelDir, 'catalog.json'), 'utf8')) as { diseases: CatalogDisease[] })
    .diseases;
  const terms = (JSON.parse(readFileSync(join(modelDir, 'vocabulary.json'), 'utf8')) as { terms: { id: string }[] })
    .terms;
  const random = seededRandom(seed);
  const annotated = catalog.filter((d) => d.phenotypes.length > 0);
  const byCategory = [
    annotated.filter((d) => d.category === 'common'),
    annotated.filter((d) => d.category === 'orphan'),
  ].filter((list) => list.length > 0);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
  const pool: DiagnosisBody[] = [];
  for (let n = 0; n < size; n++) {
    const disease = pick(byCategory[n % byCategory.length]);
    const observed = new Set(weightedSample(disease.phenotypes, 7, (p) => p.frequency, random).map((p) => p.id));
    for (let tries = 0; observed.size < 7 && tries < 100; tries++) observed.add(pick(terms).id);
    let excluded = pick(terms).id;
    for (let tries = 0; observed.has(excluded) && tries < 100; tries++) excluded = pick(terms).id;
    pool.push({
      phenotypes: [...[...observed].map((id) => ({ id })), { id: excluded, excluded: true }],
      age: { years: Math.floor(random() * 90) },
      sex: random() < 0.5 ? 'female' : 'male',
      topK: 10,
    });
  }
  return pool;
}
