import { type Static, Type } from '@sinclair/typebox';

/** Limits a request may not exceed; docs/api.md lists them. */
export const LIMITS = { phenotypes: 200, evidences: 600, topK: 50, query: 100 } as const;

export const HpoId = Type.String({ pattern: '^HP:[0-9]{7}$', description: 'an HPO term id, e.g. HP:0001250' });
export const DiseaseId = Type.String({
  pattern: '^(OMIM|ORPHA|DDXPLUS):[A-Za-z0-9_]{1,100}$',
  description: 'OMIM:<n>, ORPHA:<n> or DDXPLUS:<slug>',
});
export const RequestId = Type.String({ format: 'uuid', description: 'the requestId of a diagnosis response' });

export const ErrorResponse = Type.Object(
  {
    statusCode: Type.Integer(),
    error: Type.String(),
    message: Type.String({ description: 'what was wrong with the request' }),
  },
  { $id: 'ErrorResponse' },
);

export const errors = (...codes: number[]) =>
  Object.fromEntries(codes.map((c) => [c, Type.Ref('ErrorResponse')])) as Record<number, ReturnType<typeof Type.Ref>>;

export const Sex = Type.Union([Type.Literal('female'), Type.Literal('male'), Type.Literal('unknown')]);

const NativePhenotype = Type.Object(
  { id: HpoId, excluded: Type.Optional(Type.Boolean({ default: false })) },
  { additionalProperties: false },
);

/** GA4GH Phenopacket v2: only the fields the service reads are checked; everything else is ignored, never stored. */
const Phenopacket = Type.Object(
  {
    subject: Type.Optional(
      Type.Object({
        sex: Type.Optional(
          Type.Union([
            Type.Literal('UNKNOWN_SEX'),
            Type.Literal('FEMALE'),
            Type.Literal('MALE'),
            Type.Literal('OTHER_SEX'),
          ]),
        ),
        timeAtLastEncounter: Type.Optional(
          Type.Object({
            age: Type.Optional(
              Type.Object({
                iso8601duration: Type.String({ pattern: '^P(\\d{1,3}Y)?(\\d{1,4}M)?(\\d{1,4}W)?(\\d{1,5}D)?$' }),
              }),
            ),
          }),
        ),
      }),
    ),
    phenotypicFeatures: Type.Array(
      Type.Object({
        type: Type.Object({ id: HpoId, label: Type.Optional(Type.String({ maxLength: 500 })) }),
        excluded: Type.Optional(Type.Boolean()),
      }),
      { maxItems: LIMITS.phenotypes },
    ),
  },
  { description: 'a GA4GH Phenopacket v2 (subject.sex, subject.timeAtLastEncounter.age, phenotypicFeatures)' },
);

export const DiagnosisRequest = Type.Object(
  {
    phenotypes: Type.Optional(Type.Array(NativePhenotype, { maxItems: LIMITS.phenotypes })),
    age: Type.Optional(
      Type.Object({ years: Type.Number({ minimum: 0, maximum: 130 }) }, { additionalProperties: false }),
    ),
    sex: Type.Optional(Sex),
    evidences: Type.Optional(
      Type.Array(Type.String({ pattern: '^E_[0-9]{1,4}(_@_[A-Za-z0-9_]{1,40})?$' }), { maxItems: LIMITS.evidences }),
    ),
    topK: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.topK, default: 10 })),
    phenopacket: Type.Optional(Phenopacket),
  },
  {
    additionalProperties: false,
    description: 'either the native fields (phenotypes, age, sex, evidences) or a phenopacket; topK with either',
  },
);
export type DiagnosisRequest = Static<typeof DiagnosisRequest>;

const Warning = Type.Object({
  code: Type.String(),
  id: Type.String(),
  message: Type.String(),
});

export const DiagnosisResponse = Type.Object({
  requestId: Type.String(),
  modelVersion: Type.String(),
  differential: Type.Array(
    Type.Object({
      rank: Type.Integer(),
      diseaseId: Type.String(),
      name: Type.String(),
      category: Type.Union([Type.Literal('common'), Type.Literal('orphan')]),
      probability: Type.Number(),
      supportingPhenotypes: Type.Array(Type.String()),
      contradictingPhenotypes: Type.Array(Type.String()),
    }),
  ),
  orphanSuspicion: Type.Number(),
  specialistReview: Type.Boolean({ description: 'true when the top probability is under the threshold (0.70)' }),
  warnings: Type.Array(Warning),
});
