import { matchKey, PhenotypeIndex, type SearchEntry } from '../../../containers/inference/src/model/phenotype-index';

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

describe('PhenotypeIndex matches Spanish word endings', () => {
  const index = new PhenotypeIndex([
    term('HP:0002616', 'Aortic root aneurysm', { label: 'Aneurisma de la raíz aórtica' }),
    term('HP:0000107', 'Renal cyst', { label: 'Quiste renal' }),
    term('HP:0001903', 'Anemia', { label: 'Anemia' }),
    term('HP:0004378', 'Abnormality of the anus', { label: 'Anomalía del ano' }),
    term('HP:0001763', 'Pes planus', { label: 'Pie plano' }),
  ]);
  const ids = (q: string) => index.search(q, 10, 'es').map((m) => m.id);

  test('the masculine or plural form a clinician types finds the feminine or singular label', () => {
    expect(ids('aneurisma aórtico')).toEqual(['HP:0002616']);
    expect(ids('aneurisma aorta')).toEqual(['HP:0002616']);
    expect(ids('quistes renales')).toEqual(['HP:0000107']);
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
