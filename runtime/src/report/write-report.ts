// `regnetc report DIR`: report.html plus plots/*.svg for a run directory (curves
// per epoch) or a sweep directory (metric against each swept value).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatCount, valueToText } from '@regnet/compiler';
import { RUN_FILES, RunDir, readJson, writeFileAtomic, type RunSummary } from '../run/run-dir.js';
import { formatNumber, metricKeys } from '../run/progress.js';
import { SWEEP_MANIFEST, type SweepManifest } from '../run/sweep-plan.js';
import { collectResults, columnTitle, formatStat, headlineColumns, type SweepResults } from '../run/sweep-results.js';
import { escapeHtml, figures, page, table, type Section } from './html.js';
import { renderSvg } from './render.js';
import { runPlots, type Plot } from './run-plots.js';
import { sweepPlots } from './sweep-plots.js';

export class ReportError extends Error {}

export interface WrittenReport {
  html: string;
  /** Paths of the .svg files written. */
  plots: string[];
}

export function isSweepDir(dir: string): boolean {
  return existsSync(join(dir, SWEEP_MANIFEST));
}

/** Renders the plots into DIR/plots/NAME.svg; returns them with paths relative to DIR. */
export async function renderPlots(dir: string, plots: Plot[]): Promise<Array<{ title: string; svg: string; file: string }>> {
  const out = [];
  for (const plot of plots) {
    const svg = await renderSvg(plot.spec);
    const file = `${RUN_FILES.plots}/${plot.name}.svg`;
    writeFileAtomic(join(dir, file), svg);
    out.push({ title: plot.title, svg, file });
  }
  return out;
}

export async function writeReport(dir: string): Promise<WrittenReport> {
  if (!existsSync(dir)) throw new ReportError(`${dir}: no such directory`);
  if (isSweepDir(dir)) return writeSweepReport(dir, collectResults(dir, readJson<SweepManifest>(join(dir, SWEEP_MANIFEST))));
  return writeRunReport(dir);
}

function seconds(s: number): string {
  return s < 90 ? `${s.toFixed(1)} s` : `${(s / 60).toFixed(1)} min`;
}

function resultsTable(summary: RunSummary): string {
  const keys = new Set<string>();
  for (const values of [summary.best, summary.final]) for (const k of metricKeys(values ?? {})) keys.add(k);
  const columns = [...keys];
  const rows: string[][] = [];
  if (summary.best) rows.push([`best (epoch ${summary.best_epoch})`, ...columns.map((k) => formatNumber(summary.best![k], k))]);
  if (summary.final) rows.push([`final (epoch ${summary.epochs_run})`, ...columns.map((k) => formatNumber(summary.final![k], k))]);
  if (summary.test) {
    const test = summary.test;
    rows.push(['test (saved model)', ...columns.map((k) => (k.startsWith('val_') ? formatNumber(test[k.slice(4)], k) : '–'))]);
  }
  return table(['', ...columns.map((k) => (summary.test ? k.replace(/^val_/, 'val/test ') : k))], rows);
}

const STOP_REASONS: Record<string, string> = {
  completed: 'completed all epochs',
  early_stopping: 'early stopping',
  non_finite: 'stopped: the loss became non-finite',
  interrupted: 'interrupted (Ctrl-C); continue with --resume',
};

