// Tracking a monitored metric across epochs: which epoch is best, and how many
// epochs have passed without improvement (Keras' EarlyStopping / ModelCheckpoint
// rules: an improvement must beat the best by more than min_delta; the run stops
// once `patience` epochs in a row have not improved).
import type { EpochRecord } from '../contracts.js';

export interface MonitorState {
  bestEpoch?: number;
  bestValue?: number;
  epochsWithoutImprovement: number;
}

export class MetricMonitor {
  bestEpoch?: number;
  bestValue?: number;
  epochsWithoutImprovement = 0;

  constructor(
    readonly metric: string,
    readonly mode: 'min' | 'max',
    readonly minDelta = 0,
    state?: MonitorState,
  ) {
    if (state) {
      this.bestEpoch = state.bestEpoch;
      this.bestValue = state.bestValue;
      this.epochsWithoutImprovement = state.epochsWithoutImprovement;
    }
  }

  /** Records an epoch; true when it is the new best. A non-finite value never improves. */
  update(epoch: number, value: number | undefined): boolean {
    const improved =
      value !== undefined &&
      Number.isFinite(value) &&
      (this.bestValue === undefined ||
        (this.mode === 'min' ? value < this.bestValue - this.minDelta : value > this.bestValue + this.minDelta));
    if (improved) {
      this.bestEpoch = epoch;
      this.bestValue = value;
      this.epochsWithoutImprovement = 0;
    } else {
      this.epochsWithoutImprovement += 1;
    }
    return improved;
  }

  state(): MonitorState {
    return {
      bestEpoch: this.bestEpoch,
      bestValue: this.bestValue,
      epochsWithoutImprovement: this.epochsWithoutImprovement,
    };
  }
}

/**
 * The record key a monitor reads. Without a validation set (`validation: 0`), a
 * `val_` metric falls back to the same metric on the training data (`val_loss` ->
 * `loss`), as docs/language.md §4 says.
 */
export function monitoredKey(metric: string, hasValidation: boolean): string {
  return !hasValidation && metric.startsWith('val_') ? metric.slice(4) : metric;
}

/** Throws a clear error when a monitor names something the records will not contain. */
export function checkMonitorable(what: string, key: string, metrics: string[], hasValidation: boolean): void {
  const recorded = ['loss', ...metrics];
  const available = hasValidation ? [...recorded, ...recorded.map((m) => `val_${m}`)] : recorded;
  if (!available.includes(key)) {
    throw new Error(`${what} monitors '${key}', which is not recorded (recorded: ${available.join(', ')})`);
  }
}

export function monitoredValue(record: EpochRecord, key: string): number | undefined {
  const value = record[key];
  return typeof value === 'number' ? value : undefined;
}
