import {
  matchKey,
  normalizeText,
  PhenotypeIndex,
  type SearchEntry,
} from '../../../containers/inference/src/model/phenotype-index';
import { QUERY_GLOSSARIES } from '../../../containers/inference/src/model/query-glossary';

// Hand-made entries with the real package's annotation counts (2025-05-06 catalog): Seizure 2,070 diseases,
// Febrile seizure 123, Convulsive status epilepticus 8, Microcephaly 1,448, Microcoria 20.
const term = (id: string, label: string, es?: { label: string; synonyms?: string[] }): SearchEntry => ({
  id,
  label,
  synonyms: [],
  layperson: [],
  ...(es ? { translations: { es: { label: es.label, synonyms: es.synonyms ?? [] } } } : {}),
});
const TERMS = [
  term('HP:0032660', 'Convulsive status epilepticus'),
  term('HP:0001250', 'Seizure', { label: 'Crisis epiléptica', synonyms: ['Convulsión'] }),
  term('HP:0002373', 'Febrile seizure', { label: 'Convulsión febril' }),
  term('HP:0000252', 'Microcephaly', { label: 'Microcefalia' }),
  term('HP:0000638', 'Microcoria'),
];
const POPULARITY = [8, 2070, 123, 1448, 20];

describe('PhenotypeIndex ranking', () => {
  const index = new PhenotypeIndex(TERMS, { popularity: POPULARITY });
  const ids = (q: string, lang?: string) => index.search(q, 10, lang).map((m) => m.id);

  test('a Spanish clinician typing "convulsi" gets Seizure first, through its Spanish synonym', () => {
    // WHEN
    const results = index.search('convulsi', 10, 'es');
    // THEN Seizure (its Spanish synonym, 2,070 diseases) before the febrile kind and the English-only label
    expect(results.map((m) => m.id)).toEqual(['HP:0001250', 'HP:0002373', 'HP:0032660']);
    expect(results[0]).toMatchObject({ matched: 'Convulsión', labels: { es: 'Crisis epiléptica' } });
  });

  test('in English the same letters rank the English label that starts with them first', () => {
    expect(ids('convulsi', 'en')[0]).toBe('HP:0032660');
    // the default language is the sources' (English)
    expect(ids('convulsi')).toEqual(ids('convulsi', 'en'));
  });

  test('a frequently annotated term beats a shorter rare one', () => {
    expect(ids('micro', 'en')).toEqual(['HP:0000252', 'HP:0000638']);
  });

  test('a one- or two-letter query, ranked once and kept, answers every limit as a fresh ranking would', () => {
    const fresh = new PhenotypeIndex(TERMS, { popularity: POPULARITY });
    const first = fresh.search('mi', 1, 'en');
    expect(fresh.search('mi', 10, 'en')).toEqual(index.search('mi', 10, 'en'));
    expect(first).toEqual(fresh.search('mi', 10, 'en').slice(0, 1));
    expect(fresh.search('mi', 10, 'es')).toEqual(index.search('mi', 10, 'es'));
    expect(fresh.search('zz', 10, 'en')).toEqual([]);
  });

  test('without popularity the shorter name wins, as before', () => {
    const plain = new PhenotypeIndex(TERMS);
    expect(plain.search('micro', 10).map((m) => m.id)).toEqual(['HP:0000638', 'HP:0000252']);
  });

  test('a gene symbol is no other language: in Spanish it outranks an English name', () => {
    // GIVEN Dravet syndrome found by its gene, and an English name that starts with the same word
    const diseases = new PhenotypeIndex(
      [
        { id: 'OMIM:607208', label: 'Dravet syndrome', synonyms: [], layperson: [] },
        { id: 'OMIM:1', label: 'SCN1A disease', synonyms: [], layperson: [] },
      ],
      { neutral: [['SCN1A'], []] },
    );
    // THEN in English the label (13 characters) beats the synonym; in Spanish the English label pays for its
    // language and the gene symbol, which reads the same in both, does not
    expect(diseases.search('scn1a', 10, 'en').map((m) => m.id)).toEqual(['OMIM:1', 'OMIM:607208']);
    expect(diseases.search('scn1a', 10, 'es').map((m) => m.id)).toEqual(['OMIM:607208', 'OMIM:1']);
  });
});

