// `regnetc report SWEEP_DIR SWEEP_DIR... --out DIR`: several sweeps on one axis. The
// sweeps are folded into one result set with an extra constant, `sweep` (each one's
// model name, or its folder when names repeat), so the usual sweep chart draws one line
// per sweep (on the test split, else validation) for every constant they all vary;
// results.csv/results.md hold the rows of all.
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { valueToText, type JsonValue } from '@regnet/compiler';
import { RUN_FILES, markFolder, readJson, writeFileAtomic } from '../run/run-dir.js';
import { checkReportFolder } from '../run/out-dir.js';
import { SWEEP_MANIFEST, type SweepManifest } from '../run/sweep-plan.js';
import { collectResults, writeResults, type SweepResults } from '../run/sweep-results.js';
import { escapeHtml, figures, page, type Section } from './html.js';
import { headlineMetric, sweepPlot } from './sweep-plots.js';
import { ReportError, isSweepDir, renderPlots, resultsSection, type WrittenReport } from './write-report.js';

/** The constant that tells the compared sweeps apart. */
export const SWEEP_KEY = 'sweep';

function label(manifest: SweepManifest, dir: string, names: string[]): string {
  return names.filter((n) => n === manifest.name).length > 1 ? basename(resolve(dir)) : manifest.name;
}

/** Several sweeps' results as one, with `sweep` as the first swept constant. */
export function mergeSweeps(dirs: string[]): SweepResults {
  const loaded = dirs.map((dir) => {
    if (!existsSync(dir)) throw new ReportError(`${dir}: no such directory`);
    if (!isSweepDir(dir)) throw new ReportError(`${dir}: not a sweep directory (no ${SWEEP_MANIFEST}); only sweeps can be compared`);
    const manifest = readJson<SweepManifest>(join(dir, SWEEP_MANIFEST));
    return { dir, manifest, results: collectResults(dir, manifest) };
  });
  const names = loaded.map((l) => l.manifest.name);
  const labels = loaded.map((l) => label(l.manifest, l.dir, names));
  if (new Set(labels).size < labels.length) throw new ReportError(`the same sweep twice: ${labels.join(', ')}`);
  const params: Record<string, JsonValue[]> = { [SWEEP_KEY]: labels };
  for (const { manifest } of loaded) {
    for (const [p, values] of Object.entries(manifest.params)) {
      const known = params[p] ?? (params[p] = []);
      for (const v of values) if (!known.some((k) => valueToText(k) === valueToText(v))) known.push(v);
    }
  }
  const first = loaded[0]!.manifest;
  const manifest: SweepManifest = {
    kind: 'sweep',
    name: labels.join(' vs '),
    spec_file: loaded.map((l) => l.manifest.spec_file).join(', '),
    params,
    repeats: Math.max(...loaded.map((l) => l.manifest.repeats)),
    base_seed: first.base_seed,
    trials: loaded.flatMap((l, i) => l.manifest.trials.map((t) => ({ ...t, id: `${labels[i]}/${t.id}`, values: { [SWEEP_KEY]: labels[i]!, ...t.values } }))),
  };
  const columns = [...new Set(loaded.flatMap((l) => l.results.columns))];
  return {
    manifest,
    trials: loaded.flatMap((l, i) => l.results.trials.map((t) => ({ ...t, trial: manifest.trials.find((m) => m.id === `${labels[i]}/${t.trial.id}`)! }))),
    rows: loaded.flatMap((l, i) => l.results.rows.map((row) => ({ ...row, values: { [SWEEP_KEY]: labels[i]!, ...row.values } }))),
    // The first sweep's column order, then any column only a later one has.
    columns: columns.sort((a, b) => {
      const order = loaded[0]!.results.columns;
      return (order.includes(a) ? order.indexOf(a) : order.length) - (order.includes(b) ? order.indexOf(b) : order.length);
    }),
  };
}

/** The constants every compared sweep varies (or sets), so that one axis fits them all. */
function sharedParams(dirs: string[], merged: SweepResults): string[] {
  const manifests = dirs.map((dir) => readJson<SweepManifest>(join(dir, SWEEP_MANIFEST)));
  return Object.keys(merged.manifest.params).filter(
    (p) => p !== SWEEP_KEY && manifests.every((m) => p in m.params) && merged.manifest.params[p]!.length > 1,
  );
}

export async function writeCompareReport(dirs: string[], out: string): Promise<WrittenReport> {
  if (dirs.length < 2) throw new ReportError('comparing needs at least two sweep directories');
  const merged = mergeSweeps(dirs);
  const params = sharedParams(dirs, merged);
  if (params.length === 0) {
    throw new ReportError(`the sweeps vary no constant in common (${dirs.map((d) => `${d}: ${Object.keys(readJson<SweepManifest>(join(d, SWEEP_MANIFEST)).params).join(', ') || 'nothing'}`).join('; ')})`);
  }
  checkReportFolder(out);
  markFolder(out);
  const metrics = [...new Set([headlineMetric(merged), 'loss'])];
  // One line per sweep: the test split (the claim a comparison is about), else validation, else train.
  const split = ['test', 'validation', 'train'].find((sp) => merged.columns.includes(sp === 'test' ? `test_${metrics[0]}` : sp === 'validation' ? `final_val_${metrics[0]}` : `final_${metrics[0]}`))!;
  const plots = params.flatMap((p) => metrics.map((m) => ({ ...sweepPlot(merged, p, m, [split]), name: `compare-${p}-${m}` })));
  const rendered = await renderPlots(out, plots);
  writeResults(out, merged, rendered.map((p) => p.file));
  const sections: Section[] = [
    { title: 'Plots', html: figures(rendered) },
    resultsSection(merged),
    {
      title: 'Sweeps',
      html: `<ul>\n${dirs.map((d, i) => `<li><code>${escapeHtml(String(merged.manifest.params[SWEEP_KEY]![i]))}</code>: <code>${escapeHtml(d)}</code>${existsSync(join(d, RUN_FILES.report)) ? ` (<a href="${escapeHtml(encodeURI(join(resolve(d), RUN_FILES.report)))}">report</a>)` : ''}</li>`).join('\n')}\n</ul>`,
    },
  ];
  const subtitle = `${dirs.length} sweeps on one axis: ${params.map((p) => `<code>${escapeHtml(p)}</code>`).join(', ')}`;
  const htmlPath = join(out, RUN_FILES.report);
  writeFileAtomic(htmlPath, page(`RegNet comparison: ${merged.manifest.name}`, subtitle, sections));
  return { html: htmlPath, plots: rendered.map((p) => join(out, p.file)) };
}

