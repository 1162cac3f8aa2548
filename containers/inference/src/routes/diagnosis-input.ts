import type { FastifyRequest, FastifySchemaValidationError } from 'fastify';
import { badRequest } from '../errors';
import type { DiagnosisInput, Sex } from '../model/model';
import { isoDurationYears, phenopacketAge, type TimeElement, TimeElementError } from '../model/time-element';
import type { DiagnosisRequest } from '../schemas';
import { quoted, validationMessage } from '../validation-messages';

const PHENOPACKET_SEX: Record<string, Sex> = {
  FEMALE: 'female',
  MALE: 'male',
  UNKNOWN_SEX: 'unknown',
  OTHER_SEX: 'unknown',
};

const NATIVE_FIELDS = ['phenotypes', 'age', 'sex', 'evidences'] as const;
const BODY_FIELDS = new Set<string>([...NATIVE_FIELDS, 'phenopacket', 'topK']);

/** A value the schema will judge (a wrong type is its business) or a non-empty list of findings. */
const hasFindings = (value: unknown) => value !== undefined && (!Array.isArray(value) || value.length > 0);

/**
 * preValidation: the body schema is an anyOf (native | phenopacket), whose validator errors would list the failures
 * of both forms. The three ways of choosing no form or both are answered here first, each with its own message.
 */
export async function checkDiagnosisForm(request: FastifyRequest): Promise<void> {
  const body = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return;
  const fields = body as Record<string, unknown>;
  if ('phenopacket' in fields) {
    if (NATIVE_FIELDS.some((f) => f in fields)) {
      throw badRequest('send either phenopacket or the native fields (phenotypes, age, sex, evidences), not both');
    }
    const features = (fields.phenopacket as { phenotypicFeatures?: unknown } | null)?.phenotypicFeatures;
    if (Array.isArray(features) && features.length === 0) {
      throw badRequest('phenopacket.phenotypicFeatures is empty: give at least one finding');
    }
  } else if (!hasFindings(fields.phenotypes) && !hasFindings(fields.evidences)) {
    // a misspelt field (`Phenotypes`) is the likely reason, and the schema would name it only after this check
    const unknown = Object.keys(fields).find((f) => !BODY_FIELDS.has(f));
    const needs = 'needs at least one entry in phenotypes or evidences, or a phenopacket';
    throw badRequest(
      unknown === undefined ? `the body ${needs}` : `body has an unknown field ${quoted(unknown)} and ${needs}`,
    );
  }
}

/**
 * The errors of the form the body chose (checkDiagnosisForm has made the choice unambiguous): a body without
 * `phenopacket` fails the phenopacket form on its missing `phenopacket` first, so it is judged as native.
 */
export function diagnosisErrorFormatter(errors: FastifySchemaValidationError[], dataVar: string): Error {
  const native = errors.some(
    (e) => e.instancePath === '' && e.keyword === 'required' && e.params.missingProperty === 'phenopacket',
  );
  const branch = native ? '#/anyOf/0/' : '#/anyOf/1/';
  const chosen = errors.filter((e) => e.schemaPath.startsWith(branch));
  return new Error(validationMessage(chosen.length > 0 ? chosen : errors, dataVar));
}

type Phenopacket = Extract<DiagnosisRequest, { phenopacket: unknown }>['phenopacket'];

/**
 * A range that starts after it ends contradicts itself (its midpoint would be read as an age all the same); JSON
 * Schema cannot compare two values, so the check is here. The message names the field, as the schema's do.
 */
function checkAgeRanges(p: Phenopacket): void {
  type Dated = [where: string, time: TimeElement | undefined];
  const times: Dated[] = [
    ['subject/timeAtLastEncounter', p.subject?.timeAtLastEncounter],
    ...p.phenotypicFeatures.map((f, i): Dated => [`phenotypicFeatures/${i}/onset`, f.onset]),
  ];
  for (const [where, time] of times) {
    const start = time?.ageRange?.start?.iso8601duration;
    const end = time?.ageRange?.end?.iso8601duration;
    if ((isoDurationYears(start) ?? 0) > (isoDurationYears(end) ?? Number.POSITIVE_INFINITY)) {
      throw badRequest(`body/phenopacket/${where}/ageRange starts after it ends (start ${start}, end ${end})`);
    }
  }
}

/**
 * The phenopacket's age from the fields the schema checked. A timestamp needs the birth date, an identifier the
 * service does not take (docs/security.md), so it gives no age. The schema admits only readable forms; a failure
 * would still be a 400.
 */
function phenopacketYears(p: Phenopacket): number | undefined {
  checkAgeRanges(p);
  try {
    return phenopacketAge({
      subject: { timeAtLastEncounter: p.subject?.timeAtLastEncounter },
      phenotypicFeatures: p.phenotypicFeatures,
    });
  } catch (err) {
    if (err instanceof TimeElementError) throw badRequest(`body/phenopacket: ${err.message}`);
    throw err;
  }
}

/** The native body or the phenopacket, as one input (the schema and checkDiagnosisForm have checked the form). */
export function toDiagnosisInput(body: DiagnosisRequest): DiagnosisInput {
  const topK = body.topK ?? 10;
  if ('phenopacket' in body) {
    const features = body.phenopacket.phenotypicFeatures;
    return {
      observed: features.filter((f) => !f.excluded).map((f) => f.type.id),
      excluded: features.filter((f) => f.excluded).map((f) => f.type.id),
      evidences: [],
      ageYears: phenopacketYears(body.phenopacket),
      sex: PHENOPACKET_SEX[body.phenopacket.subject?.sex ?? 'UNKNOWN_SEX'],
      topK,
    };
  }
  const phenotypes = body.phenotypes ?? [];
  return {
    observed: phenotypes.filter((p) => !p.excluded).map((p) => p.id),
    excluded: phenotypes.filter((p) => p.excluded).map((p) => p.id),
    evidences: body.evidences ?? [],
    ageYears: body.age?.years,
    sex: body.sex ?? 'unknown',
    topK,
  };
}
