import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { notFound, unavailable } from '../errors';
import { DiseaseId, DiseaseNames, errors, LIMITS, TermLabels } from '../schemas';

// the page's languages; names in the clinician's language rank first (the index's RANK explains the order)
const Language = Type.Optional(
  Type.Union([Type.Literal('en'), Type.Literal('es')], {
    default: 'en',
    description: "the clinician's language: labels and names in it rank first",
  }),
);

const PhenotypeQuery = Type.Object(
  {
    q: Type.String({ minLength: 1, maxLength: LIMITS.query, description: 'label, synonym, layperson word or HPO id' }),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 10 })),
    lang: Language,
  },
  { additionalProperties: false },
);

const PhenotypeResults = Type.Object({
  modelVersion: Type.String(),
  results: Type.Array(
    Type.Object({
      id: Type.String(),
      label: Type.String(),
      labels: Type.Optional(TermLabels),
      matched: Type.String(),
      matchedKind: Type.Union([
        Type.Literal('label'),
        Type.Literal('synonym'),
        Type.Literal('layperson'),
        Type.Literal('id'),
      ]),
    }),
  ),
});

const DiseaseQuery = Type.Object(
  {
    q: Type.String({
      minLength: 1,
      maxLength: LIMITS.query,
      description: 'disease name, OMIM/ORPHA id or gene symbol',
    }),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
    lang: Language,
  },
  { additionalProperties: false },
);

const DiseaseResults = Type.Object({
  modelVersion: Type.String(),
  results: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      names: Type.Optional(DiseaseNames),
      category: Type.Union([Type.Literal('common'), Type.Literal('orphan')]),
      matched: Type.String({ description: 'the name, other-language name, xref or gene that matched' }),
    }),
  ),
});

const DiseaseParams = Type.Object({ id: DiseaseId });

/** The disease profile is summarised: the most frequent phenotypes, not the whole annotation list. */
const PROFILE_PHENOTYPES = 20;

const DiseaseProfile = Type.Object({
  id: Type.String(),
  name: Type.String(),
  names: Type.Optional(DiseaseNames),
  category: Type.Union([Type.Literal('common'), Type.Literal('orphan')]),
  xrefs: Type.Array(Type.String()),
  genes: Type.Array(Type.String()),
  annotated: Type.Boolean(),
  phenotypeCount: Type.Integer(),
  phenotypes: Type.Array(Type.Object({ id: Type.String(), label: Type.String(), frequency: Type.Number() })),
  excludedPhenotypes: Type.Array(Type.String()),
  modelVersion: Type.String(),
});

export default async function catalog(app: FastifyInstance): Promise<void> {
  const current = () => {
    const model = app.dx.models.current;
    if (!model) throw unavailable('no model is loaded yet; see /readyz');
    return model;
  };

  app.get<{ Querystring: Static<typeof PhenotypeQuery> }>(
    '/v1/phenotypes',
    {
      schema: {
        summary: 'Type-ahead search over HPO labels, synonyms and layperson synonyms',
        querystring: PhenotypeQuery,
        response: { 200: PhenotypeResults, ...errors(400, 401, 429, 503) },
      },
    },
    async (request) => {
      const model = current();
      return {
        modelVersion: model.version,
        results: model.phenotypes.search(request.query.q, request.query.limit ?? 10, request.query.lang),
      };
    },
  );

  app.get<{ Querystring: Static<typeof DiseaseQuery> }>(
    '/v1/diseases',
    {
      schema: {
        summary: 'Type-ahead search over the catalog: disease names, OMIM/ORPHA ids and xrefs, gene symbols',
        querystring: DiseaseQuery,
        response: { 200: DiseaseResults, ...errors(400, 401, 429, 503) },
      },
    },
    async (request) => {
      const model = current();
      // every match is an id of this model's catalog, so the lookup always finds it
      const results = model.diseases.search(request.query.q, request.query.limit ?? 10, request.query.lang).map((m) => {
        const disease = model.disease(m.id)!;
        return {
          id: m.id,
          name: m.label,
          ...(disease.names ? { names: disease.names } : {}),
          category: disease.category,
          matched: m.matched,
        };
      });
      return { modelVersion: model.version, results };
    },
  );

  app.get<{ Params: Static<typeof DiseaseParams> }>(
    '/v1/diseases/:id',
    {
      schema: {
        summary: 'Name, category and phenotype profile of a catalog disease',
        params: DiseaseParams,
        response: { 200: DiseaseProfile, ...errors(400, 401, 404, 429, 503) },
      },
    },
    async (request) => {
      const model = current();
      // an Orphanet or DECIPHER id folded into an OMIM entry answers that entry (its `id` is the one served)
      const disease = model.diseaseOrTwin(request.params.id);
      if (!disease) throw notFound(`disease ${request.params.id} is not in the catalog of model ${model.version}`);
      const phenotypes = [...disease.phenotypes]
        .sort((a, b) => b.frequency - a.frequency)
        .slice(0, PROFILE_PHENOTYPES)
        .map((p) => ({ id: p.id, label: model.term(p.id)?.label ?? p.id, frequency: p.frequency }));
      return {
        id: disease.id,
        name: disease.name,
        ...(disease.names ? { names: disease.names } : {}),
        category: disease.category,
        xrefs: [...disease.xrefs],
        genes: [...disease.genes],
        annotated: disease.annotated,
        phenotypeCount: disease.phenotypes.length,
        phenotypes,
        excludedPhenotypes: [...disease.excludedPhenotypes],
        modelVersion: model.version,
      };
    },
  );
}
