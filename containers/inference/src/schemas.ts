import { type Static, Type } from '@sinclair/typebox';
import { isoDurationYears, ONSET_YEARS } from './model/time-element';

/** Limits a request may not exceed; docs/api.md lists them. */
export const LIMITS = { phenotypes: 200, evidences: 600, topK: 50, query: 100 } as const;

export const HpoId = Type.String({
  pattern: '^HP:[0-9]{7}$',
  description: 'an HPO term id, e.g. HP:0001250',
  examples: ['HP:0001250'],
});
// Every prefix of the catalog (docs/model.md): the HPO annotations' OMIM, ORPHA and DECIPHER, whose ids are numbers,
// and the common side's DDXPlus conditions and Kaggle diseases, whose ids are slugs of their names.
export const DISEASE_ID_PATTERN = '^((OMIM|ORPHA|DECIPHER):[0-9]{1,10}|(DDXPLUS|KAGGLE):[A-Za-z0-9_]{1,100})$';
/** The form of a disease id, as 400s and the OpenAPI document name it. */
export const DISEASE_ID_FORM = 'OMIM:<n>, ORPHA:<n>, DECIPHER:<n> (<n> a number), DDXPLUS:<slug> or KAGGLE:<slug>';
export const DiseaseId = Type.String({
  pattern: DISEASE_ID_PATTERN,
  description: DISEASE_ID_FORM,
  examples: ['OMIM:607208'],
});
// The canonical 8-4-4-4-12 form only: format 'uuid' alone also takes "urn:uuid:<id>", which never joins its request.
export const REQUEST_ID_PATTERN = '^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$';
export const RequestId = Type.String({
  format: 'uuid',
  pattern: REQUEST_ID_PATTERN,
  description: 'the requestId of a diagnosis response (8-4-4-4-12 hex digits; upper case is read as lower case)',
});

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
  { id: HpoId, excluded: Type.Optional(Type.Boolean({ description: 'default false' })) },
  { additionalProperties: false },
);

/**
 * The phenopacket age format: an ISO 8601 duration in years, months, weeks and days (P3Y, P2Y6M, P8M, P10D), at most
 * 130 years in total. ISO 8601 allows a decimal fraction on the smallest unit given (P1.5Y, P2Y6.5M); a time part
 * (PT4H) is not read as an age (model/time-element.ts, and the pipeline's reader, read none).
 */
export const AGE_DURATION_FORMAT = 'iso8601-age';
const MAX_AGE_YEARS = 130;
/** The form of an age, as 400s and the OpenAPI document name it. */
export const AGE_FORM = `an ISO 8601 duration in years, months, weeks and days such as P3Y, P2Y6M, P1.5Y or P10D, of at most ${MAX_AGE_YEARS} years`;
const AGE_DURATION =
  /^P(?:\d{1,3}(?:\.\d{1,3})?Y)?(?:\d{1,4}(?:\.\d{1,3})?M)?(?:\d{1,4}(?:\.\d{1,3})?W)?(?:\d{1,5}(?:\.\d{1,3})?D)?$/;
/** A fraction followed by another unit (P1.5Y6M): ISO 8601 allows one on the smallest unit only. */
const FRACTION_BEFORE_A_UNIT = /\.\d+[YMW]\d/;
const N = (digits: number) => `\\d{1,${digits}}(\\.\\d{1,3})?`;
/** The shape of AGE_DURATION without the bare `P`, as a schema pattern (alternatives, no look-ahead). */
export const AGE_PATTERN = `^P(${N(3)}Y(${N(4)}M)?(${N(4)}W)?(${N(5)}D)?|${N(4)}M(${N(4)}W)?(${N(5)}D)?|${N(4)}W(${N(5)}D)?|${N(5)}D)$`;

/**
 * The validator of AGE_DURATION_FORMAT, registered with the app's JSON schema validator (app.ts): the bounded shape
 * of AGE_DURATION, read as years the way the service reads it (model/time-element.ts).
 */
