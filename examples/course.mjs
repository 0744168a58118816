// The course's examples as data: which spec's sweep fills which results folder, which
// trial plots are copied next to the sweep's, which sweeps are compared on one axis, and
// which are cheap enough for CI to re-run and compare exactly (runs are deterministic:
// same seed, same backend, same numbers). Read by scripts/regen-examples.mjs and the
// examples tests.

/**
 * @typedef {{ values: Record<string, number | string | boolean>, plot: string, as: string }} RunPlot
 *   a plot of one trial (repeat 0 with these swept values) copied into the results folder as `as`
 * @typedef {{ spec: string, results: string, cheap?: boolean, runPlots?: RunPlot[] }} Sweep
 *   `spec` and `results` relative to the example's folder
 * @typedef {{ specs: string[], results: string }} Comparison  sweeps drawn on one axis (regnetc report A B --out)
 * @typedef {{ dir: string, sweeps: Sweep[], compare?: Comparison[] }} Example
 */

/** @type {Example[]} */
export const EXAMPLES = [
  { dir: '01-overfitting-l1-l2', sweeps: [{ spec: 'circle.regnet', results: 'results' }] },
  { dir: '02-dropout', sweeps: [{ spec: 'dropout.regnet', results: 'results' }] },
  {
    dir: '03-adam-l2-vs-adamw',
    sweeps: [
      { spec: 'adam-l2.regnet', results: 'results-adam-l2' },
      { spec: 'adamw.regnet', results: 'results-adamw' },
    ],
  },
  { dir: '04-l2-equals-weight-decay', sweeps: [{ spec: 'sgd.regnet', results: 'results', cheap: true }] },
  {
    dir: '05-batchnorm-learning-rate',
    sweeps: [
      { spec: 'plain.regnet', results: 'results-plain' },
      { spec: 'batchnorm.regnet', results: 'results-batchnorm' },
    ],
    compare: [{ specs: ['plain.regnet', 'batchnorm.regnet'], results: 'results-compare' }],
  },
  {
    dir: '06-random-labels',
    sweeps: [
      {
        spec: 'random-labels.regnet',
        results: 'results',
        runPlots: [
          { values: { noise: 1 }, plot: 'accuracy', as: 'run-noise1-accuracy.svg' },
          { values: { noise: 0 }, plot: 'accuracy', as: 'run-noise0-accuracy.svg' },
        ],
      },
    ],
  },
  { dir: '07-double-descent', sweeps: [{ spec: 'double-descent.regnet', results: 'results' }] },
  {
    dir: '08-early-stopping-and-clipping',
    sweeps: [
      {
        spec: 'early-stopping.regnet',
        results: 'results-early-stopping',
        runPlots: [{ values: { patience: 1000, restore: false }, plot: 'loss', as: 'run-no-early-stopping-loss.svg' }],
      },
      {
        spec: 'clipping.regnet',
        results: 'results-clipping',
        cheap: true,
        runPlots: [
          { values: { max_norm: 1e9 }, plot: 'loss', as: 'run-no-clipping-loss.svg' },
          { values: { max_norm: 1 }, plot: 'loss', as: 'run-clipping-loss.svg' },
        ],
      },
    ],
  },
  {
    dir: '09-augmentation',
    sweeps: [
      { spec: 'digits.regnet', results: 'results-digits' },
      { spec: 'sentiment.regnet', results: 'results-sentiment', cheap: true },
    ],
  },
  { dir: '10-noise-learning-rate', sweeps: [{ spec: 'noise-lr.regnet', results: 'results' }] },
  { dir: '11-large-batch', sweeps: [{ spec: 'batch-size.regnet', results: 'results' }] },
  {
    dir: '12-normalization-layers',
    sweeps: ['batchnorm', 'layernorm', 'groupnorm', 'instancenorm'].map((n) => ({ spec: `${n}.regnet`, results: `results-${n}` })),
    compare: [{ specs: ['batchnorm.regnet', 'layernorm.regnet', 'groupnorm.regnet', 'instancenorm.regnet'], results: 'results-compare' }],
  },
  { dir: '13-mc-dropout', sweeps: [{ spec: 'mc-dropout.regnet', results: 'results' }] },
  { dir: '14-double-descent-error-peak', sweeps: [{ spec: 'error-peak.regnet', results: 'results' }] },
];

/** Columns of results.csv that measure the machine, not the model: left out of exact comparisons. */
export const TIMING_COLUMN = /^seconds_/;
