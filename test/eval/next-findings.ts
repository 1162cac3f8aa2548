/**
 * Do the suggested findings (next-findings.ts) help? Simulated rare-disease patients start with three findings, as a
 * clinician types a few; each round asks about one finding, the patient answers from their whole (simulated) set of
 * findings, and the differential is recomputed. Prints top-1 / top-10 after 0 to ROUNDS questions for three ways to
 * choose the question: the suggestion (highest information gain), the most frequent not-yet-entered finding of the
 * first candidate (what a clinician reading the list might check), and a random finding of the ten candidates.
 *
 * The patients are drawn from the same annotations the model and the suggestions read, so the numbers are an upper
 * bound for real patients (whose findings the annotations list only in part). Diseases are split with the
 * pipeline's rule (pipelines/steps/common/disease_split.py): the background and minimum gain are chosen on tuning
 * diseases (SPLIT=tuning), and the reporting diseases (the default) are only measured.
 *
 * Run: MODEL_DIR=<package dir> npm run -s eval:next-findings   (PATIENTS, ROUNDS, SEED, SPLIT, BACKGROUND, MIN_GAIN)
 */
import { createHash } from 'node:crypto';
import { loadModel } from '../../containers/inference/src/model/load-model';
import { type Model, SUGGEST_AMONG } from '../../containers/inference/src/model/model';
import {
  type ProfileSource,
  SUGGEST_DEFAULTS,
  suggestFindings,
} from '../../containers/inference/src/model/next-findings';
import { DirPackageReader } from '../../containers/inference/src/model/package-reader';

const MODEL_DIR = process.env.MODEL_DIR;
const PATIENTS = Number(process.env.PATIENTS ?? 300);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const SEED = Number(process.env.SEED ?? 7);
const SPLIT = process.env.SPLIT ?? 'reporting';
const OPTIONS = {
  ...SUGGEST_DEFAULTS,
  background: Number(process.env.BACKGROUND ?? SUGGEST_DEFAULTS.background),
  minGain: Number(process.env.MIN_GAIN ?? SUGGEST_DEFAULTS.minGain),
};
/** How many leading candidates the suggestion separates (the service: SUGGEST_AMONG). */
const AMONG = Number(process.env.AMONG ?? SUGGEST_AMONG);
const START_FINDINGS = 3;
const NOISE_FINDINGS = 1;

/** mulberry32: a seeded generator, so every strategy sees the same patients. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const isTuningDisease = (id: string) =>
  Number.parseInt(createHash('sha256').update(id).digest('hex').slice(0, 8), 16) % 2 === 0;

type Strategy = 'suggestion' | 'top-candidate' | 'random';

interface World {
  model: Model;
  /** The service's own profiles and ancestors (Model.profiles): the patients and the answers use what it uses. */
  profiles: ProfileSource;
  diseaseIndex: Map<string, number>;
}

function buildWorld(model: Model): World {
  return { model, profiles: model.profiles, diseaseIndex: new Map(model.catalog.map((d, i) => [d.id, i])) };
}

interface Patient {
  disease: number;
  all: number[];
  start: number[];
}

function drawPatients(w: World, random: () => number): Patient[] {
  const pool = w.model.catalog
    .map((d, i) => ({ d, i }))
    .filter(({ d, i }) => d.category === 'orphan' && w.profiles.terms(i).length >= 5)
    .filter(({ d }) => isTuningDisease(d.id) === (SPLIT === 'tuning'));
  if (!pool.length) throw new Error(`no ${SPLIT} rare disease with 5 or more annotated findings in this package`);
  const annotatedTerms = [...new Set(w.model.catalog.flatMap((_d, i) => w.profiles.terms(i)))];
  const patients: Patient[] = [];
  for (let tries = 0; patients.length < PATIENTS; tries++) {
    if (tries > PATIENTS * 100)
      throw new Error(`could not draw ${PATIENTS} patients with ${START_FINDINGS + 1} findings`);
    const { i } = pool[Math.floor(random() * pool.length)];
    const own = w.profiles.terms(i).filter((_t, j) => random() < w.profiles.frequencies(i)[j]);
    if (own.length < START_FINDINGS + 1) continue; // a patient with something left to ask about
    const noise = Array.from(
      { length: NOISE_FINDINGS },
      () => annotatedTerms[Math.floor(random() * annotatedTerms.length)],
    );
    const all = [...new Set([...own, ...noise])];
    patients.push({ disease: i, all, start: shuffle(all, random).slice(0, START_FINDINGS) });
  }
  return patients;
}

