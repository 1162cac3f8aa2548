import { randomUUID } from 'node:crypto';
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { unavailable } from '../errors';
import { DiseaseId, errors, RequestId } from '../schemas';

const FeedbackRequest = Type.Object(
  {
    requestId: RequestId,
    diseaseId: DiseaseId,
    verdict: Type.Union([Type.Literal('confirmed'), Type.Literal('corrected')], {
      description: 'confirmed: diseaseId was in the differential and is right; corrected: the diagnosis is diseaseId',
    }),
  },
  { additionalProperties: false },
);

const FeedbackResponse = Type.Object({
  feedbackId: Type.String(),
  requestId: Type.String(),
  labeled: Type.Boolean({ description: 'true when the inputs of the request were attached to the label' }),
});

export default async function feedback(app: FastifyInstance): Promise<void> {
  app.post<{ Body: Static<typeof FeedbackRequest> }>(
    '/v1/feedback',
    {
      schema: {
        summary: 'A clinician confirms or corrects the diagnosis of a request (labeled data for retraining)',
        body: FeedbackRequest,
        response: { 201: FeedbackResponse, ...errors(400, 401, 413, 415, 429, 503) },
      },
    },
    async (request, reply) => {
      const { requestId, diseaseId, verdict } = request.body;
      const input = app.dx.recent.get(requestId);
      const feedbackId = randomUUID();
      // A request older than the in-memory window is still labeled: training joins it with the audit log by requestId.
      const record = {
        timestamp: new Date().toISOString(),
        feedbackId,
        requestId,
        diseaseId,
        verdict,
        // an Orphanet or DECIPHER id folded into an OMIM entry is in the catalog too (training maps it to that entry)
        inCatalog: app.dx.models.current?.diseaseOrTwin(diseaseId) !== undefined,
        input: input ?? null,
      };
      try {
        await app.dx.feedback.append(record);
      } catch (err) {
        request.log.error({ err }, 'feedback record not written');
        throw unavailable('the feedback store cannot be written; retry later');
      }
      return reply.code(201).send({ feedbackId, requestId, labeled: input !== undefined });
    },
  );
}
