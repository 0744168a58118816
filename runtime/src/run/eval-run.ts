// `regnetc eval DIR [--data FILE.regnet] [--mc-samples N]`: the saved model of a run
// measured on its test and validation data (the same splits as in training: same
// seed), or on the data block of another spec; with N, also as a Monte Carlo dropout
// ensemble of N passes (see train/mc-dropout.ts).
import { dirname, resolve } from 'node:path';
import { compile, type CheckOptions, type DataConfig } from '@regnet/compiler';
import { BackendUnavailableError, initBackend, threadsNote, type BackendChoice } from '../backend/select.js';
import { workloadOf } from '../backend/wasm-threads.js';
import { loadData } from '../data/load.js';
import { isDataError } from '../data/errors.js';
import { ModelFileError, loadModel } from '../model/io.js';
import { evaluate } from '../train/loop.js';
import { evaluateMonteCarlo, type MonteCarloResult } from '../train/mc-dropout.js';
import { printDiagnostics } from './print-diagnostics.js';
import { readSpec } from './read-spec.js';
import { UsageError } from './errors.js';
import { incompleteReason } from './compile-spec.js';
import { formatNumber, metricKeys } from './progress.js';
import { RUN_FILES, RunDir } from './run-dir.js';
import { describeSource } from './describe.js';
import Table from 'cli-table3';

export interface EvalOptions {
  dir: string;
  data?: string;
  backend: BackendChoice;
  json: boolean;
  /** Data roots besides the spec's folder, and resource limits (--data-root, --limit). */
  safety?: Pick<CheckOptions, 'dataRoots' | 'limits'>;
  /** Monte Carlo dropout passes; default: the spec's `train { mc_samples }` (0 = off). */
  mcSamples?: number;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
}

function sameShape(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

export async function runEval(options: EvalOptions): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const run = new RunDir(options.dir);
  if (!run.exists(RUN_FILES.ir)) throw new UsageError(`${options.dir}: not a run directory (no ${RUN_FILES.ir})`);
  if (!run.exists(`${RUN_FILES.model}/model.json`)) {
    throw new UsageError(`${options.dir}: the run saved no model (no ${RUN_FILES.model}/model.json; checkpoint: none, or no epoch finished)`);
  }
  const ir = run.readIR();
  let data: DataConfig = ir.data;
  if (options.data) {
    const source = readSpec(options.data);
    const result = compile(source, { file: resolve(options.data), ...options.safety });
    printDiagnostics(options.data, source, result.diagnostics, stderr);
    if (!result.ir || result.diagnostics.some((d) => d.severity === 'error')) {
      stderr.write(`regnetc: not evaluating: ${options.data} ${incompleteReason(result.diagnostics)}\n`);
      return 1;
    }
    data = result.ir.data;
    if (!sameShape(data.inputShape, ir.data.inputShape) || data.classes !== ir.data.classes) {
      throw new UsageError(
        `${options.data}: its data gives inputs [${data.inputShape.join(', ')}] with ${data.classes} classes, ` +
          `but the model in ${options.dir} takes [${ir.data.inputShape.join(', ')}] with ${ir.data.classes} classes`,
      );
    }
  }
  let selected;
  try {
    selected = await initBackend(options.backend, workloadOf(ir));
  } catch (error) {
    if (error instanceof BackendUnavailableError) throw new UsageError(error.message);
    throw error;
  }
  const { tf, name } = selected;
  if (!options.json) stdout.write(`backend: ${name}${threadsNote(selected.threads)}\n`);
  let loaded;
  try {
    // A run directory's IR is not trusted: its data must lie under the --data spec's
    // folder, or else the working folder, or a data root.
    const specDir = options.data ? dirname(resolve(options.data)) : process.cwd();
    loaded = await loadData(tf, data, ir.train.seed, { specDir, roots: options.safety?.dataRoots });
  } catch (error) {
    if (isDataError(error)) {
      stderr.write(`${error.format()}\n`);
      return 1;
    }
    throw error;
  }
  let model;
  try {
    model = await loadModel(tf, run.file(RUN_FILES.model));
  } catch (error) {
    if (error instanceof ModelFileError) throw new UsageError(error.message);
    throw error;
  }
  const results: Record<string, Record<string, number>> = {};
  if (loaded.test) results.test = evaluate(tf, model, loaded.test, ir.train, loaded.classes);
  if (loaded.validation) results.validation = evaluate(tf, model, loaded.validation, ir.train, loaded.classes);
  if (Object.keys(results).length === 0) {
    // Neither a test source nor a validation split: the training data is all there is.
    results.train = evaluate(tf, model, loaded.train, ir.train, loaded.classes);
  }
  const samples = options.mcSamples ?? ir.train.mcSamples ?? 0;
  const monteCarlo: Record<string, MonteCarloResult> = {};
  if (samples > 0) {
    for (const split of Object.keys(results) as Array<'test' | 'validation' | 'train'>) {
      monteCarlo[split] = evaluateMonteCarlo(tf, model, loaded[split]!, ir.train, samples, loaded.classes);
    }
  }
  const summary = run.readSummary();
  if (options.json) {
    const mc = Object.keys(monteCarlo).length > 0 ? { monte_carlo: monteCarlo } : {};
    stdout.write(JSON.stringify({ run: options.dir, data: describeSource(data.source), model_epoch: summary?.model_epoch, backend: name, ...results, ...mc }, null, 2) + '\n');
    return 0;
  }
  stdout.write(`model: ${options.dir}/${RUN_FILES.model} (epoch ${summary?.model_epoch ?? '?'}) on ${describeSource(data.source)}\n`);
  const keys = [...new Set(Object.values(results).flatMap((r) => metricKeys(r)))];
  const table = new Table({ head: ['split', ...keys], style: { head: [], border: [] } });
  for (const [split, values] of Object.entries(results)) table.push([split, ...keys.map((k) => formatNumber(values[k], k))]);
  stdout.write(table.toString() + '\n');
  if (samples > 0) stdout.write(monteCarloTable(monteCarlo, results, samples) + '\n');
  return 0;
}

/** The Monte Carlo ensemble next to the deterministic pass, and the spread of single passes. */
function monteCarloTable(monteCarlo: Record<string, MonteCarloResult>, deterministic: Record<string, Record<string, number>>, samples: number): string {
  const first = Object.values(monteCarlo)[0];
  const lines = [`Monte Carlo dropout, ${samples} passes with dropout on (${first?.dropoutLayers ?? 0} dropout layer(s)):`];
  if (first?.dropoutLayers === 0) lines.push('(the model has no dropout layer: every pass is the deterministic one)');
  const keys = metricKeys(first?.ensemble ?? {});
  const table = new Table({ head: ['split', '', ...keys], style: { head: [], border: [] } });
  for (const [split, mc] of Object.entries(monteCarlo)) {
    table.push([split, 'deterministic pass', ...keys.map((k) => formatNumber(deterministic[split]?.[k], k))]);
    table.push(['', `average of ${samples} passes`, ...keys.map((k) => formatNumber(mc.ensemble[k], k))]);
    table.push(['', 'one pass: mean ± std', ...keys.map((k) => `${formatNumber(mc.mean[k], k)} ± ${formatNumber(mc.std[k], k)}`)]);
  }
  lines.push(table.toString());
  return lines.join('\n');
}