async function rankAfter(w: World, p: Patient, strategy: Strategy, random: () => number): Promise<number[]> {
  const observed = [...p.start];
  const excluded: number[] = [];
  const ranks: number[] = [];
  const id = (t: number) => w.model.vocabulary.terms[t].id;
  for (let round = 0; round <= ROUNDS; round++) {
    const prediction = await w.model.predict({
      observed: observed.map(id),
      excluded: excluded.map(id),
      evidences: [],
      sex: 'unknown',
      topK: Math.max(10, AMONG),
    });
    const lead = prediction.differential.map((c) => w.diseaseIndex.get(c.diseaseId) as number);
    const rank = lead.indexOf(p.disease) + 1;
    ranks.push(rank <= 10 ? rank : 0);
    if (round === ROUNDS) break;
    const question = choose(w, strategy, lead, prediction.differential, observed, excluded, random);
    if (question === undefined) {
      ranks.push(...Array(ROUNDS - round).fill(ranks[ranks.length - 1]));
      break;
    }
    const present = p.all.some((f) => w.profiles.ancestors[f].has(question));
    (present ? observed : excluded).push(question);
  }
  return ranks;
}

function choose(
  w: World,
  strategy: Strategy,
  lead: number[],
  differential: { probability: number }[],
  observed: number[],
  excluded: number[],
  random: () => number,
): number | undefined {
  const entered = new Set([...observed, ...excluded]);
  const open = (t: number) =>
    !entered.has(t) &&
    !observed.some((o) => w.profiles.ancestors[o].has(t)) &&
    !excluded.some((e) => w.profiles.ancestors[t].has(e));
  if (strategy === 'suggestion') {
    const picked = suggestFindings(
      lead.slice(0, AMONG).map((d, i) => ({ disease: d, probability: differential[i].probability })),
      observed,
      excluded,
      w.profiles,
      OPTIONS,
    );
    return picked[0]?.term;
  }
  if (strategy === 'top-candidate') {
    const d = lead[0];
    const order = w.profiles
      .terms(d)
      .map((t, j) => ({ t, f: w.profiles.frequencies(d)[j] }))
      .filter((x) => open(x.t));
    order.sort((a, b) => b.f - a.f || a.t - b.t);
    return order[0]?.t;
  }
  const pool = [...new Set(lead.slice(0, 10).flatMap((d) => w.profiles.terms(d)))].filter(open);
  return pool.length ? pool[Math.floor(random() * pool.length)] : undefined;
}

async function main(): Promise<void> {
  if (!MODEL_DIR) throw new Error('set MODEL_DIR to a model package directory (e.g. .dxops/registry/packages/<N>)');
  const model = await loadModel(new DirPackageReader(MODEL_DIR));
  const w = buildWorld(model);
  const patients = drawPatients(w, rng(SEED));
  console.log(
    `next findings, ${PATIENTS} simulated patients of ${SPLIT} diseases, ${START_FINDINGS} findings to start; ` +
      `background ${OPTIONS.background}, minimum gain ${OPTIONS.minGain}, among ${AMONG}; model ${model.version}`,
  );
  const header = Array.from({ length: ROUNDS + 1 }, (_x, r) => `${r} asked`.padEnd(14)).join('');
  console.log(`${'strategy'.padEnd(16)}${header}`);
  for (const strategy of ['suggestion', 'top-candidate', 'random'] as Strategy[]) {
    const random = rng(SEED + 1);
    const hits = Array.from({ length: ROUNDS + 1 }, () => ({ top1: 0, top10: 0 }));
    for (const p of patients) {
      const ranks = await rankAfter(w, p, strategy, random);
      ranks.forEach((r, i) => {
        if (r === 1) hits[i].top1++;
        if (r >= 1) hits[i].top10++;
      });
    }
    const cell = (h: { top1: number; top10: number }) =>
      `${(h.top1 / PATIENTS).toFixed(3)}/${(h.top10 / PATIENTS).toFixed(3)}`.padEnd(14);
    console.log(strategy.padEnd(16) + hits.map(cell).join(''));
  }
  console.log('cells: top-1/top-10');
  await model.release();
}

main().catch((err) => {
  console.error(`eval:next-findings: ${(err as Error).message}`);
  process.exitCode = 1;
});
