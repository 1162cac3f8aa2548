import { randomUUID } from 'node:crypto';
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { badRequest, notFound, unavailable } from '../errors';
import { DiseaseId, errors, RequestId } from '../schemas';
import { type FeedbackAnswer, LatestLabels } from './latest-labels';

const FeedbackRequest = Type.Object(
  {
    requestId: RequestId,
    diseaseId: DiseaseId,
    verdict: Type.Union([Type.Literal('confirmed'), Type.Literal('corrected')], {
      description:
        'confirmed: diseaseId is a candidate of the differential and is right; corrected: the diagnosis is ' +
        'diseaseId (any disease of the catalog)',
    }),
  },
  { additionalProperties: false },
);

const FeedbackResponse = Type.Object({
  feedbackId: Type.String({ description: 'the same for a retry of the request’s latest label' }),
  requestId: Type.String(),
  labeled: Type.Boolean({ description: 'true when the inputs of the request were attached to the label' }),
});

export default async function feedback(app: FastifyInstance): Promise<void> {
  const latest = new LatestLabels();

  app.post<{ Body: Static<typeof FeedbackRequest> }>(
    '/v1/feedback',
    {
      schema: {
        summary: 'A clinician confirms or corrects the diagnosis of a request (labeled data for retraining)',
        body: FeedbackRequest,
        response: { 201: FeedbackResponse, ...errors(400, 401, 404, 413, 415, 429, 503) },
      },
    },
    async (request, reply) => {
      const { diseaseId, verdict } = request.body;
      // requestIds are generated in lower case: an upper-case copy must still find its request and join its audit
      const requestId = request.body.requestId.toLowerCase();
      const model = app.dx.models.current;
      if (!model) throw unavailable('no model is loaded yet, so diseaseId cannot be checked; see /readyz');
      // an Orphanet or DECIPHER id folded into an OMIM entry names that entry (training maps it there)
      const disease = model.diseaseOrTwin(diseaseId);
      if (!disease) {
        throw notFound(
          `diseaseId ${diseaseId} is not in the catalog of model ${model.version}, so it cannot label a ` +
            'prediction; look the disease up with GET /v1/diseases?q=',
        );
      }
      const recent = app.dx.recent.get(requestId);
      if (verdict === 'confirmed' && recent && !recent.differential.includes(disease.id)) {
        throw badRequest(
          `diseaseId ${diseaseId} is not a candidate of the request's differential, so it cannot be confirmed; ` +
            'send verdict "corrected" to record a diagnosis outside the differential',
        );
      }
      const retried = latest.retry(requestId, diseaseId, verdict);
      const answer =
        retried ??
        write(app, request.log, { requestId, diseaseId, verdict, input: recent?.input ?? null }).then((feedbackId) => ({
          feedbackId,
          requestId,
          labeled: recent !== undefined,
        }));
      if (!retried) latest.remember(requestId, diseaseId, verdict, answer);
      return reply.code(201).send(await answer);
    },
  );
}

/** Appends the feedback record; resolves with its feedbackId once it is on disk. */
async function write(
  app: FastifyInstance,
  log: FastifyInstance['log'],
  label: { requestId: string; diseaseId: string; verdict: string; input: object | null },
): Promise<FeedbackAnswer['feedbackId']> {
  const feedbackId = randomUUID();
  // A request older than the in-memory window is still labeled: training joins it with the audit log by requestId.
  const record = {
    timestamp: new Date().toISOString(),
    feedbackId,
    requestId: label.requestId,
    diseaseId: label.diseaseId,
    verdict: label.verdict,
    // always true now that a disease outside the catalog is refused; kept for readers of the earlier records
    inCatalog: true,
    input: label.input,
  };
  try {
    await app.dx.feedback.append(record);
  } catch (err) {
    log.error({ err }, 'feedback record not written');
    throw unavailable('the feedback store cannot be written; retry later');
  }
  return feedbackId;
}