describe('PhenotypeIndex: gene symbols and ids are not Spanish words', () => {
  // Brugada syndrome (SCN1B) listed first, so only the match decides; the real package ranked it first for "SCN1A"
  const diseases = new PhenotypeIndex(
    [
      { id: 'ORPHA:130', label: 'Brugada syndrome', synonyms: [], layperson: [] },
      { id: 'OMIM:607208', label: 'Dravet syndrome', synonyms: [], layperson: [] },
      {
        id: 'OMIM:604403',
        label: 'Generalized epilepsy with febrile seizures plus, type 2',
        synonyms: [],
        layperson: [],
      },
      {
        id: 'OMIM:604233',
        label: 'Generalized epilepsy with febrile seizures plus, type 1',
        synonyms: [],
        layperson: [],
      },
    ],
    { neutral: [['SCN1B', 'SCN5A'], ['SCN1A', 'ORPHA:33069'], ['SCN1A'], ['SCN1B']] },
  );

  test('SCN1A finds the diseases with gene SCN1A only, not those with SCN1B', () => {
    // WHEN
    const results = diseases.search('SCN1A', 50);
    // THEN its final "a" is not an ending: "scn1" would match SCN1B too
    expect(results.map((m) => `${m.id} ${m.matched}`)).toEqual(['OMIM:607208 SCN1A', 'OMIM:604403 SCN1A']);
  });

  test('a word with a digit keeps its ending; one without still loses it', () => {
    expect(['scn1a', 'col4a3', 'hp0000118', '33069', 'ehlers'].map(matchKey)).toEqual([
      'scn1a',
      'col4a3',
      'hp0000118',
      '33069',
      'ehler',
    ]);
  });
});

describe('PhenotypeIndex: an obsolete or alternative HPO id', () => {
  const index = new PhenotypeIndex([term('HP:0001250', 'Seizure'), term('HP:0012823', 'Clinical modifier')], {
    aliases: new Map([
      ['HP:0002279', 'HP:0001250'],
      ['HP:0000004', 'HP:0012823'],
    ]),
  });

  test('finds the current term, and says which id matched', () => {
    expect(index.search('HP:0000004', 10)).toEqual([
      { id: 'HP:0012823', label: 'Clinical modifier', matched: 'HP:0000004', matchedKind: 'id' },
    ]);
    expect(index.search(' hp:0002279 ', 10)).toEqual([
      { id: 'HP:0001250', label: 'Seizure', matched: 'HP:0002279', matchedKind: 'id' },
    ]);
    // the current id still matches itself
    expect(index.search('HP:0001250', 10)[0]).toMatchObject({ id: 'HP:0001250', matched: 'HP:0001250' });
  });
});

describe('PhenotypeIndex matches Spanish word endings', () => {
  const index = new PhenotypeIndex([
    term('HP:0002616', 'Aortic root aneurysm', { label: 'Aneurisma de la raíz aórtica' }),
    term('HP:0000107', 'Renal cyst', { label: 'Quiste renal' }),
    term('HP:0005562', 'Multiple renal cysts', { label: 'Quistes renales múltiples' }),
    term('HP:0001903', 'Anemia', { label: 'Anemia' }),
    term('HP:0004378', 'Abnormality of the anus', { label: 'Anomalía del ano' }),
    term('HP:0001763', 'Pes planus', { label: 'Pie plano' }),
  ]);
  const ids = (q: string) => index.search(q, 10, 'es').map((m) => m.id);

  test('the masculine or plural form a clinician types finds the feminine or singular label', () => {
    expect(ids('aneurisma aórtico')).toEqual(['HP:0002616']);
    expect(ids('aneurisma aorta')).toEqual(['HP:0002616']);
    // the exact term first: it starts with the query as its longer kin does, endings aside, and is shorter
    expect(ids('quistes renales')).toEqual(['HP:0000107', 'HP:0005562']);
    expect(ids('pies planos')).toEqual(['HP:0001763']);
    expect(ids('aneurysms')).toEqual(['HP:0002616']);
  });

  test('a short word keeps its ending, and a different word still does not match', () => {
    expect(ids('ano')).toEqual(['HP:0004378']);
    expect(ids('quistes hepaticos')).toEqual([]);
    expect(['ano', 'tos', 'lips', 'pies', 'aortico', 'renales', 'manos'].map(matchKey)).toEqual([
      'ano',
      'tos',
      'lips',
      'pie',
      'aortic',
      'renal',
      'mano',
    ]);
  });
});

