// The charts of one run: for each metric (loss first) its curve on the training
// data against the validation data per epoch, with the checkpoint epoch marked;
// and the learning rate the schedule produced.
import type { EpochRecord } from '../contracts.js';
import type { ChartSpec } from './render.js';

export interface Plot {
  /** File name without extension, e.g. `loss`, `accuracy`. */
  name: string;
  title: string;
  spec: ChartSpec;
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
export const SPLIT_COLORS = { domain: ['train', 'validation', 'test'], range: ['#1f77b4', '#ff7f0e', '#2ca02c'] };

/** Metric names measured per epoch on the training data, `loss` first. */
export function baseMetrics(history: EpochRecord[]): string[] {
  const names = new Set<string>();
  for (const record of history) {
    for (const key of Object.keys(record)) {
      if (['epoch', 'lr', 'grad_norm', 'seconds'].includes(key)) continue;
      names.add(key.replace(/^val_/, ''));
    }
  }
  return [...names].sort((a, b) => (a === 'loss' ? -1 : b === 'loss' ? 1 : a.localeCompare(b)));
}

function finite(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** The saved model's test result, drawn as one point at the epoch whose weights it holds. */
export interface TestPoint {
  epoch: number;
  values: Record<string, number>;
}

export function metricCurve(history: EpochRecord[], metric: string, bestEpoch?: number, test?: TestPoint): Plot {
  const values: Array<{ epoch: number; value: number; split: string }> = [];
  for (const r of history) {
    if (finite(r[metric])) values.push({ epoch: r.epoch, value: r[metric]!, split: 'train' });
    if (finite(r[`val_${metric}`])) values.push({ epoch: r.epoch, value: r[`val_${metric}`]!, split: 'validation' });
  }
  const testValue = test?.values[metric];
  const splits = SPLIT_COLORS.domain.filter((split) => values.some((v) => v.split === split) || (split === 'test' && finite(testValue)));
  const colors = { domain: splits, range: splits.map((s) => SPLIT_COLORS.range[SPLIT_COLORS.domain.indexOf(s)]) };
  const layers: object[] = [
    {
      mark: { type: 'line', point: history.length <= 40, strokeWidth: 2 },
      encoding: {
        x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 } },
        y: { field: 'value', type: 'quantitative', title: metric, scale: { zero: false } },
        color: { field: 'split', type: 'nominal', title: null, scale: colors },
      },
    },
  ];
  if (test && finite(testValue)) {
    layers.push({
      data: { values: [{ epoch: test.epoch, value: testValue, split: 'test' }] },
      mark: { type: 'point', shape: 'diamond', size: 120, filled: true },
      encoding: {
        x: { field: 'epoch', type: 'quantitative' },
        y: { field: 'value', type: 'quantitative' },
        color: { field: 'split', type: 'nominal', title: null, scale: colors },
      },
    });
  }
  if (bestEpoch !== undefined) {
    layers.push({
      data: { values: [{ epoch: bestEpoch, label: `best epoch ${bestEpoch}` }] },
      layer: [
        { mark: { type: 'rule', strokeDash: [4, 4], color: '#888' }, encoding: { x: { field: 'epoch', type: 'quantitative' } } },
        {
          mark: { type: 'text', align: 'left', baseline: 'top', dx: 3, dy: 2, y: 0, color: '#666', fontSize: 10 },
          encoding: { x: { field: 'epoch', type: 'quantitative' }, text: { field: 'label' } },
        },
      ],
    });
  }
  return {
    name: metric,
    title: metric === 'loss' ? 'Loss: train vs validation' : `${metric}: train vs validation`,
    spec: {
      $schema: SCHEMA,
      title: metric,
      width: 420,
      height: 260,
      data: { values },
      layer: layers,
    } as ChartSpec,
  };
}

export function learningRatePlot(history: EpochRecord[]): Plot {
  return {
    name: 'lr',
    title: 'Learning rate per epoch',
    spec: {
      $schema: SCHEMA,
      title: 'learning rate',
      width: 420,
      height: 160,
      data: { values: history.filter((r) => finite(r.lr)).map((r) => ({ epoch: r.epoch, lr: r.lr })) },
      mark: { type: 'line', point: history.length <= 40, color: '#555' },
      encoding: {
        x: { field: 'epoch', type: 'quantitative', axis: { tickMinStep: 1 } },
        y: { field: 'lr', type: 'quantitative', title: 'lr', axis: { format: '.1e' } },
      },
    } as ChartSpec,
  };
}

export function runPlots(history: EpochRecord[], bestEpoch?: number, test?: TestPoint): Plot[] {
  if (history.length === 0) return [];
  return [...baseMetrics(history).map((m) => metricCurve(history, m, bestEpoch, test)), learningRatePlot(history)];
}
