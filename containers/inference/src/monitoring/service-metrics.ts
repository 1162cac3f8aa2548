import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { DiseaseCategory } from '../model/package-types';
import type { DriftMonitor } from './drift-monitor';

/** EMF accepts at most 100 values per metric in one line. */
const EMF_MAX_VALUES = 100;

/**
 * The service's metrics, one registry per app (tests build several apps in one process): Prometheus on /metrics and
 * the same numbers as CloudWatch embedded metric format lines (names shared with lib/constructs/inference-metrics.ts).
 */
export class ServiceMetrics {
  public readonly registry = new Registry();
  private readonly latency: Histogram<'route' | 'method' | 'status_code'>;
  private readonly predictions: Counter<'category'>;
  private readonly reviews: Counter;
  private readonly modelInfo: Gauge<'model_version'>;
  private drift?: DriftMonitor;
  private window = { predictions: { common: 0, orphan: 0 }, reviews: 0, latencies: [] as number[] };

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'dxops_' });
    this.latency = new Histogram({
      name: 'dxops_http_request_duration_seconds',
      help: 'Request latency by route',
      labelNames: ['route', 'method', 'status_code'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [this.registry],
    });
    this.predictions = new Counter({
      name: 'dxops_predictions_total',
      help: 'Predictions by category of the top-1 disease',
      labelNames: ['category'],
      registers: [this.registry],
    });
    this.reviews = new Counter({
      name: 'dxops_specialist_review_total',
      help: 'Predictions whose top probability is under the specialist-review threshold',
      registers: [this.registry],
    });
    this.modelInfo = new Gauge({
      name: 'dxops_model_info',
      help: 'The model version being served (value 1)',
      labelNames: ['model_version'],
      registers: [this.registry],
    });
    const self = this;
    new Gauge({
      name: 'dxops_drift_psi',
      help: 'Population stability index of a feature family over the sliding window, vs the manifest baseline',
      labelNames: ['family'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [family, value] of Object.entries(self.drift?.psi() ?? {})) this.set({ family }, value);
      },
    });
    new Gauge({
      name: 'dxops_specialist_review_rate',
      help: 'Share of predictions since start that were flagged for specialist review',
      registers: [this.registry],
      async collect() {
        const total = (await self.predictions.get()).values.reduce((a, v) => a + v.value, 0);
        const reviews = (await self.reviews.get()).values[0]?.value ?? 0;
        this.set(total ? reviews / total : 0);
      },
    });
  }

  public observeRequest(route: string, method: string, statusCode: number, seconds: number): void {
    this.latency.observe({ route, method, status_code: statusCode }, seconds);
    if (route === '/v1/diagnoses' && this.window.latencies.length < EMF_MAX_VALUES) {
      this.window.latencies.push(seconds * 1000);
    }
  }

  public observePrediction(category: DiseaseCategory, specialistReview: boolean): void {
    this.predictions.inc({ category });
    this.window.predictions[category]++;
    if (specialistReview) {
      this.reviews.inc();
      this.window.reviews++;
    }
  }

  public useModel(version: string, drift: DriftMonitor): void {
    this.modelInfo.reset();
    this.modelInfo.set({ model_version: version }, 1);
    this.drift = drift;
  }

  /** EMF lines for the period since the last call (CloudWatch reads them from the container's stdout). */
  public emfLines(namespace: string, stage: string, now = Date.now()): string[] {
    const w = this.window;
    this.window = { predictions: { common: 0, orphan: 0 }, reviews: 0, latencies: [] };
    const line = (dimensions: Record<string, string>, metrics: Record<string, number | number[]>, unit = 'None') =>
      JSON.stringify({
        _aws: {
          Timestamp: now,
          CloudWatchMetrics: [
            {
              Namespace: namespace,
              Dimensions: [['Stage', ...Object.keys(dimensions)]],
              Metrics: Object.keys(metrics).map((Name) => ({ Name, Unit: unit })),
            },
          ],
        },
        Stage: stage,
        ...dimensions,
        ...metrics,
      });
    const total = w.predictions.common + w.predictions.orphan;
    const lines = [
      line({ Category: 'common' }, { Predictions: w.predictions.common }, 'Count'),
      line({ Category: 'orphan' }, { Predictions: w.predictions.orphan }, 'Count'),
    ];
    if (total > 0) lines.push(line({}, { SpecialistReviewRate: w.reviews / total }));
    if (w.latencies.length > 0) lines.push(line({}, { LatencyMs: w.latencies }, 'Milliseconds'));
    for (const [family, value] of Object.entries(this.drift?.psi() ?? {})) {
      lines.push(line({ Family: family }, { DriftPsi: value }));
    }
    return lines;
  }
}
