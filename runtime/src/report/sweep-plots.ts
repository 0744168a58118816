// The charts of a sweep: for each swept constant, the headline metric against its
// values — train and validation at the last epoch, test for the saved model — with
// one line per setting of the other swept constants and a ±1 std band over repeats.
import { valueToText, type JsonValue } from '@regnet/compiler';
import type { SweepResults } from '../run/sweep-results.js';
import type { ChartSpec } from './render.js';
import type { Plot } from './run-plots.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

const SPLITS = [
  { split: 'train', column: (m: string) => `final_${m}` },
  { split: 'validation', column: (m: string) => `final_val_${m}` },
  { split: 'test', column: (m: string) => `test_${m}` },
  // Monte Carlo dropout (train { mc_samples }): the averaged passes next to the single test pass.
  { split: 'test, MC dropout', column: (m: string) => `test_mc_${m}` },
];

/** The metric a sweep is judged by: accuracy when measured, else the loss. */
export function headlineMetric(results: SweepResults): string {
  return results.columns.includes('final_accuracy') ? 'accuracy' : 'loss';
}

function sortKey(value: JsonValue): number | string {
  return typeof value === 'number' ? value : valueToText(value);
}

/** `splits`: only these lines (e.g. just `test` when several sweeps share the axis). */
export function sweepPlot(results: SweepResults, param: string, metric: string, splits: string[] = SPLITS.map((s) => s.split)): Plot {
  const others = Object.keys(results.manifest.params).filter((p) => p !== param && results.manifest.params[p].length > 1);
  const numeric = results.manifest.params[param].every((v) => typeof v === 'number');
  const values: object[] = [];
  for (const row of results.rows) {
    const group = others.map((p) => `${p}=${valueToText(row.values[p])}`).join(', ') || 'all';
    for (const { split, column } of SPLITS) {
      if (!splits.includes(split)) continue;
      const s = row.stats[column(metric)];
      if (!s) continue;
      values.push({
        x: numeric ? row.values[param] : valueToText(row.values[param]),
        order: sortKey(row.values[param]),
        mean: s.mean,
        lo: s.mean - s.std,
        hi: s.mean + s.std,
        n: s.n,
        split,
        group,
      });
    }
  }
  const byGroup = others.length > 0;
  // Legend order = the order the sweep block lists the values (not alphabetical: 8 before 32).
  const groups = [...new Set(values.map((v) => (v as { group: string }).group))];
  const drawn = SPLITS.map((s) => s.split).filter((split) => values.some((v) => (v as { split: string }).split === split));
  // Swept values are usually on a log-like grid (0, 1e-4, 1e-3, ...): evenly spaced
  // ordinal positions read better than a linear axis, and zero stays on the chart.
  const x = { field: 'x', type: 'ordinal', title: param, sort: { field: 'order' }, axis: { labelAngle: 0 } };
  const color = byGroup
    ? { field: 'group', type: 'nominal', title: others.join(', '), scale: { domain: groups } }
    : { field: 'split', type: 'nominal', title: null, scale: { domain: drawn } };
  const detail = byGroup ? [{ field: 'split' }] : [];
  const hasSpread = values.some((v) => (v as { n: number }).n > 1);
  const layers: object[] = [];
  if (hasSpread) {
    layers.push({
      mark: { type: 'area', opacity: 0.18 },
      encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, fill: { ...color, legend: null }, detail },
    });
  }
  layers.push({
    mark: { type: 'line', point: true, strokeWidth: 2 },
    encoding: {
      x,
      y: { field: 'mean', type: 'quantitative', title: metric, scale: { zero: false } },
      color,
      ...(byGroup
        ? { strokeDash: { field: 'split', type: 'nominal', title: 'split', scale: { domain: drawn }, legend: { symbolType: 'stroke', symbolStrokeWidth: 2, symbolSize: 400, encode: { symbols: { update: { stroke: { value: '#444' } } } } } } }
        : {}),
      tooltip: [{ field: 'x', title: param }, { field: 'split' }, { field: 'group' }, { field: 'mean', format: '.4f' }, { field: 'n' }],
    },
  });
  return {
    name: `sweep-${param}-${metric}`,
    title: `${metric} against ${param}`,
    spec: {
      $schema: SCHEMA,
      title: {
        text: `${metric} against ${param}`,
        subtitle: [
          drawn.filter((d) => d === 'train' || d === 'validation').join('/') + (drawn.some((d) => d === 'train' || d === 'validation') ? ' at the last epoch' : ''),
          drawn.includes('test') ? 'test of the saved model' : '',
          drawn.includes('test, MC dropout') ? 'MC: average of the dropout passes' : '',
          hasSpread ? 'band: ±1 std over repeats' : '',
        ].filter(Boolean).join('; '),
      },
      width: 420,
      height: 280,
      data: { values },
      layer: layers,
      // The bands fill with the lines' colours but keep out of the legend.
      resolve: { legend: { fill: 'independent' } },
    } as ChartSpec,
  };
}

/** Per swept constant: the headline metric (accuracy when measured) and the loss. */
export function sweepPlots(results: SweepResults): Plot[] {
  const metrics = [...new Set([headlineMetric(results), 'loss'])];
  const swept = Object.keys(results.manifest.params).filter((p) => results.manifest.params[p].length > 1);
  // A sweep of repeats only (nothing varied) still gets charts, on its single value.
  const params = swept.length > 0 ? swept : Object.keys(results.manifest.params).slice(0, 1);
  return params.flatMap((p) => metrics.map((m) => sweepPlot(results, p, m)));
}