describe('PhenotypeIndex: Spanish words find English disease names', () => {
  const disease = (id: string, label: string): SearchEntry => ({ id, label, synonyms: [], layperson: [] });
  const index = new PhenotypeIndex([
    disease('OMIM:154700', 'Marfan syndrome'),
    disease('OMIM:219700', 'Cystic fibrosis'),
    disease('OMIM:310200', 'Duchenne muscular dystrophy'),
    disease('OMIM:253300', 'Spinal muscular atrophy, type I'),
    disease('OMIM:253550', 'Spinal muscular atrophy, type II'),
    disease('OMIM:230900', 'Gaucher disease, type II, infantile'),
    disease('OMIM:160900', 'Myotonic dystrophy 1'),
    disease('OMIM:300624', 'Fragile X syndrome'),
    disease('OMIM:122470', 'Cornelia de Lange syndrome 1'),
    disease('DDXPLUS:Pneumonia', 'Pneumonia'),
  ]);
  const ids = (q: string, lang = 'es') => index.search(q, 10, lang).map((m) => m.id);

  test('what a Spanish clinician types, in Spanish word order, finds the English name', () => {
    expect(ids('síndrome de Marfan')).toEqual(['OMIM:154700']);
    expect(ids('fibrosis quística')).toEqual(['OMIM:219700']);
    expect(ids('distrofia muscular de Duchenne')).toEqual(['OMIM:310200']);
    // OMIM's roman type numbers: "tipo 1" is type I, as a whole word ("1" must not match "infantile")
    expect(ids('atrofia muscular espinal tipo 1')).toEqual(['OMIM:253300']);
    expect(ids('atrofia muscular espinal tipo 2')).toEqual(['OMIM:253550']);
    expect(ids('enfermedad de gaucher tipo 1')).toEqual([]);
    // "tipo" is optional: OMIM names some types by their number alone
    expect(ids('distrofia miotónica tipo 1')).toEqual(['OMIM:160900']);
    expect(ids('spinal muscular atrophy type 2', 'en')).toEqual(['OMIM:253550']);
    // in English too: an Orphanet name ("type 1") finds the OMIM entry it is folded into
    expect(ids('myotonic dystrophy type 1', 'en')).toEqual(['OMIM:160900']);
    expect(ids('síndrome X frágil')).toEqual(['OMIM:300624']);
    expect(ids('sindrome de cornelia de lange')).toEqual(['OMIM:122470']);
    // a plural finds the glossary's singular
    expect(ids('distrofias musculares')).toEqual(['OMIM:310200']);
  });

  test("the glossary is the Spanish page's only: in English a Spanish word finds nothing, Spanish stopwords count", () => {
    expect(ids('síndrome de Marfan', 'en')).toEqual([]);
    expect(ids('de lange', 'en')).toEqual(['OMIM:122470']);
    // a word that is neither in a name nor in the glossary still rules a name out
    expect(ids('síndrome de Noonan')).toEqual([]);
    // only stopwords: kept, so "de" still searches
    expect(ids('de')).toEqual(['OMIM:122470']);
    // words that name Object.prototype's members are words like any other, not glossary entries
    for (const q of ['constructor', 'síndrome constructor', 'valueOf', 'hasOwnProperty']) expect(ids(q)).toEqual([]);
  });
});

test('every glossary word is written as the index compares it, and no two share a match key', () => {
  for (const glossary of Object.values(QUERY_GLOSSARIES)) {
    const keys = new Map<string, string>();
    for (const [word, english] of Object.entries(glossary.words)) {
      expect(normalizeText(word)).toBe(word);
      for (const e of english) expect(normalizeText(e)).toBe(e);
      // a shared key would let one word's plural find the other's meaning
      expect(keys.get(matchKey(word))).toBeUndefined();
      keys.set(matchKey(word), word);
    }
  }
});
