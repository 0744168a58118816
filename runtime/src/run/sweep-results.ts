// A sweep's results: every trial's summary.json folded into one row per
// configuration (mean and standard deviation over repeats), then written as
// results.csv (for tools) and results.md (for people).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { valueToText, type JsonValue } from '@regnet/compiler';
import { RunDir, isResumable, writeFileAtomic, type RunSummary } from './run-dir.js';
import type { SweepManifest, Trial } from './sweep-plan.js';

export type TrialStatus = 'done' | 'failed' | 'missing';

export interface TrialResult {
  trial: Trial;
  status: TrialStatus;
  summary?: RunSummary;
  /** Why a failed trial failed, when known (e.g. a queued trial's error). */
  message?: string;
}

/** Mean and sample standard deviation (0 for a single value). */
export interface Stat {
  mean: number;
  std: number;
  n: number;
}

export interface ConfigRow {
  values: Record<string, JsonValue>;
  trials: number;
  done: number;
  failed: number;
  /** Column name (e.g. `final_accuracy`, `test_accuracy`) -> statistics over the done repeats. */
  stats: Record<string, Stat>;
}

export interface SweepResults {
  manifest: SweepManifest;
  trials: TrialResult[];
  rows: ConfigRow[];
  /** Statistic columns present, in display order. */
  columns: string[];
}

export function stat(values: number[]): Stat | undefined {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return undefined;
  const mean = finite.reduce((a, b) => a + b, 0) / finite.length;
  const variance = finite.length > 1 ? finite.reduce((a, b) => a + (b - mean) ** 2, 0) / (finite.length - 1) : 0;
  return { mean, std: Math.sqrt(variance), n: finite.length };
}

/** The per-trial numbers a row aggregates: final (last epoch), best (checkpoint epoch) and test metrics. */
export function trialColumns(summary: RunSummary): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [prefix, values] of [['final', summary.final], ['best', summary.best], ['test', summary.test], ['test_mc', summary.test_mc]] as const) {
    for (const [key, value] of Object.entries(values ?? {})) {
      if (key === 'epoch' || key === 'samples' || typeof value !== 'number') continue;
      out[`${prefix}_${key}`] = value;
    }
  }
  out.epochs = summary.epochs_run;
  out.seconds = summary.wall_seconds;
  return out;
}

const COLUMN_ORDER = ['final_', 'best_', 'test_'];

function columnRank(name: string): number {
  const group = COLUMN_ORDER.findIndex((p) => name.startsWith(p));
  const metric = name.replace(/^(final|best|test)_/, '');
  const within = metric === 'loss' ? 0 : metric.startsWith('val_loss') ? 2 : metric.startsWith('val_') ? 3 : 1;
  return group < 0 ? 100 + (name === 'epochs' ? 0 : 1) : group * 10 + within;
}

export function readTrialResult(sweepDir: string, trial: Trial): TrialResult {
  const dir = new RunDir(join(sweepDir, trial.id));
  let summary: RunSummary | undefined;
  try {
    summary = dir.readSummary();
  } catch {
    summary = undefined;
  }
  if (summary && !isResumable(summary.stop_reason)) return { trial, status: 'done', summary };
  // A trial folder without a finished summary: started and then crashed or was killed.
  return { trial, status: existsSync(dir.path) ? 'failed' : 'missing', summary };
}

export function collectResults(
  sweepDir: string,
  manifest: SweepManifest,
  failedIds: Set<string> = new Set(),
  messages: Record<string, string> = {},
): SweepResults {
  const trials = manifest.trials.map((trial): TrialResult => {
    const result = readTrialResult(sweepDir, trial);
    if (result.status === 'done') return result;
    const message = messages[trial.id];
    return failedIds.has(trial.id) ? { ...result, status: 'failed', ...(message ? { message } : {}) } : result;
  });
  const byConfig = new Map<string, TrialResult[]>();
  for (const t of trials) byConfig.set(t.trial.config, [...(byConfig.get(t.trial.config) ?? []), t]);
  const columnSet = new Set<string>();
  const rows: ConfigRow[] = [];
  for (const group of byConfig.values()) {
    const perColumn = new Map<string, number[]>();
    for (const t of group) {
      if (t.status !== 'done' || !t.summary) continue;
      for (const [key, value] of Object.entries(trialColumns(t.summary))) {
        perColumn.set(key, [...(perColumn.get(key) ?? []), value]);
      }
    }
    const stats: Record<string, Stat> = {};
    for (const [key, values] of perColumn) {
      const s = stat(values);
      if (s) {
        stats[key] = s;
        columnSet.add(key);
      }
    }
    rows.push({
      values: group[0].trial.values,
      trials: group.length,
      done: group.filter((t) => t.status === 'done').length,
      failed: group.filter((t) => t.status === 'failed').length,
      stats,
    });
  }
  const columns = [...columnSet].sort((a, b) => columnRank(a) - columnRank(b) || a.localeCompare(b));
  return { manifest, trials, rows, columns };
}

/** Strings as themselves (a path, a word), other values as the language writes them. */
function csvValue(value: JsonValue): string {
  return typeof value === 'string' ? value : valueToText(value);
}

