import type { FastifyInstance } from 'fastify';
import { unavailable } from '../errors';
import { ageBand } from '../monitoring/drift-monitor';
import { DiagnosisRequest, DiagnosisResponse, errors } from '../schemas';
import { checkDiagnosisForm, diagnosisErrorFormatter, toDiagnosisInput } from './diagnosis-input';

export default async function diagnoses(app: FastifyInstance): Promise<void> {
  app.post<{ Body: DiagnosisRequest }>(
    '/v1/diagnoses',
    {
      schema: {
        summary: 'Rank common and orphan diseases for a patient’s findings',
        body: DiagnosisRequest,
        response: { 200: DiagnosisResponse, ...errors(400, 401, 413, 415, 429, 503) },
      },
      preValidation: checkDiagnosisForm,
      schemaErrorFormatter: diagnosisErrorFormatter,
    },
    async (request) => {
      const input = toDiagnosisInput(request.body);
      const model = app.dx.models.current;
      if (!model) throw unavailable('no model is loaded yet; see /readyz');
      const prediction = await model.predict(input);
      const band = ageBand(input.ageYears);
      const top = prediction.differential[0];
      // The audit record holds codes, bands and scores only: no names, free text or ids other than requestId. Its
      // inputs are what the model used (training reads them); the tokens it ignored are kept beside them.
      const record = {
        timestamp: new Date().toISOString(),
        requestId: request.id,
        modelVersion: prediction.modelVersion,
        observed: prediction.observed,
        excluded: prediction.excluded,
        evidences: prediction.evidences,
        unknownEvidences: prediction.unknownEvidences,
        ageBand: band,
        sex: input.sex,
        topK: prediction.differential.map((c) => ({ diseaseId: c.diseaseId, probability: c.probability })),
        orphanSuspicion: prediction.orphanSuspicion,
        specialistReview: prediction.specialistReview,
      };
      try {
        await app.dx.audit.append(record);
      } catch (err) {
        request.log.error({ err }, 'audit record not written; prediction withheld');
        throw unavailable('the audit log cannot be written, so no prediction is returned; retry later');
      }
      app.dx.drift?.add({
        ageBand: band,
        sex: input.sex,
        phenotypeCount: prediction.observed.length,
        systems: prediction.systems,
        topProbability: top?.probability ?? 0,
        predictedCategory: top?.category ?? 'common',
      });
      if (top) app.dx.metrics.observePrediction(top.category, prediction.specialistReview);
      app.dx.recent.set(request.id, {
        input: {
          modelVersion: prediction.modelVersion,
          observed: prediction.observed,
          excluded: prediction.excluded,
          evidences: prediction.evidences,
          ageBand: band,
          sex: input.sex,
        },
        differential: prediction.differential.map((c) => c.diseaseId),
      });
      return {
        requestId: request.id,
        modelVersion: prediction.modelVersion,
        hpoVersion: prediction.hpoVersion,
        differential: prediction.differential,
        orphanSuspicion: prediction.orphanSuspicion,
        specialistReview: prediction.specialistReview,
        warnings: prediction.warnings,
        suggestedFindings: prediction.suggestedFindings,
      };
    },
  );
}
