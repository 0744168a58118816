// The loop's epoch-end bookkeeping: the best checkpoint and early stopping (each a
// MetricMonitor), the in-memory weight copies they keep, and the one rule for which
// epoch's weights a run's result holds (resultEpochFor, also used by run/run-spec.ts
// for model/ on disk).
import type * as tfTypes from '@tensorflow/tfjs';
import type { TrainConfig } from '@regnet/compiler';
import type { EpochRecord, TF, TrainResult } from '../contracts.js';
import { checkMonitorable, MetricMonitor, monitoredKey, monitoredValue, type MonitorState } from './monitor.js';
import { WeightSnapshot } from './snapshots.js';

/**
 * The one rule for which epoch's weights a run's result (model/) holds: early
 * stopping's best epoch with `restore_best`, else the best checkpoint with
 * `checkpoint: best` or after a non-finite loss, else the last epoch.
 */
export function resultEpochFor(
  config: TrainConfig,
  stopReason: TrainResult['stopReason'],
  epochs: { last: number; best?: number; earlyStoppingBest?: number },
): number {
  if (config.earlyStopping?.restoreBest && epochs.earlyStoppingBest !== undefined) return epochs.earlyStoppingBest;
  if ((config.checkpoint === 'best' || stopReason === 'non_finite') && epochs.best !== undefined) return epochs.best;
  return epochs.last;
}

/** What of the checkpoints goes into the resumable state. */
export interface CheckpointState {
  bestEpoch?: number;
  bestValue?: number;
  epochsWithoutImprovement: number;
  earlyStopping?: MonitorState;
}

export class Checkpoints {
  private readonly best: MetricMonitor;
  private readonly early?: MetricMonitor;
  // Weight copies: the best checkpoint (always kept, so a non-finite loss can fall
  // back to it) and, with restore_best, early stopping's best epoch.
  private bestSnapshot?: WeightSnapshot;
  private earlySnapshot?: WeightSnapshot;

  constructor(
    private readonly tf: TF,
    private readonly model: tfTypes.LayersModel,
    private readonly config: TrainConfig,
    hasValidation: boolean,
    resume?: CheckpointState,
  ) {
    const key = monitoredKey(config.checkpointMonitor, hasValidation);
    checkMonitorable('the best checkpoint', key, config.metrics, hasValidation);
    this.best = new MetricMonitor(key, config.checkpointMode, 0, resume && { bestEpoch: resume.bestEpoch, bestValue: resume.bestValue, epochsWithoutImprovement: 0 });
    const es = config.earlyStopping;
    if (es) {
      const esKey = monitoredKey(es.monitor, hasValidation);
      checkMonitorable('early_stopping', esKey, config.metrics, hasValidation);
      this.early = new MetricMonitor(esKey, es.mode, es.minDelta, resume?.earlyStopping ?? (resume && {
        bestEpoch: resume.bestEpoch,
        bestValue: resume.bestValue,
        epochsWithoutImprovement: resume.epochsWithoutImprovement,
      }));
    }
  }

  get bestEpoch(): number | undefined {
    return this.best.bestEpoch;
  }

  /** Records a finished epoch (the model holds its weights); true when early stopping says stop. */
  afterEpoch(record: EpochRecord): boolean {
    const epoch = record.epoch;
    if (this.best.update(epoch, monitoredValue(record, this.best.metric))) {
      this.replace('bestSnapshot', WeightSnapshot.take(this.tf, this.model, epoch));
    }
    const es = this.config.earlyStopping;
    if (!this.early || !es) return false;
    if (this.early.update(epoch, monitoredValue(record, this.early.metric)) && es.restoreBest) {
      this.replace('earlySnapshot', this.bestSnapshot?.epoch === epoch ? this.bestSnapshot : WeightSnapshot.take(this.tf, this.model, epoch));
    }
    return this.early.epochsWithoutImprovement >= es.patience;
  }

  state(): CheckpointState {
    return {
      bestEpoch: this.best.bestEpoch,
      bestValue: this.best.bestValue,
      epochsWithoutImprovement: this.early?.epochsWithoutImprovement ?? 0,
      earlyStopping: this.early?.state(),
    };
  }

  /** Puts the weights of the epoch resultEpochFor picks into the model, when a copy is in memory; returns the epoch the model holds. */
  restoreResult(stopReason: TrainResult['stopReason'], lastEpoch: number): number {
    const wanted = resultEpochFor(this.config, stopReason, { last: lastEpoch, best: this.best.bestEpoch, earlyStoppingBest: this.early?.bestEpoch });
    const chosen = [this.earlySnapshot, this.bestSnapshot].find((snapshot) => snapshot?.epoch === wanted);
    chosen?.restore(this.model);
    return chosen?.epoch ?? lastEpoch;
  }

  dispose(): void {
    for (const snapshot of new Set([this.bestSnapshot, this.earlySnapshot])) snapshot?.dispose();
  }

  private replace(which: 'bestSnapshot' | 'earlySnapshot', next: WeightSnapshot): void {
    const previous = this[which];
    this[which] = next;
    if (previous && previous !== this.bestSnapshot && previous !== this.earlySnapshot) previous.dispose();
  }
}