function csvCell(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One row per configuration: swept values, trial counts, then `<column>_mean` and `<column>_std`. */
export function resultsCsv(results: SweepResults): string {
  const params = Object.keys(results.manifest.params);
  const header = [...params, 'trials', 'done', 'failed', ...results.columns.flatMap((c) => [`${c}_mean`, `${c}_std`])];
  const lines = [header.map(csvCell).join(',')];
  for (const row of results.rows) {
    const cells = [
      ...params.map((p) => csvValue(row.values[p])),
      String(row.trials),
      String(row.done),
      String(row.failed),
      ...results.columns.flatMap((c) => {
        const s = row.stats[c];
        return s ? [String(s.mean), String(s.std)] : ['', ''];
      }),
    ];
    lines.push(cells.map(csvCell).join(','));
  }
  return lines.join('\n') + '\n';
}

/** `0.9123 ± 0.0100` (mean ± std over repeats), or the mean alone for one repeat. */
export function formatStat(s: Stat | undefined, column: string): string {
  if (!s) return '–';
  const digits = column === 'seconds' || column === 'epochs' ? 1 : 4;
  const format = (v: number) => (column === 'epochs' && Number.isInteger(v) ? String(v) : v.toFixed(digits));
  return s.n > 1 ? `${format(s.mean)} ± ${format(s.std)}` : format(s.mean);
}

/** Which columns a person reads first: the accuracy-like metric (or the loss) of each group, epochs, time. */
export function headlineColumns(columns: string[]): string[] {
  const metric = columns.some((c) => c === 'final_accuracy') ? 'accuracy' : 'loss';
  // With accuracy as the headline, the loss where it matters most too: test (or validation).
  const loss = metric === 'loss' ? [] : columns.includes('test_loss') ? ['test_loss'] : ['final_val_loss'];
  // Monte Carlo dropout (mc_samples) next to the deterministic test pass it is compared with.
  const mc = metric === 'loss' ? ['test_mc_loss', 'test_mc_loss_std'] : [`test_mc_${metric}`, `test_mc_${metric}_std`, 'test_mc_loss'];
  const wanted = [`final_${metric}`, `final_val_${metric}`, `best_val_${metric}`, `test_${metric}`, ...loss, ...mc, 'epochs', 'seconds'];
  return wanted.filter((c) => columns.includes(c));
}

const COLUMN_TITLES: Record<string, string> = {
  epochs: 'epochs',
  seconds: 'time (s)',
};

export function columnTitle(column: string): string {
  if (COLUMN_TITLES[column]) return COLUMN_TITLES[column];
  const [, group, metric] = /^(final|best|test)_(.*)$/.exec(column) ?? [];
  if (!group) return column;
  if (group === 'test' && metric.startsWith('mc_')) return `test ${metric.slice(3).replace(/^pass_/, 'one pass ').replace(/_std$/, ' spread')} (MC dropout)`;
  if (group === 'test') return `test ${metric}`;
  const split = metric.startsWith('val_') ? 'val' : 'train';
  return `${split} ${metric.replace(/^val_/, '')} (${group})`;
}

export function resultsMarkdown(results: SweepResults, plots: string[] = []): string {
  const m = results.manifest;
  const params = Object.keys(m.params);
  const columns = headlineColumns(results.columns);
  const lines: string[] = [];
  lines.push(`# Sweep: ${m.name}`, '');
  lines.push(`Spec: \`${m.spec_file}\` · swept: ${params.map((p) => `\`${p}\``).join(', ') || '(nothing)'} · repeats: ${m.repeats} (seeds ${m.base_seed}..${m.base_seed + m.repeats - 1})`);
  lines.push('', 'Mean ± standard deviation over repeats. `final` = last epoch, `best` = the checkpoint epoch, test = the saved model on the test set.', '');
  lines.push(`| ${[...params, 'done', ...columns.map(columnTitle)].join(' | ')} |`);
  lines.push(`|${[...params, 'done', ...columns].map(() => '---').join('|')}|`);
  for (const row of results.rows) {
    const cells = [
      ...params.map((p) => `\`${valueToText(row.values[p])}\``),
      `${row.done}/${row.trials}`,
      ...columns.map((c) => formatStat(row.stats[c], c)),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  const failed = results.trials.filter((t) => t.status === 'failed');
  if (failed.length > 0) {
    lines.push('', `**${failed.length} trial(s) failed** (see their \`train.log\`): ${failed.map((t) => `\`${t.trial.id}\``).join(', ')}`);
    for (const t of failed.filter((f) => f.message)) lines.push('', `- \`${t.trial.id}\`: ${t.message!.replace(/\s*\n\s*/g, ' ')}`);
  }
  for (const plot of plots) lines.push('', `![${plot}](${plot})`);
  lines.push('', 'All columns are in `results.csv`; each trial is a run directory with its own `report.html`.', '');
  return lines.join('\n');
}

export function writeResults(sweepDir: string, results: SweepResults, plots: string[] = []): void {
  writeFileAtomic(join(sweepDir, 'results.csv'), resultsCsv(results));
  writeFileAtomic(join(sweepDir, 'results.md'), resultsMarkdown(results, plots));
}
