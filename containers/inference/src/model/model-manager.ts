import type { FastifyBaseLogger } from 'fastify';
import type { ModelLocator } from '../registry/model-locator';
import { loadModel } from './load-model';
import type { Model } from './model';

export interface ModelStatus {
  readonly ready: boolean;
  readonly modelVersion?: string;
  readonly location?: string;
  /** Why the last package was refused or could not be located, if it was. */
  readonly lastError?: string;
}

/** In-flight requests may still hold the previous session; release it only after they have surely finished. */
const RELEASE_DELAY_MS = 30_000;

/**
 * Holds the model being served. `refresh()` asks the locator where the approved package is; a new location is loaded,
 * verified and warmed up before it replaces the current model, and a refused package leaves the current one serving.
 */
export class ModelManager {
  private model?: Model;
  private location?: string;
  private refused?: string;
  private lastError?: string;
  private inFlight?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private readonly listeners: ((model: Model) => void)[] = [];

  constructor(
    private readonly locator: ModelLocator,
    private readonly log: FastifyBaseLogger,
  ) {}

  public get current(): Model | undefined {
    return this.model;
  }

  public get status(): ModelStatus {
    return {
      ready: this.model !== undefined,
      modelVersion: this.model?.version,
      location: this.location,
      lastError: this.lastError,
    };
  }

  public onSwap(listener: (model: Model) => void): void {
    this.listeners.push(listener);
  }

  /** Checks the registry once; concurrent calls share one check. Never throws: failures are logged and kept in status. */
  public refresh(): Promise<void> {
    this.inFlight ??= this.check().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  public start(intervalMs: number): void {
    if (intervalMs > 0) {
      this.timer = setInterval(() => void this.refresh(), intervalMs);
      this.timer.unref();
    }
  }

  public async close(): Promise<void> {
    clearInterval(this.timer);
    await this.inFlight;
  }

  private async check(): Promise<void> {
    let reader: Awaited<ReturnType<ModelLocator['locate']>>;
    try {
      reader = await this.locator.locate();
    } catch (err) {
      this.lastError = `cannot read the model registry (${(err as Error).message})`;
      this.log.error({ reason: this.lastError }, 'model registry unreadable; keeping the current model');
      return;
    }
    if (!reader) {
      // Nothing is approved any more (the served version was rejected): a rejected model must not keep answering
      // clinicians, so the service stops being ready instead of serving it.
      const withdrawn = this.model;
      if (withdrawn) this.log.warn({ modelVersion: withdrawn.version }, 'served model withdrawn: no approved model');
      this.model = undefined;
      this.location = undefined;
      this.lastError = 'no approved model in the registry';
      if (withdrawn) setTimeout(() => void withdrawn.release(), RELEASE_DELAY_MS).unref();
      return;
    }
    // A refused location is retried only when the registry points elsewhere, not on every poll.
    if (reader.location === this.location || reader.location === this.refused) return;
    try {
      const next = await loadModel(reader);
      const previous = this.model;
      this.model = next;
      this.location = reader.location;
      this.refused = undefined;
      this.lastError = undefined;
      this.log.info({ modelVersion: next.version, location: reader.location }, 'model loaded, verified and warmed up');
      for (const listener of this.listeners) listener(next);
      if (previous) setTimeout(() => void previous.release(), RELEASE_DELAY_MS).unref();
    } catch (err) {
      this.refused = reader.location;
      this.lastError = (err as Error).message;
      this.log.error(
        { reason: this.lastError, servingVersion: this.model?.version ?? null },
        'model package refused; keeping the current model',
      );
    }
  }
}