export function isAgeDuration(iso: string): boolean {
  const shaped = AGE_DURATION.test(iso) && !FRACTION_BEFORE_A_UNIT.test(iso);
  const years = shaped ? isoDurationYears(iso) : undefined;
  return years !== undefined && years <= MAX_AGE_YEARS;
}

const IsoAge = Type.Object({
  iso8601duration: Type.String({ pattern: AGE_PATTERN, format: AGE_DURATION_FORMAT, description: AGE_FORM }),
});

/** The forms of a GA4GH TimeElement; an empty one is refused (it says nothing, and would be read as no age). */
const TIME_FORMS = ['age', 'ageRange', 'ontologyClass', 'gestationalAge', 'timestamp', 'interval'];

/**
 * A GA4GH TimeElement in the forms that give an age (model/time-element.ts reads them): the first of age, ageRange
 * (its midpoint), ontologyClass (an HPO onset term, its range's midpoint) and gestationalAge (0) that is present.
 * A range that starts after it ends is a 400 too (routes/diagnosis-input.ts: JSON Schema cannot compare two values).
 */
const TimeElement = Type.Object(
  {
    age: Type.Optional(IsoAge),
    ageRange: Type.Optional(
      Type.Object({ start: IsoAge, end: IsoAge }, { description: 'read as its midpoint; start may not be after end' }),
    ),
    ontologyClass: Type.Optional(
      Type.Object({
        id: Type.Union(
          [...ONSET_YEARS.keys()].map((id) => Type.Literal(id)),
          { description: 'an HPO onset term (the subtree of HP:0003674 Onset)' },
        ),
        label: Type.Optional(Type.String({ maxLength: 500 })),
      }),
    ),
    gestationalAge: Type.Optional(
      Type.Object({
        weeks: Type.Integer({ minimum: 0, maximum: 45 }),
        days: Type.Optional(Type.Integer({ minimum: 0, maximum: 6 })),
      }),
    ),
    timestamp: Type.Optional(Type.String({ description: 'gives no age: the service takes no birth date' })),
    interval: Type.Optional(Type.Object({}, { description: 'gives no age' })),
  },
  {
    description:
      'age, ageRange, ontologyClass or gestationalAge; a timestamp or an interval gives no age; an empty one is refused',
    anyOf: TIME_FORMS.map((form) => ({ required: [form] })),
  },
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
        timeAtLastEncounter: Type.Optional(TimeElement),
      }),
    ),
    phenotypicFeatures: Type.Array(
      Type.Object({
        type: Type.Object({ id: HpoId, label: Type.Optional(Type.String({ maxLength: 500 })) }),
        excluded: Type.Optional(Type.Boolean()),
        onset: Type.Optional(TimeElement),
      }),
      { minItems: 1, maxItems: LIMITS.phenotypes },
    ),
  },
  {
    description:
      'a GA4GH Phenopacket v2 (subject.sex, subject.timeAtLastEncounter, phenotypicFeatures with their onset); other ' +
      'fields are ignored, ' +
      'but keys __proto__ and constructor.prototype are refused anywhere in a body',
  },
);

// No `default` keywords inside the anyOf (the validator cannot apply them there): the code applies them.
const TopK = Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.topK, description: 'default 10' }));
const Phenotypes = Type.Array(NativePhenotype, { maxItems: LIMITS.phenotypes });
const Evidences = Type.Array(Type.String({ pattern: '^E_[0-9]{1,4}(_@_[A-Za-z0-9_]{1,40})?$' }), {
  maxItems: LIMITS.evidences,
});

