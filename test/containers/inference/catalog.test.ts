import { startApp, type TestApp } from './helpers';

describe('GET /v1/phenotypes, /v1/diseases and /v1/diseases/:id', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.app.close());

  const get = (url: string) => t.app.inject({ method: 'GET', url });

  test.each([
    ['a label prefix', 'seiz', 'HP:0001250', 'label'],
    ['a synonym', 'pyrex', 'HP:0001945', 'synonym'],
    ['a layperson word', 'hole in the', 'HP:0001631', 'layperson'],
    ['an exact HPO id', 'hp:0002094', 'HP:0002094', 'id'],
    ['an alternative id, as its current term (diagnoses redirect it too)', 'HP:0002279', 'HP:0001250', 'id'],
    ['upper case and diacritics', 'FÈVER', 'HP:0001945', 'label'],
  ])('type-ahead finds %s', async (_name, q, id, kind) => {
    // WHEN
    const res = await get(`/v1/phenotypes?q=${encodeURIComponent(q)}`);
    // THEN
    expect(res.statusCode).toBe(200);
    expect(res.json().results[0]).toMatchObject({ id, matchedKind: kind });
  });

  test('labels that start with the query come before other matches, and limit is honoured', async () => {
    // WHEN "seizure" is a label, "febrile seizure" only contains it
    const res = await get('/v1/phenotypes?q=seizure&limit=1');
    // THEN
    expect(res.json().results).toEqual([
      { id: 'HP:0001250', label: 'Seizure', matched: 'Seizure', matchedKind: 'label' },
    ]);
    const all = await get('/v1/phenotypes?q=seizure');
    expect(all.json().results.map((r: { id: string }) => r.id)).toEqual(['HP:0001250', 'HP:0002373']);
  });

  test('a query that matches nothing is an empty list, not an error', async () => {
    const res = await get('/v1/phenotypes?q=zzzz');
    expect(res.statusCode).toBe(200);
    expect(res.json().results).toEqual([]);
  });

  test.each([
    ['no q', '/v1/phenotypes', /must have required property 'q'/],
    ['an empty q', '/v1/phenotypes?q=', /q must NOT have fewer than 1 characters/],
    ['a q over 100 characters', `/v1/phenotypes?q=${'a'.repeat(101)}`, /q must NOT have more than 100 characters/],
    ['a limit that is not a number', '/v1/phenotypes?q=fe&limit=ten', /limit must be integer/],
    ['a limit over 50', '/v1/phenotypes?q=fe&limit=51', /limit must be <= 50/],
    [
      'an unknown parameter',
      '/v1/phenotypes?q=fe&name=jane',
      /^invalid request: querystring has an unknown parameter "name"$/,
    ],
    [
      'a language the page does not speak',
      '/v1/phenotypes?q=fe&lang=fr',
      /^invalid request: querystring\/lang must be one of en, es \(got "fr"\)$/,
    ],
  ])('%s is a 400 that says what was wrong', async (_name, url, message) => {
    const res = await get(url);
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(message);
  });

  test('a disease profile has its name, category and most frequent phenotypes with labels', async () => {
    // WHEN
    const res = await get('/v1/diseases/OMIM:607208');
    // THEN
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      id: 'OMIM:607208',
      name: 'Dravet syndrome',
      category: 'orphan',
      xrefs: ['ORPHA:33069'],
      genes: ['SCN1A'],
      phenotypeCount: 4,
      modelVersion: 'fixture-1',
    });
    expect(res.json().phenotypes[0]).toEqual({ id: 'HP:0002373', label: 'Febrile seizure', frequency: 0.9 });
  });

  test('an Orphanet id folded into an OMIM entry answers that entry, under the OMIM id', async () => {
    const res = await get('/v1/diseases/ORPHA:33069');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: 'OMIM:607208', name: 'Dravet syndrome', xrefs: ['ORPHA:33069'] });
  });

  test('a well-formed id that is not in the catalog is a 404 naming it', async () => {
    const res = await get('/v1/diseases/ORPHA:1');
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toBe('disease ORPHA:1 is not in the catalog of model fixture-1');
  });

  test.each([
    ['a path traversal', '/v1/diseases/..%2F..%2Fetc%2Fpasswd'],
    ['an unknown prefix', '/v1/diseases/MONDO:0000001'],
    ['a bare number', '/v1/diseases/607208'],
    ['an OMIM id that is not a number', '/v1/diseases/OMIM:abc'],
    // longer than the router's default parameter limit (100 characters), which made it a 404 "no route"
    ['an id of 120 digits', `/v1/diseases/OMIM:${'1'.repeat(120)}`],
  ])('%s as a disease id is a 400 naming the form', async (_name, url) => {
    const res = await get(url);
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toBe(
      'invalid request: params/id must be OMIM:<n>, ORPHA:<n>, DECIPHER:<n> (<n> a number), DDXPLUS:<slug> or KAGGLE:<slug>',
    );
  });

  test.each([
    ['a name prefix', 'drav', 'OMIM:607208', 'Dravet syndrome'],
    ['a word inside the name', 'septal', 'ORPHA:99103', 'Ostium secundum atrial septal defect'],
    ['an Orphanet xref of a folded entry', 'ORPHA:2308', 'OMIM:147791', 'ORPHA:2308'],
    ['a gene symbol', 'scn1a', 'OMIM:607208', 'SCN1A'],
    ['an exact common-disease id', 'DDXPLUS:Cluster_headache', 'DDXPLUS:Cluster_headache', 'DDXPLUS:Cluster_headache'],
    [
      "the name of an entry folded into it (Orphanet's)",
      'myoclonic epilepsy infancy',
      'OMIM:607208',
      'Severe myoclonic epilepsy in infancy',
    ],
  ])('disease type-ahead finds %s', async (_name, q, id, matched) => {
    // WHEN
    const res = await get(`/v1/diseases?q=${encodeURIComponent(q)}`);
    // THEN
    expect(res.statusCode).toBe(200);
    expect(res.json().results[0]).toMatchObject({ id, matched });
    expect(res.json().modelVersion).toBe('fixture-1');
  });

  test('disease type-ahead answers each candidate with its category, and honours limit', async () => {
    const res = await get('/v1/diseases?q=syndrome&limit=1');
    expect(res.json().results).toEqual([
      { id: 'OMIM:607208', name: 'Dravet syndrome', category: 'orphan', matched: 'Dravet syndrome' },
    ]);
    expect((await get('/v1/diseases?q=zzzz')).json().results).toEqual([]);
  });

  test('a term is found by its Spanish label or synonym and answered with its labels', async () => {
    // GIVEN the fixture's Spanish labels (the knowledge base's hpo-labels-es mapping in a real package)
    for (const [q, matched] of [
      ['fiebre', 'Fiebre'],
      ['calentura', 'Calentura'],
    ]) {
      const res = await get(`/v1/phenotypes?q=${q}`);
      expect(res.json().results[0]).toEqual({
        id: 'HP:0001945',
        label: 'Fever',
        labels: { es: 'Fiebre' },
        matched,
        matchedKind: 'synonym',
      });
    }
    // AND a term without a translation has no labels
    expect((await get('/v1/phenotypes?q=seizure')).json().results[0]).not.toHaveProperty('labels');
  });

  test('lang=es ranks a Spanish name above an English one that starts with the same letters', async () => {
    // GIVEN "f", which starts the English labels Fever and Febrile seizure and the Spanish label Fiebre (Fever)
    const en = (await get('/v1/phenotypes?q=f&lang=en')).json().results;
    const es = (await get('/v1/phenotypes?q=f&lang=es')).json().results;
    // THEN the same terms, in the order of each language's names
    expect(es.map((r: { id: string }) => r.id).sort()).toEqual(en.map((r: { id: string }) => r.id).sort());
    expect(es[0]).toMatchObject({ id: 'HP:0001945', matched: 'Fiebre' });
    expect(en.find((r: { id: string }) => r.id === 'HP:0001945')).toMatchObject({ matched: 'Fever' });
  });

  test('a common disease is found by its Spanish name, accents optional, and answered with its names', async () => {
    // GIVEN the fixture's Spanish names (the knowledge base's common-disease-names-es mapping in a real package)
    for (const q of ['neumonía', 'neumonia']) {
      const res = await get(`/v1/diseases?q=${encodeURIComponent(q)}`);
      expect(res.json().results[0]).toEqual({
        id: 'DDXPLUS:Pneumonia',
        name: 'Pneumonia',
        names: { en: 'Pneumonia', es: 'Neumonía', fr: 'Pneumonie' },
        category: 'common',
        matched: 'Neumonía',
      });
    }
    // AND the profile carries them; an orphan disease has no other names
    expect((await get('/v1/diseases/DDXPLUS:Pneumonia')).json().names).toMatchObject({ es: 'Neumonía' });
    expect((await get('/v1/diseases/OMIM:607208')).json()).not.toHaveProperty('names');
  });

  test.each([
    ['an empty query', '/v1/diseases?q='],
    ['a limit above 50', '/v1/diseases?q=a&limit=51'],
    ['an unknown parameter', '/v1/diseases?q=a&x=1'],
  ])('disease type-ahead with %s is a 400', async (_name, url) => {
    const res = await get(url);
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/querystring/);
  });
});
