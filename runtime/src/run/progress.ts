// What `regnetc train` shows while it runs: a live bar per epoch on a terminal
// (steps, running loss, rate, ETA), one plain line per finished epoch everywhere
// (so logs and CI output stay readable), and a table of the results at the end.
import cliProgress from 'cli-progress';
import Table from 'cli-table3';
import type { EpochRecord, StepInfo } from '../contracts.js';
import type { MetricValues, RunSummary } from './run-dir.js';

export interface ProgressOptions {
  out: NodeJS.WritableStream;
  /** Live bars only on an interactive terminal and without --quiet. */
  live: boolean;
  epochs: number;
}

/** Formats a metric for a table or a log line: 4 significant decimals, lr in scientific notation. */
export function formatNumber(value: number | undefined, key = ''): string {
  if (value === undefined || value === null) return '-';
  if (!Number.isFinite(value)) return String(value);
  if (key === 'lr') return value.toExponential(2);
  if (key === 'epoch' || key === 'epochs') return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e5)) return value.toExponential(3);
  return value.toFixed(4);
}

/** Metric keys of a record in display order: loss first, then train metrics, then val_*. */
export function metricKeys(record: object): string[] {
  const skip = new Set(['epoch', 'lr', 'grad_norm', 'seconds']);
  const keys = Object.keys(record).filter((k) => !skip.has(k));
  const rank = (k: string) => (k === 'loss' ? 0 : k === 'val_loss' ? 2 : k.startsWith('val_') ? 3 : 1);
  return keys.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** One line per epoch, e.g. `epoch 3/20  loss 0.4123  accuracy 0.8812  val_loss ...  lr 1.00e-3  2.1s`. */
export function epochLine(record: EpochRecord, epochs: number): string {
  const parts = [`epoch ${record.epoch}/${epochs}`];
  for (const key of metricKeys(record)) parts.push(`${key} ${formatNumber(record[key], key)}`);
  parts.push(`lr ${formatNumber(record.lr, 'lr')}`);
  parts.push(`grad_norm ${formatNumber(record.grad_norm)}`);
  parts.push(`${record.seconds.toFixed(1)}s`);
  return parts.join('  ');
}

export class Progress {
  private bar?: cliProgress.SingleBar;
  private barEpoch = 0;
  private lossSum = 0;
  private lossCount = 0;
  private epochStarted = 0;

  constructor(private readonly options: ProgressOptions) {}

  /** Called after every training step. */
  step(info: StepInfo): void {
    if (!this.options.live) return;
    if (!this.bar || this.barEpoch !== info.epoch) this.startBar(info);
    if (Number.isFinite(info.loss)) {
      this.lossSum += info.loss;
      this.lossCount += 1;
    }
    const elapsed = (Date.now() - this.epochStarted) / 1000;
    this.bar!.update(info.step, {
      loss: this.lossCount ? (this.lossSum / this.lossCount).toFixed(4) : '-',
      rate: elapsed > 0 ? (info.step / elapsed).toFixed(1) : '-',
    });
  }

  /** Called once per finished epoch: closes the bar and prints the epoch's line. */
  epochEnd(record: EpochRecord): void {
    this.stopBar();
    this.line(epochLine(record, this.options.epochs));
  }

  /** Prints a line (closing a live bar first so they do not mix). */
  line(text: string): void {
    this.stopBar();
    this.options.out.write(text + '\n');
  }

  stop(): void {
    this.stopBar();
  }

  private startBar(info: StepInfo): void {
    this.stopBar();
    this.barEpoch = info.epoch;
    this.lossSum = 0;
    this.lossCount = 0;
    this.epochStarted = Date.now();
    this.bar = new cliProgress.SingleBar(
      {
        format: `epoch ${info.epoch}/${this.options.epochs} {bar} {value}/{total} steps | loss {loss} | {rate} steps/s | eta {eta_formatted}`,
        stream: this.options.out,
        clearOnComplete: true,
        hideCursor: true,
        barsize: 24,
        fps: 10,
      },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(info.steps, 0, { loss: '-', rate: '-' });
  }

  private stopBar(): void {
    if (this.bar) {
      this.bar.stop();
      this.bar = undefined;
    }
  }
}

/** The closing table: best, final and test metrics side by side. */
export function resultTable(summary: RunSummary): string {
  const rows: Array<[string, MetricValues | undefined]> = [
    [`best (epoch ${summary.best_epoch ?? '-'})`, summary.best],
    [`final (epoch ${summary.epochs_run})`, summary.final],
  ];
  const keys = new Set<string>();
  for (const [, values] of rows) for (const k of metricKeys(values ?? {})) keys.add(k);
  // Test metrics share the columns of the validation ones: `test accuracy` sits under `val_accuracy`.
  const columns = [...keys];
  if (summary.test) {
    for (const k of Object.keys(summary.test)) if (!keys.has(`val_${k}`) && !keys.has(k)) columns.push(`val_${k}`);
  }
  const table = new Table({
    head: ['', ...columns.map((k) => k.replace(/^val_/, 'val/test '))],
    style: { head: [], border: [] },
  });
  for (const [label, values] of rows) {
    if (values) table.push([label, ...columns.map((k) => formatNumber(values[k], k))]);
  }
  // The generalization gap, visible: under each val_ column, final val minus final train.
  const final = summary.final;
  if (final && columns.some((k) => k.startsWith('val_') && final[k] !== undefined && final[k.slice(4)] !== undefined)) {
    table.push(['gap (val − train)', ...columns.map((k) => (k.startsWith('val_') && final[k] !== undefined && final[k.slice(4)] !== undefined ? signed(final[k]! - final[k.slice(4)]!) : ''))]);
  }
  if (summary.test) {
    const test = summary.test;
    table.push(['test', ...columns.map((k) => (k.startsWith('val_') ? formatNumber(test[k.slice(4)], k) : '-'))]);
  }
  if (summary.test_mc) {
    // Monte Carlo dropout (mc_samples): the averaged passes, then one pass with its spread across passes.
    const mc = summary.test_mc;
    const cell = (k: string, prefix: string, spread: boolean) => {
      if (!k.startsWith('val_')) return '-';
      const key = k.slice(4);
      const value = formatNumber(mc[`${prefix}${key}`], k);
      return spread && mc[`${key}_std`] !== undefined ? `${value} ± ${formatNumber(mc[`${key}_std`], k)}` : value;
    };
    table.push([`test, MC average of ${mc.samples}`, ...columns.map((k) => cell(k, '', false))]);
    table.push(['test, one MC pass', ...columns.map((k) => cell(k, 'pass_', true))]);
  }
  return table.toString();
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : ''}${formatNumber(value)}`;
}

/** A gap in accuracy this large (train minus validation, final epoch) gets a sentence under the table. */
const FAR_BELOW = 0.1;

/**
 * One sentence when validation accuracy is far below training accuracy at the end of
 * the run: overfitting, or statistics (batchnorm) that differ between training and inference.
 */
export function gapNote(summary: RunSummary): string | undefined {
  const final = summary.final;
  if (!final || final.accuracy === undefined || final.val_accuracy === undefined) return undefined;
  const gap = final.accuracy - final.val_accuracy;
  if (!(gap >= FAR_BELOW)) return undefined;
  return (
    `note: val accuracy is far below train accuracy (${formatNumber(final.val_accuracy)} vs ${formatNumber(final.accuracy)} at epoch ${final.epoch}): ` +
    'the model does much worse on held-out data; overfitting, or (with batchnorm) moving statistics that have not caught up with the weights'
  );
}