export async function writeRunReport(dir: string): Promise<WrittenReport> {
  const run = new RunDir(dir);
  if (!run.exists(RUN_FILES.metrics) && !run.exists(RUN_FILES.summary)) {
    throw new ReportError(`${dir}: not a run directory (no metrics.jsonl or summary.json) nor a sweep (no sweep.json)`);
  }
  const history = run.readMetrics();
  const summary = run.readSummary();
  const rendered = await renderPlots(dir, runPlots(
      history,
      summary?.best_epoch,
      summary?.test && summary.model_epoch !== undefined ? { epoch: summary.model_epoch, values: summary.test } : undefined,
    ));
  const sections: Section[] = [];
  let subtitle = escapeHtml(dir);
  if (summary) {
    const nonFinite = summary.non_finite ? ` at epoch ${summary.non_finite.epoch}, step ${summary.non_finite.step}` : '';
    subtitle = [
      summary.spec_file ? `spec <code>${escapeHtml(summary.spec_file)}</code>` : '',
      `backend <code>${escapeHtml(summary.backend)}</code>`,
      `seed <code>${summary.seed}</code>`,
      `${summary.epochs_run}/${summary.epochs_planned} epochs`,
      `<span class="${summary.stop_reason === 'completed' || summary.stop_reason === 'early_stopping' ? '' : 'warn'}">${escapeHtml(STOP_REASONS[summary.stop_reason] ?? summary.stop_reason)}${nonFinite}</span>`,
      `${seconds(summary.wall_seconds)}`,
      `${formatCount(summary.total_params)} parameters`,
    ]
      .filter(Boolean)
      .join(' · ');
    const modelNote =
      summary.model_epoch !== undefined
        ? `<p><code>model/</code> holds the weights of epoch ${summary.model_epoch} (checkpoint: <code>${summary.checkpoint}</code>, monitor <code>${escapeHtml(summary.monitor)}</code>).</p>`
        : '<p>No model was saved (checkpoint: <code>none</code>).</p>';
    sections.push({ title: 'Results', html: resultsTable(summary) + modelNote });
  }
  sections.push({ title: 'Curves', html: rendered.length ? figures(rendered) : '<p>No epoch finished yet.</p>' });
  if (summary && Object.keys(summary.constants).length > 0) {
    sections.push({
      title: 'Constants',
      html: table(['constant', 'value'], Object.entries(summary.constants).map(([k, v]) => [k, valueToText(v)])),
    });
  }
  if (history.length > 0) {
    const keys = [...metricKeys(history[history.length - 1]), 'lr', 'grad_norm', 'seconds'];
    const rows = history.map((r) => [String(r.epoch), ...keys.map((k) => formatNumber(r[k] ?? undefined, k))]);
    sections.push({ title: 'Epochs', html: `<details><summary>${history.length} epochs</summary>\n${table(['epoch', ...keys], rows)}\n</details>` });
  }
  if (run.exists(RUN_FILES.spec)) {
    sections.push({ title: 'Spec', html: `<pre>${escapeHtml(readFileSync(run.file(RUN_FILES.spec), 'utf8'))}</pre>` });
  }
  const title = `RegNet run: ${summary?.name ?? dir}`;
  const htmlPath = run.file(RUN_FILES.report);
  writeFileAtomic(htmlPath, page(title, subtitle, sections));
  return { html: htmlPath, plots: rendered.map((p) => join(dir, p.file)) };
}

/** The headline columns of every configuration, as an HTML table (mean ± std over repeats). */
export function resultsSection(results: SweepResults): Section {
  const params = Object.keys(results.manifest.params);
  const columns = headlineColumns(results.columns);
  const rows = results.rows.map((row) => [
    ...params.map((p) => valueToText(row.values[p])),
    `${row.done}/${row.trials}`,
    ...columns.map((c) => formatStat(row.stats[c], c)),
  ]);
  return { title: 'Results (mean ± std over repeats)', html: table([...params, 'done', ...columns.map(columnTitle)], rows) };
}

export async function writeSweepReport(dir: string, results: SweepResults): Promise<WrittenReport> {
  const m = results.manifest;
  const rendered = await renderPlots(dir, sweepPlots(results));
  const params = Object.keys(m.params);
  const sections: Section[] = [{ title: 'Plots', html: figures(rendered) }, resultsSection(results)];
  const failed = results.trials.filter((t) => t.status !== 'done');
  const trialLinks = results.trials.map((t) => {
    const report = join(t.trial.id, RUN_FILES.report);
    const link = existsSync(join(dir, report)) ? `<a href="${escapeHtml(encodeURI(report))}">${escapeHtml(t.trial.id)}</a>` : escapeHtml(t.trial.id);
    return `<li>${link} — ${t.status === 'done' ? 'done' : `<span class="warn">${t.status}</span>`}</li>`;
  });
  sections.push({ title: `Trials (${results.trials.length - failed.length}/${results.trials.length} done)`, html: `<ul>\n${trialLinks.join('\n')}\n</ul>` });
  const subtitle = [
    `spec <code>${escapeHtml(m.spec_file)}</code>`,
    `swept ${params.map((p) => `<code>${escapeHtml(p)}</code>`).join(', ')}`,
    `${m.repeats} repeat(s), seeds ${m.base_seed}–${m.base_seed + m.repeats - 1}`,
  ].join(' · ');
  const htmlPath = join(dir, RUN_FILES.report);
  writeFileAtomic(htmlPath, page(`RegNet sweep: ${m.name}`, subtitle, sections));
  return { html: htmlPath, plots: rendered.map((p) => join(dir, p.file)) };
}
