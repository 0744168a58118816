// Regenerates the examples' committed results from full runs, then the numbers in
// their READMEs from those results (see examples/readme-values.mjs).
//
//   npm run examples:regen                      every example (long: about an hour on 2 cores)
//   npm run examples:regen -- 05 12             only these examples (by number or folder)
//   npm run examples:regen -- --cheap           only the sweeps CI re-runs (examples/course.mjs)
//   npm run examples:regen -- --readmes         only rewrite README numbers from the committed results
//
// Each sweep runs afresh into runs/examples/<example>/<spec>/ (--resume keeps the trials
// finished there: only for continuing an interrupted regeneration with unchanged code and
// specs), then results.csv, results.md and plots/ are copied into the example's results
// folder; comparisons are drawn with `regnetc report A B --out`.
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { EXAMPLES } from '../examples/course.mjs';
import { readmeValues } from '../examples/readme-values.mjs';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const REGNETC = join(REPO, 'runtime', 'bin', 'regnetc.js');
const args = process.argv.slice(2);
const flags = new Set(args.filter((a) => a.startsWith('--')));
const only = args.filter((a) => !a.startsWith('--'));
const unknown = [...flags].filter((f) => !['--cheap', '--readmes', '--resume'].includes(f));
if (unknown.length > 0) {
  console.error(`regen-examples: unknown option ${unknown.join(', ')} (--cheap, --readmes, --resume)`);
  process.exit(2);
}

function regnetc(argv) {
  console.log(`$ regnetc ${argv.join(' ')}`);
  const r = spawnSync(process.execPath, [REGNETC, ...argv], { cwd: REPO, stdio: 'inherit', env: { ...process.env, NO_COLOR: '1' } });
  if (r.status !== 0) throw new Error(`regnetc ${argv[0]} failed (exit ${r.status})`);
}

const runDir = (example, spec) => join('runs', 'examples', example.dir, spec.replace(/\.regnet$/, ''));

/** The folder of the trial with these swept values (repeat 0). */
function trialDir(sweepDir, values) {
  const manifest = JSON.parse(readFileSync(join(REPO, sweepDir, 'sweep.json'), 'utf8'));
  const trial = manifest.trials.find((t) => t.repeat === 0 && Object.entries(values).every(([k, v]) => t.values[k] === v));
  if (!trial) throw new Error(`${sweepDir}: no trial with ${JSON.stringify(values)}`);
  return join(sweepDir, trial.id);
}

/** Replaces DEST's results.csv, results.md and plots/ with SOURCE's. */
function copyResults(source, dest) {
  rmSync(join(REPO, dest), { recursive: true, force: true });
  mkdirSync(join(REPO, dest, 'plots'), { recursive: true });
  for (const file of ['results.csv', 'results.md']) cpSync(join(REPO, source, file), join(REPO, dest, file));
  for (const plot of readdirSync(join(REPO, source, 'plots'))) cpSync(join(REPO, source, 'plots', plot), join(REPO, dest, 'plots', plot));
}

function regenerate(example) {
  const folder = join('examples', example.dir);
  for (const sweep of example.sweeps) {
    if (flags.has('--cheap') && !sweep.cheap) continue;
    const out = runDir(example, sweep.spec);
    if (!flags.has('--resume')) rmSync(join(REPO, out), { recursive: true, force: true });
    regnetc(['sweep', join(folder, sweep.spec), '--out', out, '--backend', 'wasm']);
    const dest = join(folder, sweep.results);
    copyResults(out, dest);
    for (const p of sweep.runPlots ?? []) {
      const trial = trialDir(out, p.values);
      const plot = join(REPO, trial, 'plots', `${p.plot}.svg`);
      // A trial whose own report was not written (e.g. interrupted) gets it now.
      if (!existsSync(plot)) regnetc(['report', trial]);
      cpSync(plot, join(REPO, dest, 'plots', p.as));
    }
  }
  if (flags.has('--cheap')) return;
  for (const comparison of example.compare ?? []) {
    const out = join('runs', 'examples', example.dir, comparison.results);
    regnetc(['report', ...comparison.specs.map((s) => runDir(example, s)), '--out', out]);
    copyResults(out, join(folder, comparison.results));
  }
}

function writeReadmeValues() {
  const readmes = [join(REPO, 'examples', 'README.md'), ...EXAMPLES.map((e) => join(REPO, 'examples', e.dir, 'README.md'))];
  const problems = [];
  for (const path of readmes.filter((p) => existsSync(p))) {
    let text, values;
    try {
      ({ text, values } = readmeValues(path));
    } catch (error) {
      problems.push(error.message);
      continue;
    }
    const changed = values.filter((v) => v.written !== v.measured);
    if (changed.length > 0) {
      writeFileSync(path, text);
      console.log(`${relative(REPO, path)}: ${changed.length} of ${values.length} number(s) updated`);
    }
  }
  if (problems.length > 0) throw new Error(`README numbers not updated:\n  ${problems.join('\n  ')}`);
}

try {
  main();
} catch (error) {
  console.error(`regen-examples: ${error.message}`);
  process.exit(1);
}

function main() {
  if (!flags.has('--readmes')) {
    const selected = EXAMPLES.filter((e) => only.length === 0 || only.some((o) => e.dir === o || e.dir.startsWith(`${o}-`)));
    if (selected.length === 0) throw new Error(`no example matches ${only.join(', ')}`);
    for (const example of selected) regenerate(example);
  }
  writeReadmeValues();
}
