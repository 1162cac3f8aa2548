import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ServiceConfig } from '../config';
import type { Model, Sex } from '../model/model';
import { ModelManager } from '../model/model-manager';
import { s3Client } from '../model/package-reader';
import { DriftMonitor } from '../monitoring/drift-monitor';
import { ServiceMetrics } from '../monitoring/service-metrics';
import { createLocator, type ModelLocator } from '../registry/model-locator';
import { JsonlWriter } from '../storage/jsonl-writer';
import { S3Shipper } from '../storage/s3-shipper';

/** What feedback needs to label a prediction: its inputs, never anything that identifies the patient. */
export interface RecentPrediction {
  readonly modelVersion: string;
  readonly observed: string[];
  readonly excluded: string[];
  readonly evidences: string[];
  readonly ageBand: string;
  readonly sex: Sex;
}

/** A recent request as feedback checks and labels it. */
export interface RecentRequest {
  /** Written with the label (the feedback record's `input`). */
  readonly input: RecentPrediction;
  /** The diseaseIds of the differential as returned: a confirmation names one of them. */
  readonly differential: readonly string[];
}

/** Feedback usually follows within minutes; older requests are joined with the audit log by requestId instead. */
const RECENT_PREDICTIONS = 10_000;

export class RecentPredictions {
  private readonly map = new Map<string, RecentRequest>();

  public set(requestId: string, request: RecentRequest): void {
    this.map.set(requestId, request);
    if (this.map.size > RECENT_PREDICTIONS) this.map.delete(this.map.keys().next().value as string);
  }

  public get(requestId: string): RecentRequest | undefined {
    return this.map.get(requestId);
  }
}

export interface Services {
  readonly config: ServiceConfig;
  readonly models: ModelManager;
  readonly audit: JsonlWriter;
  readonly feedback: JsonlWriter;
  readonly metrics: ServiceMetrics;
  readonly recent: RecentPredictions;
  /** AWS: ship the audit and feedback files to the audit bucket (`undefined` in the embedded default). */
  shippers: readonly S3Shipper[];
  /** Drift of the model being served; replaced (window reset) when a new model is swapped in. */
  drift?: DriftMonitor;
}

declare module 'fastify' {
  interface FastifyInstance {
    dx: Services;
  }
}

export interface ServicesOptions {
  readonly config: ServiceConfig;
  /** Where EMF lines go; stdout by default (CloudWatch Logs reads them there). */
  readonly emfSink?: (line: string) => void;
  /** Replaces the locator built from the config (tests). */
  readonly locator?: ModelLocator;
}

async function services(app: FastifyInstance, opts: ServicesOptions): Promise<void> {
  const { config } = opts;
  const models = new ModelManager(opts.locator ?? createLocator(config.model), app.log);
  // A torn last line is a record a crash interrupted before it was acknowledged: kept aside, never mixed with new ones.
  const repaired = (repair: object) => app.log.warn(repair, 'torn last line moved aside; the file continues after it');
  // Each writer locks its directory; a second service on this DXOPS_HOME stops here (storage/dir-lock.ts).
  const audit = new JsonlWriter(join(config.dxopsHome, 'audit'), 'audit', repaired);
  let feedback: JsonlWriter;
  try {
    feedback = new JsonlWriter(join(config.dxopsHome, 'feedback'), 'feedback', repaired);
  } catch (err) {
    await audit.close(); // releases the audit directory's lock
    throw err;
  }
  const dx: Services = {
    config,
    models,
    audit,
    feedback,
    metrics: new ServiceMetrics(),
    recent: new RecentPredictions(),
    shippers: [],
  };
  const shipping = config.auditShipping;
  if (shipping) {
    const client = s3Client(shipping.region, shipping.s3Endpoint);
    const task = randomUUID(); // one writer per task: objects of different tasks never collide
    dx.shippers = ['audit', 'feedback'].map(
      (kind) => new S3Shipper(join(config.dxopsHome, kind), client, shipping.bucket, `${kind}/${task}/`, app.log),
    );
  }
  const useModel = (model: Model) => {
    dx.drift = new DriftMonitor(model.manifest.driftBaseline?.families ?? {}, config.driftWindow);
    dx.metrics.useModel(model.version, dx.drift);
  };
  models.onSwap(useModel);
  app.decorate('dx', dx);

  app.addHook('onResponse', (request, reply, done) => {
    dx.metrics.observeRequest(
      request.routeOptions.url ?? 'unmatched',
      request.method,
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
    done();
  });

  const sink = opts.emfSink ?? ((line: string) => process.stdout.write(`${line}\n`));
  let emfTimer: NodeJS.Timeout | undefined;
  let shipTimer: NodeJS.Timeout | undefined;
  const shipAll = async () => {
    for (const shipper of dx.shippers) await shipper.ship();
  };
  app.addHook('onReady', async () => {
    await models.refresh();
    models.start(config.pollIntervalMs);
    if (config.emfIntervalMs > 0) {
      emfTimer = setInterval(() => {
        for (const line of dx.metrics.emfLines(config.metricsNamespace, config.stage)) sink(line);
      }, config.emfIntervalMs);
      emfTimer.unref();
    }
    if (shipping && shipping.intervalMs > 0) {
      shipTimer = setInterval(() => void shipAll(), shipping.intervalMs);
      shipTimer.unref();
    }
  });
  app.addHook('onClose', async () => {
    clearInterval(emfTimer);
    clearInterval(shipTimer);
    await models.close();
    await Promise.all([dx.audit.close(), dx.feedback.close()]);
    await shipAll(); // what the last requests wrote leaves with the task
  });
}

export default fp(services, { name: 'services' });
