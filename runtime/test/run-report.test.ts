// Reports: report.html + plots/*.svg for a run and for a sweep, rendered by vega in
// Node; then the page opened in headless Chromium to check the plots really draw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeReport } from '../src/report/write-report.js';
import { planTrials, type SweepManifest } from '../src/run/sweep-plan.js';
import { collectResults, resultsCsv, resultsMarkdown } from '../src/run/sweep-results.js';
import { chromiumPath, fakeRun, tempDir, TEST_OUTPUT } from './run-helpers.js';

test('a run report has the loss, accuracy and lr curves inline and as .svg files', async () => {
  const dir = fakeRun(join(tempDir(), 'run'), 8, { test: { loss: 0.4, accuracy: 0.83 } });
  const written = await writeReport(dir);
  assert.equal(written.html, join(dir, 'report.html'));
  assert.deepEqual(readdirSync(join(dir, 'plots')).sort(), ['accuracy.svg', 'loss.svg', 'lr.svg']);
  for (const plot of written.plots) {
    const svg = readFileSync(plot, 'utf8');
    assert.match(svg, /^<svg /);
    assert.match(svg, /class="mark-line role-mark/, `${plot} draws lines`);
  }
  const html = readFileSync(written.html, 'utf8');
  assert.equal(html.match(/<svg /g)?.length, 3, 'three inline charts');
  // Self-contained: no scripts, no external resources; the spec text is escaped.
  assert.doesNotMatch(html, /<script/);
  assert.doesNotMatch(html, /(src|href)="https?:/);
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  // The results table shows best, final and test rows.
  assert.match(html, /best \(epoch 3\)/);
  assert.match(html, /final \(epoch 8\)/);
  assert.match(html, /test \(saved model\)/);
  assert.match(html, /0\.8300/);
  // Train vs validation in the legend of the loss chart, the checkpoint epoch marked.
  const loss = readFileSync(join(dir, 'plots', 'loss.svg'), 'utf8');
  for (const label of ['train', 'validation', 'test', 'best epoch 3']) assert.ok(loss.includes(`>${label}<`), `loss.svg shows '${label}'`);
});

test('a report of a folder that is neither a run nor a sweep is a clear error', async () => {
  await assert.rejects(writeReport(tempDir()), /not a run directory \(no metrics\.jsonl or summary\.json\) nor a sweep/);
  await assert.rejects(writeReport('/no/such/dir'), /no such directory/);
});

/** A 2x2 sweep with 2 repeats of fake trials; one trial crashed (folder but no summary). */
function fakeSweep(): { dir: string; manifest: SweepManifest } {
  const dir = tempDir('regnet-sweep-');
  const trials = planTrials({ params: { l2: [0, 0.01], width: [8, 32] }, repeats: 2 }, 5);
  const manifest: SweepManifest = {
    kind: 'sweep',
    name: 'fake',
    spec_file: '/nowhere/fake.regnet',
    params: { l2: [0, 0.01], width: [8, 32] },
    repeats: 2,
    base_seed: 5,
    trials,
  };
  writeFileSync(join(dir, 'sweep.json'), JSON.stringify(manifest));
  for (const trial of trials) {
    const l2 = trial.values.l2 as number;
    const width = trial.values.width as number;
    if (l2 === 0.01 && width === 32 && trial.repeat === 1) {
      mkdirSync(join(dir, trial.id));
      writeFileSync(join(dir, trial.id, 'train.log'), 'crashed\n');
      continue;
    }
    const acc = 0.7 + width / 1000 + trial.repeat * 0.02 - l2;
    fakeRun(join(dir, trial.id), 4, {
      seed: trial.seed,
      constants: trial.values,
      final: { epoch: 4, loss: 0.5, accuracy: acc + 0.1, val_loss: 0.6, val_accuracy: acc },
      test: { loss: 0.7, accuracy: acc - 0.01 },
    });
  }
  return { dir, manifest };
}

test('sweep results: one row per configuration with mean and std over repeats; failed trials reported', () => {
  const { dir, manifest } = fakeSweep();
  assert.equal(manifest.trials.length, 8);
  assert.deepEqual(
    manifest.trials.map((t) => [t.id, t.seed]),
    [
      ['l2=0,width=8,rep0', 5], ['l2=0,width=8,rep1', 6], ['l2=0,width=32,rep0', 5], ['l2=0,width=32,rep1', 6],
      ['l2=0.01,width=8,rep0', 5], ['l2=0.01,width=8,rep1', 6], ['l2=0.01,width=32,rep0', 5], ['l2=0.01,width=32,rep1', 6],
    ],
  );
  const results = collectResults(dir, manifest);
  assert.equal(results.rows.length, 4);
  const first = results.rows[0]!;
  assert.deepEqual(first.values, { l2: 0, width: 8 });
  assert.equal(first.done, 2);
  const valAcc = first.stats.final_val_accuracy!;
  assert.ok(Math.abs(valAcc.mean - 0.718) < 1e-9, `mean ${valAcc.mean}`);
  assert.ok(Math.abs(valAcc.std - Math.SQRT2 * 0.01) < 1e-9, `sample std ${valAcc.std}`);
  const last = results.rows[3]!;
  assert.equal(last.done, 1);
  assert.equal(last.failed, 1);
  assert.equal(last.stats.final_val_accuracy!.std, 0);

  const csv = resultsCsv(results).trim().split('\n');
  assert.equal(csv.length, 5, 'header + 4 configurations');
  const header = csv[0]!.split(',');
  assert.deepEqual(header.slice(0, 5), ['l2', 'width', 'trials', 'done', 'failed']);
  for (const column of ['final_accuracy_mean', 'final_val_accuracy_mean', 'final_val_accuracy_std', 'best_val_loss_mean', 'test_accuracy_mean', 'epochs_mean', 'seconds_mean']) {
    assert.ok(header.includes(column), `results.csv has ${column}`);
  }
  assert.equal(csv[4]!.split(',').slice(0, 5).join(','), '0.01,32,2,1,1');

  const md = resultsMarkdown(results, ['plots/sweep-l2.svg']);
  assert.match(md, /\| l2 \| width \| done \| train accuracy \(final\) \| val accuracy \(final\) \| val accuracy \(best\) \| test accuracy \| test loss \| epochs \| time \(s\) \|/);
  assert.match(md, /\| `0` \| `8` \| 2\/2 \| 0\.8180 ± 0\.0141 \| 0\.7180 ± 0\.0141 \|/);
  assert.match(md, /1 trial\(s\) failed.*`l2=0\.01,width=32,rep1`/);
  assert.match(md, /!\[plots\/sweep-l2\.svg\]\(plots\/sweep-l2\.svg\)/);
});

test('a sweep report plots the metric against each swept value with spread bands', async () => {
  const { dir } = fakeSweep();
  const written = await writeReport(dir);
  assert.deepEqual(readdirSync(join(dir, 'plots')).sort(), ['sweep-l2-accuracy.svg', 'sweep-l2-loss.svg', 'sweep-width-accuracy.svg', 'sweep-width-loss.svg']);
  const svg = readFileSync(join(dir, 'plots', 'sweep-l2-accuracy.svg'), 'utf8');
  assert.match(svg, /class="mark-area role-mark/, 'a spread band');
  assert.match(svg, /class="mark-line role-mark/);
  assert.ok(svg.includes('>width=8<') && svg.includes('>width=32<'), 'one line per setting of the other swept constant');
  const html = readFileSync(written.html, 'utf8');
  assert.equal(html.match(/<svg /g)?.length, 4);
  assert.match(html, /Trials \(7\/8 done\)/);
  assert.match(html, /<li>l2=0\.01,width=32,rep1 — <span class="warn">failed<\/span><\/li>/);
});

test('a report renders in headless Chromium (screenshot in test-output/)', async (t) => {
  const executablePath = chromiumPath();
  if (!executablePath) {
    t.skip('chromium is not installed (apt-get install chromium, or set CHROMIUM_PATH): report rendering not checked in a browser');
    return;
  }
  const { chromium } = await import('playwright-core');
  const run = fakeRun(join(tempDir(), 'run'), 10, { test: { loss: 0.4, accuracy: 0.83 } });
  const { dir: sweep } = fakeSweep();
  await writeReport(run);
  await writeReport(sweep);
  mkdirSync(TEST_OUTPUT, { recursive: true });
  const browser = await chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    for (const [dir, name, charts] of [[run, 'run-report', 3], [sweep, 'sweep-report', 4]] as const) {
      await page.goto(`file://${join(dir, 'report.html')}`);
      const boxes = await page.$$eval('figure.plot > svg', (svgs) =>
        svgs.map((svg) => {
          const box = svg.getBoundingClientRect();
          const lines = svg.querySelectorAll('.mark-line path');
          const drawn = [...lines].reduce((n, p) => n + ((p as SVGPathElement).getTotalLength() > 10 ? 1 : 0), 0);
          return { width: box.width, height: box.height, drawn };
        }),
      );
      assert.equal(boxes.length, charts, `${name}: ${charts} charts on the page`);
      for (const box of boxes) {
        assert.ok(box.width > 300 && box.height > 150, `${name}: chart laid out (${box.width}x${box.height})`);
        assert.ok(box.drawn >= 1, `${name}: at least one line drawn with a real length`);
      }
      const shot = join(TEST_OUTPUT, `${name}.png`);
      await page.screenshot({ path: shot, fullPage: true });
      assert.ok(existsSync(shot));
    }
  } finally {
    await browser.close();
  }
});
