import { badRequest } from '../errors';
import type { DiagnosisInput, Sex } from '../model/model';
import type { DiagnosisRequest } from '../schemas';

const PHENOPACKET_SEX: Record<string, Sex> = {
  FEMALE: 'female',
  MALE: 'male',
  UNKNOWN_SEX: 'unknown',
  OTHER_SEX: 'unknown',
};

/** ISO 8601 duration (P6Y3M, P8M, P10D) to years; the schema has already checked the shape. */
export function durationYears(iso: string): number {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/.exec(iso);
  if (!m || iso === 'P') throw badRequest(`phenopacket age '${iso}' is not an ISO 8601 duration such as P6Y3M`);
  const [y, mo, w, d] = m.slice(1).map((v) => Number(v ?? 0));
  return y + mo / 12 + (w * 7 + d) / 365.25;
}

/** The native body or the phenopacket, as one input; refuses a body that mixes both or has no findings. */
export function toDiagnosisInput(body: DiagnosisRequest): DiagnosisInput {
  const topK = body.topK ?? 10;
  const { phenopacket } = body;
  if (phenopacket) {
    if (body.phenotypes || body.age || body.sex || body.evidences) {
      throw badRequest('send either phenopacket or the native fields (phenotypes, age, sex, evidences), not both');
    }
    const features = phenopacket.phenotypicFeatures;
    if (features.length === 0) throw badRequest('phenopacket.phenotypicFeatures is empty: give at least one finding');
    const iso = phenopacket.subject?.timeAtLastEncounter?.age?.iso8601duration;
    const ageYears = iso === undefined ? undefined : durationYears(iso);
    if (ageYears !== undefined && ageYears > 130) throw badRequest(`phenopacket age ${iso} is over 130 years`);
    return {
      observed: features.filter((f) => !f.excluded).map((f) => f.type.id),
      excluded: features.filter((f) => f.excluded).map((f) => f.type.id),
      evidences: [],
      ageYears,
      sex: PHENOPACKET_SEX[phenopacket.subject?.sex ?? 'UNKNOWN_SEX'],
      topK,
    };
  }
  const phenotypes = body.phenotypes ?? [];
  const evidences = body.evidences ?? [];
  if (phenotypes.length === 0 && evidences.length === 0) {
    throw badRequest('the body needs at least one entry in phenotypes or evidences, or a phenopacket');
  }
  return {
    observed: phenotypes.filter((p) => !p.excluded).map((p) => p.id),
    excluded: phenotypes.filter((p) => p.excluded).map((p) => p.id),
    evidences,
    ageYears: body.age?.years,
    sex: body.sex ?? 'unknown',
    topK,
  };
}