/** The native body: at least one finding, in `phenotypes` or in `evidences`. */
const NativeDiagnosisRequest = Type.Object(
  {
    phenotypes: Type.Optional(Phenotypes),
    age: Type.Optional(
      Type.Object({ years: Type.Number({ minimum: 0, maximum: 130 }) }, { additionalProperties: false }),
    ),
    sex: Type.Optional(Sex),
    evidences: Type.Optional(Evidences),
    topK: TopK,
  },
  {
    additionalProperties: false,
    title: 'native',
    description: 'findings as HPO ids and questionnaire tokens (at least one of either), with age and sex',
    anyOf: [
      { required: ['phenotypes'], properties: { phenotypes: { type: 'array', minItems: 1 } } },
      { required: ['evidences'], properties: { evidences: { type: 'array', minItems: 1 } } },
    ],
  },
);

const PhenopacketDiagnosisRequest = Type.Object(
  { phenopacket: Phenopacket, topK: TopK },
  { additionalProperties: false, title: 'phenopacket' },
);

/** Either the native fields or a phenopacket (never both); `topK` with either. */
export const DiagnosisRequest = Type.Union([NativeDiagnosisRequest, PhenopacketDiagnosisRequest], {
  description: 'either the native fields (phenotypes, age, sex, evidences) or a phenopacket; topK with either',
});
export type DiagnosisRequest = Static<typeof DiagnosisRequest>;

const Warning = Type.Object({
  code: Type.String(),
  id: Type.String(),
  message: Type.String(),
});

/**
 * A disease's name in each interface language the catalog has one for (common diseases, nameless gene relatives);
 * `name` is English.
 */
export const DiseaseNames = Type.Object(
  { en: Type.Optional(Type.String()), es: Type.Optional(Type.String()), fr: Type.Optional(Type.String()) },
  {
    description:
      "the disease's name per language, where the catalog has one (common diseases and gene relatives without a name of their own: en, es; DDXPlus: fr)",
  },
);

/** An HPO term's label in the other interface languages the package has one for. */
export const TermLabels = Type.Object(
  { es: Type.Optional(Type.String()), fr: Type.Optional(Type.String()) },
  { description: "the term's label per other language, where the package has one" },
);

export const DiagnosisResponse = Type.Object({
  requestId: Type.String(),
  modelVersion: Type.String(),
  hpoVersion: Type.String({ description: "the HPO release of the model's vocabulary" }),
  differential: Type.Array(
    Type.Object({
      rank: Type.Integer(),
      diseaseId: Type.String(),
      name: Type.String(),
      names: Type.Optional(DiseaseNames),
      category: Type.Union([Type.Literal('common'), Type.Literal('orphan')]),
      probability: Type.Number(),
      genes: Type.Array(Type.String(), {
        description: 'genes linked to the disease (genes_to_disease); empty for common diseases',
      }),
      xrefs: Type.Array(Type.String(), {
        description: 'other ids of the same disease: Orphanet and DECIPHER entries folded into this OMIM entry',
      }),
      supportingPhenotypes: Type.Array(Type.String()),
      contradictingPhenotypes: Type.Array(Type.String()),
      profileFrom: Type.Optional(
        Type.Array(Type.String(), {
          description:
            'only for a disease without phenotype annotations of its own: the annotated diseases sharing a gene ' +
            'with it, whose findings it is ranked on (and its supporting findings are)',
        }),
      ),
    }),
  ),
  orphanSuspicion: Type.Number(),
  specialistReview: Type.Boolean({ description: 'true when the top probability is under the threshold (0.70)' }),
  warnings: Type.Array(Warning),
  suggestedFindings: Type.Array(
    Type.Object({
      id: Type.String(),
      label: Type.String(),
      labels: Type.Optional(TermLabels),
      informationGain: Type.Number({ description: 'bits about which of the ten leading candidates it is' }),
      foundIn: Type.Array(Type.String(), {
        description: 'the leading candidates whose profile has the finding or a more specific one',
      }),
    }),
    {
      description:
        'up to five findings not entered yet whose presence or absence would best tell the ten leading candidates apart (docs/model.md)',
    },
  ),
});
