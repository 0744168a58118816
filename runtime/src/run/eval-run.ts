// `regnetc eval DIR [--data FILE.regnet]`: the saved model of a run measured on its
// test and validation data (the same splits as in training: same seed), or on the
// data block of another spec.
import { resolve } from 'node:path';
import { compile, type DataConfig } from '@regnet/compiler';
import { BackendUnavailableError, initBackend, type BackendChoice } from '../backend/select.js';
import { loadData } from '../data/load.js';
import { isDataError } from '../data/errors.js';
import { ModelFileError, loadModel } from '../model/io.js';
import { evaluate } from '../train/loop.js';
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
    const result = compile(source, { file: resolve(options.data) });
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
    selected = await initBackend(options.backend);
  } catch (error) {
    if (error instanceof BackendUnavailableError) throw new UsageError(error.message);
    throw error;
  }
  const { tf, name } = selected;
  if (!options.json) stdout.write(`backend: ${name}\n`);
  let loaded;
  try {
    loaded = await loadData(tf, data, ir.train.seed);
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
  const summary = run.readSummary();
  if (options.json) {
    stdout.write(JSON.stringify({ run: options.dir, data: describeSource(data.source), model_epoch: summary?.model_epoch, backend: name, ...results }, null, 2) + '\n');
    return 0;
  }
  stdout.write(`model: ${options.dir}/${RUN_FILES.model} (epoch ${summary?.model_epoch ?? '?'}) on ${describeSource(data.source)}\n`);
  const keys = [...new Set(Object.values(results).flatMap((r) => metricKeys(r)))];
  const table = new Table({ head: ['split', ...keys], style: { head: [], border: [] } });
  for (const [split, values] of Object.entries(results)) table.push([split, ...keys.map((k) => formatNumber(values[k], k))]);
  stdout.write(table.toString() + '\n');
  return 0;
}
