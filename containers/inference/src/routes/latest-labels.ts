/** What `POST /v1/feedback` answers. */
export interface FeedbackAnswer {
  readonly feedbackId: string;
  readonly requestId: string;
  readonly labeled: boolean;
}

/** As many requests as the service keeps the inputs of (plugins/services.ts): feedback follows within minutes. */
const LATEST_LABELS = 10_000;

interface Latest {
  readonly diseaseId: string;
  readonly verdict: string;
  readonly answer: Promise<FeedbackAnswer>;
}

/**
 * Per request, the last label this process was given, so a retry of it (a timeout, a double click) gets the same
 * feedbackId without a second record. Only the latest counts: after a correction, the earlier confirmation sent
 * again is a change of mind and is written, since training keeps the latest label of a request. The answer is
 * held while its record is being written, so a retry that arrives meanwhile waits for it; a failed write is
 * forgotten, so its retry writes again.
 */
export class LatestLabels {
  private readonly map = new Map<string, Latest>();

  /** The answer given (or being given) to this label when it is the request's latest, else undefined. */
  public retry(requestId: string, diseaseId: string, verdict: string): Promise<FeedbackAnswer> | undefined {
    const latest = this.map.get(requestId);
    return latest?.diseaseId === diseaseId && latest.verdict === verdict ? latest.answer : undefined;
  }

  /** Makes this label the request's latest, answered by `answer` once its record is written. */
  public remember(requestId: string, diseaseId: string, verdict: string, answer: Promise<FeedbackAnswer>): void {
    const latest = { diseaseId, verdict, answer };
    this.map.delete(requestId); // re-inserted last: the oldest request is the one forgotten first
    this.map.set(requestId, latest);
    if (this.map.size > LATEST_LABELS) this.map.delete(this.map.keys().next().value as string);
    answer.catch(() => {
      if (this.map.get(requestId) === latest) this.map.delete(requestId);
    });
  }
}
